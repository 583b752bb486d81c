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
    selection: null,
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
    assert.equal(findAll(root, (e) => e.tagName === 'CANVAS').length, 3, 'labels, cells, legend');
    assert.equal(findAll(root, (e) => e.tagName === 'SELECT').length, 3);
    const titles = findAll(root, (e) => e.classList.contains('petlens-axis-title')).map((e) => e.textContent);
    assert.deepEqual(titles, ['Actual', 'Predicted']);
    const pairs = findAll(root.querySelector('.petlens-confused'), (e) => e.tagName === 'BUTTON');
    assert.equal(pairs.length, 10);
    assert.equal(pairs[0].textContent, 'american_pit_bull_terrier → staffordshire_bull_terrier:9');
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
    assert.equal(pairs[0].textContent, `${EVIL} → pug:4`);
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
      toolbar: !root.querySelector('.petlens-toolbar').hidden,
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
      assert.equal(findAll(root.querySelector('.petlens-confused'), (e) => e.tagName === 'BUTTON').length, 10);
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

  it('lays out again only when the plot width changes', () => {
    const { root, cells } = mount();
    const observer = dom.resizeObservers.find((o) => o.targets.includes(root.querySelector('.petlens-plot')));
    observer.callback([]);
    assert.equal(dom.pendingFrames(), 0, 'the first report is the size already laid out');
    const before = parseFloat(cells.style.width);
    setWidth(root.querySelector('.petlens-plot'), 400);
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
