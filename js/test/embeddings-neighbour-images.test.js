/**
 * The strip's images read by the kernel: the clicked item's card and each neighbour tile
 * without a stored thumbnail ask for their image ('item_image', first, then 'neighbour_image'
 * requests) only when `neighbour_images` is true, once per picture (cached, cleared when the
 * neighbour or data traits change), at most 8 at once; "loading…", then the image, or "image
 * not available" with the error as its title; the hover shows an item image already read, and
 * one resting on a point asks for its image; also through the dashboard's scope.
 */
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { mountEmbeddings } from '../src/embeddings/view.js';
import { createModel } from '../src/lib/model.js';
import { REQUEST_TYPE, RESPONSE_TYPE } from '../src/lib/requests.js';
import { scopeModel } from '../src/lib/scope.js';
import { toScreen, unitCoords } from '../src/lib/scatter-geometry.js';
import { dispatch } from '../test-support/dom.js';
import { embeddingsPage, embeddingTraits, EVIL, TRAIN } from '../test-support/embeddings.js';

const JPEG = new DataView(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]).buffer);

const page = embeddingsPage();

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
  page.mounted.push(mountEmbeddings(model, page.host));
  return { model, strip: page.host.querySelector('.petlens-emb-neighbours') };
}

/** What a picture shows: 'img' or its note, with the note's title. */
const shows = (node) => (node.tagName === 'IMG' ? 'img' : node.title ? `${node.textContent} (${node.title})` : node.textContent);
/** What each neighbour tile shows. */
const tiles = (strip) => [...strip.querySelectorAll('.petlens-emb-card:not(.petlens-emb-query) .petlens-emb-thumb')].map(shows);
/** What the clicked item's card shows. */
const query = (strip) => shows(strip.querySelector('.petlens-emb-query .petlens-emb-thumb'));
/** The requests sent, as [kind, index]. */
const asked = (model) => model.requests().map(({ kind, index }) => [kind, index]);

/** Moves the pointer onto point i; returns the tooltip's image (null: none). */
function hoverOn(i) {
  const root = page.host.querySelector('.petlens-embeddings');
  const side = parseFloat(root.querySelector('.petlens-emb-stage').style.width) - 2;
  const { u, v } = unitCoords(new Float32Array(embeddingTraits().xy.buffer.buffer));
  const [x, y] = toScreen({ scale: Number(root.dataset.zoom), tx: 0, ty: 0 }, side, u[i], v[i]);
  dispatch(root.querySelector('.petlens-emb-overlay'), 'pointermove', { clientX: x, clientY: y });
  const tip = root.querySelector('.petlens-tooltip');
  assert.equal(tip.hidden, false);
  return tip.querySelector('img');
}

describe('neighbour images read by the kernel', () => {
  it('are not asked for without neighbour_images: the tiles say no thumbnail stored', () => {
    const { model, strip } = mount({ selected_item: 2 }); // item 2, neighbours 2, 3, 4: no thumbnail
    assert.equal(query(strip), 'no thumbnail stored');
    assert.deepEqual(tiles(strip), ['no thumbnail stored', 'no thumbnail stored', 'no thumbnail stored']);
    model.set('neighbour_images', false);
    page.dom.flushFrames();
    assert.deepEqual(model.requests(), []);
  });

  it('asks once for each neighbour lacking a thumbnail; shows the image, or the failure with its error', async () => {
    const { model, strip } = mount({ neighbour_images: true, selected_item: 0 }); // neighbours 0 (thumbnail), 1, 2
    const sent = model.requests().slice(1); // after the clicked item's ('item_image', tested below)
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
    page.dom.flushFrames();
    assert.deepEqual(tiles(strip), ['img', `image not available (PetLensError: the training image '${EVIL}' is not on this machine's disk)`]);
    model.set('selected_item', 0);
    page.dom.flushFrames();
    assert.equal(model.requests().length, 3);
    // new neighbours: the cache is cleared, and the images asked again, the clicked item's first
    model.set('neighbour_thumbs', []);
    page.dom.flushFrames();
    assert.deepEqual(asked(model).slice(3), [['item_image', 0], ['neighbour_image', 0], ['neighbour_image', 1], ['neighbour_image', 2]]);
    assert.deepEqual(tiles(strip), ['loading…', 'loading…', 'loading…']);
  });

  it('an answer to neighbours since replaced is dropped', async () => {
    const { model, strip } = mount({ neighbour_images: true, selected_item: 2 });
    const [item, first] = model.requests();
    model.set('neighbour_items', TRAIN.map((name) => `new/${name}`));
    page.dom.flushFrames();
    await model.reply(item, { ok: true, kind: 'item_image', index: 2 }, [JPEG]);
    await model.reply(first, { ok: true, kind: 'neighbour_image', index: 2 }, [JPEG]);
    assert.equal(query(strip), 'loading…');
    assert.deepEqual(tiles(strip), ['loading…', 'loading…', 'loading…']);
    assert.deepEqual(model.requests().slice(4).map(({ kind, index, item }) => [kind, index, item]), [['item_image', 2, 'img_2.jpg'], ['neighbour_image', 2, 'new/train_2.jpg'], ['neighbour_image', 3, 'new/train_3.jpg'], ['neighbour_image', 4, `new/${EVIL}`]]);
  });

  it('keeps at most 8 requests waiting for the kernel', async () => {
    const { model } = mount({ neighbour_images: true });
    for (const item of [2, 4, 6]) { // items and neighbours 2..8, none with a thumbnail
      model.set('selected_item', item);
      page.dom.flushFrames();
    }
    assert.deepEqual(asked(model), [
      ['item_image', 2], ['neighbour_image', 2], ['neighbour_image', 3], ['neighbour_image', 4],
      ['item_image', 4], ['neighbour_image', 5], ['neighbour_image', 6],
      ['item_image', 6], // neighbours 7 and 8 wait
    ]);
    model.set('selected_item', 8); // neighbours 8, 9, 0 (thumbnail)
    page.dom.flushFrames();
    assert.equal(model.requests().length, 8, 'item 8 and neighbours 8, 9 wait for a free request');
    await model.reply(model.requests()[0], { ok: true, kind: 'item_image', index: 2 }, [JPEG]);
    assert.deepEqual(asked(model).slice(8), [['item_image', 8]], 'the clicked item first');
    await model.reply(model.requests()[1], { ok: true, kind: 'neighbour_image', index: 2 }, [JPEG]);
    await model.reply(model.requests()[2], { ok: true, kind: 'neighbour_image', index: 3 }, [JPEG]);
    assert.deepEqual(asked(model).slice(8), [['item_image', 8], ['neighbour_image', 8], ['neighbour_image', 9]]);
  });

  it('asks through the dashboard scope, and its answer reaches the panel', async () => {
    const traits = embeddingTraits({ neighbour_images: true, selected_item: 2 });
    const shared = ['vocab', 'selection', 'filter_actual', 'filter_predicted', 'item_selection'];
    const model = kernelModel(Object.fromEntries(Object.entries(traits).map(([k, v]) => [shared.includes(k) ? k : `emb_${k}`, v])));
    page.mounted.push(mountEmbeddings(scopeModel(model, 'emb_', shared), page.host));
    const strip = page.host.querySelector('.petlens-emb-neighbours');
    const sent = model.requests();
    assert.deepEqual(sent.map(({ view, kind, index }) => [view, kind, index]), [['emb_', 'item_image', 2], ['emb_', 'neighbour_image', 2], ['emb_', 'neighbour_image', 3], ['emb_', 'neighbour_image', 4]]);
    await model.reply({ ...sent[1], view: 'tl_' }, { ok: true }, [JPEG]); // another panel's id space
    assert.deepEqual(tiles(strip), ['loading…', 'loading…', 'loading…']);
    await model.reply(sent[1], { ok: true, kind: 'neighbour_image', index: 2 }, [JPEG]);
    assert.deepEqual(tiles(strip), ['img', 'loading…', 'loading…']);
    assert.equal(query(strip), 'loading…');
    await model.reply(sent[0], { ok: true, kind: 'item_image', index: 2 }, [JPEG]);
    assert.equal(query(strip), 'img');
  });

  it('stops listening to the kernel when the view is closed', async () => {
    const { model } = mount({ neighbour_images: true, selected_item: 2 });
    assert.equal(model.requests().length, 4);
    assert.equal(model.listening(), 1);
    page.mounted.pop()();
    assert.equal(model.listening(), 0);
    await model.reply(model.requests()[0], { ok: true, kind: 'neighbour_image', index: 2 }, [JPEG]);
    assert.equal(page.host.querySelector('.petlens-embeddings'), null);
  });
});

describe("the clicked item's image read by the kernel", () => {
  it('is asked first (item_image) without a stored thumbnail, shown in its card, then in the hover, cached', async () => {
    const { model, strip } = mount({ neighbour_images: true, selected_item: 0 }); // item 0: no thumbnail
    const [first] = model.requests();
    assert.deepEqual([first.kind, first.index, first.item], ['item_image', 0, EVIL]);
    assert.equal(query(strip), 'loading…');
    assert.equal(hoverOn(0), null, 'not read yet: the hover shows no image');
    await model.reply(first, { ok: true, kind: 'item_image', index: 0, width: 2, height: 1 }, [JPEG]);
    assert.equal(query(strip), 'img');
    const image = strip.querySelector('.petlens-emb-query img');
    assert.equal(image.getAttribute('alt'), EVIL, 'the name is an attribute value, not markup');
    assert.match(image.getAttribute('src'), /^blob:test\//);
    assert.equal(strip.querySelector('.petlens-emb-query').textContent.includes('this item'), true);
    // the hover shows the image read, and asks nothing for an item without one
    assert.equal(hoverOn(2), null);
    assert.equal(hoverOn(0).getAttribute('src'), image.getAttribute('src'));
    assert.equal(model.requests().filter(({ kind }) => kind === 'item_image').length, 1);
    // another item, then item 0 again: its image is not asked again
    model.set('selected_item', 2);
    page.dom.flushFrames();
    model.set('selected_item', 0);
    page.dom.flushFrames();
    assert.deepEqual(asked(model).filter(([kind]) => kind === 'item_image'), [['item_image', 0], ['item_image', 2]]);
    assert.equal(query(strip), 'img');
    // new data: the images read are forgotten (the hover too), and asked again by the new name
    const traits = embeddingTraits();
    model.set('items', traits.items.map((name) => `new/${name}`));
    page.dom.flushFrames();
    assert.equal(query(strip), 'loading…');
    assert.equal(hoverOn(0), null);
    const again = model.requests().filter(({ kind }) => kind === 'item_image').at(-1);
    assert.deepEqual([again.kind, again.index, again.item], ['item_image', 0, `new/${EVIL}`]);
  });

  it('is asked by a hover resting on its point, and the tooltip shows it when it comes', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const { model } = mount({ neighbour_images: true }); // nothing clicked: nothing asked
      assert.equal(hoverOn(2), null);
      mock.timers.tick(100);
      assert.equal(hoverOn(4), null); // moved on before it was asked
      mock.timers.tick(100);
      assert.deepEqual(asked(model), [], 'a passing hover asks nothing');
      mock.timers.tick(60);
      assert.deepEqual(asked(model), [['item_image', 4]]);
      await model.reply(model.requests()[0], { ok: true, kind: 'item_image', index: 4 }, [JPEG]);
      const tip = page.host.querySelector('.petlens-tooltip');
      assert.match(tip.querySelector('img').getAttribute('src'), /^blob:test\//, 'shown while it rests there');
      assert.equal(hoverOn(1).tagName, 'IMG', 'a stored thumbnail');
      assert.equal(hoverOn(4).tagName, 'IMG', 'read once, shown at once');
      mock.timers.tick(1000);
      assert.deepEqual(asked(model), [['item_image', 4]]);
    } finally {
      mock.timers.reset();
    }
  });

  it('is asked again when the kernel did not answer in time (a cell running), not when it said no', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const { model, strip } = mount({ neighbour_images: true, selected_item: 2 }); // item 2, neighbours 2, 3, 4
      const [first, ...others] = model.requests();
      await model.reply(others[0], { ok: false, error: 'PetLensError: not on this machine' });
      mock.timers.tick(30_000); // the others: no answer
      for (let i = 0; i < 5; i++) await Promise.resolve();
      assert.match(query(strip), /^image not available \(request "item_image" timed out/);
      assert.equal(first.kind, 'item_image');
      model.set('selected_item', 4);
      page.dom.flushFrames();
      const before = model.requests().length;
      model.set('selected_item', 2);
      page.dom.flushFrames();
      const again = asked(model).slice(before);
      assert.deepEqual(again[0], ['item_image', 2], 'the timed-out item asked again');
      assert.equal(again.some(([kind, index]) => kind === 'neighbour_image' && index === 2), false, 'a refusal is kept');
    } finally {
      mock.timers.reset();
    }
  });

  it('is not asked by a hover without neighbour_images', () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const { model } = mount({});
      assert.equal(hoverOn(2), null);
      mock.timers.tick(1000);
      assert.deepEqual(model.requests(), []);
    } finally {
      mock.timers.reset();
    }
  });

  it('is not asked for when a thumbnail is stored', () => {
    const { model, strip } = mount({ neighbour_images: true, selected_item: 1 }); // item 1: a thumbnail
    assert.equal(query(strip), 'img');
    assert.deepEqual(asked(model), [['neighbour_image', 1], ['neighbour_image', 2]]);
    assert.equal(hoverOn(1).tagName, 'IMG');
  });

  it('shows image not available with the error as text, not asked again', async () => {
    const { model, strip } = mount({ neighbour_images: true, selected_item: 2 });
    const [first] = model.requests();
    assert.equal(first.kind, 'item_image');
    const error = `PetLensError: the validation item '${EVIL}' is not on this machine's disk`;
    await model.reply(first, { ok: false, error });
    assert.equal(query(strip), `image not available (${error})`);
    assert.equal(strip.querySelector('script, [onerror]'), null, 'the error is text');
    assert.deepEqual(tiles(strip), ['loading…', 'loading…', 'loading…'], 'the neighbours still come');
    model.set('selected_item', 4);
    page.dom.flushFrames();
    model.set('selected_item', 2);
    page.dom.flushFrames();
    assert.equal(query(strip), `image not available (${error})`);
    assert.deepEqual(asked(model).filter(([kind]) => kind === 'item_image'), [['item_image', 2], ['item_image', 4]]);
  });
});
