/**
 * The dashboard: layout helpers, and the wiring of four views through scoped models of one
 * model (happy-dom). The confusion matrix and the top losses are the real views, so the link
 * (cell click -> `selection` -> filtered grid) is tested end to end.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isNarrow, NARROW_BELOW_PX, PANELS, readSummary, readTitle, SHARED_TRAITS } from '../src/dashboard/layout.js';
import { mountDashboard } from '../src/dashboard/view.js';
import { NO_COUNTS_MESSAGE } from '../src/confusion/view.js';
import { createModel } from '../src/lib/model.js';
import { NO_PREDICTIONS_MESSAGE } from '../src/top_losses/items.js';
import widget, { createModel as exportedCreateModel } from '../src/widgets/dashboard.js';
import { dispatch, findAll, installDom, setWidth } from '../test-support/dom.js';
import { petsCounts, VOCAB, wireInt32 } from '../test-support/pets.js';

const EVIL = '<img src=x onerror=alert(1)>';
const C = VOCAB.length;
const N = 74; // two items per class

const wire = (array, dtype) => ({ dtype, shape: [array.length], buffer: new DataView(array.buffer) });

function dashboardTraits(overrides = {}) {
  const targets = Int32Array.from({ length: N }, (_, i) => i % C);
  // Item i < C is right, item i >= C is predicted as the next class.
  const decoded = Int32Array.from(targets, (t, i) => (i < C ? t : (t + 1) % C));
  const losses = Float32Array.from({ length: N }, (_, i) => (i < C ? 0.01 * (i + 1) : 1 + i / 10));
  return {
    title: 'pets · resnet34',
    partial: false,
    summary: [
      ['Model', 'resnet34 · 21.8M params · 3 layer groups'],
      ['Data', '37 classes · 5,912 train / 1,478 valid'],
      ['Error rate', '6.4%'],
    ],
    vocab: VOCAB,
    selection: null,
    live: false,
    cm_counts: wireInt32(petsCounts(), [C, C]),
    cm_orders: {},
    cm_order: '',
    cm_normalize: null,
    cm_color_scale: 'linear',
    cm_hide_diagonal: false,
    tl_items: Array.from({ length: N }, (_, i) => `${VOCAB[i % C]}_${i}.jpg`),
    tl_targets: wire(targets, 'int32'),
    tl_decoded: wire(decoded, 'int32'),
    tl_losses: wire(losses, 'float32'),
    tl_prob_actual: wire(Float32Array.from(losses, (l) => Math.exp(-l)), 'float32'),
    tl_prob_pred: wire(Float32Array.from(losses, () => 0.7), 'float32'),
    tl_thumbs: [],
    tl_filter_actual: null,
    tl_filter_predicted: null,
    tl_sort: 'loss',
    tl_page: 0,
    tl_page_size: 24,
    tl_selected_item: null,
    tl_saliency_methods: [],
    lr_curves: [],
    time_loss: null,
    ...overrides,
  };
}

describe('dashboard layout', () => {
  it('four panels, each with its own prefix, two per row in reading order', () => {
    assert.deepEqual(PANELS.map((p) => [p.key, p.prefix]), [
      ['confusion', 'cm_'],
      ['losses', 'tl_'],
      ['lrfind', 'lr_'],
      ['timeline', 'time_'],
    ]);
    assert.deepEqual(SHARED_TRAITS, ['vocab', 'selection', 'live']);
  });
  it('isNarrow below the breakpoint, not before layout', () => {
    assert.ok(isNarrow(NARROW_BELOW_PX - 1));
    assert.ok(!isNarrow(NARROW_BELOW_PX));
    assert.ok(!isNarrow(0));
  });
  it('readSummary keeps [label, value] pairs as strings', () => {
    assert.deepEqual(readSummary([['A', 'b'], ['N', 3], ['only one'], null, ['x', null], 'ab']), [
      ['A', 'b'],
      ['N', '3'],
    ]);
    assert.deepEqual(readSummary(undefined), []);
  });
  it('readTitle falls back to a default', () => {
    assert.equal(readTitle('My run'), 'My run');
    assert.equal(readTitle('  '), 'petlens run');
    assert.equal(readTitle(null), 'petlens run');
  });
});

let dom;
let host;
let mounted = [];
beforeEach(() => {
  dom = installDom();
  host = document.createElement('div');
});
afterEach(() => {
  for (const cleanup of mounted) cleanup();
  mounted = [];
  dom.uninstall();
});

function mount(state = dashboardTraits(), options) {
  const model = createModel(state);
  const cleanup = options ? mountDashboard(model, host, options) : widget.render({ model, el: host });
  mounted.push(cleanup);
  const root = host.children[0];
  const panel = (key) => root.querySelector(`.petlens-panel-${key}`);
  return { model, cleanup, root, panel };
}

describe('dashboard widget', () => {
  it('exports an anywidget module', () => {
    assert.equal(typeof widget.initialize, 'function');
    assert.equal(typeof widget.render, 'function');
    assert.equal(exportedCreateModel, createModel);
  });

  it('renders the header and the four panels with headings', () => {
    const { root } = mount();
    assert.equal(findAll(root, (e) => e.tagName === 'H2')[0].textContent, 'pets · resnet34');
    assert.ok(root.querySelector('.petlens-badge').hidden);
    const summary = root.querySelector('.petlens-summary');
    assert.equal(summary.children.length, 3);
    assert.equal(summary.children[0].textContent, 'Modelresnet34 · 21.8M params · 3 layer groups');
    const headings = findAll(root, (e) => e.tagName === 'H3').map((h) => h.textContent);
    assert.deepEqual(headings, ['Confusion matrix', 'Top losses', 'Learning-rate finder', 'Training timeline']);
    assert.ok(root.querySelector('.petlens-panel-confusion').querySelector('.petlens-confusion'));
    assert.ok(root.querySelector('.petlens-panel-losses').querySelector('.petlens-losses'));
    assert.ok(findAll(root.querySelector('.petlens-panel-lrfind'), (e) => e.classList.contains('petlens')).length > 0);
    assert.ok(findAll(root.querySelector('.petlens-panel-timeline'), (e) => e.classList.contains('petlens')).length > 0);
  });

  it('the header follows title, summary and partial; untrusted text stays text', () => {
    const { model, root } = mount();
    model.set('partial', true);
    assert.ok(!root.querySelector('.petlens-badge').hidden);
    assert.equal(root.querySelector('.petlens-badge').textContent, 'partial run (interrupted)');
    model.set('title', EVIL);
    model.set('summary', [[EVIL, EVIL]]);
    assert.equal(findAll(root, (e) => e.tagName === 'H2')[0].textContent, EVIL);
    assert.equal(root.querySelector('.petlens-summary').textContent, EVIL + EVIL);
    model.set('summary', []);
    assert.ok(root.querySelector('.petlens-summary').hidden);
  });

  it('clicking a confusion cell filters the top-loss grid (shared selection)', () => {
    const { model, panel } = mount();
    dom.flushFrames();
    const cards = () => findAll(panel('losses'), (e) => e.classList.contains('petlens-card'));
    assert.equal(cards().length, 24);
    // Click cell (actual 0, predicted 1): vocab order, so display position = class index.
    const cells = panel('confusion').querySelector('.petlens-cells');
    const side = parseFloat(cells.style.width);
    const at = { clientX: 1.5 * (side / C), clientY: 0.5 * (side / C), button: 0, pointerId: 1 };
    dispatch(cells, 'pointerdown', at);
    dispatch(cells, 'pointerup', at);
    assert.deepEqual(model.get('selection'), [0, 1]);
    assert.equal(model.get('cm_selection'), undefined, 'selection is not prefixed');
    dom.flushFrames();
    assert.deepEqual(cards().map((c) => Number(c.getAttribute('data-index'))), [C], 'exactly the item of that cell');
    assert.equal(panel('losses').querySelector('.petlens-chip-text').textContent, `cell: ${VOCAB[0]} → ${VOCAB[1]}`);
    assert.equal(panel('losses').querySelector('.petlens-count').textContent, `1 of ${N} items · page 1/1`);
    // Clearing the chip clears the matrix selection too.
    dispatch(findAll(panel('losses').querySelector('.petlens-chip'), (e) => e.tagName === 'BUTTON')[0], 'click');
    assert.equal(model.get('selection'), null);
    dom.flushFrames();
    assert.equal(cards().length, 24);
  });

  it('panel traits are prefixed: the top-loss page is tl_page', () => {
    const { model, panel } = mount();
    dom.flushFrames();
    dispatch(findAll(panel('losses'), (e) => e.tagName === 'BUTTON' && e.textContent === 'Next ›')[0], 'click');
    assert.equal(model.get('tl_page'), 1);
    assert.equal(model.get('page'), undefined);
  });

  it('views get scoped models; cleanup calls every view cleanup', () => {
    const calls = [];
    const fake = (key) => (scoped, el) => {
      calls.push([key, scoped.get('marker'), scoped.get('vocab') === VOCAB, scoped.prefix]);
      el.appendChild(document.createElement('div'));
      return () => calls.push([`cleanup ${key}`]);
    };
    const state = dashboardTraits({ cm_marker: 'c', tl_marker: 't', lr_marker: 'l', time_marker: 'm' });
    const { cleanup, model } = mount(state, {
      mounts: { confusion: fake('confusion'), losses: fake('losses'), lrfind: fake('lrfind'), timeline: fake('timeline') },
    });
    assert.deepEqual(calls, [
      ['confusion', 'c', true, 'cm_'],
      ['losses', 't', true, 'tl_'],
      ['lrfind', 'l', true, 'lr_'],
      ['timeline', 'm', true, 'time_'],
    ]);
    calls.length = 0;
    cleanup();
    assert.deepEqual(calls.map(([c]) => c).sort(), ['cleanup confusion', 'cleanup losses', 'cleanup lrfind', 'cleanup timeline']);
    assert.equal(host.children.length, 0);
    model.set('title', 'after'); // no listener left to throw
  });

  it('a view that fails to mount shows an error in its panel only', () => {
    const { panel } = mount(dashboardTraits(), {
      mounts: {
        lrfind: () => {
          throw new Error('boom');
        },
      },
    });
    assert.equal(panel('lrfind').querySelector('.petlens-error').textContent, 'Cannot show this view: boom');
    assert.ok(panel('losses').querySelector('.petlens-losses'));
    assert.ok(findAll(panel('timeline'), (e) => e.classList.contains('petlens')).length > 0);
  });

  describe('runs without validation predictions', () => {
    const REASON = 'No confusion matrix or top losses: predictions were not recorded: multi-label targets (MultiCategoryBlock).';
    const PREDICTION_TRAITS = ['cm_counts', 'cm_orders', 'cm_order', 'tl_items', 'tl_targets', 'tl_decoded', 'tl_losses', 'tl_prob_actual', 'tl_prob_pred'];
    /** The report's state: no confusion or top-loss arrays at all, the reason in both notices. */
    function reportTraits(notice) {
      const state = dashboardTraits({ cm_notice: notice, tl_notice: notice });
      for (const name of PREDICTION_TRAITS) delete state[name];
      return state;
    }
    /** The widget's state: the Dict traits' defaults (empty dicts), empty lists. */
    const widgetTraits = (notice) =>
      dashboardTraits({ cm_counts: {}, cm_orders: {}, tl_items: [], tl_targets: {}, tl_decoded: {}, tl_losses: {}, tl_prob_actual: {}, tl_prob_pred: {}, cm_notice: notice, tl_notice: notice });
    const shownErrors = (root) => findAll(root, (e) => e.classList.contains('petlens-error') && !e.hidden).map((e) => e.textContent);
    const noticeOf = (panel) => {
      const notice = panel.querySelector('.petlens-notice');
      return notice.hidden ? null : notice.textContent;
    };

    it('the report: both panels show the reason as text, no error anywhere', () => {
      const { root, panel } = mount(reportTraits(REASON));
      dom.flushFrames();
      assert.equal(noticeOf(panel('confusion')), REASON);
      assert.equal(noticeOf(panel('losses')), REASON);
      assert.deepEqual(shownErrors(root), []);
      assert.ok(panel('confusion').querySelector('.petlens-main').hidden);
      assert.ok(panel('losses').querySelector('.petlens-losses-toolbar').hidden);
      assert.ok(findAll(panel('lrfind'), (e) => e.classList.contains('petlens')).length > 0, 'the other panels still render');
    });

    it('the widget (empty dicts): the reason, or a default message when there is none', () => {
      const { root, panel, cleanup } = mount(widgetTraits(REASON));
      dom.flushFrames();
      assert.equal(noticeOf(panel('confusion')), REASON);
      assert.equal(noticeOf(panel('losses')), REASON);
      assert.deepEqual(shownErrors(root), []);
      cleanup();
      const quiet = mount(widgetTraits(''));
      dom.flushFrames();
      assert.equal(noticeOf(quiet.panel('confusion')), NO_COUNTS_MESSAGE);
      assert.equal(noticeOf(quiet.panel('losses')), NO_PREDICTIONS_MESSAGE);
      assert.deepEqual(shownErrors(quiet.root), []);
    });

    it('a live run that gets its first predictions shows both views, linked', () => {
      const { model, root, panel } = mount(widgetTraits("No validation predictions yet: they are recorded when an epoch's validation ends."));
      dom.flushFrames();
      const full = dashboardTraits();
      for (const name of PREDICTION_TRAITS) model.set(name, full[name]);
      model.set('cm_notice', '');
      model.set('tl_notice', '');
      dom.flushFrames();
      assert.equal(noticeOf(panel('confusion')), null);
      assert.equal(noticeOf(panel('losses')), null);
      assert.deepEqual(shownErrors(root), []);
      const cards = () => findAll(panel('losses'), (e) => e.classList.contains('petlens-card'));
      assert.equal(cards().length, 24);
      assert.equal(findAll(panel('confusion').querySelector('.petlens-confused'), (e) => e.tagName === 'BUTTON').length, 10);
      model.set('selection', [0, 1]);
      dom.flushFrames();
      assert.deepEqual(cards().map((c) => Number(c.getAttribute('data-index'))), [C]);
    });
  });

  it('stacks the panels in one column when narrow', () => {
    const { root } = mount();
    assert.ok(root.classList.contains('petlens-narrow'), 'test-support/dom.js lays elements out 600 px wide');
    const observer = dom.resizeObservers.find((o) => o.targets.includes(root));
    setWidth(root, 1400);
    observer.callback([]);
    assert.ok(!root.classList.contains('petlens-narrow'));
    setWidth(root, 700);
    observer.callback([]);
    assert.ok(root.classList.contains('petlens-narrow'));
  });

  it('cleanup with the real views leaves nothing behind', () => {
    const { model, cleanup } = mount();
    dom.flushFrames();
    cleanup();
    assert.equal(host.children.length, 0);
    model.set('selection', [1, 2]);
    model.set('tl_page', 1);
    model.set('cm_normalize', 'true');
    assert.equal(dom.pendingFrames(), 0);
    for (const observer of dom.resizeObservers) assert.equal(observer.targets.length, 0);
  });
});
