import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { createModel } from '../src/lib/model.js';
import { createRequester, REQUEST_TYPE, RESPONSE_TYPE } from '../src/lib/requests.js';
import { scopeModel } from '../src/lib/scope.js';

/** The model stand-in, plus `reply(content, buffers)` that delivers a custom message. */
function fakeModel(state = {}) {
  const model = createModel(state);
  model.reply = (content, buffers = []) => {
    // createModel has no msg:custom of its own: reach its listeners through a change-free emit.
    for (const callback of [...(model.messageListeners || [])]) callback(content, buffers);
  };
  const on = model.on;
  const off = model.off;
  model.messageListeners = new Set();
  model.on = (event, callback) => (event === 'msg:custom' ? model.messageListeners.add(callback) : on(event, callback));
  model.off = (event, callback) => (event === 'msg:custom' ? model.messageListeners.delete(callback) : off(event, callback));
  return model;
}

const lastSent = (model) => model.sent[model.sent.length - 1];

describe('createRequester', () => {
  it('sends {type, id, kind, ...payload} and resolves with the matching response and its buffers', async () => {
    const model = fakeModel();
    const requester = createRequester(model);
    const promise = requester.request('image', { index: 7 });
    const { content, buffers } = lastSent(model);
    assert.equal(content.type, REQUEST_TYPE);
    assert.equal(content.kind, 'image');
    assert.equal(content.index, 7);
    assert.equal(typeof content.id, 'string');
    assert.equal(buffers, undefined);
    const bytes = new DataView(new ArrayBuffer(3));
    model.reply({ type: RESPONSE_TYPE, id: content.id, ok: true, mime: 'image/jpeg' }, [bytes]);
    const response = await promise;
    assert.equal(response.content.mime, 'image/jpeg');
    assert.deepEqual(response.buffers, [bytes]);
    assert.equal(requester.pending(), 0);
    requester.dispose();
  });

  it('payload cannot override type, id or kind; request buffers are passed on', () => {
    const model = fakeModel();
    const requester = createRequester(model);
    const buffer = new ArrayBuffer(2);
    requester.request('saliency', { type: 'x', id: 'y', kind: 'z', method: 'gradcam' }, [buffer]).catch(() => {});
    const { content, buffers } = lastSent(model);
    assert.equal(content.type, REQUEST_TYPE);
    assert.equal(content.kind, 'saliency');
    assert.notEqual(content.id, 'y');
    assert.equal(content.method, 'gradcam');
    assert.deepEqual(buffers, [buffer]);
    requester.dispose();
  });

  it('rejects with the error of an ok: false response', async () => {
    const model = fakeModel();
    const requester = createRequester(model);
    const promise = requester.request('image', { index: 1 });
    model.reply({ type: RESPONSE_TYPE, id: lastSent(model).content.id, ok: false, error: 'item 1 not found' });
    await assert.rejects(promise, { message: 'item 1 not found' });
    const second = requester.request('image', { index: 2 });
    model.reply({ type: RESPONSE_TYPE, id: lastSent(model).content.id, ok: false });
    await assert.rejects(second, { message: 'request "image" failed' });
    requester.dispose();
  });

  it('ignores unknown ids and other messages, then answers the right one', async () => {
    const model = fakeModel();
    const requester = createRequester(model);
    const a = requester.request('image', { index: 1 });
    const b = requester.request('image', { index: 2 });
    const [idA, idB] = model.sent.map((m) => m.content.id);
    assert.notEqual(idA, idB);
    model.reply({ type: RESPONSE_TYPE, id: 'nobody', ok: true });
    model.reply({ type: 'something-else', id: idA, ok: true });
    model.reply(null);
    assert.equal(requester.pending(), 2);
    model.reply({ type: RESPONSE_TYPE, id: idB, ok: true, which: 'b' });
    model.reply({ type: RESPONSE_TYPE, id: idA, ok: true, which: 'a' });
    model.reply({ type: RESPONSE_TYPE, id: idA, ok: true, which: 'again' }); // duplicate: ignored
    assert.equal((await a).content.which, 'a');
    assert.equal((await b).content.which, 'b');
    requester.dispose();
  });

  it('two requesters on one model never share ids and each gets only its own answers', async () => {
    const model = fakeModel();
    const first = createRequester(model);
    const second = createRequester(model);
    const p1 = first.request('image', { index: 1 });
    const p2 = second.request('image', { index: 1 });
    const [id1, id2] = model.sent.map((m) => m.content.id);
    assert.notEqual(id1, id2);
    model.reply({ type: RESPONSE_TYPE, id: id2, ok: true, n: 2 });
    assert.equal(first.pending(), 1);
    assert.equal(second.pending(), 0);
    model.reply({ type: RESPONSE_TYPE, id: id1, ok: true, n: 1 });
    assert.equal((await p1).content.n, 1);
    assert.equal((await p2).content.n, 2);
    first.dispose();
    second.dispose();
  });

  it('times out with a clear message (fake timers), and a late answer is ignored', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const model = fakeModel();
      const requester = createRequester(model, { timeoutMs: 5000 });
      const promise = requester.request('saliency', { index: 3 });
      mock.timers.tick(4999);
      assert.equal(requester.pending(), 1);
      mock.timers.tick(1);
      await assert.rejects(promise, { message: 'request "saliency" timed out: no answer from the kernel after 5 s', timedOut: true });
      assert.equal(requester.pending(), 0);
      model.reply({ type: RESPONSE_TYPE, id: lastSent(model).content.id, ok: true });
      requester.dispose();
    } finally {
      mock.timers.reset();
    }
  });

  it('times out for real with a small timeout', async () => {
    const requester = createRequester(fakeModel(), { timeoutMs: 10 });
    await assert.rejects(requester.request('image'), /timed out/);
    requester.dispose();
  });

  it('an answer clears its timer', async () => {
    const timers = [];
    const cleared = [];
    const model = fakeModel();
    const requester = createRequester(model, {
      setTimeout: (fn, ms) => timers.push({ fn, ms }) - 1,
      clearTimeout: (handle) => cleared.push(handle),
    });
    const promise = requester.request('image');
    assert.equal(timers[0].ms, 30000, 'default timeout');
    model.reply({ type: RESPONSE_TYPE, id: lastSent(model).content.id, ok: true });
    await promise;
    assert.deepEqual(cleared, [0]);
  });

  it('rejects when send throws', async () => {
    const model = fakeModel();
    model.send = () => {
      throw new Error('comm closed');
    };
    const requester = createRequester(model);
    await assert.rejects(requester.request('image'), { message: 'request "image" could not be sent: comm closed' });
    assert.equal(requester.pending(), 0);
  });

  it('dispose rejects waiting requests, unsubscribes, and refuses new ones', async () => {
    const model = fakeModel();
    const requester = createRequester(model);
    const promise = requester.request('image', { index: 4 });
    assert.equal(model.messageListeners.size, 1);
    requester.dispose();
    assert.equal(model.messageListeners.size, 0);
    await assert.rejects(promise, /cancelled: the view is closed/);
    await assert.rejects(requester.request('image'), /not sent: the view is closed/);
    requester.dispose(); // twice is fine
  });

  it('with the static model of the offline report, requests are queued and never answered', async () => {
    const model = createModel({ live: false });
    const requester = createRequester(model, { timeoutMs: 5 });
    await assert.rejects(requester.request('image', { index: 0 }), /timed out/);
    assert.equal(model.sent[0].content.kind, 'image');
    requester.dispose();
  });

  it('works through a scoped model: the request carries the view, responses for other views are dropped', async () => {
    const model = fakeModel();
    const scoped = scopeModel(model, 'tl_', ['live']);
    const requester = createRequester(scoped);
    const promise = requester.request('image', { index: 9 });
    const { content } = lastSent(model);
    assert.equal(content.view, 'tl_');
    model.reply({ type: RESPONSE_TYPE, id: content.id, ok: true, view: 'cm_', wrong: true });
    assert.equal(requester.pending(), 1);
    model.reply({ type: RESPONSE_TYPE, id: content.id, ok: true, view: 'tl_' });
    assert.equal((await promise).content.view, 'tl_');
    requester.dispose();
  });
});
