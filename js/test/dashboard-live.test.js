/**
 * The dashboard while a learner trains (happy-dom): timeline iterations arriving as
 * `petlens:append` messages (before or after rendering, to several views), messages that do not
 * follow ignored until the traits are set whole, the cursor following the end, the header's
 * training status, panels appearing with the first save.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { readProgress } from '../src/dashboard/layout.js';
import { createModel } from '../src/lib/model.js';
import widget from '../src/widgets/dashboard.js';
import { dispatch, installDom } from '../test-support/dom.js';

const G = 2;
const PANELS = [
  { key: 'lr_find', prefix: 'lr_', heading: 'Learning-rate finder', hint: null },
  { key: 'timeline', prefix: 'time_', heading: 'Training timeline', hint: null },
];
const TYPES = { float32: Float32Array, int32: Int32Array, uint8: Uint8Array };

/** Per-iteration arrays of iterations start..start+n-1: [name, dtype, typed data, shape]. */
function rows(start, n) {
  const range = (f, width = 1) => Array.from({ length: n * width }, (_, k) => f(start + Math.floor(k / width), k % width));
  return [
    ['phase', 'int32', range(() => 0), [n]],
    ['epoch', 'int32', range((i) => Math.floor(i / 10)), [n]],
    ['loss', 'float32', range((i) => 2 / (1 + i / 10)), [n]],
    ['lrs', 'float32', range((i, g) => 1e-3 * (g + 1) * (1 + (i % 10)), G), [n, G]],
    ['moms', 'float32', range(() => 0.9, G), [n, G]],
    ['trainable', 'uint8', range(() => 1, G), [n, G]],
  ].map(([name, dtype, values, shape]) => [name, dtype, TYPES[dtype].from(values), shape]);
}

/** The timeline traits of T iterations set whole, as Python sets them (prefixed). */
function timelineTraits(T) {
  const out = { time_cursor: Math.max(0, T - 1) };
  for (const [name, dtype, data, shape] of rows(0, T)) out[`time_${name}`] = { dtype, shape, buffer: new DataView(data.buffer) };
  return out;
}

/** A `petlens:append` message: arrays name their binary buffer by index. */
function append(start, n) {
  const arrays = {};
  const buffers = [];
  for (const [name, dtype, data, shape] of rows(start, n)) {
    arrays[name] = { dtype, shape, buffer: buffers.length };
    buffers.push(new DataView(data.buffer));
  }
  return [{ type: 'petlens:append', view: 'time_', start, arrays }, buffers];
}

function traits(overrides = {}) {
  return {
    title: 'petlens run pets',
    summary: [['Model', 'resnet18']],
    partial: true,
    panels: PANELS,
    shared_traits: ['vocab', 'selection', 'live'],
    vocab: [],
    selection: null,
    live: true,
    revision: 0,
    progress: {},
    lr_curves: [],
    lr_explanations: {},
    lr_selected_lr: null,
    lr_selected_curve: -1,
    lr_show_raw: false,
    lr_epochs_hint: 1,
    lr_slice_ratio: 100,
    time_layer_groups: [{ name: 'body', n_params: 1000 }, { name: 'head', n_params: 100 }],
    time_phases: [{ phase: 0, n_epoch: 3, status: 'running', first_iter: 0, n_iter: 0, frozen_idx: 0 }],
    time_epochs: [],
    time_events: [{ kind: 'fit_start', iter: 0 }],
    time_epoch_errors: [],
    time_playing: false,
    time_speed: 1,
    ...timelineTraits(4),
    ...overrides,
  };
}

/** The model stand-in plus what a kernel does: custom messages received (`receive`). */
function kernelModel(state) {
  const model = createModel(state);
  const handlers = new Set();
  const { on, off } = model;
  model.on = (event, callback) => (event === 'msg:custom' ? handlers.add(callback) : on(event, callback));
  model.off = (event, callback) => (event === 'msg:custom' ? handlers.delete(callback) : off(event, callback));
  model.receive = ([content, buffers]) => [...handlers].forEach((callback) => callback(content, buffers));
  return model;
}

let dom;
let cleanups = [];
beforeEach(() => {
  dom = installDom();
});
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
  dom.uninstall();
});

/** Renders the dashboard widget of `model` into a new host; returns its root and timeline readers. */
function render(model) {
  const host = document.createElement('div');
  document.body.appendChild(host);
  cleanups.push(widget.render({ model, el: host }));
  dom.flushFrames();
  const root = host.children[0];
  const overlay = () => root.querySelector('.petlens-tl-overlay');
  return {
    root,
    overlay,
    iterations: () => Number(overlay().getAttribute('aria-valuemax')) + 1,
    cursor: () => Number(overlay().getAttribute('aria-valuenow')),
    status: () => root.querySelector('.petlens-status'),
  };
}

function initialize(model) {
  cleanups.push(widget.initialize({ model }));
}

describe('dashboard while training: the timeline', () => {
  it('keeps iterations appended before the view renders, and grows with those after; the cursor follows the end', () => {
    const model = kernelModel(traits());
    initialize(model);
    model.receive(append(4, 3)); // the output area is not rendered yet
    const view = render(model);
    assert.equal(view.iterations(), 7);
    assert.equal(view.cursor(), 6);
    model.receive(append(7, 20));
    dom.flushFrames();
    assert.equal(view.iterations(), 27);
    assert.equal(view.cursor(), 26, 'at the end, the cursor stays at the end');
    assert.match(view.root.querySelector('.petlens-tl-readout').textContent, /Iteration 26/);
  });

  it('ignores a message that does not follow, until the traits are set whole', () => {
    const model = kernelModel(traits());
    initialize(model);
    const view = render(model);
    model.receive(append(9, 3)); // iterations 4..8 never arrived
    dom.flushFrames();
    assert.equal(view.iterations(), 4);
    for (const [name, value] of Object.entries(timelineTraits(30))) model.set(name, value); // the fit ended: the run as saved
    dom.flushFrames();
    assert.equal(view.iterations(), 30);
    model.receive(append(30, 2));
    dom.flushFrames();
    assert.equal(view.iterations(), 32);
    model.set('time_loss', timelineTraits(32).time_loss); // set whole again: what was appended goes
    for (const [name, value] of Object.entries(timelineTraits(32))) model.set(name, value);
    model.receive(append(32, 1));
    dom.flushFrames();
    assert.equal(view.iterations(), 33);
  });

  it('a cursor moved away from the end stays there while iterations arrive; back at the end it follows again', () => {
    const model = kernelModel(traits());
    initialize(model);
    const view = render(model);
    model.receive(append(4, 6));
    dom.flushFrames();
    dispatch(view.overlay(), 'keydown', { key: 'Home' });
    dom.flushFrames();
    assert.equal(view.cursor(), 0);
    model.receive(append(10, 5));
    dom.flushFrames();
    assert.equal(view.iterations(), 15);
    assert.equal(view.cursor(), 0);
    dispatch(view.overlay(), 'keydown', { key: 'End' });
    model.receive(append(15, 5));
    dom.flushFrames();
    assert.equal(view.cursor(), 19);
  });

  it('several views of one model all grow; one redraw per frame however many messages', () => {
    const model = kernelModel(traits());
    initialize(model);
    const [a, b] = [render(model), render(model)];
    for (let start = 4; start < 40; start += 4) model.receive(append(start, 4));
    assert.equal(dom.pendingFrames(), 2, 'one frame per view for 9 messages');
    dom.flushFrames();
    assert.deepEqual([a.iterations(), b.iterations()], [40, 40]);
  });
});

describe('dashboard while training: the header', () => {
  it('readProgress: live with fit, epoch, batch, elapsed and ETA counted from 1; lr_find; how it ended; nothing for {}', () => {
    const running = readProgress({ status: 'running', phase: 1, epoch: 0, n_epoch: 3, batch: 11, n_batches: 40, elapsed: 65.4, eta: 3723 });
    assert.equal(running.text, '● live · fit 2 · epoch 1/3 · batch 12/40 · 1:05 elapsed · ETA 1:02:03');
    assert.equal(running.epoch, 1);
    assert.match(readProgress({ status: 'running', phase: 0, epoch: 0, n_epoch: 1, batch: 0, n_batches: 9, elapsed: 0.2, eta: null }).text, /ETA —$/);
    assert.equal(readProgress({ status: 'running' }).text, '● live · starting');
    assert.equal(readProgress({ status: 'lr_find', batch: 37 }).text, '● live · lr_find · batch 37');
    for (const status of ['finished', 'interrupted', 'cancelled']) assert.equal(readProgress({ status }).text, status);
    assert.equal(readProgress({}), null);
    assert.equal(readProgress({ status: '<b>x</b>' }), null);
    assert.equal(readProgress(null), null);
  });

  it('shows the status in place of the partial badge; the epoch counter and revision for scripts', () => {
    const model = kernelModel(traits());
    const view = render(model);
    const partial = () => view.root.querySelector('.petlens-badge');
    assert.ok(view.status().hidden, 'nothing ran since it was shown');
    assert.ok(!partial().hidden);
    model.set('progress', { status: 'running', phase: 0, epoch: 1, n_epoch: 3, batch: 4, n_batches: 10, elapsed: 12, eta: 30 });
    model.set('revision', 7);
    assert.ok(!view.status().hidden);
    assert.ok(partial().hidden, 'a running fit is not a partial run');
    assert.equal(view.status().textContent, '● live · fit 1 · epoch 2/3 · batch 5/10 · 0:12 elapsed · ETA 0:30');
    const header = view.root.querySelector('.petlens-dash-header');
    assert.equal(header.dataset.status, 'running');
    assert.equal(header.dataset.epoch, '2');
    assert.equal(view.root.dataset.revision, '7');
    model.set('progress', { status: 'interrupted' });
    assert.equal(view.status().textContent, 'interrupted');
    assert.match(view.status().title, /last state recorded/);
    assert.equal(header.dataset.status, 'interrupted');
    model.set('progress', {});
    assert.ok(view.status().hidden);
  });

  it('panels appear when the first save sets them (a dashboard shown before training)', () => {
    const model = kernelModel(traits({ panels: [], title: 'petlens: waiting for training', summary: [['Status', 'waiting']] }));
    initialize(model);
    const view = render(model);
    assert.equal(view.root.querySelectorAll('.petlens-panel').length, 0);
    model.set('panels', PANELS);
    dom.flushFrames();
    assert.equal(view.root.querySelectorAll('.petlens-panel').length, 2);
    model.receive(append(4, 2));
    dom.flushFrames();
    assert.equal(view.iterations(), 6);
  });
});
