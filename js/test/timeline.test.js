import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FROZEN_GREY, VIRIDIS } from '../src/lib/colormap.js';
import {
  boundaryMarkers,
  columnCount,
  columnRanges,
  cursorStops,
  describeCursor,
  groupLabel,
  latestEnded,
  logAxisTicks,
  lossAxisDomain,
  lrAxisDomain,
  lrColorT,
  lrExtent,
  m4,
  momAxisDomain,
  nextPrime,
  nextStop,
  phaseOf,
  previousStop,
  readoutTexts,
  readTimeline,
  runs,
  smoothLoss,
  stackLabels,
  stripImage,
  validPoints,
} from '../src/lib/timeline.js';

const close = (actual, expected, eps = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= eps * Math.max(1, Math.abs(expected)), `${actual} != ${expected}`);

function wire(dtype, values, shape) {
  const Type = { float32: Float32Array, int32: Int32Array, uint8: Uint8Array }[dtype];
  const data = Type.from(values);
  return { dtype, shape: shape ?? [data.length], buffer: new DataView(data.buffer) };
}

/**
 * fine_tune-like session: 3 groups, a frozen fit (groups 0, 1 frozen) then an unfrozen fit,
 * `perEpoch` iterations per epoch, 1 + 2 epochs; lrs: slice ratios 1/100, 1/10, 1.
 */
function traits({ perEpoch = 4, errors = true } = {}) {
  const G = 3;
  const phase = [];
  const epoch = [];
  const loss = [];
  const lrs = [];
  const trainable = [];
  const fits = [
    { n_epoch: 1, frozen_idx: 2 },
    { n_epoch: 2, frozen_idx: 0 },
  ];
  const phases = [];
  const epochs = [];
  const epochErrors = [];
  const events = [{ kind: 'lr_find', iter: 0 }];
  let it = 0;
  fits.forEach((fit, p) => {
    phases.push({ phase: p, n_epoch: fit.n_epoch, status: 'finished', first_iter: it, n_iter: fit.n_epoch * perEpoch, frozen_idx: fit.frozen_idx });
    events.push({ kind: 'fit_start', iter: it, frozen_idx: fit.frozen_idx }, { kind: p ? 'unfreeze' : 'freeze', iter: it });
    for (let e = 0; e < fit.n_epoch; e++) {
      for (let b = 0; b < perEpoch; b++) {
        phase.push(p);
        epoch.push(e);
        loss.push(2 - it * 0.1);
        for (let g = 0; g < G; g++) {
          lrs.push(1e-3 * [0.01, 0.1, 1][g]);
          trainable.push(g >= fit.frozen_idx ? 1 : 0);
        }
        it += 1;
      }
      epochs.push({ phase: p, epoch: e, iter: it, train_loss: 1, valid_loss: 1 - it * 0.05, error_rate: 0.2 - it * 0.01, time: null });
      if (errors) epochErrors.push({ iter: it, phase: p, epoch: e, error_rate: 0.2 - it * 0.01 });
    }
    events.push({ kind: 'fit_end', iter: it });
  });
  const T = it;
  return {
    layer_groups: [
      { name: 'body[0:6]', n_params: 683072 },
      { name: 'body[6:8]', n_params: 20586240 },
      { name: 'head', n_params: 529000 },
    ],
    phase: wire('int32', phase),
    epoch: wire('int32', epoch),
    loss: wire('float32', loss),
    lrs: wire('float32', lrs, [T, G]),
    trainable: wire('uint8', trainable, [T, G]),
    phases,
    epochs,
    events,
    epoch_errors: epochErrors,
  };
}

const read = (state) => readTimeline((name) => state[name]);

describe('readTimeline', () => {
  it('decodes the arrays and names the groups', () => {
    const t = read(traits());
    assert.equal(t.T, 12);
    assert.equal(t.G, 3);
    assert.deepEqual(t.groups.map((g) => g.label), ['body[0:6] · 683K', 'body[6:8] · 20.6M', 'head · 529K']);
    assert.equal(t.lrs.length, 36);
    assert.equal(t.trainable[0], 0);
    assert.equal(t.trainable[2], 1);
    assert.equal(t.phases.length, 2);
    assert.equal(t.epochErrors.length, 3);
  });
  it('T = 0 when nothing was recorded', () => {
    const t = read({ layer_groups: [{ name: 'head', n_params: 1 }], loss: wire('float32', []), phases: [], epochs: [] });
    assert.equal(t.T, 0);
    assert.equal(t.G, 1);
    assert.equal(read({}).T, 0);
  });
  it('extra lr columns get generic names; missing trainable means trainable', () => {
    const state = traits();
    state.layer_groups = state.layer_groups.slice(0, 1);
    delete state.trainable;
    const t = read(state);
    assert.deepEqual(t.groups.map((g) => g.name), ['body[0:6]', 'group 1', 'group 2']);
    assert.equal(t.trainable[0], 1);
  });
  it('throws naming the trait when shapes disagree', () => {
    const state = traits();
    assert.throws(() => read({ ...state, epoch: wire('int32', [0, 1]) }), /epoch has 2 values for 12 iterations/);
    assert.throws(() => read({ ...state, trainable: wire('uint8', new Array(24).fill(1), [12, 2]) }), /shape \[12,2\], expected \[12, 3\]/);
    assert.throws(() => read({ ...state, lrs: wire('float32', new Array(12).fill(1)) }), /lrs must be 2-d/);
  });
  it('sorts epochs / errors by iter and drops malformed entries', () => {
    const state = traits();
    state.epochs = [state.epochs[2], null, { iter: 'x' }, state.epochs[0], state.epochs[1]];
    state.epoch_errors = [{ iter: 8, error_rate: NaN }, ...state.epoch_errors.reverse()];
    const t = read(state);
    assert.deepEqual(t.epochs.map((e) => e.iter), [4, 8, 12]);
    assert.deepEqual(t.epochErrors.map((e) => e.iter), [4, 8, 12]);
  });
});

describe('columns', () => {
  it('partition the iterations when T >= n', () => {
    const { start, end } = columnRanges({ start: 0, end: 10 }, 4);
    assert.deepEqual([...start], [0, 2, 5, 7]);
    assert.deepEqual([...end], [2, 5, 7, 10]);
  });
  it('show one iteration each when T < n', () => {
    const { start, end } = columnRanges({ start: 0, end: 2 }, 4);
    assert.deepEqual([...start], [0, 0, 1, 1]);
    assert.deepEqual([...end], [1, 1, 2, 2]);
  });
  it('cover only the window in view', () => {
    const { start, end } = columnRanges({ start: 100, end: 118 }, 6);
    assert.deepEqual([...start], [100, 103, 106, 109, 112, 115]);
    assert.deepEqual([...end], [103, 106, 109, 112, 115, 118]);
    assert.deepEqual([...m4([0, 1, 2, 3, 4, 5, 6, 7], { start: 4, end: 8 }, 2)], [4, 4, 5, 5, 6, 6, 7, 7]);
  });
  it('columnCount: one per device pixel, at most the iterations in view', () => {
    assert.equal(columnCount(50000, 800, 2), 1600);
    assert.equal(columnCount(300, 800, 2), 300);
    assert.equal(columnCount(0, 800), 0);
  });
  it('m4 keeps first, min, max and last of each column, NaN where none is finite', () => {
    const values = [3, 1, 5, 2, NaN, NaN, 4, 0];
    const out = m4(values, { start: 0, end: 8 }, 4);
    assert.deepEqual([...out.slice(0, 8)], [3, 1, 3, 1, 5, 2, 5, 2]);
    assert.ok(out.slice(8, 12).every(Number.isNaN));
    assert.deepEqual([...out.slice(12)], [4, 0, 4, 0]);
  });
  it('m4 reads one column of a T x G matrix and can skip non-positive values', () => {
    const values = [1, 10, 2, 20, 3, 0, 4, 40];
    const all = { start: 0, end: 4 };
    assert.deepEqual([...m4(values, all, 2, 2, 1)], [10, 10, 20, 20, 0, 0, 40, 40]);
    assert.deepEqual([...m4(values, all, 2, 2, 1, { positive: true })], [10, 10, 20, 20, 40, 40, 40, 40]);
  });
  it('aggregates 50,000 x 10 quickly', () => {
    const T = 50000;
    const G = 10;
    const lrs = new Float32Array(T * G).map((_, i) => 1e-3 * (1 + (i % 7)));
    const trainable = new Uint8Array(T * G).map((_, i) => (Math.floor(i / G) > T / 2 || i % G === G - 1 ? 1 : 0));
    const started = performance.now();
    const all = { start: 0, end: T };
    const strip = stripImage({ G, lrs, trainable }, all, 1600, [1e-3, 7e-3], VIRIDIS);
    for (let g = 0; g < G; g++) m4(lrs, all, 1600, G, g, { positive: true });
    const elapsed = performance.now() - started;
    assert.equal(strip.rgba.length, 1600 * G * 4);
    assert.ok(elapsed < 500, `${elapsed} ms`);
  });
});

describe('strip colours', () => {
  it('lrColorT is log-linear over the domain and clamped', () => {
    close(lrColorT(1e-4, [1e-5, 1e-3]), 0.5);
    assert.equal(lrColorT(1e-6, [1e-5, 1e-3]), 0);
    assert.equal(lrColorT(1, [1e-5, 1e-3]), 1);
    assert.equal(lrColorT(1e-3, [1e-3, 1e-3]), 0.5);
  });
  it('frozen columns are grey, trainable ones coloured by rate, unknown rates transparent', () => {
    // T = 4, G = 2; group 0 frozen for the first half; group 1 has no rate in the last iteration.
    const lrs = [1e-5, 1e-3, 1e-5, 1e-3, 1e-5, 1e-3, 1e-3, NaN];
    const trainable = [0, 1, 0, 1, 1, 1, 1, 1];
    const { rgba, frozen } = stripImage({ G: 2, lrs, trainable }, { start: 0, end: 4 }, 4, [1e-5, 1e-3], VIRIDIS);
    const pixel = (g, c) => [...rgba.slice((g * 4 + c) * 4, (g * 4 + c) * 4 + 4)];
    assert.deepEqual(pixel(0, 0), [...FROZEN_GREY, 255]);
    assert.deepEqual([...frozen], [1, 1, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(pixel(0, 2), [VIRIDIS[0], VIRIDIS[1], VIRIDIS[2], 255], 'lowest rate: first LUT entry');
    assert.deepEqual(pixel(0, 3), [VIRIDIS[255 * 3], VIRIDIS[255 * 3 + 1], VIRIDIS[255 * 3 + 2], 255], 'highest rate: last entry');
    assert.deepEqual(pixel(1, 3), [0, 0, 0, 0]);
  });
  it('a column is frozen when most of its iterations are; the colour is the geometric mean rate', () => {
    const lrs = [1e-5, 1e-3, 1e-4, 1e-4];
    const { frozen, rgba } = stripImage({ G: 1, lrs, trainable: [1, 1, 0, 0] }, { start: 0, end: 4 }, 2, [1e-5, 1e-3], VIRIDIS);
    assert.deepEqual([...frozen], [0, 1]);
    const mid = 128 * 3; // t = 0.5 -> floor(0.5 * 256)
    assert.deepEqual([...rgba.slice(0, 3)], [VIRIDIS[mid], VIRIDIS[mid + 1], VIRIDIS[mid + 2]]);
  });
  it('runs finds consecutive frozen columns', () => {
    assert.deepEqual(runs([1, 1, 0, 1, 0, 0, 1], 7), [[0, 2], [3, 4], [6, 7]]);
    assert.deepEqual(runs([0, 0, 1, 1, 1, 0], 3, 3), [[0, 2]]);
    assert.deepEqual(runs([], 0), []);
  });
});

describe('rate ranges', () => {
  it('lrExtent ignores the annealing tail below the 2nd percentile', () => {
    const lrs = new Float32Array(1000).map((_, i) => (i < 10 ? 1e-9 : 1e-4 + i * 1e-6));
    const [lo, hi] = lrExtent(lrs);
    assert.ok(lo > 1e-4 && lo < 1.3e-4, `${lo}`);
    close(hi, 1e-4 + 999e-6);
    assert.equal(lrExtent([NaN, 0, -1]), null);
    assert.deepEqual(lrExtent([2e-3]), [2e-3, 2e-3]);
  });
  it('samples every group of an interleaved T x G matrix', () => {
    const G = 10;
    const lrs = new Float32Array(500000).map((_, i) => (i % G === 3 ? 1e-6 : 1e-3));
    const [lo] = lrExtent(lrs, 0.05);
    close(lo, Math.fround(1e-6), 1e-5);
    assert.equal(nextPrime(25), 29);
    assert.equal(nextPrime(1), 1);
    assert.equal(nextPrime(2), 2);
  });
  it('lrAxisDomain covers every rate of the schedule, the annealing tail included, with a small margin', () => {
    // one-cycle: warm up from max / 25, anneal to max / 1e5 (fastai's div=25, div_final=1e5)
    const lrs = new Float32Array(306).map((_, i) => (i < 300 ? 1e-3 * (0.04 + 0.96 * Math.sin((i / 300) * Math.PI)) : 1e-8));
    const [a, b] = lrAxisDomain(lrs);
    assert.ok(a < Math.fround(1e-8) && a > 1e-9, `${a}: below the smallest rate, within a decade`);
    assert.ok(b > 1e-3 && b < 2e-3, `${b}`);
    assert.ok(lrExtent(lrs)[0] > 1e-6, 'the strip colours still skip the tail');
    const [c, d] = lrAxisDomain([1e-3, 1e-3, NaN, 0]);
    close(Math.log10(d) - Math.log10(c), 1);
    assert.deepEqual(lrAxisDomain([NaN, -1]), [1e-4, 1e-2]);
  });
  it('momAxisDomain pads the momenta; none recorded: no panel', () => {
    const [a, b] = momAxisDomain(Float32Array.from([0.85, 0.95, NaN, 0.9]));
    close(a, 0.84);
    close(b, 0.96);
    const [c, d] = momAxisDomain([0.9, 0.9]);
    assert.ok(c < 0.9 && d > 0.9);
    assert.equal(momAxisDomain(null), null);
    assert.equal(momAxisDomain([NaN, NaN]), null);
  });
  it('logAxisTicks thins decades to fit and adds 2x / 5x ticks on short ranges', () => {
    assert.deepEqual(logAxisTicks([1e-6, 1e-2], 200), [1e-6, 1e-5, 1e-4, 1e-3, 1e-2]);
    assert.deepEqual(logAxisTicks([1e-10, 1e-2], 80), [1e-10, 1e-8, 1e-6, 1e-4, 1e-2]);
    assert.deepEqual(logAxisTicks([1.5e-3, 8e-3], 100), [2e-3, 5e-3]);
  });
});

describe('losses', () => {
  it('smoothLoss is fastai\'s debiased moving average, restarted per fit', () => {
    const smooth = smoothLoss([1, 3, NaN, 5], [0, 0, 0, 1], 0.5);
    close(smooth[0], 1);
    close(smooth[1], (0.5 * 0.5 + 0.5 * 3) / (1 - 0.25));
    close(smooth[2], smooth[1], 1e-6, 'NaN skipped');
    close(smooth[3], 5, 1e-6, 'restarted');
    assert.ok(Number.isNaN(smoothLoss([NaN], [0])[0]));
  });
  it('validPoints keeps finite validation losses', () => {
    assert.deepEqual(validPoints([{ iter: 4, valid_loss: 0.5 }, { iter: 8, valid_loss: null }, { iter: 12 }]), [{ iter: 4, loss: 0.5 }]);
  });
  it('lossAxisDomain clips spikes above the 99th percentile but keeps validation losses', () => {
    const loss = new Float32Array(1000).fill(1);
    loss[500] = 100;
    const smooth = new Float32Array(1000).fill(1.1);
    const [lo, hi] = lossAxisDomain(loss, smooth, [{ iter: 1, loss: 1.5 }]);
    assert.ok(lo > 0.9 && lo < 1, `${lo}`);
    assert.equal(lossAxisDomain([0.01, 1], [], [])[0], 0, 'padding stops at 0 for non-negative losses');
    assert.ok(hi < 3, `${hi}`);
    assert.ok(hi >= 1.5);
    assert.deepEqual(lossAxisDomain([], [], []), [0, 1]);
  });
});

describe('markers and stops', () => {
  it('merges events per iteration: change, lr_find, fit', () => {
    const t = read(traits());
    assert.deepEqual(boundaryMarkers(t.phases, t.events), [
      { iter: 0, label: 'freeze · lr_find · fit 1', kinds: ['freeze', 'lr_find', 'fit'] },
      { iter: 4, label: 'unfreeze · fit 2', kinds: ['unfreeze', 'fit'] },
    ]);
  });
  it('falls back on phases, inferring freeze / unfreeze from frozen_idx', () => {
    const phases = [
      { first_iter: 0, frozen_idx: 2 },
      { first_iter: 10, frozen_idx: 2 },
      { first_iter: 20, frozen_idx: 0 },
    ];
    assert.deepEqual(boundaryMarkers(phases, [{ kind: 'lr_find', iter: 20 }]).map((m) => m.label), [
      'freeze · fit 1',
      'fit 2',
      'unfreeze · lr_find · fit 3',
    ]);
  });
  it('stackLabels puts overlapping labels on the next free row', () => {
    assert.deepEqual(stackLabels([{ x: 0, width: 50 }, { x: 30, width: 20 }, { x: 60, width: 10 }, { x: 70, width: 10 }]), [0, 1, 0, 1]);
  });
  it('cursor stops: start, epoch ends, fit starts, end', () => {
    const t = read(traits());
    const stops = cursorStops(t.T, t.epochs, t.phases);
    assert.deepEqual(stops, [0, 3, 4, 7, 11]);
    assert.equal(nextStop(stops, 0), 3);
    assert.equal(nextStop(stops, 3), 4);
    assert.equal(nextStop(stops, 11), 11);
    assert.equal(previousStop(stops, 7), 4);
    assert.equal(previousStop(stops, 5), 4);
    assert.equal(previousStop(stops, 0), 0);
    assert.deepEqual(cursorStops(0, [], []), []);
    assert.equal(nextStop([], 3), 0);
  });
});

describe('cursor readout', () => {
  const t = read(traits());
  it('latestEnded: the epoch ended once its last iteration is done', () => {
    const errors = t.epochErrors; // iters 4, 8, 12
    assert.equal(latestEnded(errors, 2), null);
    assert.equal(latestEnded(errors, 3).iter, 4, 'iteration 3 is the last of the first epoch');
    assert.equal(latestEnded(errors, 6).iter, 4);
    assert.equal(latestEnded(errors, 11).iter, 12, 'the last epoch shows at the last iteration');
    assert.equal(latestEnded([], 5), null);
  });
  it('phaseOf finds the fit by the phase array', () => {
    assert.equal(phaseOf(t, 5).index, 1);
    assert.equal(phaseOf({ ...t, phases: [{ first_iter: 0 }, { first_iter: 4 }], phase: new Int32Array(12).fill(9) }, 5).index, 1);
  });
  it('describes the iteration', () => {
    const d = describeCursor(t, 5, smoothLoss(t.loss, t.phase));
    assert.equal(d.fit, 'fit 2/2 (unfrozen)');
    assert.equal(d.epoch, 'epoch 1/2');
    close(d.loss, 1.5);
    assert.deepEqual(d.groups.map((g) => g.trainable), [true, true, true]);
    close(d.groups[0].lr, 1e-5);
    assert.deepEqual({ ...d.error, rate: Math.round(d.error.rate * 100) / 100 }, { rate: 0.16, epoch: 0, phase: 0 });
    assert.equal(d.valid.epoch, 0);
    assert.deepEqual(d.valid.metrics.map(([k]) => k), ['error_rate']);
    const frozen = describeCursor(t, 0);
    assert.equal(frozen.fit, 'fit 1/2 (frozen)');
    assert.deepEqual(frozen.groups.map((g) => g.trainable), [false, false, true]);
    assert.equal(frozen.error, null);
    assert.equal(frozen.hasErrors, true);
    assert.equal(describeCursor(t, 99).iter, 11, 'clamped');
  });
  it('readout texts', () => {
    const texts = readoutTexts(describeCursor(t, 5, smoothLoss(t.loss, t.phase)));
    assert.equal(texts.where, 'Iteration 5 · fit 2/2 (unfrozen) · epoch 1/2');
    assert.match(texts.losses, /^train loss 1\.500 \(smoothed \d\.\d+\)$/);
    assert.equal(texts.valid, 'after fit 1, epoch 1: valid loss 0.8 · error_rate 0.16');
    assert.deepEqual(texts.groups[0], { label: 'body[0:6] · 683K', lr: '1.0e-5', mom: null, state: 'trainable', trainable: true }, 'no momentum sent');
    assert.deepEqual(texts.big, { value: '16.0%', caption: 'error rate after fit 1, epoch 1' });
    const start = readoutTexts(describeCursor(t, 0));
    assert.deepEqual(start.big, { value: '—', caption: 'error rate: no epoch finished yet' });
    assert.equal(start.valid, 'no epoch finished yet');
    assert.equal(start.groups[0].state, 'frozen');
    const noErrors = read(traits({ errors: false }));
    assert.equal(readoutTexts(describeCursor(noErrors, 5)).big, null);
  });
  it('readout momentum per group when the run sent it', () => {
    const state = traits();
    const moms = new Array(36).fill(0.95);
    moms[5 * 3 + 1] = NaN;
    moms[5 * 3 + 2] = 0.8512;
    const withMoms = read({ ...state, moms: wire('float32', moms, [12, 3]) });
    assert.deepEqual(readoutTexts(describeCursor(withMoms, 5)).groups.map((g) => g.mom), ['0.95', '—', '0.8512']);
    assert.throws(() => read({ ...state, moms: wire('float32', moms.slice(0, 24), [12, 2]) }), /moms has shape \[12,2\], expected \[12, 3\]/);
  });
  it('groupLabel', () => {
    assert.equal(groupLabel('head', 529000), 'head · 529K');
    assert.equal(groupLabel('x', null), 'x');
  });
});
