/**
 * Wiring of the confusion widget through the model stand-in and a DOM (happy-dom): traits in,
 * clicks out. Drawing itself is not checked here (lib/ tests cover the maths).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createModel } from '../src/lib/model.js';
import { NO_COUNTS_MESSAGE } from '../src/confusion/view.js';
import widget, { createModel as exportedCreateModel } from '../src/widgets/confusion.js';
import { dispatch, drawCalls, findAll, installDom, setWidth } from '../test-support/dom.js';
import { petsCounts, VOCAB, wireInt32 } from '../test-support/pets.js';

const EVIL = '<img src=x onerror=alert(1)>';
const C = VOCAB.length;
const ALPHABETICAL = VOCAB.map((_, i) => i);
const REVERSED = [...ALPHABETICAL].reverse();

function traits(overrides = {}) {
  return {
    vocab: VOCAB,
    counts: wireInt32(petsCounts(), [C, C]),
    orders: { alphabetical: ALPHABETICAL, reversed: REVERSED },
    order: 'alphabetical',
    normalize: null,
    color_scale: 'linear',
    hide_diagonal: false,
    min_val: 2,
    order_info: { alphabetical: { label: 'Alphabetical', help: 'Alphabetical: A-Z.', groups: [] } },
    selection: null,
    filter_actual: null,
    filter_predicted: null,
    ...overrides,
  };
}

let dom;
let host;
beforeEach(() => {
  dom = installDom();
  host = document.createElement('div');
});
afterEach(() => dom.uninstall());

/** Renders the widget; returns the model, the cleanup and handy elements. */
function mount(state = traits()) {
  const model = createModel(state);
  const saves = [];
  model.save_changes = () => saves.push({ selection: model.get('selection') });
  widget.initialize({ model });
  const cleanup = widget.render({ model, el: host });
  const root = host.children[0];
  const cells = root.querySelector('.petlens-cells');
  const side = parseFloat(cells.style.width);
  /** Clicks the centre of the cell at display position (row, col). */
  const clickCell = (row, col) => {
    const cell = side / C;
    const at = { clientX: (col + 0.5) * cell, clientY: (row + 0.5) * cell, button: 0, pointerId: 1 };
    dispatch(cells, 'pointerdown', at);
    dispatch(cells, 'pointerup', at);
  };
  return { model, saves, cleanup, root, cells, clickCell };
}

describe('confusion widget', () => {
  it('exports an anywidget module', () => {
    assert.equal(typeof widget.initialize, 'function');
    assert.equal(typeof widget.render, 'function');
    assert.equal(exportedCreateModel, createModel, 'model stand-in shipped in the bundle for the offline report');
  });

  it('renders controls, canvases, axis titles and the most confused list', () => {
    const { root } = mount();
    assert.ok(root.classList.contains('petlens-confusion'));
    assert.equal(findAll(root, (e) => e.tagName === 'CANVAS').length, 4, 'labels, cells, legend, overview map');
    assert.equal(findAll(root, (e) => e.tagName === 'SELECT').length, 3);
    const titles = findAll(root, (e) => e.classList.contains('petlens-axis-title')).map((e) => e.textContent);
    assert.deepEqual(titles, ['Actual', 'Predicted']);
    const pairs = findAll(root.querySelector('.petlens-confused'), (e) => e.tagName === 'BUTTON');
    assert.equal(pairs.length, 13, 'the pairs confused at least min_val = 2 times');
    assert.equal(pairs[0].querySelector('.petlens-pair').textContent, 'american_pit_bull_terrier → staffordshire_bull_terrier', 'full names, no colon');
    assert.equal(pairs[0].querySelector('.petlens-count').textContent, '9');
    assert.equal(root.querySelector('.petlens-confused-summary').textContent, '13 pairs confused at least 2 times');
    assert.ok(root.querySelector('.petlens-error').hidden);
  });

  it('draws the cells scaled from one image, with the device pixel ratio', () => {
    const { cells } = mount();
    assert.equal(cells.width, 2 * parseFloat(cells.style.width));
    const drawImage = drawCalls(cells).find(([name]) => name === 'drawImage');
    assert.deepEqual(drawImage.slice(2, 6), [0, 0, C, C], 'source: the whole C x C image at scale 1');
  });

  it('shows untrusted class names literally', () => {
    const vocab = [EVIL, 'pug'];
    const { root } = mount(traits({ vocab, counts: wireInt32(Int32Array.from([1, 4, 2, 3]), [2, 2]), orders: {}, order: '' }));
    const pairs = findAll(root.querySelector('.petlens-confused'), (e) => e.tagName === 'BUTTON');
    assert.equal(pairs[0].querySelector('.petlens-pair').textContent, `${EVIL} → pug`);
    assert.equal(findAll(root, (e) => e.tagName === 'IMG').length, 0);
  });

  it('clicking a cell selects [actual, predicted] class indices; clicking again clears', () => {
    const { model, saves, clickCell } = mount(traits({ order: 'reversed' }));
    clickCell(0, 2);
    assert.deepEqual(model.get('selection'), [C - 1, C - 3], 'class indices, not display positions');
    clickCell(0, 2);
    assert.equal(model.get('selection'), null);
    assert.deepEqual(saves, [{ selection: [C - 1, C - 3] }, { selection: null }]);
  });

  it('a drag pans instead of selecting', () => {
    const { model, cells } = mount();
    dispatch(cells, 'wheel', { deltaY: -600, deltaMode: 0, clientX: 50, clientY: 50 });
    dispatch(cells, 'pointerdown', { clientX: 50, clientY: 50, button: 0, pointerId: 1 });
    dispatch(cells, 'pointermove', { clientX: 80, clientY: 90, pointerId: 1 });
    dispatch(cells, 'pointerup', { clientX: 80, clientY: 90, pointerId: 1 });
    assert.equal(model.get('selection'), null);
  });

  it('the wheel zooms about the cursor and is not passed to the page', () => {
    const { cells } = mount();
    const event = dispatch(cells, 'wheel', { deltaY: -300, deltaMode: 0, clientX: 10, clientY: 10 });
    assert.ok(event.defaultPrevented);
    drawCalls(cells).length = 0;
    dom.flushFrames();
    const drawImage = drawCalls(cells).find(([name]) => name === 'drawImage');
    assert.ok(drawImage[4] < C, 'fewer columns in view after zooming in');
  });

  it('clicking a most confused pair selects it', () => {
    const { model, root } = mount();
    const first = findAll(root.querySelector('.petlens-confused'), (e) => e.tagName === 'BUTTON')[0];
    dispatch(first, 'click');
    assert.deepEqual(model.get('selection'), [VOCAB.indexOf('american_pit_bull_terrier'), VOCAB.indexOf('staffordshire_bull_terrier')]);
    dom.flushFrames();
    assert.equal(first.getAttribute('aria-pressed'), 'true');
  });

  it('controls write traits back and follow trait changes', () => {
    const { model, root } = mount();
    const [normalize, order, colorScale] = findAll(root, (e) => e.tagName === 'SELECT');
    assert.deepEqual([...order.children].map((o) => o.value), ['alphabetical', 'reversed']);
    normalize.value = 'pred';
    dispatch(normalize, 'change');
    assert.equal(model.get('normalize'), 'pred');
    const checkbox = findAll(root, (e) => e.tagName === 'INPUT')[0];
    checkbox.checked = true;
    dispatch(checkbox, 'change');
    assert.equal(model.get('hide_diagonal'), true);
    model.set('color_scale', 'log');
    assert.equal(colorScale.value, 'log');
    model.set('order', 'reversed');
    assert.equal(order.value, 'reversed');
    assert.equal(dom.flushFrames(), 1, 'trait changes coalesce into one frame');
  });

  it('normalize null is raw counts: the "Counts" option, written back as null', () => {
    const { model, root } = mount(traits({ normalize: 'true' }));
    const normalize = findAll(root, (e) => e.tagName === 'SELECT')[0];
    const caption = () => root.querySelector('.petlens-legend').children[0].textContent;
    assert.equal(normalize.value, 'true');
    assert.equal(caption(), 'Share of actual (linear scale)');
    normalize.value = '';
    dispatch(normalize, 'change');
    assert.equal(model.get('normalize'), null);
    dom.flushFrames();
    assert.equal(caption(), 'Count (linear scale)');
    assert.equal(root.querySelector('.petlens-legend-ticks').textContent, '020', 'the largest count, as an integer');
    model.set('normalize', 'none'); // not a mode: read as the first one, raw counts
    assert.equal(normalize.value, '');
  });

  it('reports malformed traits without throwing', () => {
    const { model, root } = mount(traits({ counts: wireInt32(new Int32Array(4), [2, 2]) }));
    const message = root.querySelector('.petlens-error');
    assert.ok(!message.hidden);
    assert.match(message.textContent, /counts has shape \[2,2\] but vocab has 37 classes/);
    model.set('counts', wireInt32(petsCounts(), [C, C]));
    dom.flushFrames();
    assert.ok(message.hidden);
  });

  describe('notice (no validation predictions)', () => {
    const REASON = 'No confusion matrix or top losses: predictions were not recorded: regression targets (RegressionBlock).';
    /** What the Python side sends for a run without predictions: empty dicts, a reason. */
    const noPredictions = (notice) => traits({ vocab: [], counts: {}, orders: {}, order: 'clustered', notice });
    const visible = (root) => ({
      notice: !root.querySelector('.petlens-notice').hidden,
      error: !root.querySelector('.petlens-error').hidden,
      toolbar: !root.querySelector('.petlens-toolbar-block').hidden,
      matrix: !root.querySelector('.petlens-main').hidden,
    });

    it('shows the notice as text in place of the matrix, without an error', () => {
      const { root } = mount(noPredictions(REASON));
      const notice = root.querySelector('.petlens-notice');
      assert.equal(notice.textContent, REASON);
      assert.ok(notice.classList.contains('petlens-muted'));
      assert.ok(!notice.classList.contains('petlens-error'));
      assert.deepEqual(visible(root), { notice: true, error: false, toolbar: false, matrix: false });
      assert.equal(root.querySelector('.petlens-confused').children.length, 0);
      assert.equal(dom.flushFrames(), 0);
    });

    it('the notice wins over counts, and is text only', () => {
      const { root } = mount(traits({ notice: EVIL }));
      assert.equal(root.querySelector('.petlens-notice').textContent, EVIL);
      assert.equal(findAll(root, (e) => e.tagName === 'IMG').length, 0);
      assert.deepEqual(visible(root), { notice: true, error: false, toolbar: false, matrix: false });
    });

    it('without a notice and without counts: the default message, no decoding error', () => {
      for (const state of [noPredictions(''), noPredictions(' \n'), noPredictions(undefined), traits({ counts: null }), traits({ counts: undefined })]) {
        const { root, cleanup } = mount(state);
        assert.equal(root.querySelector('.petlens-notice').textContent, NO_COUNTS_MESSAGE);
        assert.deepEqual(visible(root), { notice: true, error: false, toolbar: false, matrix: false });
        cleanup();
      }
    });

    it('counts arriving later replace the notice with the matrix', () => {
      const { model, root, cells } = mount(noPredictions("No validation predictions yet: they are recorded when an epoch's validation ends."));
      model.set('notice', '');
      dom.flushFrames();
      assert.equal(root.querySelector('.petlens-notice').textContent, NO_COUNTS_MESSAGE, 'no counts yet: the default');
      const full = traits();
      for (const name of ['vocab', 'orders', 'order', 'counts']) model.set(name, full[name]);
      drawCalls(cells).length = 0;
      assert.equal(dom.flushFrames(), 1);
      assert.deepEqual(visible(root), { notice: false, error: false, toolbar: true, matrix: true });
      const drawImage = drawCalls(cells).find(([name]) => name === 'drawImage');
      assert.deepEqual(drawImage.slice(2, 6), [0, 0, C, C], 'the whole matrix drawn');
      assert.equal(findAll(root.querySelector('.petlens-confused'), (e) => e.tagName === 'BUTTON').length, 13);
      assert.deepEqual(
        [...findAll(root, (e) => e.tagName === 'SELECT')[1].children].map((o) => o.value),
        ['alphabetical', 'reversed'],
        'the order select follows the new orders',
      );
      model.set('notice', REASON);
      dom.flushFrames();
      assert.deepEqual(visible(root), { notice: true, error: false, toolbar: false, matrix: false });
      assert.equal(root.querySelector('.petlens-notice').textContent, REASON);
    });
  });

  it('lays out again only when the view width changes', () => {
    const { root, cells } = mount();
    const observer = dom.resizeObservers.find((o) => o.targets.includes(root.querySelector('.petlens-main')));
    observer.callback([]);
    assert.equal(dom.pendingFrames(), 0, 'the first report is the size already laid out');
    const before = parseFloat(cells.style.width);
    setWidth(root.querySelector('.petlens-main'), 400);
    observer.callback([]);
    assert.equal(dom.flushFrames(), 1);
    assert.ok(parseFloat(cells.style.width) < before);
  });

  it('with many classes sizes the labels from a few names first, then from all when idle', async () => {
    // Names starting with "z" are drawn 60 px wider than their letters: only a whole measure sees it.
    const canvasType = Object.getPrototypeOf(document.createElement('canvas'));
    const getContext = canvasType.getContext;
    canvasType.getContext = function context() {
      const ctx = getContext.call(this);
      ctx.measureText = (text) => ({ width: text.length * 6 + (text.length > 1 && text.startsWith('z') ? 60 : 0) });
      return ctx;
    };
    const n = 151;
    const vocab = [...Array.from({ length: n - 1 }, (_, i) => `long_${String(i).padStart(3, '0')}`), 'z01'];
    let cells;
    try {
      ({ cells } = mount(traits({ vocab, counts: wireInt32(new Int32Array(n * n), [n, n]), orders: {}, order: '' })));
    } finally {
      canvasType.getContext = getContext;
    }
    const TITLE_PX = 18;
    assert.equal(parseFloat(cells.style.left), TITLE_PX + 8 * 6 + 8, 'first paint: the widest of the names measured');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(dom.flushFrames(), 1);
    assert.equal(parseFloat(cells.style.left), TITLE_PX + 3 * 6 + 60 + 8, 'then every name');
  });

  /** Mounts, then lays the view out `width` px wide (as the ResizeObserver would). */
  function mountAt(width, state = traits()) {
    const view = mount(state);
    const main = view.root.querySelector('.petlens-main');
    setWidth(main, width);
    dom.resizeObservers.find((o) => o.targets.includes(main)).callback([]);
    dom.flushFrames();
    return { ...view, main, data: () => ({ ...view.root.dataset }) };
  }
  const fillTexts = (canvas) => drawCalls(canvas).filter(([name]) => name === 'fillText');

  describe('sized from its width and the class count', () => {
    it('37 breeds beside the side panel (a full-width panel at 1280 px): every name in full, a count in every nonzero cell, cells >= 18 px', () => {
      const { data, main, root } = mountAt(1220);
      const shown = data();
      assert.ok(Number(shown.cellPx) >= 18, `cells of ${shown.cellPx} px`);
      assert.deepEqual([shown.rowLabels, shown.colLabels, shown.labelsCut], ['37', '37', '0']);
      assert.ok(Number(shown.nonzeroCells) > 37);
      assert.equal(shown.valuesDrawn, shown.nonzeroCells);
      assert.ok(!main.classList.contains('petlens-stacked'), 'the side panel beside the matrix');
      // the label band fits the longest name: 'staffordshire_bull_terrier' is 26 x 6 px in the stub
      assert.equal(parseFloat(root.querySelector('.petlens-cells').style.left), 18 + 26 * 6 + 8);
    });
    it('narrower (a notebook, the report at 800 px): the side panel goes below, then cells shrink but names stay whole', () => {
      const notebook = mountAt(900);
      assert.ok(notebook.main.classList.contains('petlens-stacked'));
      assert.ok(Number(notebook.data().cellPx) >= 18);
      notebook.cleanup();
      const narrow = mountAt(740).data();
      assert.ok(Number(narrow.cellPx) < 18 && Number(narrow.cellPx) > 14, narrow.cellPx);
      assert.deepEqual([narrow.rowLabels, narrow.labelsCut, narrow.valuesDrawn], ['37', '0', narrow.nonzeroCells]);
    });
    it('a name beyond the label band cap is shortened, its full text on hover', () => {
      const long = `${'x'.repeat(60)}_terrier`;
      const { root, data } = mountAt(1220, traits({ vocab: [long, ...VOCAB.slice(1)] }));
      assert.equal(data().labelsCut, '2', 'its row and its column label');
      const labels = root.querySelector('.petlens-labels');
      dispatch(labels, 'pointermove', { clientX: 20, clientY: 5 });
      const tooltip = root.querySelector('.petlens-tooltip');
      assert.ok(!tooltip.hidden);
      assert.equal(tooltip.textContent, `Actual${long}`);
    });
    it('1000 classes: the overview image holds the strongest of several cells per pixel', () => {
      const n = 1000;
      const counts = new Int32Array(n * n);
      for (let i = 0; i < n; i++) counts[i * (n + 1)] = 50;
      counts[10 * n + 900] = 1;
      const { cells, data } = mountAt(1220, traits({ vocab: Array.from({ length: n }, (_, i) => `class_${i}`), counts: wireInt32(counts, [n, n]), orders: {}, order: '' }));
      const pool = Number(data().overviewPool);
      assert.ok(Number(data().cellPx) < 1 && pool >= 1, 'cells under a pixel: the overview');
      const drawImage = drawCalls(cells).findLast(([name]) => name === 'drawImage');
      assert.equal(drawImage[1].width, Math.ceil(n / pool), 'source: one pixel per pool x pool cells');
      assert.match(root(cells).querySelector('.petlens-legend-note').textContent, /^Overview: any confusion shows at least light blue/);
    });
  });
  const root = (node) => node.closest('.petlens-confusion');

  it('zoom: the level is shown, + is disabled at the deepest zoom, − and Reset at the whole matrix', () => {
    const { root: view } = mountAt(1220);
    const [out, zoomIn, resetButton] = [...view.querySelector('.petlens-zoom').querySelectorAll('button')];
    const level = view.querySelector('.petlens-zoom-level');
    assert.equal(level.textContent, '1.0×');
    assert.ok(out.disabled && resetButton.disabled && !zoomIn.disabled);
    for (let i = 0; i < 10; i++) {
      dispatch(zoomIn, 'click');
      dom.flushFrames();
    }
    assert.ok(zoomIn.disabled, 'the zoom-in button cannot act at the deepest zoom');
    assert.equal(zoomIn.title, 'Deepest zoom reached');
    assert.ok(!out.disabled && !resetButton.disabled);
    assert.match(level.textContent, /^\d\.\d×$/);
    assert.match(level.title, /deepest zoom/);
  });

  it('after a pan, no value is written in a cell cut by the edge (no stray partial column)', () => {
    const { cells } = mountAt(1220);
    const side = parseFloat(cells.style.width);
    dispatch(cells, 'wheel', { deltaY: -300, deltaMode: 0, clientX: side / 2, clientY: side / 2 });
    dom.flushFrames();
    dispatch(cells, 'pointerdown', { clientX: 100, clientY: 100, button: 0, pointerId: 1 });
    dispatch(cells, 'pointermove', { clientX: 107, clientY: 109, pointerId: 1 });
    dispatch(cells, 'pointerup', { clientX: 107, clientY: 109, pointerId: 1 });
    drawCalls(cells).length = 0;
    dom.flushFrames();
    const texts = fillTexts(cells);
    assert.ok(texts.length > 50);
    const cell = Number(root(cells).dataset.cellPx);
    for (const [, , x, y] of texts) {
      assert.ok(x >= cell / 2 - 1e-6 && x <= side - cell / 2 + 1e-6 && y >= cell / 2 - 1e-6 && y <= side - cell / 2 + 1e-6, `value at (${x}, ${y})`);
    }
  });

  it('the min_val control filters the most confused list (fastai most_confused(min_val)) and writes the trait', () => {
    const { model, root: view } = mount();
    const input = view.querySelector('.petlens-min-val');
    const pairs = () => findAll(view.querySelector('.petlens-confused'), (e) => e.tagName === 'BUTTON').map((b) => b.querySelector('.petlens-count').textContent);
    assert.equal(input.value, '2');
    input.value = '3';
    dispatch(input, 'change');
    assert.equal(model.get('min_val'), 3);
    assert.deepEqual(pairs(), ['9']);
    model.set('min_val', 1);
    assert.equal(pairs().length, 25);
    model.set('min_val', 10);
    assert.deepEqual(pairs(), []);
    assert.equal(view.querySelector('.petlens-confused-summary').textContent, 'No pair confused at least 10 times.');
  });

  it('the class filters highlight their row, column and cell, and the matching most confused entries', () => {
    const { model, root: view, cells } = mountAt(1220);
    const a = VOCAB.indexOf('american_pit_bull_terrier');
    const p = VOCAB.indexOf('staffordshire_bull_terrier');
    const matches = () => findAll(view, (e) => e.classList.contains('petlens-match')).map((b) => b.querySelector('.petlens-pair').textContent);
    drawCalls(cells).length = 0;
    drawCalls(view.querySelector('.petlens-labels')).length = 0;
    model.set('filter_actual', a);
    dom.flushFrames();
    const cell = Number(view.dataset.cellPx);
    const fills = drawCalls(cells).filter(([name]) => name === 'fillRect');
    const near = (u, v) => Math.abs(u - v) < 0.5; // data-cell-px has two decimals
    assert.ok(fills.some(([, x, y, w, h]) => x === 0 && near(y, a * cell) && near(w, C * cell) && near(h, cell)), 'the actual row tinted');
    assert.ok(matches().length >= 1 && matches().every((t) => t.startsWith('american_pit_bull_terrier →')));
    const bold = fillTexts(view.querySelector('.petlens-labels')).filter(([, text]) => text === 'american_pit_bull_terrier');
    assert.equal(bold.length, 2, 'its row label and its column label are drawn');
    model.set('filter_predicted', p);
    dom.flushFrames();
    assert.deepEqual(matches(), ['american_pit_bull_terrier → staffordshire_bull_terrier']);
    model.set('filter_actual', 999); // not a class: no actual filter
    dom.flushFrames();
    assert.ok(matches().every((t) => t.endsWith('→ staffordshire_bull_terrier')));
  });

  it('an order with groups (species: cats | dogs) draws a separator; the option says what the order does', () => {
    const species = [...ALPHABETICAL];
    const { root: view, cells } = mountAt(1220, traits({
      orders: { species, alphabetical: ALPHABETICAL },
      order: 'species',
      order_info: { species: { label: 'Species (cats | dogs)', help: 'Species: cats first, then dogs.', groups: [{ start: 0, name: 'cats' }, { start: 12, name: 'dogs' }] } },
    }));
    const cell = Number(view.dataset.cellPx);
    const at = 12 * cell;
    const moves = drawCalls(cells).filter(([name]) => name === 'moveTo');
    assert.ok(moves.some(([, x, y]) => Math.abs(x - at) < 0.5 && y === 0), 'a vertical line before the first dog');
    assert.ok(moves.some(([, x, y]) => x === 0 && Math.abs(y - at) < 0.5), 'a horizontal one');
    const select = findAll(view, (e) => e.tagName === 'SELECT')[1];
    assert.deepEqual([...select.children].map((o) => [o.textContent, o.title]), [['Species (cats | dogs)', 'Species: cats first, then dogs.'], ['alphabetical', '']]);
    assert.equal(view.querySelector('.petlens-order-help').textContent, 'Order: Species: cats first, then dogs.');
  });

  it('zoomed in, an overview map frames the part in view; a click there moves the view', () => {
    const { root: view, cells } = mountAt(1220);
    const map = view.querySelector('.petlens-minimap');
    assert.ok(map.hidden, 'no map while the whole matrix shows');
    for (let i = 0; i < 3; i++) dispatch(findAll(view, (e) => e.title === 'Zoom in')[0], 'click');
    dom.flushFrames();
    assert.ok(!map.hidden);
    const canvas = map.querySelector('canvas');
    assert.ok(drawCalls(canvas).some(([name]) => name === 'strokeRect'));
    const before = drawCalls(cells).findLast(([name]) => name === 'drawImage');
    canvas.getBoundingClientRect = () => ({ left: 0, top: 0, width: 150, height: 150 }); // no layout in the test DOM
    dispatch(canvas, 'pointerdown', { clientX: 140, clientY: 140, button: 0, pointerId: 1 });
    dom.flushFrames();
    const after = drawCalls(cells).findLast(([name]) => name === 'drawImage');
    assert.ok(after[6] < before[6] && after[7] < before[7], 'moved towards the bottom-right corner');
  });

  it('cleanup unsubscribes and removes the view', () => {
    const { model, cleanup } = mount();
    dom.flushFrames();
    cleanup();
    assert.equal(host.children.length, 0);
    model.set('normalize', 'true');
    assert.equal(dom.pendingFrames(), 0);
    assert.equal(dom.resizeObservers[0].targets.length, 0);
  });
});
