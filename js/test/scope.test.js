import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createModel } from '../src/lib/model.js';
import { scopeModel } from '../src/lib/scope.js';

/** createModel plus a way to deliver msg:custom (the stand-in never receives any). */
function modelWithMessages(state) {
  const model = createModel(state);
  const on = model.on;
  const off = model.off;
  const handlers = new Set();
  model.on = (event, cb) => (event === 'msg:custom' ? handlers.add(cb) : on(event, cb));
  model.off = (event, cb) => {
    if (event === 'msg:custom') return cb ? handlers.delete(cb) : handlers.clear();
    return off(event, cb);
  };
  model.deliver = (content, buffers) => [...handlers].forEach((cb) => cb(content, buffers));
  model.handlers = handlers;
  return model;
}

describe('scopeModel', () => {
  it('maps trait names to prefix + name, shared names to themselves', () => {
    const model = createModel({ cm_counts: 'C', counts: 'plain', vocab: ['a'], selection: null });
    const cm = scopeModel(model, 'cm_', ['vocab', 'selection', 'live']);
    assert.equal(cm.get('counts'), 'C');
    assert.deepEqual(cm.get('vocab'), ['a']);
    cm.set('normalize', 'true');
    assert.equal(model.get('cm_normalize'), 'true');
    assert.equal(model.get('normalize'), undefined);
    cm.set('selection', [1, 2]);
    assert.deepEqual(model.get('selection'), [1, 2]);
    assert.equal(cm.traitName('order'), 'cm_order');
    assert.equal(cm.traitName('live'), 'live');
    assert.equal(cm.prefix, 'cm_');
  });

  it('maps change:<name> events and hands the scoped model to callbacks', () => {
    const model = createModel({ cm_order: 'a', selection: null });
    const cm = scopeModel(model, 'cm_', ['selection']);
    const seen = [];
    cm.on('change:order', (m, value) => seen.push(['order', m === cm, value]));
    cm.on('change:selection', (m, value) => seen.push(['selection', m === cm, value]));
    model.set('order', 'unscoped'); // not ours
    model.set('cm_order', 'b');
    model.set('selection', [0, 1]);
    assert.deepEqual(seen, [
      ['order', true, 'b'],
      ['selection', true, [0, 1]],
    ]);
  });

  it('links two scopes through shared traits only', () => {
    const model = createModel({ selection: null });
    const cm = scopeModel(model, 'cm_', ['selection']);
    const tl = scopeModel(model, 'tl_', ['selection']);
    const seen = [];
    tl.on('change:selection', (_, value) => seen.push(value));
    tl.on('change:page', (_, value) => seen.push(`page ${value}`));
    cm.set('selection', [3, 4]);
    cm.set('page', 2); // cm_page: not tl's
    tl.set('page', 1);
    assert.deepEqual(seen, [[3, 4], 'page 1']);
  });

  it('off removes only callbacks registered through this scope', () => {
    const model = createModel({});
    const a = scopeModel(model, 'a_');
    const seen = [];
    const own = () => seen.push('own');
    const other = () => seen.push('other');
    model.on('change:a_x', other); // e.g. another view on the same model
    a.on('change:x', own);
    a.on('change:x', own); // registering twice keeps one
    model.set('a_x', 1);
    assert.deepEqual(seen, ['other', 'own']);
    a.off('change:x', own);
    model.set('a_x', 2);
    assert.deepEqual(seen, ['other', 'own', 'other']);
    a.on('change:x', own);
    a.on('change:y', own);
    a.off('change:x');
    model.set('a_x', 3);
    model.set('a_y', 3);
    assert.deepEqual(seen.slice(3), ['other', 'own']);
    a.off();
    model.set('a_y', 4);
    model.set('a_x', 4);
    assert.deepEqual(seen.slice(5), ['other']);
    a.off('change:nothing', own); // unknown: no-op
  });

  it('save_changes goes to the model', () => {
    const model = createModel({});
    let saves = 0;
    model.save_changes = () => (saves += 1);
    scopeModel(model, 'x_').save_changes();
    assert.equal(saves, 1);
  });

  it('set({...}) maps every key', () => {
    const calls = [];
    const model = { set: (...args) => calls.push(args) };
    scopeModel(model, 'p_', ['live']).set({ page: 1, live: true }, { silent: false });
    assert.deepEqual(calls, [[{ p_page: 1, live: true }, { silent: false }]]);
  });

  it('send adds view: prefix', () => {
    const model = createModel({});
    const tl = scopeModel(model, 'tl_');
    const buffers = [new ArrayBuffer(1)];
    const callbacks = {};
    tl.send({ type: 'petlens:request', id: '1' }, callbacks, buffers);
    assert.deepEqual(model.sent[0].content, { type: 'petlens:request', id: '1', view: 'tl_' });
    assert.equal(model.sent[0].buffers, buffers);
  });

  it('msg:custom callbacks get messages for their view or for no view', () => {
    const model = modelWithMessages({});
    const tl = scopeModel(model, 'tl_');
    const cm = scopeModel(model, 'cm_');
    const seen = [];
    const onTl = (content, buffers) => seen.push(['tl', content.n, buffers.length]);
    tl.on('msg:custom', onTl);
    cm.on('msg:custom', (content) => seen.push(['cm', content.n]));
    model.deliver({ view: 'tl_', n: 1 }, [new DataView(new ArrayBuffer(1))]);
    model.deliver({ view: 'cm_', n: 2 }, []);
    model.deliver({ n: 3 }, []);
    model.deliver({ view: 'lr_', n: 4 }, []);
    assert.deepEqual(seen, [['tl', 1, 1], ['cm', 2], ['tl', 3, 0], ['cm', 3]]);
    tl.off('msg:custom', onTl);
    assert.equal(model.handlers.size, 1);
    model.deliver({ view: 'tl_', n: 5 }, []);
    assert.equal(seen.length, 4);
  });
});
