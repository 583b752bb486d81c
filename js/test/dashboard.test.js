/**
 * The dashboard: layout helpers, and the wiring of the views listed by the `panels` trait
 * through scoped models of one model (happy-dom). The confusion matrix and the top losses are
 * the real views, so the link (cell click -> `selection` -> filtered grid) is tested end to end.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { currentPanel, readPanels, readSharedTraits, readSummary, readTitle } from '../src/dashboard/layout.js';
import { mountDashboard, VIEWS } from '../src/dashboard/view.js';
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

/** The `panels` and `shared_traits` traits as Python sends them (petlens/views/dashboard.py). */
const PANELS = [
  { key: 'confusion', prefix: 'cm_', heading: 'Confusion matrix', hint: 'Click a cell to list its items in the top losses.' },
  { key: 'top_losses', prefix: 'tl_', heading: 'Top losses', hint: 'Click an item for details; arrow keys move, Esc closes.' },
  { key: 'lr_find', prefix: 'lr_', heading: 'Learning-rate finder', hint: null },
  { key: 'timeline', prefix: 'time_', heading: 'Training timeline', hint: null },
];
const SHARED_TRAITS = ['vocab', 'selection', 'live'];

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
    panels: PANELS,
    shared_traits: SHARED_TRAITS,
    vocab: VOCAB,
    selection: null,
    live: false,
    cm_counts: wireInt32(petsCounts(), [C, C]),
    cm_orders: {},
    cm_order: '',
    cm_normalize: null,
    cm_color_scale: 'linear',
    cm_hide_diagonal: false,
    cm_min_val: 2,
    cm_notice: '',
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
    tl_saliency: [],
    tl_notice: '',
    lr_curves: [],
    lr_explanations: {},
    lr_selected_lr: null,
    lr_selected_curve: 0,
    lr_show_raw: false,
    lr_epochs_hint: 3,
    // A run without training iterations yet, as TimelineView.state() sends it.
    time_layer_groups: [],
    time_phase: wire(new Int32Array(0), 'int32'),
    time_epoch: wire(new Int32Array(0), 'int32'),
    time_loss: wire(new Float32Array(0), 'float32'),
    time_lrs: { dtype: 'float32', shape: [0, 0], buffer: new DataView(new ArrayBuffer(0)) },
    time_trainable: { dtype: 'uint8', shape: [0, 0], buffer: new DataView(new ArrayBuffer(0)) },
    time_phases: [],
    time_epochs: [],
    time_events: [],
    time_epoch_errors: [],
    time_cursor: 0,
    time_playing: false,
    time_speed: 1,
    ...overrides,
  };
}

describe('dashboard layout', () => {
  it('a view for each panel key Python sends, named as in Python', () => {
    const python = ['confusion', 'per_class', 'embeddings', 'top_losses', 'saliency_checks', 'lr_find', 'timeline']; // petlens/views/dashboard.py PANELS
    assert.deepEqual([...VIEWS.keys()].sort(), python.sort());
  });
  it('readPanels keeps every entry in order, malformed fields made explicit', () => {
    assert.deepEqual(readPanels(PANELS), PANELS);
    assert.deepEqual(readPanels([{ key: 'timeline', prefix: 'time_', hint: '  ' }, null, { key: 3, prefix: '' }]), [
      { key: 'timeline', prefix: 'time_', heading: 'timeline', hint: null },
      { key: '', prefix: '', heading: '', hint: null },
      { key: '', prefix: '', heading: '', hint: null },
    ]);
    assert.deepEqual(readPanels(undefined), []);
  });
  it('readSharedTraits keeps the names', () => {
    assert.deepEqual(readSharedTraits(SHARED_TRAITS), SHARED_TRAITS);
    assert.deepEqual(readSharedTraits(['vocab', 3, null]), ['vocab']);
    assert.deepEqual(readSharedTraits(null), []);
  });
  it('currentPanel: the last panel whose top has reached the reading line (30% below the bar)', () => {
    // Bar bottom at 40 px in a 740 px viewport: the line is at 40 + 0.3 * 700 = 250 px.
    const boxes = (...tops) => tops.map((top) => ({ top, bottom: top + 500 }));
    assert.equal(currentPanel(boxes(60, 900, 1500), 40, 740), 0, 'at the top: the first panel');
    assert.equal(currentPanel(boxes(-800, 240, 900), 40, 740), 1, 'the second has reached the line');
    assert.equal(currentPanel(boxes(-800, 260, 900), 40, 740), 0, 'not yet');
    assert.equal(currentPanel(boxes(300, 900), 40, 740), 0, 'none reached yet: still the first');
    assert.equal(currentPanel(boxes(-900, -300, 230), 40, 740), 2, 'the end of the dashboard is in view: the last');
    assert.equal(currentPanel([], 40, 740), -1);
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
  const panel = (key) => root.querySelector(`[data-panel="${key}"]`);
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
    // The panels' CSS classes predate the Python key names; browser tests select them.
    assert.ok(root.querySelector('.petlens-panel-confusion').querySelector('.petlens-confusion'));
    assert.ok(root.querySelector('.petlens-panel-top_losses').querySelector('.petlens-losses'));
    assert.ok(findAll(root.querySelector('.petlens-panel-lr_find'), (e) => e.classList.contains('petlens')).length > 0);
    assert.ok(findAll(root.querySelector('.petlens-panel-timeline'), (e) => e.classList.contains('petlens')).length > 0);
    assert.deepEqual([...root.querySelector('.petlens-dash-grid').children].map((e) => e.getAttribute('data-panel')), PANELS.map((p) => p.key));
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
    const cards = () => findAll(panel('top_losses'), (e) => e.classList.contains('petlens-card'));
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
    assert.equal(panel('top_losses').querySelector('.petlens-chip-text').textContent, `cell: ${VOCAB[0]} → ${VOCAB[1]}`);
    assert.equal(panel('top_losses').querySelector('.petlens-count').textContent, `1 of ${N} items · page 1/1`);
    // Clearing the chip clears the matrix selection too.
    dispatch(findAll(panel('top_losses').querySelector('.petlens-chip'), (e) => e.tagName === 'BUTTON')[0], 'click');
    assert.equal(model.get('selection'), null);
    dom.flushFrames();
    assert.equal(cards().length, 24);
  });

  it('panel traits are prefixed: the top-loss page is tl_page', () => {
    const { model, panel } = mount();
    dom.flushFrames();
    dispatch(findAll(panel('top_losses'), (e) => e.tagName === 'BUTTON' && e.textContent === 'Next ›')[0], 'click');
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
      mounts: { confusion: fake('confusion'), top_losses: fake('top_losses'), lr_find: fake('lr_find'), timeline: fake('timeline') },
    });
    assert.deepEqual(calls, [
      ['confusion', 'c', true, 'cm_'],
      ['top_losses', 't', true, 'tl_'],
      ['lr_find', 'l', true, 'lr_'],
      ['timeline', 'm', true, 'time_'],
    ]);
    calls.length = 0;
    cleanup();
    assert.deepEqual(calls.map(([c]) => c).sort(), ['cleanup confusion', 'cleanup lr_find', 'cleanup timeline', 'cleanup top_losses']);
    assert.equal(host.children.length, 0);
    model.set('title', 'after'); // no listener left to throw
  });

  it('a view that fails to mount shows an error in its panel only', () => {
    const { panel } = mount(dashboardTraits(), {
      mounts: {
        lr_find: () => {
          throw new Error('boom');
        },
      },
    });
    assert.equal(panel('lr_find').querySelector('.petlens-error').textContent, 'Cannot show this view: boom');
    assert.ok(panel('top_losses').querySelector('.petlens-losses'));
    assert.ok(findAll(panel('timeline'), (e) => e.classList.contains('petlens')).length > 0);
  });

  it('an unknown or malformed panel shows why in its own panel, as text', () => {
    const panels = [PANELS[0], { key: EVIL, prefix: 'x_', heading: EVIL, hint: null }, { key: 'timeline', prefix: '', heading: 'No prefix', hint: null }, PANELS[3]];
    const { root } = mount(dashboardTraits({ panels }));
    const sections = [...root.querySelector('.petlens-dash-grid').children];
    assert.equal(sections.length, 4);
    assert.equal(sections[1].querySelector('h3').textContent, EVIL);
    assert.equal(sections[1].querySelector('.petlens-error').textContent, `Cannot show this view: no view called "${EVIL}"`);
    assert.equal(sections[2].querySelector('.petlens-error').textContent, 'Cannot show this view: no trait prefix for the view "timeline"');
    assert.equal(findAll(root, (e) => e.tagName === 'IMG').length, 0);
    assert.ok(sections[0].querySelector('.petlens-confusion'));
    assert.ok(sections[3].querySelector('.petlens-timeline'));
  });

  it('lays out as many panels as the trait lists, and follows it', () => {
    const three = mount(dashboardTraits({ panels: [PANELS[0], PANELS[1], PANELS[3]] }));
    const keys = (root) => [...root.querySelector('.petlens-dash-grid').children].map((e) => e.getAttribute('data-panel'));
    assert.deepEqual(keys(three.root), ['confusion', 'top_losses', 'timeline']);
    three.cleanup();
    const five = mount(dashboardTraits({ panels: [...PANELS, { ...PANELS[0], prefix: 'cm2_', heading: 'Again' }] }));
    assert.deepEqual(keys(five.root), [...PANELS.map((p) => p.key), 'confusion']);
    assert.equal(five.root.querySelectorAll('.petlens-dash-grid > .petlens-panel').length, 5);
    dom.flushFrames();
    five.model.set('panels', [PANELS[2]]);
    assert.deepEqual(keys(five.root), ['lr_find']);
    five.model.set('tl_page', 1);
    five.model.set('cm_normalize', 'true');
    assert.equal(dom.pendingFrames(), 0, 'the views of the panels that left are cleaned up');
    five.model.set('panels', []);
    assert.equal(five.root.querySelector('.petlens-dash-grid').children.length, 0);
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
      assert.equal(noticeOf(panel('top_losses')), REASON);
      assert.deepEqual(shownErrors(root), []);
      assert.ok(panel('confusion').querySelector('.petlens-main').hidden);
      assert.ok(panel('top_losses').querySelector('.petlens-losses-toolbar').hidden);
      assert.ok(findAll(panel('lr_find'), (e) => e.classList.contains('petlens')).length > 0, 'the other panels still render');
    });

    it('the widget (empty dicts): the reason, or a default message when there is none', () => {
      const { root, panel, cleanup } = mount(widgetTraits(REASON));
      dom.flushFrames();
      assert.equal(noticeOf(panel('confusion')), REASON);
      assert.equal(noticeOf(panel('top_losses')), REASON);
      assert.deepEqual(shownErrors(root), []);
      cleanup();
      const quiet = mount(widgetTraits(''));
      dom.flushFrames();
      assert.equal(noticeOf(quiet.panel('confusion')), NO_COUNTS_MESSAGE);
      assert.equal(noticeOf(quiet.panel('top_losses')), NO_PREDICTIONS_MESSAGE);
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
      assert.equal(noticeOf(panel('top_losses')), null);
      assert.deepEqual(shownErrors(root), []);
      const cards = () => findAll(panel('top_losses'), (e) => e.classList.contains('petlens-card'));
      assert.equal(cards().length, 24);
      assert.equal(findAll(panel('confusion').querySelector('.petlens-confused'), (e) => e.tagName === 'BUTTON').length, 13, 'the pairs confused at least twice');
      model.set('selection', [0, 1]);
      dom.flushFrames();
      assert.deepEqual(cards().map((c) => Number(c.getAttribute('data-index'))), [C]);
    });
  });

  it('the navigation bar has a button per panel that brings its panel to the top and focuses it', () => {
    document.body.appendChild(host); // focus needs a connected element
    const { root, panel } = mount();
    const nav = root.querySelector('nav.petlens-dash-nav');
    assert.ok(!nav.hidden);
    assert.equal(root.children[2], nav, 'between the header and the panels');
    const buttons = [...nav.querySelectorAll('button')];
    assert.deepEqual(buttons.map((b) => b.textContent), PANELS.map((p) => p.heading));
    const scrolled = [];
    for (const p of PANELS) panel(p.key).scrollIntoView = (options) => scrolled.push([p.key, options]);
    dispatch(buttons[3], 'click');
    assert.deepEqual(scrolled, [['timeline', { block: 'start' }]]);
    assert.equal(document.activeElement, panel('timeline'));
  });

  it('the navigation bar follows the panels trait; headings stay text; none for a single panel', () => {
    const { model, root } = mount(dashboardTraits({ panels: [PANELS[0], { ...PANELS[2], heading: EVIL }] }));
    const nav = root.querySelector('.petlens-dash-nav');
    assert.deepEqual([...nav.querySelectorAll('button')].map((b) => b.textContent), ['Confusion matrix', EVIL]);
    assert.equal(findAll(root, (e) => e.tagName === 'IMG').length, 0);
    model.set('panels', [PANELS[3]]);
    assert.equal(nav.querySelectorAll('button').length, 1);
    assert.ok(nav.hidden, 'nothing to move between');
  });

  it('marks the panel being read as the page scrolls', () => {
    document.body.appendChild(host); // scroll events reach the document
    const { root, panel } = mount();
    const nav = root.querySelector('.petlens-dash-nav');
    const tops = { confusion: -900, top_losses: -200, lr_find: 200, timeline: 800 };
    for (const [key, top] of Object.entries(tops)) panel(key).getBoundingClientRect = () => ({ top, bottom: top + 500 });
    nav.getBoundingClientRect = () => ({ top: 0, bottom: 40 });
    window.innerHeight = 740;
    dispatch(document.body, 'scroll', { bubbles: false });
    dom.flushFrames();
    const current = () => [...nav.querySelectorAll('button')].filter((b) => b.getAttribute('aria-current') === 'true').map((b) => b.textContent);
    assert.deepEqual(current(), ['Learning-rate finder']);
    panel('timeline').getBoundingClientRect = () => ({ top: 100, bottom: 600 });
    dispatch(panel('timeline'), 'scroll', { bubbles: false }); // a scrolling element: heard by the capturing listener
    dom.flushFrames();
    assert.deepEqual(current(), ['Training timeline'], 'the end of the dashboard is in view');
    // A button's panel stays marked while it stays where the button brought it (a short panel
    // whose next one is in full view), until something moves it.
    panel('lr_find').scrollIntoView = () => {};
    panel('lr_find').getBoundingClientRect = () => ({ top: 44, bottom: 90 });
    dispatch([...nav.querySelectorAll('button')][2], 'click');
    dispatch(document.body, 'scroll', { bubbles: false });
    dom.flushFrames();
    assert.deepEqual(current(), ['Learning-rate finder']);
    panel('lr_find').getBoundingClientRect = () => ({ top: 20, bottom: 66 });
    dispatch(document.body, 'scroll', { bubbles: false });
    dom.flushFrames();
    assert.deepEqual(current(), ['Training timeline']);
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
