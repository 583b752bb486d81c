import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createModel, sameValue } from '../src/lib/model.js';

describe('createModel', () => {
  it('gets initial state and sets values', () => {
    const model = createModel({ order: 'species', selection: null });
    assert.equal(model.get('order'), 'species');
    assert.equal(model.get('selection'), null);
    assert.equal(model.get('missing'), undefined);
    model.set('order', 'clustered');
    assert.equal(model.get('order'), 'clustered');
  });
  it('does not share state with the initial object', () => {
    const initial = { a: 1 };
    const model = createModel(initial);
    model.set('a', 2);
    assert.equal(initial.a, 1);
  });
  it('fires change:<name> with (model, value), then change', () => {
    const model = createModel({ normalize: null });
    const events = [];
    model.on('change:normalize', (m, value) => events.push(['change:normalize', m === model, value]));
    model.on('change', (m) => events.push(['change', m === model]));
    model.set('normalize', 'true');
    assert.deepEqual(events, [
      ['change:normalize', true, 'true'],
      ['change', true],
    ]);
  });
  it('fires only on real changes (deep equality for arrays)', () => {
    const model = createModel({ selection: [1, 2] });
    let calls = 0;
    model.on('change:selection', () => (calls += 1));
    model.set('selection', [1, 2]);
    assert.equal(calls, 0);
    model.set('selection', [2, 1]);
    model.set('selection', null);
    assert.equal(calls, 2);
  });
  it('off removes one callback, all of an event, or everything', () => {
    const model = createModel();
    const seen = [];
    const a = () => seen.push('a');
    const b = () => seen.push('b');
    model.on('change:x', a);
    model.on('change:x', b);
    model.on('change:y', a);
    model.off('change:x', a);
    model.set('x', 1);
    assert.deepEqual(seen, ['b']);
    model.off('change:x');
    model.set('x', 2);
    assert.deepEqual(seen, ['b']);
    model.off();
    model.set('y', 1);
    assert.deepEqual(seen, ['b']);
  });
  it('lets a callback unsubscribe while being called', () => {
    const model = createModel();
    const seen = [];
    const once = () => {
      seen.push('once');
      model.off('change:x', once);
    };
    model.on('change:x', once);
    model.on('change:x', () => seen.push('other'));
    model.set('x', 1);
    model.set('x', 2);
    assert.deepEqual(seen, ['once', 'other', 'other']);
  });
  it('save_changes is a no-op and send queues messages', () => {
    const model = createModel({ a: 1 });
    assert.equal(model.save_changes(), undefined);
    model.send({ type: 'ping' }, undefined, [new ArrayBuffer(1)]);
    assert.equal(model.sent.length, 1);
    assert.deepEqual(model.sent[0].content, { type: 'ping' });
    assert.equal(model.sent[0].buffers.length, 1);
  });
});

describe('sameValue', () => {
  it('compares arrays and plain objects deeply, others by identity', () => {
    assert.ok(sameValue({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }));
    assert.ok(!sameValue({ a: 1 }, { a: 1, b: undefined }));
    assert.ok(!sameValue([1, 2], [1, 2, 3]));
    assert.ok(sameValue(NaN, NaN));
    assert.ok(!sameValue(new Uint8Array([1]), new Uint8Array([1])));
    assert.ok(!sameValue(null, {}));
  });
});
