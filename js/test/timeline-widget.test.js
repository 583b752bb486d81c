/**
 * Wiring of the timeline widget through the model stand-in, a DOM (happy-dom) and an injected clock:
 * play / pause (revealing the data up to the cursor), throttled cursor writes, scrubbing, stepping,
 * zooming the iteration axis, the momentum panel, trait changes and cleanup.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createModel } from '../src/lib/model.js';
import { PLAY_SECONDS } from '../src/lib/playback.js';
import { edgeX, fullWindow, iterX, timelineLayout } from '../src/lib/timeline-layout.js';
import { mountTimeline } from '../src/timeline/view.js';
import widget, { createModel as exportedCreateModel } from '../src/widgets/timeline.js';
import { dispatch, drawCalls, findAll, installDom } from '../test-support/dom.js';

const EVIL = '<img src=x onerror=alert(1)>';

function wire(dtype, values, shape) {
  const Type = { float32: Float32Array, int32: Int32Array, uint8: Uint8Array }[dtype];
  const data = Type.from(values);
  return { dtype, shape: shape ?? [data.length], buffer: new DataView(data.buffer) };
}

/** fine_tune: a frozen fit (1 epoch) then an unfrozen fit (2 epochs), `perEpoch` iterations each. */
function traits({ perEpoch = 100, names = ['body[0:6]', 'body[6:8]', 'head'], ...overrides } = {}) {
  const G = names.length;
  const phase = [];
  const epoch = [];
  const loss = [];
  const lrs = [];
  const moms = [];
  const trainable = [];
  const phases = [];
  const epochs = [];
  const epochErrors = [];
  const events = [];
  let it = 0;
  [
    [1, G - 1],
    [2, 0],
  ].forEach(([nEpoch, frozenIdx], p) => {
    phases.push({ phase: p, n_epoch: nEpoch, status: 'finished', first_iter: it, n_iter: nEpoch * perEpoch, frozen_idx: frozenIdx });
    events.push({ kind: 'fit_start', iter: it }, { kind: p ? 'unfreeze' : 'freeze', iter: it });
    for (let e = 0; e < nEpoch; e++) {
      for (let b = 0; b < perEpoch; b++, it++) {
        phase.push(p);
        epoch.push(e);
        loss.push(2 / (1 + it / 50));
        for (let g = 0; g < G; g++) {
          lrs.push(1e-3 * 100 ** ((g - (G - 1)) / Math.max(1, G - 1)) * (0.5 + 0.5 * Math.sin((b / perEpoch) * Math.PI)));
          moms.push(0.95 - 0.1 * Math.sin((b / perEpoch) * Math.PI));
          trainable.push(g >= frozenIdx ? 1 : 0);
        }
      }
      epochs.push({ phase: p, epoch: e, iter: it, train_loss: 0.5, valid_loss: 0.4 - 0.05 * epochs.length, error_rate: 0.1 });
      epochErrors.push({ iter: it, phase: p, epoch: e, error_rate: 0.12 - 0.02 * epochErrors.length });
    }
  });
  const T = it;
  return {
    layer_groups: names.map((name, g) => ({ name, n_params: 1000 * (g + 1) })),
    phase: wire('int32', phase),
    epoch: wire('int32', epoch),
    loss: wire('float32', loss),
    lrs: wire('float32', lrs, [T, G]),
    moms: wire('float32', moms, [T, G]),
    trainable: wire('uint8', trainable, [T, G]),
    phases,
    epochs,
    events,
    epoch_errors: epochErrors,
    cursor: 0,
    playing: false,
    speed: 1,
    ...overrides,
  };
}

/** The layout the view computes for the test traits (labels 6 px per character). */
function stageLayout(overlay, mom = true) {
  return timelineLayout({ width: parseFloat(overlay.style.width), G: 3, labelWidth: 6 * 'body[0:6] · 1K'.length, mom });
}

let dom;
let host;
let clock;
beforeEach(() => {
  dom = installDom();
  host = document.createElement('div');
  clock = 0;
});
afterEach(() => dom.uninstall());

function mount(state = traits()) {
  const model = createModel(state);
  const saves = [];
  model.save_changes = () => saves.push({ cursor: model.get('cursor'), playing: model.get('playing') });
  const cleanup = mountTimeline(model, host, { now: () => clock });
  const root = host.children[0];
  const [back, data, overlay] = findAll(root.querySelector('.petlens-tl-stage'), (e) => e.tagName === 'CANVAS');
  /** Drawing calls of the offscreen canvas holding every column of the data (copied onto `data`). */
  const full = () => drawCalls(drawCalls(data).find(([name]) => name === 'drawImage')[1]);
  const controls = root.querySelector('.petlens-tl-controls');
  const [play, previous, next] = findAll(controls, (e) => e.tagName === 'BUTTON');
  const speed = findAll(controls, (e) => e.tagName === 'SELECT')[0];
  const scrubber = controls.querySelector('.petlens-tl-scrubber');
  const text = (className) => root.querySelector(`.${className}`).textContent;
  /** Runs `frames` animation frames, `ms` apart on the injected clock. */
  const run = (frames, ms = 1000 / 60) => {
    for (let k = 0; k < frames; k++) {
      clock += ms;
      dom.flushFrames();
    }
  };
  return { model, saves, cleanup, root, back, data, full, overlay, play, previous, next, speed, scrubber, text, run };
}

describe('timeline widget', () => {
  it('exports an anywidget module and the mount function', () => {
    assert.equal(typeof widget.initialize, 'function');
    assert.equal(typeof widget.render, 'function');
    assert.equal(exportedCreateModel, createModel);
    widget.initialize({});
    const cleanup = widget.render({ model: createModel(traits()), el: host });
    assert.equal(typeof cleanup, 'function');
    cleanup();
  });

  it('renders controls, canvases, legend and readout', () => {
    const { root, play, speed, scrubber, text, full } = mount(traits({ cursor: 150 }));
    assert.equal(play.textContent, '▶ Play');
    assert.deepEqual([...speed.children].map((o) => o.textContent), ['0.5×', '1×', '2×', '4×']);
    assert.equal(speed.value, '1');
    assert.equal(scrubber.getAttribute('max'), '299');
    assert.equal(scrubber.value, '150');
    const canvases = findAll(root.querySelector('.petlens-tl-stage'), (e) => e.tagName === 'CANVAS');
    assert.equal(canvases.length, 3, 'frame, data and overlay');
    assert.ok(full().some(([name]) => name === 'drawImage'), 'strips drawn from an image');
    assert.equal(text('petlens-tl-where'), 'Iteration 150 · fit 2/2 (unfrozen) · epoch 1/2');
    assert.equal(text('petlens-tl-big-value'), '12.0%');
    assert.equal(text('petlens-tl-big-caption'), 'error rate after fit 1, epoch 1');
    assert.match(text('petlens-tl-groups'), /^body\[0:6\] · 1Klr \d\.\de-\dmom 0\.85trainable/);
    assert.match(text('petlens-tl-legend'), /body\[0:6\]body\[6:8\]head/);
    assert.ok(root.querySelector('.petlens-empty').hidden);
  });

  it('draws strips by pixel columns, not by iteration', () => {
    const { full, back } = mount(traits({ perEpoch: 20000 }));
    const images = full().filter(([name]) => name === 'drawImage');
    assert.equal(images.length, 3, 'one per group');
    const sourceWidth = images[0][4];
    assert.ok(sourceWidth <= 2 * 600, `${sourceWidth} columns for 60,000 iterations`);
    assert.ok(full().length + drawCalls(back).length < 50000, `${full().length} calls`);
  });

  it('shows untrusted group names literally', () => {
    const { root } = mount(traits({ names: [EVIL, 'head'] }));
    assert.ok(root.querySelector('.petlens-tl-legend').textContent.includes(EVIL));
    assert.ok(root.querySelector('.petlens-tl-groups').textContent.includes(EVIL));
    assert.equal(findAll(root, (e) => e.tagName === 'IMG').length, 0);
  });

  it('T = 0: a message instead of the timeline', () => {
    const empty = { layer_groups: [], loss: wire('float32', []), phase: wire('int32', []), epoch: wire('int32', []), phases: [], epochs: [], events: [], epoch_errors: [], cursor: 0, playing: false, speed: 1 };
    const { root, model, play } = mount(empty);
    assert.ok(!root.querySelector('.petlens-empty').hidden);
    assert.equal(root.querySelector('.petlens-empty').textContent, 'No training iterations recorded yet.');
    assert.ok(root.querySelector('.petlens-tl-content').hidden);
    dispatch(play, 'click');
    assert.equal(model.get('playing'), false);
    const full = traits();
    for (const name of ['layer_groups', 'loss', 'phase', 'epoch', 'lrs', 'trainable', 'phases', 'epochs']) model.set(name, full[name]);
    dom.flushFrames();
    assert.ok(root.querySelector('.petlens-empty').hidden);
    assert.ok(!root.querySelector('.petlens-tl-content').hidden);
  });

  it('plays from the cursor, draws every frame and writes the cursor ~10 times per second', () => {
    const { model, saves, play, run, text } = mount(traits({ cursor: 0 }));
    dispatch(play, 'click');
    assert.equal(model.get('playing'), true);
    dom.flushFrames();
    assert.equal(play.textContent, '❚❚ Pause');
    saves.length = 0;
    run(60); // one second: 300 iterations in 10 s -> 30 iterations
    assert.ok(Math.abs(model.get('cursor') - 30) <= 2, `cursor ${model.get('cursor')}`);
    assert.ok(saves.length >= 9 && saves.length <= 11, `${saves.length} writes`);
    assert.match(text('petlens-tl-where'), /^Iteration (29|30) /, 'readout follows every frame');
  });

  it('stops at the end, and plays again from 0', () => {
    const { model, play, run } = mount(traits({ cursor: 290 }));
    dispatch(play, 'click');
    run(30, 50); // 1.5 s at 30 iterations per second
    assert.equal(model.get('cursor'), 299);
    assert.equal(model.get('playing'), false);
    assert.equal(dom.pendingFrames(), 0, 'no animation frame left');
    dispatch(play, 'click');
    assert.equal(model.get('cursor'), 0);
    assert.equal(model.get('playing'), true);
  });

  it('pause keeps the cursor; the playing trait starts and stops playback', () => {
    const { model, play, run } = mount(traits({ cursor: 0 }));
    model.set('playing', true);
    run(30);
    dispatch(play, 'click');
    assert.equal(model.get('playing'), false);
    const stopped = model.get('cursor');
    assert.ok(stopped > 0);
    run(30);
    assert.equal(model.get('cursor'), stopped);
  });

  it('speed follows the select and scales the animation', () => {
    const { model, speed, play, run } = mount(traits({ cursor: 0 }));
    speed.value = '4';
    dispatch(speed, 'change');
    assert.equal(model.get('speed'), 4);
    dispatch(play, 'click');
    run(60);
    assert.ok(Math.abs(model.get('cursor') - 120) <= 4, `cursor ${model.get('cursor')}`);
    model.set('speed', 3);
    dom.flushFrames();
    assert.deepEqual([...speed.children].map((o) => o.value), ['0.5', '1', '2', '3', '4'], 'another speed from Python is listed');
    assert.equal(speed.value, '3');
    assert.ok(PLAY_SECONDS > 0);
  });

  it('step buttons jump between epoch boundaries and fit starts', () => {
    const { model, previous, next } = mount(traits({ cursor: 0 }));
    dispatch(next, 'click');
    assert.equal(model.get('cursor'), 99, 'last iteration of epoch 1');
    dispatch(next, 'click');
    assert.equal(model.get('cursor'), 100, 'first iteration of fit 2');
    dispatch(next, 'click');
    assert.equal(model.get('cursor'), 199);
    dispatch(previous, 'click');
    assert.equal(model.get('cursor'), 100);
  });

  it('the scrubber and a drag on the canvas move the cursor', () => {
    const { model, saves, scrubber, overlay, text } = mount(traits({ cursor: 0 }));
    scrubber.value = '42';
    dispatch(scrubber, 'input');
    assert.equal(model.get('cursor'), 42);
    scrubber.value = '43';
    dispatch(scrubber, 'input');
    assert.equal(model.get('cursor'), 42, 'throttled while dragging');
    dispatch(scrubber, 'change');
    assert.equal(model.get('cursor'), 43, 'written when released');
    dom.flushFrames();
    assert.match(text('petlens-tl-where'), /^Iteration 43 /);

    const layout = stageLayout(overlay);
    const y = layout.strips.top + 2;
    const all = fullWindow(300);
    saves.length = 0;
    dispatch(overlay, 'pointerdown', { clientX: iterX(layout, all, 200), clientY: y, button: 0, pointerId: 1 });
    assert.equal(model.get('cursor'), 200);
    clock += 5;
    dispatch(overlay, 'pointermove', { clientX: iterX(layout, all, 250), clientY: y, pointerId: 1 });
    dispatch(overlay, 'pointerup', { pointerId: 1 });
    assert.equal(model.get('cursor'), 250);
    assert.equal(saves.length, 2);
  });

  it('draws the momentum of each group in its own panel, as plot_sched', () => {
    const { back, full, text, cleanup } = mount(traits({ cursor: 150 }));
    const titles = drawCalls(back).filter(([name]) => name === 'fillText').map((c) => c[1]);
    assert.ok(titles.includes('Momentum per group'));
    const strokes = full().filter(([name]) => name === 'stroke').length;
    assert.match(text('petlens-tl-groups'), /mom 0\.85/);
    cleanup();
    const withoutMoms = mount(traits({ cursor: 150, moms: null }));
    const titlesWithout = drawCalls(withoutMoms.back).filter(([name]) => name === 'fillText').map((c) => c[1]);
    assert.ok(!titlesWithout.includes('Momentum per group'), 'no momentum recorded: no panel');
    assert.ok(strokes > withoutMoms.full().filter(([name]) => name === 'stroke').length, 'momentum lines drawn');
  });

  it('zooms the iteration axis: buttons, keys, the Show list, wheel and a brush; a reset shows all', () => {
    const { root, overlay, full, text } = mount(traits({ cursor: 150 }));
    const controls = root.querySelector('.petlens-tl-zoom');
    const [zoomOut, zoomIn] = findAll(controls, (e) => e.tagName === 'BUTTON');
    const show = controls.querySelector('select');
    const shown = () => show.options[show.selectedIndex].textContent;
    const stripColumns = () => full().filter(([name]) => name === 'drawImage').at(-1)[4];
    assert.equal(shown(), 'all 300 iterations');
    assert.deepEqual([...show.options].map((o) => o.textContent), ['all 300 iterations', 'fit 1 (frozen): 0–100', 'fit 2: 100–300']);
    assert.ok(zoomOut.disabled);
    dispatch(zoomIn, 'click');
    dom.flushFrames();
    assert.equal(shown(), 'iterations 75–225', 'about the cursor');
    assert.ok(!zoomOut.disabled);
    show.value = '1';
    dispatch(show, 'change');
    dom.flushFrames();
    assert.equal(shown(), 'fit 1 (frozen): 0–100');
    assert.equal(stripColumns(), 100, 'one column per iteration of the frozen fit');
    assert.match(text('petlens-tl-position'), /^150 \/ 299$/, 'the cursor stays where it was');
    dispatch(overlay, 'keydown', { key: '0' });
    dom.flushFrames();
    assert.equal(shown(), 'all 300 iterations');

    const layout = stageLayout(overlay);
    const all = fullWindow(300);
    const y = layout.loss.top + 10;
    dispatch(overlay, 'wheel', { clientX: edgeX(layout, all, 100), clientY: y, deltaY: -300 });
    dom.flushFrames();
    assert.equal(shown(), 'iterations 50–200', 'a wheel notch zooms about the pointer');
    dispatch(overlay, 'wheel', { clientX: edgeX(layout, all, 100), clientY: y, deltaY: 300 });
    dom.flushFrames();
    assert.equal(shown(), 'all 300 iterations');

    const axisY = layout.axis.top + 10;
    dispatch(overlay, 'pointerdown', { clientX: edgeX(layout, all, 20), clientY: axisY, button: 0, pointerId: 1 });
    dispatch(overlay, 'pointermove', { clientX: edgeX(layout, all, 60), clientY: axisY, pointerId: 1 });
    dom.flushFrames();
    assert.ok(drawCalls(overlay).some(([name]) => name === 'fillRect'), 'the brush is drawn');
    dispatch(overlay, 'pointerup', { pointerId: 1 });
    dom.flushFrames();
    assert.equal(shown(), 'iterations 20–60');
    assert.match(text('petlens-tl-position'), /^150 /, 'brushing does not move the cursor');
    dispatch(overlay, 'dblclick');
    dom.flushFrames();
    assert.equal(shown(), 'all 300 iterations');
  });

  it('Play reveals the data up to the cursor, turning pages of a zoom; pause shows it all', () => {
    const { overlay, data, play, run } = mount(traits({ cursor: 0 }));
    const copied = () => drawCalls(data).filter(([name]) => name === 'drawImage').at(-1)[4]; // source width, device px
    const layout = stageLayout(overlay);
    assert.equal(copied(), data.width, 'paused: every column');
    dispatch(play, 'click');
    run(60);
    const cursor = Number(overlay.getAttribute('aria-valuenow'));
    assert.ok(cursor > 20 && cursor < 40);
    assert.equal(copied(), Math.round(Math.round(iterX(layout, fullWindow(300), cursor)) * 2), 'up to the cursor');
    dispatch(overlay, 'keydown', { key: '+' });
    dispatch(overlay, 'keydown', { key: '+' });
    run(150); // 2.5 s more: past the end of the zoomed window
    const now = Number(overlay.getAttribute('aria-valuenow'));
    assert.ok(now > 75 + 20, `${now}`);
    const show = overlay.parentNode.parentNode.querySelector('.petlens-tl-show');
    const [start, end] = show.options[show.selectedIndex].textContent.match(/\d+/g).map(Number);
    assert.ok(start <= now && now < end, `the page ${start}–${end} shows the cursor ${now}`);
    dispatch(play, 'click');
    dom.flushFrames();
    assert.equal(copied(), data.width, 'paused: every column again');
  });

  it('keys step the cursor', () => {
    const { model, overlay } = mount(traits({ cursor: 10 }));
    dispatch(overlay, 'keydown', { key: 'ArrowRight' });
    assert.equal(model.get('cursor'), 11);
    dispatch(overlay, 'keydown', { key: 'End' });
    assert.equal(model.get('cursor'), 299);
    dispatch(overlay, 'keydown', { key: 'PageUp' });
    assert.equal(model.get('cursor'), 199);
    const event = dispatch(overlay, 'keydown', { key: ' ' });
    assert.ok(event.defaultPrevented);
    assert.equal(model.get('playing'), true);
  });

  it('follows cursor changes from the model', () => {
    const { model, text } = mount(traits({ cursor: 0 }));
    model.set('cursor', 250);
    dom.flushFrames();
    assert.match(text('petlens-tl-where'), /^Iteration 250 · fit 2\/2 \(unfrozen\) · epoch 2\/2$/);
    assert.equal(text('petlens-tl-big-value'), '10.0%');
  });

  it('reports malformed traits without throwing', () => {
    const { root } = mount(traits({ epoch: wire('int32', [1, 2, 3]) }));
    assert.ok(!root.querySelector('.petlens-error').hidden);
    assert.match(root.querySelector('.petlens-error').textContent, /epoch has 3 values for 300 iterations/);
    assert.ok(root.querySelector('.petlens-empty').hidden);
  });

  it('cleanup stops playing, unsubscribes and removes the view', () => {
    const { model, play, cleanup } = mount(traits({ cursor: 0 }));
    dispatch(play, 'click');
    cleanup();
    assert.equal(host.children.length, 0);
    assert.equal(dom.pendingFrames(), 0);
    model.set('cursor', 5);
    model.set('playing', false);
    model.set('loss', wire('float32', [1]));
    assert.equal(dom.pendingFrames(), 0);
    assert.equal(dom.resizeObservers[0].targets.length, 0);
  });
});
