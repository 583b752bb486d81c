/**
 * Wiring of the top-loss browser through the model stand-in and a DOM (happy-dom): traits in,
 * clicks / keys / messages out. The maths are covered by top_losses-items / top_losses-format tests.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { createModel } from '../src/lib/model.js';
import { RESPONSE_TYPE } from '../src/lib/requests.js';
import { NO_PREDICTIONS_MESSAGE } from '../src/top_losses/items.js';
import { NOT_STORED_REASON } from '../src/top_losses/saliency.js';
import { mountTopLosses } from '../src/top_losses/view.js';
import widget, { createModel as exportedCreateModel } from '../src/widgets/top_losses.js';
import { dispatch, drawCalls, findAll, installDom } from '../test-support/dom.js';
import { VOCAB } from '../test-support/pets.js';

const EVIL = '<img src=x onerror=alert(1)>';
const C = VOCAB.length;
const N = 60;
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xd9]);

const wire = (array, dtype) => ({ dtype, shape: [array.length], buffer: new DataView(array.buffer) });

/** 60 items: item i has actual i % C, wrong every third item, loss decreasing with i. */
function traits(overrides = {}) {
  const targets = Int32Array.from({ length: N }, (_, i) => i % C);
  const decoded = Int32Array.from(targets, (t, i) => (i % 3 === 0 ? (t + 1) % C : t));
  const losses = Float32Array.from({ length: N }, (_, i) => (N - i) / 10);
  return {
    vocab: VOCAB,
    items: Array.from({ length: N }, (_, i) => `images/${VOCAB[i % C]}_${i}.jpg`),
    targets: wire(targets, 'int32'),
    decoded: wire(decoded, 'int32'),
    losses: wire(losses, 'float32'),
    prob_actual: wire(Float32Array.from(losses, (l) => Math.exp(-l)), 'float32'),
    prob_pred: wire(Float32Array.from(losses, () => 0.8), 'float32'),
    thumbs: [
      { index: 0, jpeg: new DataView(JPEG.buffer) },
      { index: 1, b64: Buffer.from(JPEG).toString('base64') },
    ],
    selection: null,
    filter_actual: null,
    filter_predicted: null,
    sort: 'loss',
    page: 0,
    page_size: 24,
    selected_item: null,
    live: false,
    saliency_methods: [],
    ...overrides,
  };
}

/** createModel plus msg:custom delivery (`reply`), like the anywidget model. */
function messageModel(state) {
  const model = createModel(state);
  const { on, off } = model;
  const handlers = new Set();
  model.on = (event, cb) => (event === 'msg:custom' ? handlers.add(cb) : on(event, cb));
  model.off = (event, cb) => (event === 'msg:custom' ? handlers.delete(cb) : off(event, cb));
  model.reply = (content, buffers = []) => [...handlers].forEach((cb) => cb(content, buffers));
  model.handlers = handlers;
  return model;
}

let dom;
let host;
let urls;
let mounted = [];
beforeEach(() => {
  dom = installDom();
  host = document.createElement('div');
  urls = { live: new Set(), made: 0 };
  mock.method(URL, 'createObjectURL', () => {
    const url = `blob:test/${(urls.made += 1)}`;
    urls.live.add(url);
    return url;
  });
  mock.method(URL, 'revokeObjectURL', (url) => urls.live.delete(url));
});
afterEach(() => {
  for (const cleanup of mounted) cleanup();
  mounted = [];
  mock.restoreAll();
  dom.uninstall();
});

const tick = () => new Promise((resolve) => setImmediate(resolve));

function mount(state = traits()) {
  const model = messageModel(state);
  const saves = [];
  model.save_changes = () => saves.push(true);
  widget.initialize({ model });
  const cleanup = widget.render({ model, el: host });
  mounted.push(cleanup);
  const root = host.children[0];
  const cards = () => findAll(root.querySelector('.petlens-grid'), (e) => e.classList.contains('petlens-card'));
  const selects = () => findAll(root.querySelector('.petlens-losses-toolbar'), (e) => e.tagName === 'SELECT');
  const button = (text) => findAll(root, (e) => e.tagName === 'BUTTON' && e.textContent === text)[0];
  const detail = () => root.querySelector('.petlens-detail');
  const refresh = () => dom.flushFrames();
  return { model, saves, cleanup, root, cards, selects, button, detail, refresh };
}

const cardIndex = (card) => Number(card.getAttribute('data-index'));

describe('top-loss widget', () => {
  it('exports an anywidget module', () => {
    assert.equal(typeof widget.initialize, 'function');
    assert.equal(typeof widget.render, 'function');
    assert.equal(exportedCreateModel, createModel);
  });

  it('renders the header, the pager and one page of cards, largest loss first', () => {
    const { root, cards } = mount();
    assert.equal(root.querySelector('.petlens-count').textContent, '60 items · page 1/3');
    assert.equal(root.querySelector('.petlens-pager').textContent, '‹ PrevPage 1 of 3Next ›');
    assert.equal(cards().length, 24);
    assert.deepEqual(cards().slice(0, 3).map(cardIndex), [0, 1, 2]);
    const first = cards()[0];
    assert.ok(first.classList.contains('petlens-wrong'));
    assert.ok(cards()[1].classList.contains('petlens-correct'));
    assert.equal(first.textContent, `6.00pred${VOCAB[1]}actual${VOCAB[0]}p(pred)80.0%`, 'as fastai: probability of the prediction');
    assert.equal(first.querySelector('.petlens-loss-badge').textContent, '6.00');
    assert.ok(root.querySelector('.petlens-detail').hidden);
    assert.ok(root.querySelector('.petlens-error').hidden);
  });

  it('thumbnails become blob URLs made once; other items get a placeholder with their name', () => {
    const { cards, refresh, model, cleanup } = mount();
    const images = cards().map((card) => findAll(card, (e) => e.tagName === 'IMG')[0]);
    assert.equal(images[0].getAttribute('src'), 'blob:test/1');
    assert.equal(images[1].getAttribute('src'), 'blob:test/2');
    assert.equal(images[2], undefined);
    assert.equal(cards()[2].querySelector('.petlens-placeholder').textContent, `${VOCAB[2]}_2.jpgno thumbnail`);
    model.set('page', 1);
    refresh();
    model.set('page', 0);
    refresh();
    assert.equal(urls.made, 2, 'paging does not make new URLs');
    cleanup();
    assert.equal(urls.live.size, 0, 'cleanup revokes every URL');
  });

  it('pages with Prev / Next', () => {
    const { model, button, cards, refresh, root } = mount();
    assert.ok(button('‹ Prev').disabled);
    dispatch(button('Next ›'), 'click');
    assert.equal(model.get('page'), 1);
    refresh();
    assert.equal(cardIndex(cards()[0]), 24);
    dispatch(button('Next ›'), 'click');
    refresh();
    assert.equal(cards().length, 12);
    assert.ok(button('Next ›').disabled);
    assert.equal(root.querySelector('.petlens-count').textContent, '60 items · page 3/3');
  });

  it('filters by actual and predicted class from the select boxes', () => {
    const { model, selects, cards, refresh, root } = mount(traits({ page: 2 }));
    const [actual, predicted] = selects();
    assert.equal(actual.children[0].textContent, 'any');
    assert.equal(actual.children.length, C + 1);
    actual.value = '1';
    dispatch(actual, 'change');
    assert.equal(model.get('filter_actual'), 1);
    assert.equal(model.get('page'), 0, 'a new filter starts at the first page');
    refresh();
    assert.deepEqual(cards().map(cardIndex), [1, 38]);
    assert.equal(root.querySelector('.petlens-count').textContent, '2 of 60 items · page 1/1');
    predicted.value = '2';
    dispatch(predicted, 'change');
    refresh();
    assert.deepEqual(cards().map(cardIndex), []);
    assert.equal(root.querySelector('.petlens-empty').textContent, 'No items match the filter.');
    predicted.value = '';
    dispatch(predicted, 'change');
    assert.equal(model.get('filter_predicted'), null);
  });

  it('a confusion-cell selection overrides the filters and shows a removable chip', () => {
    const { model, selects, cards, refresh, root } = mount(traits({ filter_actual: 5, page: 1 }));
    const chip = root.querySelector('.petlens-chip');
    assert.ok(chip.hidden);
    model.set('selection', [0, 1]); // as the confusion matrix would
    assert.equal(model.get('page'), 0);
    refresh();
    assert.deepEqual(cards().map(cardIndex), [0], 'exactly the items of the cell');
    for (const card of cards()) assert.match(card.textContent, new RegExp(`pred${VOCAB[1]}actual${VOCAB[0]}`));
    assert.ok(!chip.hidden);
    assert.equal(chip.textContent, `cell: ${VOCAB[0]} → ${VOCAB[1]}×`);
    const [actual, predicted] = selects();
    assert.ok(actual.disabled && predicted.disabled);
    assert.equal(actual.value, '0');
    dispatch(findAll(chip, (e) => e.tagName === 'BUTTON')[0], 'click');
    assert.equal(model.get('selection'), null);
    refresh();
    assert.ok(chip.hidden);
    assert.equal(actual.value, '5', 'the filter is back');
  });

  it('sorts the most confident mistakes first', () => {
    const probPred = Float32Array.from({ length: N }, (_, i) => (i === 6 ? 0.99 : 0.8));
    const { model, selects, cards, refresh } = mount(traits({ prob_pred: wire(probPred, 'float32'), page: 2 }));
    const sort = selects()[2];
    assert.deepEqual(findAll(sort, (e) => e.tagName === 'OPTION').map((o) => o.textContent), ['Largest loss first', 'Most confident mistakes', 'Lowest label quality']);
    sort.value = 'confident_mistakes';
    dispatch(sort, 'change');
    assert.equal(model.get('sort'), 'confident_mistakes');
    assert.equal(model.get('page'), 0);
    refresh();
    assert.deepEqual(cards().slice(0, 4).map(cardIndex), [6, 0, 3, 9], 'wrong items by p(pred), ties by item');
    assert.deepEqual(cards().slice(20, 22).map(cardIndex), [1, 2], 'then the right ones, largest loss first');
  });

  it('clicking a card opens the detail panel; arrows move, Escape closes', () => {
    const { model, cards, detail, refresh, root } = mount();
    dispatch(cards()[2], 'click');
    assert.equal(model.get('selected_item'), 2);
    refresh();
    const panel = detail();
    assert.ok(!panel.hidden);
    assert.equal(findAll(panel.querySelector('.petlens-detail-head'), (e) => e.tagName === 'H4')[0].textContent, `images/${VOCAB[2]}_2.jpg`);
    assert.match(panel.querySelector('.petlens-facts').textContent, /^Actual.+Predicted.+\(correct\)Loss5\.80p\(predicted\)80\.0%p\(actual\)0\.30%Item#2Decisionnone yet$/);
    assert.equal(cards()[2].getAttribute('aria-pressed'), 'true');
    assert.match(panel.textContent, /3 \/ 60/);
    dispatch(panel, 'keydown', { key: 'ArrowRight' });
    assert.equal(model.get('selected_item'), 3);
    dispatch(panel, 'keydown', { key: 'ArrowLeft' });
    dispatch(panel, 'keydown', { key: 'ArrowLeft' });
    assert.equal(model.get('selected_item'), 1);
    const slider = findAll(panel, (e) => e.tagName === 'INPUT')[0];
    dispatch(slider, 'keydown', { key: 'ArrowLeft' });
    assert.equal(model.get('selected_item'), 1, 'arrows in inputs are left alone');
    const escape = dispatch(slider, 'keydown', { key: 'Escape' });
    assert.ok(escape.defaultPrevented);
    assert.equal(model.get('selected_item'), null);
    refresh();
    assert.ok(detail().hidden);
  });

  it('after the opacity slider is let go, keys go back to the panel', () => {
    document.body.append(host); // focus needs a connected element
    const { model, refresh, detail } = mount(traits({ selected_item: 1, saliency_methods: ['gradcam'] }));
    refresh();
    const slider = findAll(detail(), (e) => e.tagName === 'INPUT')[0];
    slider.focus();
    dispatch(slider, 'pointerup');
    assert.equal(document.activeElement, detail());
    dispatch(document.activeElement, 'keydown', { key: 'ArrowRight' });
    assert.equal(model.get('selected_item'), 2);
  });

  it('a filter set by another panel starts at page 1 and keeps the open item while it passes', () => {
    const { model, refresh } = mount(traits({ page: 2, selected_item: 5 }));
    model.set('filter_actual', 5);
    assert.equal(model.get('page'), 0);
    assert.equal(model.get('selected_item'), 5);
    model.set('filter_predicted', 3);
    assert.equal(model.get('selected_item'), null, 'item 5 is predicted 5');
    refresh();
  });

  it('arrow keys follow the item onto the next page', () => {
    const { model, cards, refresh, root, detail } = mount();
    dispatch(cards()[23], 'click');
    refresh();
    dispatch(detail(), 'keydown', { key: 'ArrowRight' });
    assert.equal(model.get('selected_item'), 24);
    assert.equal(model.get('page'), 1);
  });

  it('clicking the open card again closes the panel', () => {
    const { model, cards } = mount();
    dispatch(cards()[0], 'click');
    dispatch(cards()[0], 'click');
    assert.equal(model.get('selected_item'), null);
  });

  it('a selection that excludes the open item closes the panel', () => {
    const { model } = mount(traits({ selected_item: 2 }));
    model.set('selection', [0, 1]);
    assert.equal(model.get('selected_item'), null);
    model.set('selected_item', 0);
    model.set('selection', [0, 1]);
    assert.equal(model.get('selected_item'), 0);
  });

  it('shows untrusted class and item names literally', () => {
    const vocab = [EVIL, ...VOCAB.slice(1)];
    const items = traits().items.map((name, i) => (i === 3 ? EVIL : name));
    const { root, cards, model, refresh } = mount(traits({ vocab, items, selected_item: 3 }));
    refresh();
    assert.match(cards()[0].textContent, new RegExp(`actual${EVIL.replace(/[()]/g, '\\$&')}`));
    assert.equal(cards()[3].querySelector('.petlens-placeholder-name').textContent, EVIL);
    assert.equal(findAll(root.querySelector('.petlens-detail'), (e) => e.tagName === 'H4')[0].textContent, EVIL);
    assert.equal(findAll(root, (e) => e.tagName === 'IMG' && !String(e.getAttribute('src')).startsWith('blob:')).length, 0);
    model.set('selection', [0, 1]);
    refresh();
    assert.equal(root.querySelector('.petlens-chip-text').textContent, `cell: ${EVIL} → ${VOCAB[1]}`);
  });

  it('when live, asks the kernel for the full-size image and shows it', async () => {
    const { model, cards, refresh, detail } = mount(traits({ live: true }));
    dispatch(cards()[0], 'click');
    refresh();
    const request = model.sent.at(-1).content;
    assert.equal(request.type, 'petlens:request');
    assert.equal(request.kind, 'image');
    assert.equal(request.index, 0);
    assert.match(detail().querySelector('.petlens-figure-note').textContent, /Loading the full-size image/);
    assert.equal(findAll(detail().querySelector('.petlens-figure'), (e) => e.tagName === 'IMG')[0].getAttribute('src'), 'blob:test/1', 'thumbnail meanwhile');
    model.reply({ type: RESPONSE_TYPE, id: request.id, ok: true }, [new DataView(JPEG.buffer)]);
    await tick();
    refresh();
    assert.equal(findAll(detail().querySelector('.petlens-figure'), (e) => e.tagName === 'IMG')[0].getAttribute('src'), 'blob:test/3');
    assert.ok(detail().querySelector('.petlens-figure-note').hidden);
    const sentBefore = model.sent.length;
    model.set('selected_item', 1);
    refresh();
    model.set('selected_item', 0);
    refresh();
    assert.equal(model.sent.filter((m) => m.content.index === 0).length, 1, 'cached: not asked twice');
    assert.ok(model.sent.length > sentBefore);
  });

  it('a failed image request says so and keeps the thumbnail', async () => {
    const { model, cards, refresh, detail } = mount(traits({ live: true }));
    dispatch(cards()[0], 'click');
    refresh();
    model.reply({ type: RESPONSE_TYPE, id: model.sent.at(-1).content.id, ok: false, error: 'file moved' });
    await tick();
    refresh();
    assert.equal(detail().querySelector('.petlens-figure-note').textContent, 'Full-size image unavailable: file moved');
  });

  it('without a kernel, no request is sent and an item without thumbnail has a placeholder', () => {
    const { model, refresh, detail } = mount(traits({ selected_item: 5 }));
    refresh();
    assert.equal(model.sent.length, 0);
    assert.ok(detail().querySelector('.petlens-figure').querySelector('.petlens-placeholder'));
    assert.equal(detail().querySelector('.petlens-figure-note').textContent, 'No thumbnail was recorded for this item.');
  });

  /** Mounts with stored maps decoded by a stand-in for the browser's JPEG decoder. */
  function mountStored(state) {
    const model = messageModel(state);
    model.save_changes = () => {};
    const decoded = [];
    const decodeMap = async (bytes) => {
      decoded.push(bytes[0]);
      return { data: new Uint8Array(4 * 6).fill(bytes[0]), shape: [4, 6] };
    };
    mounted.push(mountTopLosses(model, host, { decodeMap }));
    const detail = () => host.querySelector('.petlens-detail');
    const status = () => findAll(detail(), (e) => e.getAttribute('role') === 'status')[0];
    const target = (name) => findAll(detail(), (e) => e.getAttribute('data-target') === name)[0];
    return { model, decoded, detail, status, target, refresh: () => dom.flushFrames() };
  }
  /** Item 0 is wrong (both targets stored), item 1 right (one 'pred' map), gradcam only. */
  const STORED = [
    { index: 0, method: 'gradcam', target: 'pred', jpeg: new DataView(Uint8Array.from([10]).buffer) },
    { index: 0, method: 'gradcam', target: 'actual', b64: Buffer.from([20]).toString('base64') },
    { index: 1, method: 'gradcam', target: 'pred', jpeg: new DataView(Uint8Array.from([30]).buffer) },
  ];

  it('saliency: hidden without methods; not stored and not live: disabled, saying why', () => {
    const { model, refresh, detail, status, target } = mountStored(traits({ selected_item: 5 }));
    refresh();
    assert.ok(detail().querySelector('.petlens-saliency').hidden);
    model.set('saliency_methods', ['gradcam', 'occlusion']);
    model.set('saliency', STORED);
    refresh();
    assert.ok(!detail().querySelector('.petlens-saliency').hidden);
    assert.equal(status().textContent, `Saliency is stored for the 2 highest-loss items; this one is ${NOT_STORED_REASON}.`);
    assert.match(status().textContent, /not stored in this report: run lens\.show\(\) in the notebook to compute it/);
    assert.ok(findAll(detail(), (e) => e.tagName === 'SELECT')[0].disabled);
    assert.ok(target('pred').disabled && target('actual').disabled);
    assert.match(target('actual').title, /not stored in this report/);
    assert.ok(detail().querySelector('.petlens-heat').hidden);
    assert.ok(detail().querySelector('.petlens-legend').hidden);
    assert.equal(model.sent.length, 0);
  });

  it('saliency: a stored map is decoded and drawn without asking, with its colour bar; the actual class too', async () => {
    const { model, refresh, detail, status, target, decoded } = mountStored(traits({ selected_item: 0, saliency_methods: ['gradcam', 'occlusion'], saliency: STORED }));
    refresh();
    assert.equal(status().textContent, 'Loading the stored saliency map…');
    await tick();
    refresh();
    const heat = detail().querySelector('.petlens-heat');
    assert.ok(!heat.hidden);
    assert.deepEqual([heat.width, heat.height], [6, 4]);
    assert.equal(drawCalls(heat).find(([name]) => name === 'putImageData')[1].data.length, 4 * 6 * 4);
    assert.equal(heat.style.opacity, '0.6');
    assert.equal(findAll(detail(), (e) => e.tagName === 'IMG').length, 1, 'one image, the map over it');
    const legend = detail().querySelector('.petlens-legend');
    assert.ok(!legend.hidden);
    assert.equal(legend.querySelector('.petlens-legend-title').textContent, `Saliency (gradcam) for the predicted class: ${VOCAB[1]}`);
    assert.ok(legend.querySelector('canvas.petlens-colorbar'));
    const options = findAll(detail(), (e) => e.tagName === 'OPTION');
    assert.deepEqual(options.map((o) => [o.textContent, o.disabled]), [['gradcam', false], ['occlusion (not stored)', true]]);
    assert.match(options[1].title, /not stored in this report/);
    const slider = findAll(detail(), (e) => e.tagName === 'INPUT')[0];
    slider.value = '30';
    dispatch(slider, 'input');
    refresh();
    assert.equal(heat.style.opacity, '0.3');
    assert.equal(target('pred').textContent, 'predicted');
    assert.equal(target('pred').getAttribute('aria-pressed'), 'true');
    assert.ok(!target('actual').disabled);
    dispatch(target('actual'), 'click');
    refresh();
    await tick();
    refresh();
    assert.equal(target('actual').getAttribute('aria-pressed'), 'true');
    assert.deepEqual(decoded, [10, 20], 'the map of the actual class');
    assert.equal(legend.querySelector('.petlens-legend-title').textContent, `Saliency (gradcam) for the actual class: ${VOCAB[0]}`);
    model.set('selected_item', 1); // right: its 'pred' map shows the actual class too
    refresh();
    await tick();
    refresh();
    assert.deepEqual(decoded, [10, 20, 30]);
    assert.ok(!target('actual').disabled);
    assert.match(legend.querySelector('.petlens-legend-title').textContent, /actual class: .+ \(= predicted\)$/);
    assert.equal(model.sent.length, 0);
  });

  it('saliency: a map the kernel is computing in the background shows its progress, never a request', async () => {
    const progress = { status: 'pending', phase: 0, done: 0, total: 8, methods: ['gradcam'], indices: [0, 1, 4], method: 'gradcam' };
    const { model, refresh, detail } = mount(traits({ selected_item: 4, live: true, saliency_methods: ['gradcam', 'occlusion'], saliency_progress: progress }));
    refresh();
    const status = () => findAll(detail(), (e) => e.getAttribute('role') === 'status')[0];
    assert.equal(status().textContent, 'saliency 0 / 8: being computed in the background…');
    model.set('saliency_progress', { ...progress, done: 5 });
    refresh();
    assert.equal(status().textContent, 'saliency 5 / 8: being computed in the background…');
    assert.ok(!model.sent.some((m) => m.content.kind === 'saliency'), 'the background job brings it');
    model.set('selected_item', 2); // not a top loss: asked for on demand
    refresh();
    assert.equal(model.sent.filter((m) => m.content.kind === 'saliency').length, 1);
  });

  it('saliency: a report written while maps were pending says so where one is missing', () => {
    const progress = { status: 'pending', phase: 1, done: 3, total: 8, methods: ['gradcam'], indices: [0, 1, 4] };
    const { refresh, status, target } = mountStored(traits({ selected_item: 4, saliency_methods: ['gradcam'], saliency: STORED, saliency_progress: progress }));
    refresh();
    assert.equal(status().textContent, 'saliency 3 / 8: the rest was still being computed when the run was saved.');
    assert.ok(target('pred').disabled);
    assert.match(target('pred').title, /still being computed/);
  });

  it('saliency: when live, requests the map and draws the response', async () => {
    const { model, refresh, detail } = mount(traits({ selected_item: 4, live: true, saliency_methods: ['gradcam'] }));
    refresh();
    const request = model.sent.map((m) => m.content).find((c) => c.kind === 'saliency');
    assert.deepEqual({ index: request.index, method: request.method, target: request.target }, { index: 4, method: 'gradcam', target: 'pred' });
    const section = detail().querySelector('.petlens-saliency');
    assert.match(findAll(section, (e) => e.getAttribute('role') === 'status')[0].textContent, /Computing gradcam saliency/);
    model.reply({ type: RESPONSE_TYPE, id: request.id, ok: true, shape: [2, 2] }, [new DataView(Uint8Array.from([0, 50, 100, 255]).buffer)]);
    await tick();
    refresh();
    assert.ok(!detail().querySelector('.petlens-heat').hidden);
    assert.ok(findAll(section, (e) => e.getAttribute('role') === 'status')[0].hidden);
    const options = findAll(section, (e) => e.tagName === 'OPTION');
    assert.ok(options.every((o) => !o.disabled), 'live: every choice can be computed');
    dispatch(findAll(section, (e) => e.getAttribute('data-target') === 'actual')[0], 'click');
    refresh();
    assert.equal(model.sent.filter((m) => m.content.kind === 'saliency').length, 1, 'item 4 is right: its actual class is the predicted one');
    assert.ok(!detail().querySelector('.petlens-heat').hidden);
  });

  it('reports malformed traits and waits quietly for missing ones', () => {
    const { model, root, refresh } = mount(traits({ losses: { dtype: 'float32', shape: [2], buffer: new ArrayBuffer(8) } }));
    const message = root.querySelector('.petlens-error');
    assert.match(message.textContent, /^Cannot show the top losses: losses has 2 items but targets has 60/);
    model.set('losses', null);
    refresh();
    assert.ok(message.hidden);
    const notice = root.querySelector('.petlens-notice');
    assert.ok(!notice.hidden);
    assert.equal(notice.textContent, NO_PREDICTIONS_MESSAGE);
    assert.ok(root.querySelector('.petlens-losses-toolbar').hidden);
    assert.ok(root.querySelector('.petlens-empty').hidden);
  });

  describe('notice (no validation predictions)', () => {
    const REASON = 'No confusion matrix or top losses: predictions were not recorded: multi-label targets (MultiCategoryBlock).';
    /** What the Python side sends for a run without predictions: empty dicts, a reason. */
    const noPredictions = (notice) =>
      traits({ vocab: [], items: [], targets: {}, decoded: {}, losses: {}, prob_actual: {}, prob_pred: {}, thumbs: [], notice });

    it('shows the notice as text in place of the browser, without an error', () => {
      const { root, cards } = mount(noPredictions(REASON));
      const notice = root.querySelector('.petlens-notice');
      assert.ok(!notice.hidden);
      assert.equal(notice.textContent, REASON);
      assert.ok(notice.classList.contains('petlens-muted'));
      assert.ok(!notice.classList.contains('petlens-error'));
      assert.ok(root.querySelector('.petlens-error').hidden, 'no decoding error');
      assert.ok(root.querySelector('.petlens-losses-toolbar').hidden);
      assert.ok(root.querySelector('.petlens-losses-status').hidden);
      assert.ok(root.querySelector('.petlens-empty').hidden);
      assert.ok(root.querySelector('.petlens-grid').hidden);
      assert.ok(root.querySelector('.petlens-detail').hidden);
      assert.equal(cards().length, 0);
    });

    it('the notice wins over data, and is text only', () => {
      const { root, cards } = mount(traits({ notice: EVIL }));
      assert.equal(root.querySelector('.petlens-notice').textContent, EVIL);
      assert.equal(findAll(root, (e) => e.tagName === 'IMG').length, 0);
      assert.equal(cards().length, 0);
    });

    it('without a notice and without data: the default message, no decoding error', () => {
      for (const state of [noPredictions(''), noPredictions('   '), noPredictions(undefined), traits({ losses: undefined })]) {
        const { root, cleanup } = mount(state);
        assert.equal(root.querySelector('.petlens-notice').textContent, NO_PREDICTIONS_MESSAGE);
        assert.ok(root.querySelector('.petlens-error').hidden);
        cleanup();
      }
    });

    it('data arriving later replaces the notice with the browser', () => {
      const { model, root, cards, refresh } = mount(noPredictions('No validation predictions yet: they are recorded when an epoch\'s validation ends.'));
      const full = traits();
      model.set('notice', '');
      refresh();
      assert.equal(root.querySelector('.petlens-notice').textContent, NO_PREDICTIONS_MESSAGE, 'no data yet: the default');
      for (const name of ['vocab', 'items', 'targets', 'decoded', 'losses', 'prob_actual', 'prob_pred']) model.set(name, full[name]);
      assert.equal(refresh(), 1);
      assert.ok(root.querySelector('.petlens-notice').hidden);
      assert.ok(root.querySelector('.petlens-error').hidden);
      assert.ok(!root.querySelector('.petlens-losses-toolbar').hidden);
      assert.ok(!root.querySelector('.petlens-losses-status').hidden);
      assert.ok(!root.querySelector('.petlens-grid').hidden);
      assert.equal(root.querySelector('.petlens-count').textContent, '60 items · page 1/3');
      assert.equal(cards().length, 24);
      model.set('notice', REASON);
      refresh();
      assert.equal(root.querySelector('.petlens-notice').textContent, REASON);
      assert.equal(cards().length, 0);
    });
  });

  it('trait changes coalesce into one frame', () => {
    const { model, refresh } = mount();
    model.set('page', 1);
    model.set('sort', 'confident_mistakes');
    model.set('page_size', 12);
    assert.equal(refresh(), 1);
  });

  it('cleanup unsubscribes, cancels requests and removes the view', async () => {
    const { model, cleanup, cards, refresh } = mount(traits({ live: true }));
    dispatch(cards()[0], 'click');
    refresh();
    assert.equal(model.handlers.size, 1);
    cleanup();
    await tick();
    assert.equal(host.children.length, 0);
    assert.equal(model.handlers.size, 0);
    model.set('page', 2);
    assert.equal(dom.pendingFrames(), 0);
    assert.equal(urls.live.size, 0);
  });
});
