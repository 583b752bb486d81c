/**
 * Wiring of the LR-finder widget through the model stand-in and a DOM (happy-dom): traits in,
 * clicks out. Drawing itself is not checked here (lr_find.test.js covers the maths).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { lossDomain, lrDomain, pickLr, readCurves } from '../src/lib/lr_find.js';
import { createModel } from '../src/lib/model.js';
import { logScale } from '../src/lib/scale.js';
import { CHART_MARGIN } from '../src/lr_find/draw.js';
import { mountLrFinder } from '../src/lr_find/view.js';
import widget, { createModel as exportedCreateModel } from '../src/widgets/lr_find.js';
import { dispatch, drawCalls, findAll, installDom } from '../test-support/dom.js';

const EVIL = '<img src=x onerror=alert(1)>';

function wireF32(values) {
  const data = Float32Array.from(values);
  return { dtype: 'float32', shape: [data.length], buffer: new DataView(data.buffer) };
}

function curve(label, { shift = 0, frozenIdx = 2 } = {}) {
  const n = 100;
  const lrs = Array.from({ length: n }, (_, i) => 1e-7 * 1e8 ** (i / (n - 1)));
  const losses = lrs.map((lr) => {
    const x = Math.log10(lr) - shift;
    return 2.5 - 1.5 / (1 + Math.exp(-(x + 4) * 2)) + (x > -2 ? 3 * (x + 2) ** 2 : 0);
  });
  return {
    label,
    iter: 0,
    frozen_idx: frozenIdx,
    lrs: wireF32(lrs),
    losses: wireF32(losses),
    raw_losses: wireF32(losses.map((v, i) => v + (i % 2 ? 0.1 : -0.1))),
    suggestions: { valley: 1.2e-3, slide: 3e-3, minimum: 1e-3, steep: null },
    points: { valley: [1.2e-3, 1.1], slide: [3e-3, 1.05], minimum: [1e-2, 1.0], steep: null },
  };
}

function traits(overrides = {}) {
  return {
    curves: [curve('lr_find #1 (frozen)'), curve('lr_find #2 (unfrozen)', { shift: -1, frozenIdx: 0 })],
    explanations: { valley: 'Longest slide down.', slide: 'Slide rule.', minimum: 'Tenth of the minimum.', steep: 'Steepest.' },
    selected_lr: null,
    selected_curve: 1,
    show_raw: false,
    epochs_hint: 3,
    slice_ratio: 100,
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

function mount(state = traits()) {
  const model = createModel(state);
  const saves = [];
  model.save_changes = () => saves.push({ selected_lr: model.get('selected_lr'), selected_curve: model.get('selected_curve') });
  widget.initialize({ model });
  const cleanup = widget.render({ model, el: host });
  const root = host.children[0];
  const canvas = findAll(root, (e) => e.tagName === 'CANVAS')[0];
  const buttons = (className) => findAll(root.querySelector(`.${className}`), (e) => e.tagName === 'BUTTON');
  return { model, saves, cleanup, root, canvas, buttons };
}

/** Where the chart's x axis puts `lr`, as the view computes it. */
function chartX(canvas, state) {
  const width = parseFloat(canvas.style.width);
  const scale = logScale(lrDomain(readCurves(state.curves)), [CHART_MARGIN.left, width - CHART_MARGIN.right], { clamp: true });
  return scale;
}

describe('lr_find widget', () => {
  it('exports an anywidget module and the mount function', () => {
    assert.equal(typeof widget.initialize, 'function');
    assert.equal(typeof widget.render, 'function');
    assert.equal(exportedCreateModel, createModel);
    assert.equal(typeof mountLrFinder, 'function');
  });

  it('renders the legend, the chart, the suggestion list and the pick row', () => {
    const { root, canvas, buttons } = mount();
    assert.ok(root.classList.contains('petlens-lrfind'));
    const legend = buttons('petlens-lrfind-legend');
    assert.deepEqual(legend.map((b) => b.textContent), ['lr_find #1 (frozen)', 'lr_find #2 (unfrozen)']);
    assert.deepEqual(legend.map((b) => b.getAttribute('aria-pressed')), ['false', 'true']);
    const rows = buttons('petlens-suggestions');
    assert.equal(rows.length, 4);
    assert.equal(rows[0].textContent, '●Valley1.2e-3Longest slide down.');
    assert.equal(rows[3].getAttribute('disabled'), '', 'steep: no rate');
    assert.equal(canvas.width, 2 * parseFloat(canvas.style.width), 'device pixel ratio 2');
    assert.ok(drawCalls(canvas).some(([name]) => name === 'stroke'));
    assert.ok(root.querySelector('.petlens-empty').hidden);
    assert.ok(root.querySelector('.petlens-error').hidden);
    assert.equal(root.querySelector('.petlens-pick-code').value, '');
  });

  it('shows untrusted labels and explanations literally', () => {
    const curves = [curve(EVIL)];
    const { root } = mount(traits({ curves, selected_curve: 0, explanations: { valley: EVIL } }));
    assert.equal(root.querySelector('.petlens-lrfind-legend').textContent, EVIL);
    assert.ok(root.querySelector('.petlens-suggestions').textContent.includes(EVIL));
    assert.equal(findAll(root, (e) => e.tagName === 'IMG').length, 0);
  });

  it('no curves: a clear message instead of the chart', () => {
    const { root, model } = mount(traits({ curves: [] }));
    const empty = root.querySelector('.petlens-empty');
    assert.ok(!empty.hidden);
    assert.equal(empty.textContent, 'No lr_find recorded in this run.');
    assert.ok(root.querySelector('.petlens-lrfind-main').hidden);
    model.set('curves', [curve('lr_find #1')]);
    dom.flushFrames();
    assert.ok(empty.hidden);
    assert.ok(!root.querySelector('.petlens-lrfind-main').hidden);
  });

  it('a legend click selects the curve', () => {
    const { model, saves, buttons } = mount();
    dispatch(buttons('petlens-lrfind-legend')[0], 'click');
    assert.equal(model.get('selected_curve'), 0);
    assert.equal(saves.length, 1);
    dom.flushFrames();
    assert.deepEqual(buttons('petlens-lrfind-legend').map((b) => b.getAttribute('aria-pressed')), ['true', 'false']);
  });

  it('a suggestion click on a frozen curve selects its rate and fills the fine_tune line', () => {
    const { model, root, buttons } = mount(traits({ selected_curve: 0 }));
    dispatch(buttons('petlens-suggestions')[0], 'click');
    assert.equal(model.get('selected_lr'), 1.2e-3);
    dom.flushFrames();
    assert.equal(root.querySelector('.petlens-pick-code').value, 'learn.fine_tune(3, base_lr=1.2e-3)');
    assert.equal(buttons('petlens-suggestions')[0].getAttribute('aria-pressed'), 'true');
    assert.ok(root.querySelector('.petlens-pick-ratio').parentNode.hidden, 'no slice for fine_tune');
    model.set('epochs_hint', 5);
    dom.flushFrames();
    assert.equal(root.querySelector('.petlens-pick-code').value, 'learn.fine_tune(5, base_lr=1.2e-3)');
  });

  it('a post-unfreeze curve offers fit_one_cycle with a slice whose ratio the select writes', () => {
    const { model, root, buttons } = mount(traits({ selected_lr: 1e-4 }));
    const code = root.querySelector('.petlens-pick-code');
    assert.equal(code.value, 'learn.fit_one_cycle(3, lr_max=slice(1.0e-6, 1.0e-4))');
    const select = root.querySelector('.petlens-pick-ratio');
    assert.ok(!select.parentNode.hidden);
    assert.deepEqual([...select.options].map((o) => o.value), ['10', '100', '1000']);
    select.value = '10';
    dispatch(select, 'change');
    assert.equal(model.get('slice_ratio'), 10);
    dom.flushFrames();
    assert.equal(code.value, 'learn.fit_one_cycle(3, lr_max=slice(1.0e-5, 1.0e-4))');
    model.set('slice_ratio', 30);
    dom.flushFrames();
    assert.deepEqual([...select.options].map((o) => o.value), ['10', '30', '100', '1000'], 'a ratio from Python is offered');
    assert.equal(code.value, 'learn.fit_one_cycle(3, lr_max=slice(3.3e-6, 1.0e-4))');
    dispatch(buttons('petlens-lrfind-legend')[0], 'click');
    dom.flushFrames();
    assert.equal(code.value, 'learn.fine_tune(3, base_lr=1.0e-4)', 'the line follows the selected curve');
  });

  it('a curve whose frozen state is unknown offers no line and says so', () => {
    const unknown = { ...curve('lr_find #1'), frozen_idx: undefined };
    const { root } = mount(traits({ curves: [unknown], selected_curve: 0, selected_lr: 1e-3 }));
    assert.equal(root.querySelector('.petlens-pick-code').value, '');
    assert.ok(root.querySelector('.petlens-pick button').disabled, 'Copy disabled');
    assert.match(root.querySelector('.petlens-pick-note').textContent, /does not record whether the layer groups were frozen/);
  });

  it('a click on the plot picks the rate under the cursor', () => {
    const state = traits();
    const { model, canvas, saves } = mount(state);
    const x = chartX(canvas, state);
    const at = x.map(2.13e-5);
    dispatch(canvas, 'click', { clientX: at, clientY: 100 });
    assert.equal(model.get('selected_lr'), pickLr(at, x).lr);
    assert.equal(model.get('selected_lr'), 2.1e-5);
    assert.equal(saves.length, 1);
    dispatch(canvas, 'click', { clientX: x.map(3e-3) + 2, clientY: 100 });
    assert.equal(model.get('selected_lr'), 3e-3, 'snapped to the slide marker');
    dispatch(canvas, 'click', { clientX: 5, clientY: 100 });
    assert.equal(saves.length, 2, 'outside the plot: ignored');
  });

  it('hover shows the crosshair readout for the selected curve', () => {
    const state = traits();
    const { root, canvas } = mount(state);
    const x = chartX(canvas, state);
    dispatch(canvas, 'pointermove', { clientX: x.map(1e-5), clientY: 100 });
    dom.flushFrames();
    assert.match(root.querySelector('.petlens-lrfind-readout').textContent, /^lr 1\.0e-5 · loss \d\.\d{3} \(lr_find #2 \(unfrozen\)\)$/);
    dispatch(canvas, 'pointerleave', {});
    dom.flushFrames();
    assert.match(root.querySelector('.petlens-lrfind-readout').textContent, /^Hover the chart/);
  });

  it('selected curve drives the y range by default; the toggle fits all curves', () => {
    const state = traits();
    const curves = readCurves(state.curves);
    assert.notDeepEqual(lossDomain([curves[1]]), lossDomain(curves));
    const { root, canvas } = mount(state);
    const toggles = findAll(root.querySelector('.petlens-lrfind-top'), (e) => e.tagName === 'INPUT');
    assert.equal(toggles.length, 2);
    drawCalls(canvas).length = 0;
    toggles[1].checked = true;
    dispatch(toggles[1], 'change');
    assert.equal(dom.flushFrames(), 1);
    assert.ok(drawCalls(canvas).length > 0, 'redrawn');
  });

  it('the raw-loss checkbox writes show_raw and retitles the loss axis', () => {
    const { model, root, canvas } = mount();
    const raw = findAll(root.querySelector('.petlens-lrfind-top'), (e) => e.tagName === 'INPUT')[0];
    const titles = () => drawCalls(canvas).filter((c) => c[0] === 'fillText' && String(c[1]).startsWith('Loss')).map((c) => c[1]);
    assert.deepEqual(titles(), ['Loss (smoothed)']);
    raw.checked = true;
    dispatch(raw, 'change');
    assert.equal(model.get('show_raw'), true);
    drawCalls(canvas).length = 0;
    dom.flushFrames();
    assert.deepEqual(titles(), ['Loss (smoothed; raw faint)']);
    assert.match(canvas.getAttribute('aria-label'), /^Loss \(smoothed; raw faint\) against/);
    model.set('show_raw', false);
    dom.flushFrames();
    assert.equal(raw.checked, false);
  });

  it('Copy writes the line to the clipboard when available', async () => {
    const written = [];
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    Object.defineProperty(globalThis, 'navigator', {
      value: { clipboard: { writeText: async (text) => written.push(text) } },
      configurable: true,
      writable: true,
    });
    try {
      const { root, cleanup } = mount(traits({ selected_lr: 2.1e-3 }));
      const copy = findAll(root.querySelector('.petlens-pick'), (e) => e.tagName === 'BUTTON')[0];
      assert.equal(copy.disabled, false);
      dispatch(copy, 'click');
      await new Promise((resolve) => setTimeout(resolve, 0));
      assert.deepEqual(written, ['learn.fit_one_cycle(3, lr_max=slice(2.1e-5, 2.1e-3))']);
      assert.equal(root.querySelector('.petlens-pick-status').textContent, 'Copied');
      cleanup();
    } finally {
      if (saved) Object.defineProperty(globalThis, 'navigator', saved);
      else delete globalThis.navigator;
    }
  });

  it('Copy without a clipboard selects the text instead', () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
    try {
      const { root, cleanup } = mount(traits({ selected_lr: 2.1e-3 }));
      const code = root.querySelector('.petlens-pick-code');
      let selected = false;
      code.select = () => {
        selected = true;
      };
      dispatch(findAll(root.querySelector('.petlens-pick'), (e) => e.tagName === 'BUTTON')[0], 'click');
      assert.ok(selected);
      assert.match(root.querySelector('.petlens-pick-status').textContent, /Ctrl\+C/);
      cleanup();
    } finally {
      if (saved) Object.defineProperty(globalThis, 'navigator', saved);
      else delete globalThis.navigator;
    }
  });

  it('reports malformed traits without throwing', () => {
    const bad = curve('x');
    bad.losses = wireF32([1, 2]);
    const { root, model } = mount(traits({ curves: [bad] }));
    const message = root.querySelector('.petlens-error');
    assert.ok(!message.hidden);
    assert.match(message.textContent, /curve 0: 2 losses for 100 learning rates/);
    assert.ok(root.querySelector('.petlens-empty').hidden);
    model.set('curves', [curve('ok')]);
    dom.flushFrames();
    assert.ok(message.hidden);
  });

  it('cleanup unsubscribes and removes the view', () => {
    const { model, cleanup } = mount();
    dom.flushFrames();
    cleanup();
    assert.equal(host.children.length, 0);
    model.set('selected_curve', 0);
    model.set('curves', []);
    assert.equal(dom.pendingFrames(), 0);
    assert.equal(dom.resizeObservers[0].targets.length, 0);
  });

  it('a running curve (no suggestions yet) grows ~3 times a second without losing the pick, the hover or the legend; no line until it ends', () => {
    /** lr_find #2 after `n` of its 100 iterations, as the live dashboard sends it. */
    const running = (n) => {
      const full = curve('lr_find #2 (running)', { frozenIdx: 0 });
      const cut = (wire) => wireF32(new Float32Array(wire.buffer.buffer).slice(0, n));
      return { ...full, iter: null, lrs: cut(full.lrs), losses: cut(full.losses), raw_losses: null, suggestions: {}, points: {}, running: true };
    };
    const { model, root, canvas, buttons } = mount(traits({ curves: [curve('lr_find #1 (frozen)'), running(30)], selected_curve: -1, selected_lr: 2e-5 }));
    dom.flushFrames();
    const legend = buttons('petlens-lrfind-legend');
    const code = root.querySelector('.petlens-pick-code');
    assert.equal(code.value, '', 'no line while it runs');
    assert.match(root.querySelector('.petlens-pick-note').textContent, /still running/);
    assert.ok(buttons('petlens-suggestions').every((b) => b.disabled && /when lr_find ends/.test(b.title)));
    const rect = canvas.getBoundingClientRect();
    dispatch(canvas, 'pointermove', { clientX: rect.left + 120, clientY: rect.top + 100 });
    dom.flushFrames();
    const readout = () => root.querySelector('.petlens-lrfind-readout').textContent;
    assert.match(readout(), /lr_find #2 \(running\)/);
    for (const n of [45, 60, 80]) {
      drawCalls(canvas).length = 0;
      model.set('curves', [curve('lr_find #1 (frozen)'), running(n)]);
      dom.flushFrames();
      assert.ok(drawCalls(canvas).some(([name]) => name === 'stroke'), 'drawn again at every update');
    }
    assert.deepEqual(buttons('petlens-lrfind-legend'), legend, 'the same legend buttons');
    assert.equal(model.get('selected_lr'), 2e-5);
    assert.match(readout(), /^lr .* \(lr_find #2 \(running\)\)$/, 'the hover readout stays');
    // It ends: the run's curve with fastai's suggestions replaces the running one.
    model.set('curves', [curve('lr_find #1 (frozen)'), curve('lr_find #2 (unfrozen)', { frozenIdx: 0 })]);
    dom.flushFrames();
    assert.equal(code.value, 'learn.fit_one_cycle(3, lr_max=slice(2.0e-7, 2.0e-5))');
    assert.ok(buttons('petlens-suggestions').some((b) => !b.disabled));
  });
});
