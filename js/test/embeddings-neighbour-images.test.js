/**
 * Neighbour images read by the kernel: a neighbour tile without a stored thumbnail asks for its
 * image ('neighbour_image' requests) only when `neighbour_images` is true, once per neighbour
 * (cached, cleared when the neighbour traits change), at most 8 at once; "loading…", then the
 * image, or "image not available" with the error as its title; also through the dashboard's scope.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { mountEmbeddings } from '../src/embeddings/view.js';
import { createModel } from '../src/lib/model.js';
import { REQUEST_TYPE, RESPONSE_TYPE } from '../src/lib/requests.js';
import { scopeModel } from '../src/lib/scope.js';
import { installDom } from '../test-support/dom.js';
import { embeddingTraits, EVIL, TRAIN } from '../test-support/embeddings.js';

const JPEG = new DataView(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]).buffer);

let dom;
let host;
let mounted = [];
beforeEach(() => {
  dom = installDom();
  host = document.createElement('div');
  let made = 0;
  mock.method(URL, 'createObjectURL', () => `blob:test/${(made += 1)}`);
  mock.method(URL, 'revokeObjectURL', () => {});
});
afterEach(() => {
  for (const cleanup of mounted) cleanup();
  mounted = [];
  mock.restoreAll();
  dom.uninstall();
});

/** A model whose `send` is recorded and whose custom messages the test delivers (`reply`). */
function kernelModel(state) {
  const model = createModel(state);
  const handlers = new Set();
  const { on, off } = model;
  model.on = (event, cb) => (event === 'msg:custom' ? handlers.add(cb) : on(event, cb));
  model.off = (event, cb) => (event === 'msg:custom' ? handlers.delete(cb) : off(event, cb));
  model.listening = () => handlers.size;
  model.requests = () => model.sent.map(({ content }) => content).filter((c) => c.type === REQUEST_TYPE);
  model.reply = async (request, answer, buffers = []) => {
    for (const cb of [...handlers]) cb({ type: RESPONSE_TYPE, id: request.id, view: request.view, ...answer }, buffers);
    for (let i = 0; i < 5; i++) await Promise.resolve(); // the requester's then / catch / finally
  };
  return model;
}

function mount(overrides) {
  const model = kernelModel(embeddingTraits(overrides));
  mounted.push(mountEmbeddings(model, host));
  return { model, strip: host.querySelector('.petlens-emb-neighbours') };
}

/** What each neighbour tile shows: 'img' or its note, with the note's title. */
const tiles = (strip) => [...strip.querySelectorAll('.petlens-emb-card:not(.petlens-emb-query) .petlens-emb-thumb')].map((node) => (node.tagName === 'IMG' ? 'img' : node.title ? `${node.textContent} (${node.title})` : node.textContent));

describe('neighbour images read by the kernel', () => {
  it('are not asked for without neighbour_images: the tiles say no thumbnail stored', () => {
    const { model, strip } = mount({ selected_item: 2 }); // neighbours 2, 3, 4: no thumbnail
    assert.deepEqual(tiles(strip), ['no thumbnail stored', 'no thumbnail stored', 'no thumbnail stored']);
    model.set('neighbour_images', false);
    dom.flushFrames();
    assert.deepEqual(model.requests(), []);
  });

  it('asks once for each neighbour lacking a thumbnail; shows the image, or the failure with its error', async () => {
    const { model, strip } = mount({ neighbour_images: true, selected_item: 0 }); // neighbours 0 (thumbnail), 1, 2
    const sent = model.requests();
    assert.deepEqual(sent.map(({ kind, index, item }) => [kind, index, item]), [['neighbour_image', 1, TRAIN[1]], ['neighbour_image', 2, TRAIN[2]]]);
    assert.deepEqual(tiles(strip), ['img', 'loading…', 'loading…']);
    await model.reply(sent[0], { ok: true, kind: 'neighbour_image', index: 1, width: 2, height: 1 }, [JPEG]);
    assert.deepEqual(tiles(strip), ['img', 'img', 'loading…']);
    assert.equal(strip.querySelectorAll('.petlens-emb-card')[2].querySelector('img').getAttribute('alt'), TRAIN[1]);
    await model.reply(sent[1], { ok: false, error: `PetLensError: the training image '${EVIL}' is not on this machine's disk` });
    assert.deepEqual(tiles(strip), ['img', 'img', `image not available (PetLensError: the training image '${EVIL}' is not on this machine's disk)`]);
    assert.equal(strip.querySelector('script, [onerror]'), null, 'the error is text');
    // cached: item 1 (neighbours 1, 2) and item 0 again ask nothing more
    model.set('selected_item', 1);
    dom.flushFrames();
    assert.deepEqual(tiles(strip), ['img', `image not available (PetLensError: the training image '${EVIL}' is not on this machine's disk)`]);
    model.set('selected_item', 0);
    dom.flushFrames();
    assert.equal(model.requests().length, 2);
    // new neighbours: the cache is cleared, and the images asked again
    model.set('neighbour_thumbs', []);
    dom.flushFrames();
    assert.deepEqual(model.requests().slice(2).map(({ index }) => index), [0, 1, 2]);
    assert.deepEqual(tiles(strip), ['loading…', 'loading…', 'loading…']);
  });

  it('an answer to neighbours since replaced is dropped', async () => {
    const { model, strip } = mount({ neighbour_images: true, selected_item: 2 });
    const [first] = model.requests();
    model.set('neighbour_items', TRAIN.map((name) => `new/${name}`));
    dom.flushFrames();
    await model.reply(first, { ok: true, kind: 'neighbour_image', index: 2 }, [JPEG]);
    assert.deepEqual(tiles(strip), ['loading…', 'loading…', 'loading…']);
    assert.deepEqual(model.requests().slice(3).map(({ index, item }) => [index, item]), [[2, 'new/train_2.jpg'], [3, 'new/train_3.jpg'], [4, `new/${EVIL}`]]);
  });

  it('keeps at most 8 requests waiting for the kernel', async () => {
    const { model } = mount({ neighbour_images: true });
    for (const item of [2, 4, 6, 8]) { // neighbours 2..9, none with a thumbnail
      model.set('selected_item', item);
      dom.flushFrames();
    }
    assert.deepEqual(model.requests().map(({ index }) => index), [2, 3, 4, 5, 6, 7, 8, 9]);
    model.set('selected_item', 10); // neighbours 0 (thumbnail), 1, 2 (asked already)
    dom.flushFrames();
    assert.equal(model.requests().length, 8, 'neighbour 1 waits for a free request');
    await model.reply(model.requests()[0], { ok: true, kind: 'neighbour_image', index: 2 }, [JPEG]);
    assert.deepEqual(model.requests().slice(8).map(({ index }) => index), [1]);
  });

  it('asks through the dashboard scope, and its answer reaches the panel', async () => {
    const traits = embeddingTraits({ neighbour_images: true, selected_item: 2 });
    const shared = ['vocab', 'selection', 'filter_actual', 'filter_predicted', 'item_selection'];
    const model = kernelModel(Object.fromEntries(Object.entries(traits).map(([k, v]) => [shared.includes(k) ? k : `emb_${k}`, v])));
    mounted.push(mountEmbeddings(scopeModel(model, 'emb_', shared), host));
    const strip = host.querySelector('.petlens-emb-neighbours');
    const sent = model.requests();
    assert.deepEqual(sent.map(({ view, index }) => [view, index]), [['emb_', 2], ['emb_', 3], ['emb_', 4]]);
    await model.reply({ ...sent[0], view: 'tl_' }, { ok: true }, [JPEG]); // another panel's id space
    assert.deepEqual(tiles(strip), ['loading…', 'loading…', 'loading…']);
    await model.reply(sent[0], { ok: true, kind: 'neighbour_image', index: 2 }, [JPEG]);
    assert.deepEqual(tiles(strip), ['img', 'loading…', 'loading…']);
  });

  it('stops listening to the kernel when the view is closed', async () => {
    const { model } = mount({ neighbour_images: true, selected_item: 2 });
    assert.equal(model.requests().length, 3);
    assert.equal(model.listening(), 1);
    mounted.pop()();
    assert.equal(model.listening(), 0);
    await model.reply(model.requests()[0], { ok: true, kind: 'neighbour_image', index: 2 }, [JPEG]);
    assert.equal(host.querySelector('.petlens-embeddings'), null);
  });
});
