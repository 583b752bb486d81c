import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFrameScheduler } from '../src/lib/schedule.js';

function fakeFrames() {
  const pending = new Map();
  let next = 1;
  return {
    request: (fn) => {
      pending.set(next, fn);
      return next++;
    },
    cancel: (handle) => pending.delete(handle),
    flush() {
      const due = [...pending.values()];
      pending.clear();
      due.forEach((fn) => fn());
    },
    get size() {
      return pending.size;
    },
  };
}

describe('createFrameScheduler', () => {
  it('runs the callback once per frame however often it is scheduled', () => {
    const frames = fakeFrames();
    let runs = 0;
    const scheduler = createFrameScheduler(() => (runs += 1), frames);
    scheduler.schedule();
    scheduler.schedule();
    scheduler.schedule();
    assert.equal(frames.size, 1);
    frames.flush();
    assert.equal(runs, 1);
    scheduler.schedule();
    frames.flush();
    assert.equal(runs, 2);
  });
  it('can be scheduled again from inside the callback', () => {
    const frames = fakeFrames();
    let runs = 0;
    const scheduler = createFrameScheduler(() => {
      runs += 1;
      if (runs === 1) scheduler.schedule();
    }, frames);
    scheduler.schedule();
    frames.flush();
    frames.flush();
    assert.equal(runs, 2);
  });
  it('cancel drops the pending frame', () => {
    const frames = fakeFrames();
    let runs = 0;
    const scheduler = createFrameScheduler(() => (runs += 1), frames);
    scheduler.schedule();
    scheduler.cancel();
    scheduler.cancel();
    frames.flush();
    assert.equal(runs, 0);
    assert.equal(frames.size, 0);
  });
});
