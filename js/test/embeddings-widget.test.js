/**
 * Wiring of the embeddings widget through the model stand-in and a DOM (happy-dom): traits in,
 * the colouring, the legend, the highlight, hover, box / lasso / click / keys out, the
 * neighbours strip, the notice and errors, and the dashboard's scoped model.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mountEmbeddings, NO_POINTS_MESSAGE } from '../src/embeddings/view.js';
import { VIEWS } from '../src/dashboard/view.js';
import { createModel } from '../src/lib/model.js';
import { scopeModel } from '../src/lib/scope.js';
import { toScreen, unitCoords } from '../src/lib/scatter-geometry.js';
import widget, { createModel as exportedCreateModel } from '../src/widgets/embeddings.js';
import { dispatch, drawCalls } from '../test-support/dom.js';
import { classOf, embeddingsPage, embeddingTraits, EVIL, isWrong, N_POINTS, TRAIN, VOCAB, wire } from '../test-support/embeddings.js';

const page = embeddingsPage();

function mount(state = embeddingTraits()) {
  const model = createModel(state);
  const saves = [];
  model.save_changes = () => saves.push(Object.fromEntries(['color_by', 'selected_item', 'item_selection', 'filter_actual', 'filter_predicted'].map((name) => [name, model.get(name)])));
  widget.initialize({ model });
  const cleanup = widget.render({ model, el: page.host });
  page.mounted.push(cleanup);
  const root = page.host.querySelector('.petlens-embeddings');
  return { model, saves, root, overlay: root.querySelector('.petlens-emb-overlay') };
}

/** Screen position (CSS px in the overlay) of point i, from the view's side and the fixture's coordinates. */
function screenOf(root, i) {
  const side = parseFloat(root.querySelector('.petlens-emb-stage').style.width) - 2;
  const xy = new Float32Array(embeddingTraits().xy.buffer.buffer);
  const { u, v } = unitCoords(xy);
  const zoom = { scale: Number(root.dataset.zoom), tx: 0, ty: 0 };
  return toScreen(zoom, side, u[i], v[i]);
}

function drag(overlay, [x0, y0], [x1, y1], modifiers = {}, via = []) {
  dispatch(overlay, 'pointerdown', { button: 0, pointerId: 1, clientX: x0, clientY: y0, ...modifiers });
  for (const [x, y] of [...via, [x1, y1]]) dispatch(overlay, 'pointermove', { pointerId: 1, clientX: x, clientY: y, ...modifiers });
  dispatch(overlay, 'pointerup', { button: 0, pointerId: 1, clientX: x1, clientY: y1, ...modifiers });
}

const legendNames = (root) => [...root.querySelectorAll('.petlens-emb-legend .petlens-emb-name')].map((node) => node.textContent);
const colorOptions = (root) => [...root.querySelectorAll('.petlens-emb-color option')].map((o) => o.value);

describe('embeddings widget', () => {
  it('exports createModel for the offline report and is the dashboard view "embeddings"', () => {
    assert.equal(exportedCreateModel, createModel);
    assert.equal(VIEWS.get('embeddings'), mountEmbeddings);
  });

  it('draws every point in one putImageData on one canvas, with the caption and the class legend', () => {
    const { root } = mount();
    assert.equal(root.querySelectorAll('canvas').length, 2, 'points and overlay');
    assert.deepEqual([root.dataset.points, root.dataset.drawn, root.dataset.highlighted, root.dataset.colorBy], ['40', '40', '0', 'actual']);
    const points = root.querySelector('.petlens-emb-points');
    assert.equal(drawCalls(points).filter(([name]) => name === 'putImageData').length, 1);
    // device pixel ratio 2 (test DOM): the backing store is twice the CSS size
    assert.equal(points.width, 2 * parseFloat(points.style.width));
    assert.equal(root.querySelector('.petlens-emb-caption').textContent, '40 items · UMAP of 512 features (PCA to 50, 15 neighbours, min_dist 0.1)');
    assert.deepEqual(legendNames(root), VOCAB);
    assert.deepEqual([...root.querySelectorAll('.petlens-emb-legend .petlens-emb-count')].map((n) => n.textContent), ['8', '8', '8', '8', '8']);
    assert.equal(root.querySelector('img'), null, 'the hostile class name is text');
    assert.ok(root.querySelector('.petlens-notice').hidden);
  });

  it('offers label quality only when scores exist, and reads an unknown color_by as actual', () => {
    const { root, model } = mount(embeddingTraits({ label_quality: wire('float32', []), color_by: 'label_quality' }));
    assert.deepEqual(colorOptions(root), ['actual', 'predicted', 'correct', 'loss']);
    assert.equal(root.dataset.colorBy, 'actual');
    assert.equal(root.querySelector('.petlens-emb-color').value, 'actual');
    model.set('label_quality', embeddingTraits().label_quality);
    page.dom.flushFrames();
    assert.deepEqual(colorOptions(root), ['actual', 'predicted', 'correct', 'loss', 'label_quality']);
    assert.equal(root.dataset.colorBy, 'label_quality');
  });

  it('writes color_by from the menu and shows that colouring\'s legend', () => {
    const { root, saves, model } = mount();
    const select = root.querySelector('.petlens-emb-color');
    select.value = 'correct';
    dispatch(select, 'change');
    assert.equal(saves.at(-1).color_by, 'correct');
    page.dom.flushFrames();
    const wrong = Array.from({ length: N_POINTS }, (_, i) => i).filter(isWrong).length;
    assert.deepEqual(legendNames(root), ['correct', 'wrong']);
    assert.deepEqual([...root.querySelectorAll('.petlens-emb-count')].map((n) => n.textContent), [String(N_POINTS - wrong), String(wrong)]);
    model.set('color_by', 'loss');
    page.dom.flushFrames();
    const ends = [...root.querySelectorAll('.petlens-emb-ramp-ends span')].map((n) => n.textContent);
    assert.deepEqual(ends, ['0.00 (low)', '3.90 (high)']);
    assert.equal(root.querySelector('.petlens-emb-ramp').hidden, false);
  });

  it('a legend click toggles the class filter of the colouring; the filter highlights its points', () => {
    const { root, saves, model } = mount();
    const button = (c) => root.querySelector(`.petlens-emb-legend button[data-class="${c}"]`);
    dispatch(button(2), 'click');
    assert.equal(saves.at(-1).filter_actual, 2);
    page.dom.flushFrames();
    assert.equal(root.dataset.highlighted, '8');
    assert.equal(button(2).getAttribute('aria-pressed'), 'true');
    assert.match(root.querySelector('.petlens-emb-caption').textContent, /8 highlighted \(actual <img src=x onerror=alert\(1\)>\)$/);
    dispatch(button(2), 'click');
    assert.equal(saves.at(-1).filter_actual, null);
    model.set('color_by', 'predicted');
    page.dom.flushFrames();
    dispatch(button(1), 'click');
    assert.deepEqual([saves.at(-1).filter_predicted, saves.at(-1).filter_actual], [1, null]);
  });

  it('highlights a confusion cell, the class filters and the item selection together (all must hold)', () => {
    const { root, model } = mount();
    const cell = [3, 4]; // bird predicted as fish: the mistakes of class 3
    const expected = Array.from({ length: N_POINTS }, (_, i) => i).filter((i) => classOf(i) === 3 && isWrong(i));
    assert.ok(expected.length > 0);
    model.set('selection', cell);
    page.dom.flushFrames();
    assert.equal(root.dataset.highlighted, String(expected.length));
    model.set('item_selection', [expected[0], 0, 1, 99, -1, 'x']);
    page.dom.flushFrames();
    assert.equal(root.dataset.highlighted, '1');
    assert.match(root.querySelector('.petlens-emb-caption').textContent, /1 highlighted \(actual bird, predicted fish; 3 selected\)/);
    model.set('selection', [9, 0]); // not a cell of these classes: ignored
    page.dom.flushFrames();
    assert.equal(root.dataset.highlighted, '3');
  });

  it('shift-drag selects the points in the box and writes item_selection; Escape and the button clear it', () => {
    const { root, saves, overlay, model } = mount();
    // classes 0 and 1 lie left of class 2: a box around the first two columns of clusters
    const [x0] = screenOf(root, 0);
    const [x2] = screenOf(root, 2);
    const ys = Array.from({ length: N_POINTS }, (_, i) => screenOf(root, i)[1]);
    const top = Math.min(...ys) - 5;
    const bottom = Math.max(...ys) + 5;
    drag(overlay, [x0 - 5, top], [x2 - 5, bottom], { shiftKey: true });
    const selected = saves.at(-1).item_selection;
    assert.deepEqual(selected, Array.from({ length: N_POINTS }, (_, i) => i).filter((i) => classOf(i) <= 1));
    page.dom.flushFrames();
    assert.equal(root.dataset.highlighted, '16');
    assert.equal(root.querySelector('.petlens-emb-clear').disabled, false);
    dispatch(overlay, 'keydown', { key: 'Escape' });
    assert.equal(model.get('item_selection'), null);
    model.set('item_selection', [1, 2]);
    page.dom.flushFrames();
    dispatch(root.querySelector('.petlens-emb-clear'), 'click');
    assert.equal(model.get('item_selection'), null);
    // a box with no point clears the selection instead of selecting nothing
    model.set('item_selection', [1]);
    drag(overlay, [1, 1], [4, 8], { shiftKey: true });
    assert.equal(model.get('item_selection'), null);
  });

  it('alt-drag (or the Lasso tool) selects the points inside the lasso', () => {
    const { root, saves, overlay } = mount();
    // a triangle around class 4's cluster only (the rightmost)
    const pts = Array.from({ length: N_POINTS }, (_, i) => i).filter((i) => classOf(i) === 4).map((i) => screenOf(root, i));
    const [minX, maxX] = [Math.min(...pts.map((p) => p[0])) - 4, Math.max(...pts.map((p) => p[0])) + 4];
    const [minY, maxY] = [Math.min(...pts.map((p) => p[1])) - 4, Math.max(...pts.map((p) => p[1])) + 4];
    const square = [[minX, minY], [maxX, minY], [maxX, maxY], [minX, maxY]];
    drag(overlay, square[0], square[3], { altKey: true }, square.slice(1, 3));
    assert.deepEqual(saves.at(-1).item_selection, [4, 9, 14, 19, 24, 29, 34, 39]);
    dispatch(root.querySelector('button[data-tool="lasso"]'), 'click');
    assert.equal(root.querySelector('button[data-tool="lasso"]').getAttribute('aria-pressed'), 'true');
    const pts0 = [0, 5, 10, 15].map((i) => screenOf(root, i));
    const a = [pts0[0][0] - 3, pts0[0][1] - 3];
    const b = [pts0[3][0] + 3, pts0[0][1] - 3];
    const c = [pts0[3][0] + 3, pts0[0][1] + 3];
    drag(overlay, a, [a[0], c[1]], {}, [b, c]);
    assert.deepEqual(saves.at(-1).item_selection, [0, 5, 10, 15]);
  });

  it('hover shows the names as text, the loss and the thumbnail; a click sets selected_item and shows the neighbours', () => {
    const { root, saves, overlay, model } = mount();
    const [x, y] = screenOf(root, 1);
    dispatch(overlay, 'pointermove', { clientX: x + 2, clientY: y + 1 });
    const tip = root.querySelector('.petlens-tooltip');
    assert.equal(tip.hidden, false);
    const lines = [...tip.querySelectorAll('div')].map((line) => line.textContent);
    assert.deepEqual(lines, ['itemimg_1.jpg', 'actualdog', 'predicteddog', 'loss0.10', 'label quality0.98']);
    assert.match(tip.querySelector('img').getAttribute('src'), /^blob:test\//);
    const [x0, y0] = screenOf(root, 0);
    dispatch(overlay, 'pointermove', { clientX: x0, clientY: y0 });
    assert.equal(tip.querySelector('div').textContent, `item${EVIL}`);
    assert.equal(tip.querySelector('img'), null, 'item 0 has no thumbnail, and its name is text');
    dispatch(overlay, 'pointerleave');
    assert.equal(tip.hidden, true);

    drag(overlay, [x0, y0], [x0 + 1, y0]);
    assert.equal(saves.at(-1).selected_item, 0);
    page.dom.flushFrames();
    const strip = root.querySelector('.petlens-emb-neighbours');
    assert.equal(strip.hidden, false);
    assert.equal(strip.querySelector('h4').textContent, 'Nearest training images');
    assert.equal(strip.querySelector('.petlens-emb-sentence').textContent, 'It says cat, correctly: these training images look most like it.');
    const cards = [...strip.querySelectorAll('.petlens-emb-card')];
    assert.equal(cards.length, 4, 'the item and its 3 neighbours');
    assert.deepEqual([...cards[1].children].slice(1).map((n) => n.textContent), ['cat', 'train_0.jpg', 'distance 0.10', 'same class as the prediction and the label']);
    assert.deepEqual([...cards[3].children].slice(1, 3).map((n) => n.textContent), [EVIL, 'train_2.jpg']);
    assert.ok(cards[1].querySelector('img.petlens-emb-thumb'), 'neighbour 0 has a thumbnail');
    assert.equal(cards[2].querySelector('img'), null);
    assert.equal(cards[0].querySelector('.petlens-emb-file').textContent, EVIL);
    // odd items have a missing third neighbour (-1): not shown
    model.set('selected_item', 3);
    page.dom.flushFrames();
    assert.equal(strip.querySelectorAll('.petlens-emb-card').length, 3);
    assert.match(strip.querySelector('.petlens-emb-sentence').textContent, /^It says fish \(actually bird\)/);
    dispatch(overlay, 'keydown', { key: 'Escape' });
    assert.equal(model.get('selected_item'), null);
    page.dom.flushFrames();
    assert.equal(strip.hidden, true);
  });

  it('labels validation neighbours as such, and a click on one selects it', () => {
    const names = Array.from({ length: 10 }, (_, j) => `img_${j + 10}.jpg`);
    const { root, model } = mount(embeddingTraits({ neighbour_source: 'valid', neighbour_items: names, selected_item: 2 }));
    const strip = root.querySelector('.petlens-emb-neighbours');
    assert.equal(strip.querySelector('h4').textContent, 'Nearest validation items');
    assert.match(strip.querySelector('.petlens-emb-sentence').textContent, /the validation items that look most like it \(nearest validation items/);
    const card = strip.querySelector('.petlens-emb-card[data-item="12"]');
    assert.ok(card, 'neighbour img_12.jpg is item 12');
    dispatch(card.querySelector('.petlens-emb-name'), 'click');
    assert.equal(model.get('selected_item'), 12);
  });

  it('says when no neighbours were recorded, and shows malformed neighbours as an error in the strip only', () => {
    const { root, model } = mount(embeddingTraits({ neighbour_index: wire('int32', [], [0, 0]), selected_item: 1 }));
    const sentence = () => root.querySelector('.petlens-emb-sentence').textContent;
    assert.match(sentence(), /^No neighbours were recorded/);
    model.set('neighbour_index', wire('int32', [0, 1, 2], [1, 3]));
    page.dom.flushFrames();
    assert.match(sentence(), /^Cannot show the neighbours: neighbour_index has shape \[1,3\]/);
    assert.equal(root.dataset.drawn, '40', 'the scatter still shows');
  });

  it('shows the notice instead of the canvas, and a default message when xy is empty', () => {
    const why = 'recorded without embeddings: use PetLens(embeddings=True)';
    const { root, model } = mount(embeddingTraits({ notice: why }));
    const notice = root.querySelector('.petlens-notice');
    assert.equal(notice.textContent, why);
    assert.equal(notice.hidden, false);
    assert.equal(root.querySelector('.petlens-emb-content').hidden, true);
    model.set('notice', '');
    page.dom.flushFrames();
    assert.equal(notice.hidden, true);
    assert.equal(root.dataset.drawn, '40');
    model.set('xy', wire('float32', [], [0, 2]));
    page.dom.flushFrames();
    assert.equal(notice.textContent, NO_POINTS_MESSAGE);
    assert.equal(root.querySelector('.petlens-emb-content').hidden, true);
  });

  it('names the trait that does not fit instead of drawing', () => {
    const { root } = mount(embeddingTraits({ targets: wire('int32', new Array(N_POINTS).fill(7)) }));
    const message = root.querySelector('.petlens-error');
    assert.equal(message.textContent, 'Cannot show the embeddings: targets[0] = 7 is not a class of the 5 in vocab');
    assert.equal(root.querySelector('.petlens-emb-content').hidden, true);
  });

  it('zooms with the wheel about the cursor and the buttons, and resets', () => {
    const { root, overlay } = mount();
    assert.equal(root.querySelector('button[title^="Zoom out"]').disabled, true);
    dispatch(overlay, 'wheel', { deltaY: -300, clientX: 50, clientY: 50 });
    page.dom.flushFrames();
    assert.equal(root.dataset.zoom, '2.00');
    dispatch(root.querySelector('button[title^="Zoom in"]'), 'click');
    page.dom.flushFrames();
    assert.equal(root.dataset.zoom, '3.00');
    dispatch(overlay, 'keydown', { key: '0' });
    page.dom.flushFrames();
    assert.equal(root.dataset.zoom, '1.00');
  });

  it('zooms to the highlighted points, and only when some are', () => {
    const { root, model } = mount();
    const button = root.querySelector('.petlens-emb-frame');
    assert.equal(button.disabled, true);
    model.set('filter_actual', 4); // the rightmost cluster, 1.5 x 0.5 units of a 17.5-unit spread
    page.dom.flushFrames();
    assert.equal(button.disabled, false);
    dispatch(button, 'click');
    page.dom.flushFrames();
    assert.ok(Number(root.dataset.zoom) > 5, root.dataset.zoom);
    assert.equal(root.dataset.highlighted, '8', 'every point of class 4 in view');
    assert.ok(Number(root.dataset.drawn) < N_POINTS, 'others out of view');
    model.set('filter_actual', null);
    page.dom.flushFrames();
    assert.equal(button.disabled, true);
  });

  it('works on the dashboard\'s scoped model: shared traits unprefixed, its own prefixed', () => {
    const state = embeddingTraits();
    const shared = ['vocab', 'selection', 'filter_actual', 'filter_predicted', 'item_selection'];
    const prefixed = Object.fromEntries(Object.entries(state).map(([k, v]) => [shared.includes(k) ? k : `emb_${k}`, v]));
    const model = createModel(prefixed);
    page.mounted.push(mountEmbeddings(scopeModel(model, 'emb_', shared), page.host));
    const root = page.host.querySelector('.petlens-embeddings');
    const overlay = root.querySelector('.petlens-emb-overlay');
    const [x, y] = screenOf(root, 5);
    drag(overlay, [x, y], [x, y]);
    assert.equal(model.get('emb_selected_item'), 5);
    drag(overlay, [0, 0], [x + 3, y + 3], { shiftKey: true });
    assert.ok(Array.isArray(model.get('item_selection')) && model.get('item_selection').includes(5));
    model.set('filter_actual', 0);
    page.dom.flushFrames();
    assert.equal(root.dataset.highlighted, String(model.get('item_selection').filter((i) => classOf(i) === 0).length));
  });

  it('above 40 classes lists the largest and finds the others by name', () => {
    const vocab = Array.from({ length: 60 }, (_, c) => `class_${c}`);
    const targets = Array.from({ length: N_POINTS }, (_, i) => (i < 20 ? 7 : i % 60));
    const { root } = mount(embeddingTraits({ vocab, targets: wire('int32', targets), decoded: wire('int32', targets) }));
    const note = () => root.querySelector('.petlens-emb-note').textContent;
    assert.equal(legendNames(root)[0], 'class_7', 'the largest class first');
    assert.equal(legendNames(root).length, 15);
    assert.match(note(), /^60 classes, 40 colours that repeat: the 15 largest listed/);
    const search = root.querySelector('.petlens-emb-search');
    assert.equal(search.hidden, false);
    search.value = 'CLASS_5';
    dispatch(search, 'input');
    assert.deepEqual(legendNames(root), ['class_5', 'class_50', 'class_51', 'class_52', 'class_53', 'class_54', 'class_55', 'class_56', 'class_57', 'class_58', 'class_59']);
    assert.match(note(), /11 classes match "CLASS_5"/);
    search.value = 'zebra';
    dispatch(search, 'input');
    assert.deepEqual(legendNames(root), []);
    assert.match(note(), /no class matches "zebra"/);
  });

  it('cleans up: unsubscribes and removes the view', () => {
    const { model } = mount();
    page.mounted.pop()();
    assert.equal(page.host.children.length, 0);
    model.set('color_by', 'loss');
    assert.equal(page.dom.pendingFrames(), 0);
    void TRAIN;
  });
});
