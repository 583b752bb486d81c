import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  advance,
  createThrottle,
  iterationsPerMs,
  MAX_FRAME_MS,
  PLAY_SECONDS,
  playStart,
  readCursor,
  readSpeed,
  SPEEDS,
  speedLabel,
} from '../src/lib/playback.js';

describe('playback traits', () => {
  it('readSpeed accepts positive finite numbers, else the slowest speed offered', () => {
    assert.equal(readSpeed(2), 2);
    assert.equal(readSpeed(0.5), 0.5);
    assert.equal(readSpeed(3), 3);
    for (const bad of [0, -1, NaN, Infinity, '2', null, undefined]) assert.equal(readSpeed(bad), SPEEDS[0]);
  });
  it('readCursor rounds and clamps to 0..T-1; missing means the end', () => {
    assert.equal(readCursor(5, 10), 5);
    assert.equal(readCursor(4.6, 10), 5);
    assert.equal(readCursor(-3, 10), 0);
    assert.equal(readCursor(99, 10), 9);
    assert.equal(readCursor(undefined, 10), 9);
    assert.equal(readCursor(3, 0), 0);
  });
  it('offers 0.5x to 4x', () => {
    assert.deepEqual(SPEEDS, [0.5, 1, 2, 4]);
    assert.deepEqual(SPEEDS.map(speedLabel), ['0.5×', '1×', '2×', '4×']);
  });
});

describe('advance', () => {
  it('plays the whole timeline in PLAY_SECONDS at speed 1', () => {
    const T = 600;
    assert.equal(iterationsPerMs(T, 1), T / (PLAY_SECONDS * 1000));
    let position = 0;
    let frames = 0;
    let step;
    do {
      step = advance(position, 1000 / 60, T, 1);
      position = step.position;
      frames += 1;
    } while (!step.done);
    const seconds = frames / 60;
    assert.ok(Math.abs(seconds - PLAY_SECONDS) < 0.1, `${seconds} s`);
    assert.equal(step.cursor, T - 1);
  });
  it('scales with speed and keeps a fractional position', () => {
    const a = advance(10, 50, 10000, 2); // 1 iteration per ms at speed 1 -> 2 per ms
    assert.equal(a.position, 110);
    assert.equal(a.cursor, 110);
    const b = advance(10, 10, 600, 0.5); // 0.03 per ms -> 0.3
    assert.ok(Math.abs(b.position - 10.3) < 1e-9);
    assert.equal(b.cursor, 10);
    assert.equal(b.done, false);
  });
  it('clamps a long frame (hidden tab) and ignores bad or negative time', () => {
    assert.equal(advance(0, 5000, 10000, 1).position, MAX_FRAME_MS);
    assert.equal(advance(3, -20, 10000, 1).position, 3);
    assert.equal(advance(3, NaN, 10000, 1).position, 3);
  });
  it('stops at the last iteration', () => {
    assert.deepEqual(advance(598.9, 100, 600, 4), { position: 599, cursor: 599, done: true });
    assert.deepEqual(advance(0, 16, 1, 1), { position: 0, cursor: 0, done: true });
  });
  it('playStart restarts from 0 at the end', () => {
    assert.equal(playStart(599, 600), 0);
    assert.equal(playStart(120, 600), 120);
    assert.equal(playStart(-1, 600), 0);
  });
});

describe('createThrottle', () => {
  it('is due at most once per interval', () => {
    const throttle = createThrottle(100);
    const due = [0, 16, 99, 100, 150, 230].map((t) => throttle.due(t));
    assert.deepEqual(due, [true, false, false, true, false, true]);
  });
  it('reset makes the next call due', () => {
    const throttle = createThrottle(100);
    throttle.due(0);
    assert.equal(throttle.due(10), false);
    throttle.reset();
    assert.equal(throttle.due(11), true);
  });
  it('writes about 10 times per second while playing at 60 fps', () => {
    const throttle = createThrottle();
    let writes = 0;
    for (let frame = 0; frame < 60; frame++) if (throttle.due(frame * (1000 / 60))) writes += 1;
    assert.equal(writes, 10);
  });
});
