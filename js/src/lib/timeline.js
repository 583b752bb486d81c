/**
 * Logic of the unfreezing timeline, without the DOM: decoding the traits, per-pixel-column
 * aggregation of the iterations in view (so 50,000 iterations draw as fast as 500), the rate,
 * momentum and loss ranges, boundary markers, epoch stops and the cursor readout.
 *
 * Iterations are indexed 0..T-1 across every fit of the session. On the x axis iteration i
 * covers [i, i + 1) ("edge" coordinates 0..T): epoch ends and phase starts are edges
 * (`iter` = iterations done so far), the cursor is drawn at the middle of its iteration.
 * Aggregation works on a window `{start, end}` of edges (timeline-layout.js).
 */
import { finiteExtent, padLogRange, padRange, quantile } from './chart.js';
import { FROZEN_GREY, lutIndex } from './colormap.js';
import { formatCompactCount, formatCount, formatLoss, formatLr, formatMetric, formatPercent, MISSING } from './format.js';
import { decodeNdarray } from './ndarray.js';
import { logTicks } from './scale.js';

/** Smoothing of the train loss, as fastai's Recorder (`SmoothenValue(beta=0.98)`). */
export const SMOOTH_BETA = 0.98;

function list(value) {
  return Array.isArray(value) ? value : [];
}

function intOr(value, fallback) {
  return Number.isInteger(value) ? value : fallback;
}

/** Label of a layer group: "head · 529K". */
export function groupLabel(name, nParams) {
  return Number.isFinite(nParams) ? `${name} · ${formatCompactCount(nParams)}` : String(name);
}

/**
 * Decodes and checks the timeline traits.
 * @param {(name: string) => unknown} get trait getter (model.get)
 * @returns {{T: number, G: number, groups: {name: string, nParams: number|null, label: string}[],
 *   phase: ArrayLike<number>, epoch: ArrayLike<number>, loss: ArrayLike<number>, lrs: ArrayLike<number>,
 *   moms: ArrayLike<number> | null, trainable: ArrayLike<number>,
 *   phases: object[], epochs: object[], events: object[], epochErrors: object[]}}
 *   `lrs` / `moms` / `trainable` are T x G row-major (`moms` null when not sent); `phases` sorted by first_iter, `epochs` and
 *   `epochErrors` by iter; groups beyond `layer_groups` are named "group <i>"
 * @throws {Error} naming the trait when the arrays disagree
 */
export function readTimeline(get) {
  const layerGroups = list(get('layer_groups'));
  const vector = (name) => {
    const wire = get(name);
    if (wire === null || wire === undefined) return null;
    const { data, shape } = decodeNdarray(wire);
    if (shape.length !== 1) throw new Error(`${name} must be 1-d, got shape [${shape}]`);
    return data;
  };
  const matrix = (name) => {
    const wire = get(name);
    if (wire === null || wire === undefined) return null;
    const decoded = decodeNdarray(wire);
    if (decoded.shape.length !== 2) throw new Error(`${name} must be 2-d [iterations, groups], got shape [${decoded.shape}]`);
    return decoded;
  };
  const loss = vector('loss');
  const T = loss ? loss.length : 0;
  const phase = vector('phase') ?? new Int32Array(T);
  const epoch = vector('epoch') ?? new Int32Array(T);
  for (const [name, values] of [['phase', phase], ['epoch', epoch]]) {
    if (values.length !== T) throw new Error(`${name} has ${values.length} values for ${T} iterations`);
  }
  const lrsWire = T > 0 ? matrix('lrs') : null;
  const trainableWire = T > 0 ? matrix('trainable') : null;
  const momsWire = T > 0 ? matrix('moms') : null;
  const G = T > 0 ? Math.max(lrsWire ? lrsWire.shape[1] : 0, trainableWire ? trainableWire.shape[1] : 0) : layerGroups.length;
  for (const [name, wire] of [['lrs', lrsWire], ['moms', momsWire], ['trainable', trainableWire]]) {
    if (wire && (wire.shape[0] !== T || wire.shape[1] !== G)) {
      throw new Error(`${name} has shape [${wire.shape}], expected [${T}, ${G}] (iterations, layer groups)`);
    }
  }
  // Decoded arrays are used as they are (any non-zero `trainable` value counts as trainable).
  const lrs = lrsWire ? lrsWire.data : new Float32Array(T * G).fill(NaN);
  const trainable = trainableWire ? trainableWire.data : new Uint8Array(T * G).fill(1);
  const groups = Array.from({ length: G }, (_, g) => {
    const spec = layerGroups[g] && typeof layerGroups[g] === 'object' ? layerGroups[g] : {};
    const name = spec.name === undefined || spec.name === null ? `group ${g}` : String(spec.name);
    const nParams = Number.isFinite(spec.n_params) ? spec.n_params : null;
    return { name, nParams, label: groupLabel(name, nParams) };
  });
  const byIter = (a, b) => a.iter - b.iter;
  const phases = list(get('phases'))
    .filter((p) => p && Number.isInteger(p.first_iter))
    .sort((a, b) => a.first_iter - b.first_iter);
  const epochs = list(get('epochs')).filter((e) => e && Number.isInteger(e.iter)).sort(byIter);
  const events = list(get('events')).filter((e) => e && typeof e.kind === 'string' && Number.isInteger(e.iter));
  const epochErrors = list(get('epoch_errors'))
    .filter((e) => e && Number.isInteger(e.iter) && Number.isFinite(e.error_rate))
    .sort(byIter);
  const moms = momsWire ? momsWire.data : null;
  return { T, G, groups, phase, epoch, loss: loss ?? new Float32Array(0), lrs, moms, trainable, phases, epochs, events, epochErrors };
}

// --- columns -------------------------------------------------------------------------------

/**
 * Iterations behind each of `n` pixel columns over the window `win`: column c covers
 * [start[c], end[c]). With at least n iterations in view the columns partition them; with
 * fewer, each column shows the one iteration at its left edge.
 * @param {{start: number, end: number}} win
 * @returns {{start: Int32Array, end: Int32Array}}
 */
export function columnRanges(win, n) {
  const start = new Int32Array(n);
  const end = new Int32Array(n);
  const span = win.end - win.start;
  for (let c = 0; c < n; c++) {
    const a = win.start + Math.floor((c * span) / n);
    start[c] = a;
    end[c] = Math.max(a + 1, win.start + Math.floor(((c + 1) * span) / n));
  }
  return { start, end };
}

/** Number of columns to aggregate for a plot `widthPx` wide: one per device pixel, at most the `span` iterations in view. */
export function columnCount(span, widthPx, dpr = 1) {
  return Math.max(0, Math.min(span, Math.round(widthPx * dpr)));
}

/**
 * Per column: first, min, max and last finite value of a series (the "M4" aggregation: a line
 * through these four points per column looks the same as one through every point).
 * @param {ArrayLike<number>} values series value i at values[i * stride + offset]
 * @param {{start: number, end: number}} win iterations in view
 * @param {{positive?: boolean}} [options] `positive`: only values > 0 count (for a log axis)
 * @returns {Float64Array} 4 * n values [first, min, max, last] per column; NaN for a column with none
 */
export function m4(values, win, n, stride = 1, offset = 0, { positive = false } = {}) {
  const out = new Float64Array(4 * n).fill(NaN);
  const { start, end } = columnRanges(win, n);
  for (let c = 0; c < n; c++) {
    let first = NaN;
    let last = NaN;
    let min = Infinity;
    let max = -Infinity;
    for (let i = start[c]; i < end[c]; i++) {
      const v = values[i * stride + offset];
      if (!Number.isFinite(v) || (positive && !(v > 0))) continue;
      if (Number.isNaN(first)) first = v;
      last = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (!Number.isNaN(first)) out.set([first, min, max, last], 4 * c);
  }
  return out;
}

/**
 * Position in [0, 1] of a rate on the colour scale (log10 over `domain`); 0.5 when the domain
 * is a single rate.
 */
export function lrColorT(lr, domain) {
  const lo = Math.log10(domain[0]);
  const hi = Math.log10(domain[1]);
  if (!(hi > lo)) return 0.5;
  const t = (Math.log10(lr) - lo) / (hi - lo);
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

/**
 * Range of the run's rates for the strip colours: from the `lowQuantile` of the positive finite
 * rates (one-cycle schedules anneal to max / 1e5 in their last few iterations, which would
 * squash everything else into a few colours) to the largest rate. The rate axis covers them all
 * (`lrAxisDomain`).
 * @returns {[number, number] | null} null when there is no positive finite rate
 */
export function lrExtent(lrs, lowQuantile = 0.02, maxSamples = 20000) {
  const extent = finiteExtent(lrs, { positive: true });
  if (!extent) return null;
  // The quantile of an evenly strided sample (sorting 500,000 rates would take ~100 ms); a prime
  // stride so that rows of T x G rates are sampled across every group.
  const stride = nextPrime(Math.ceil(lrs.length / maxSamples));
  const sample = [];
  for (let i = 0; i < lrs.length; i += stride) if (lrs[i] > 0 && Number.isFinite(lrs[i])) sample.push(lrs[i]);
  const low = sample.length ? quantile(sample, lowQuantile) : extent[0];
  return [Math.max(extent[0], low), extent[1]];
}

/** Smallest prime >= n (1 for n <= 1). */
export function nextPrime(n) {
  if (n <= 1) return 1;
  for (let p = Math.max(2, Math.ceil(n)); ; p++) {
    let prime = true;
    for (let d = 2; d * d <= p; d++) {
      if (p % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) return p;
  }
}

/**
 * y domain of the learning-rate panel: every positive finite rate of the schedule (every group
 * and iteration, the end of one-cycle annealing included), padded 4% of the decades; one decade
 * around a constant rate.
 */
export function lrAxisDomain(lrs) {
  const extent = finiteExtent(lrs, { positive: true });
  return extent ? padLogRange(extent[0], extent[1], 0.04) : [1e-4, 1e-2];
}

/**
 * y domain of the momentum panel: every finite momentum, padded 10% (±10% of a constant one).
 * @returns {[number, number] | null} null when there is none (no momentum recorded: no panel)
 */
export function momAxisDomain(moms) {
  const extent = moms ? finiteExtent(moms) : null;
  return extent ? padRange(extent[0], extent[1], 0.1) : null;
}

/**
 * The layer-group strips as an image: one pixel per column (x) and group (y). A column is
 * frozen where most of its iterations are; otherwise it is coloured by the geometric mean
 * rate of its trainable iterations. Trainable columns without a finite rate stay transparent.
 * @param {{G: number, lrs: ArrayLike<number>, trainable: ArrayLike<number>}} timeline
 * @param {{start: number, end: number}} win iterations in view
 * @param {number} n columns
 * @param {[number, number]} domain colour range of the rates
 * @param {Uint8Array} lut 256 RGB entries
 * @returns {{rgba: Uint8ClampedArray, frozen: Uint8Array, width: number, height: number}}
 *   `frozen[g * n + c]` is 1 where column c of group g is drawn frozen
 */
export function stripImage({ G, lrs, trainable }, win, n, domain, lut, grey = FROZEN_GREY) {
  const rgba = new Uint8ClampedArray(n * G * 4);
  const frozen = new Uint8Array(n * G);
  const { start, end } = columnRanges(win, n);
  for (let g = 0; g < G; g++) {
    for (let c = 0; c < n; c++) {
      let count = 0;
      let active = 0;
      let sumLog = 0;
      let finite = 0;
      for (let i = start[c]; i < end[c]; i++) {
        count += 1;
        if (!trainable[i * G + g]) continue;
        active += 1;
        const lr = lrs[i * G + g];
        if (lr > 0 && Number.isFinite(lr)) {
          sumLog += Math.log10(lr);
          finite += 1;
        }
      }
      const o = (g * n + c) * 4;
      if (active * 2 < count) {
        frozen[g * n + c] = 1;
        rgba.set([grey[0], grey[1], grey[2], 255], o);
      } else if (finite > 0) {
        const k = lutIndex(lrColorT(10 ** (sumLog / finite), domain)) * 3;
        rgba.set([lut[k], lut[k + 1], lut[k + 2], 255], o);
      }
    }
  }
  return { rgba, frozen, width: n, height: G };
}

/**
 * Runs of consecutive 1s in `mask[offset .. offset + n)`.
 * @returns {[number, number][]} [start, end) column pairs
 */
export function runs(mask, n, offset = 0) {
  const out = [];
  let begin = -1;
  for (let c = 0; c <= n; c++) {
    const on = c < n && mask[offset + c];
    if (on && begin < 0) begin = c;
    else if (!on && begin >= 0) {
      out.push([begin, c]);
      begin = -1;
    }
  }
  return out;
}

// --- losses --------------------------------------------------------------------------------

/**
 * Train loss smoothed like fastai's Recorder: exponential moving average with bias correction,
 * restarted at each fit (`phase` change). NaN losses are skipped (the average carries on).
 * @returns {Float32Array} NaN until a fit's first finite loss
 */
export function smoothLoss(loss, phase, beta = SMOOTH_BETA) {
  const out = new Float32Array(loss.length);
  let avg = 0;
  let count = 0;
  for (let i = 0; i < loss.length; i++) {
    if (i > 0 && phase && phase[i] !== phase[i - 1]) {
      avg = 0;
      count = 0;
    }
    const v = loss[i];
    if (Number.isFinite(v)) {
      avg = beta * avg + (1 - beta) * v;
      count += 1;
    }
    out[i] = count ? avg / (1 - beta ** count) : NaN;
  }
  return out;
}

/** Validation losses at epoch ends: [{iter, loss}] (epochs without a finite valid_loss left out). */
export function validPoints(epochs) {
  return epochs
    .filter((e) => typeof e.valid_loss === 'number' && Number.isFinite(e.valid_loss))
    .map((e) => ({ iter: e.iter, loss: e.valid_loss }));
}

/**
 * y domain of the loss panel: from the lowest loss to the 99th percentile of the train loss
 * (spikes are clipped), the smoothed curve and every validation loss, padded 5%.
 * @returns {[number, number]}
 */
export function lossAxisDomain(loss, smooth, valid) {
  const extents = [finiteExtent(loss), finiteExtent(smooth), finiteExtent(valid.map((p) => p.loss))];
  const present = extents.filter(Boolean);
  if (present.length === 0) return [0, 1];
  const lo = Math.min(...present.map((e) => e[0]));
  const q = quantile(loss, 0.99);
  const hi = Math.max(lo, Number.isFinite(q) ? q : -Infinity, ...[extents[1], extents[2]].filter(Boolean).map((e) => e[1]));
  const [a, b] = padRange(lo, hi, 0.05);
  return [lo >= 0 ? Math.max(0, a) : a, b];
}

// --- markers and stops ---------------------------------------------------------------------

const KIND_RANK = { freeze: 0, unfreeze: 0, lr_find: 1, fit: 2 };

/**
 * Labelled boundaries drawn across all panels: fit starts, freeze / unfreeze and lr_find
 * events, merged per iteration in the order they happen in a notebook
 * ("unfreeze · lr_find · fit 2": fastai only notices an unfreeze when the next fit starts).
 * Without fit_start events the fits come from `phases`, freeze / unfreeze inferred from
 * frozen_idx changes.
 * @returns {{iter: number, label: string, kinds: string[]}[]} sorted by iter
 */
export function boundaryMarkers(phases, events) {
  const byIter = new Map();
  const add = (iter, word, kind) => {
    if (!byIter.has(iter)) byIter.set(iter, []);
    const entries = byIter.get(iter);
    if (!entries.some((e) => e.word === word)) entries.push({ word, kind });
  };
  const fromEvents = events.some((e) => e.kind === 'fit_start');
  let fit = 0;
  for (const event of events) {
    if (event.kind === 'fit_start' && fromEvents) add(event.iter, `fit ${++fit}`, 'fit');
    else if (event.kind === 'freeze' || event.kind === 'unfreeze' || event.kind === 'lr_find') add(event.iter, event.kind, event.kind);
  }
  if (!fromEvents) {
    phases.forEach((p, k) => {
      const previous = k > 0 ? phases[k - 1].frozen_idx : 0;
      const known = Number.isInteger(p.frozen_idx) && Number.isInteger(previous);
      const change = known && p.frozen_idx > previous ? 'freeze' : known && p.frozen_idx < previous ? 'unfreeze' : null;
      const here = byIter.get(p.first_iter) || [];
      if (change && !here.some((e) => e.kind === 'freeze' || e.kind === 'unfreeze')) add(p.first_iter, change, change);
      add(p.first_iter, `fit ${k + 1}`, 'fit');
    });
  }
  return [...byIter.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([iter, entries]) => {
      const sorted = entries.map((e, k) => ({ ...e, k })).sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.k - b.k);
      return { iter, label: sorted.map((e) => e.word).join(' · '), kinds: [...new Set(sorted.map((e) => e.kind))] };
    });
}

/**
 * Rows for labels placed left to right so that none overlaps the previous one in its row.
 * @param {{x: number, width: number}[]} items sorted by x (x = left edge)
 * @returns {number[]} row of each item (0 = first row)
 */
export function stackLabels(items, gap = 6) {
  const rowEnds = [];
  return items.map(({ x, width }) => {
    let row = rowEnds.findIndex((end) => x >= end + gap);
    if (row < 0) row = rowEnds.length;
    rowEnds[row] = x + width;
    return row;
  });
}

/**
 * Iterations the step buttons stop at, ascending: 0, each epoch's last iteration (where its
 * validation result appears), each fit's first iteration, and T - 1.
 */
export function cursorStops(T, epochs, phases) {
  if (T <= 0) return [];
  const stops = new Set([0, T - 1]);
  const clampIter = (i) => Math.min(T - 1, Math.max(0, i));
  for (const e of epochs) stops.add(clampIter(e.iter - 1));
  for (const p of phases) stops.add(clampIter(p.first_iter));
  return [...stops].sort((a, b) => a - b);
}

/** First stop after `cursor` (or the last stop). */
export function nextStop(stops, cursor) {
  for (const s of stops) if (s > cursor) return s;
  return stops.length ? stops[stops.length - 1] : 0;
}

/** Last stop before `cursor` (or the first stop). */
export function previousStop(stops, cursor) {
  for (let k = stops.length - 1; k >= 0; k--) if (stops[k] < cursor) return stops[k];
  return stops.length ? stops[0] : 0;
}

/**
 * The latest entry (sorted by `iter`) whose epoch has ended when the cursor's iteration is done:
 * `iter <= cursor + 1`. Used for the error rate and the validation results shown at the cursor.
 * @returns {object | null}
 */
export function latestEnded(sorted, cursor) {
  let lo = 0;
  let hi = sorted.length; // first entry with iter > cursor + 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].iter <= cursor + 1) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? sorted[lo - 1] : null;
}

/** The phases entry of iteration `i` (by the `phase` array, falling back to first_iter ranges). */
export function phaseOf(timeline, i) {
  const id = timeline.phase[i];
  const index = timeline.phases.findIndex((p) => p.phase === id);
  if (index >= 0) return { index, info: timeline.phases[index] };
  let k = -1;
  timeline.phases.forEach((p, j) => {
    if (p.first_iter <= i) k = j;
  });
  return k >= 0 ? { index: k, info: timeline.phases[k] } : { index: id, info: null };
}

const READOUT_SKIP = new Set(['phase', 'epoch', 'iter', 'train_loss', 'valid_loss', 'time']);

/**
 * What the readout shows at iteration `cursor`.
 * @returns {{iter: number, T: number, fit: string, epoch: string, loss: number, smooth: number,
 *   groups: {name: string, label: string, lr: number, mom: number, trainable: boolean}[], hasMoms: boolean,
 *   error: {rate: number, epoch: number, phase: number} | null, hasErrors: boolean,
 *   valid: {epoch: number, phase: number | null, validLoss: number | null, metrics: [string, number][]} | null}}
 */
export function describeCursor(timeline, cursor, smooth) {
  const { T, G } = timeline;
  const i = Math.min(T - 1, Math.max(0, cursor));
  const { index, info } = phaseOf(timeline, i);
  const nFits = Math.max(timeline.phases.length, index + 1);
  const frozenGroups = [];
  const groups = timeline.groups.map((group, g) => {
    const trainable = Boolean(timeline.trainable[i * G + g]);
    if (!trainable) frozenGroups.push(g);
    const mom = timeline.moms ? timeline.moms[i * G + g] : NaN;
    return { name: group.name, label: group.label, lr: timeline.lrs[i * G + g], mom, trainable };
  });
  const state = frozenGroups.length === 0 ? 'unfrozen' : frozenGroups.length === G ? 'all frozen' : 'frozen';
  const fit = `fit ${index + 1}/${nFits} (${state}${info && info.status && info.status !== 'finished' ? `, ${info.status}` : ''})`;
  const e = timeline.epoch[i];
  const epoch = info && Number.isInteger(info.n_epoch) ? `epoch ${e + 1}/${info.n_epoch}` : `epoch ${e + 1}`;
  const errorEntry = latestEnded(timeline.epochErrors, i);
  const ended = latestEnded(timeline.epochs, i);
  return {
    iter: i,
    T,
    fit,
    epoch,
    loss: timeline.loss[i],
    smooth: smooth ? smooth[i] : NaN,
    groups,
    hasMoms: timeline.moms !== null,
    error: errorEntry ? { rate: errorEntry.error_rate, epoch: errorEntry.epoch, phase: errorEntry.phase } : null,
    hasErrors: timeline.epochErrors.length > 0,
    valid: ended
      ? {
          epoch: ended.epoch,
          phase: Number.isInteger(ended.phase) ? ended.phase : null,
          validLoss: Number.isFinite(ended.valid_loss) ? ended.valid_loss : null,
          metrics: Object.entries(ended).filter(([k, v]) => !READOUT_SKIP.has(k) && typeof v === 'number' && Number.isFinite(v)),
        }
      : null,
  };
}

/**
 * Texts of the readout for a describeCursor result.
 * @param {ReturnType<typeof describeCursor>} d
 * @returns {{where: string, losses: string, valid: string,
 *   groups: {label: string, lr: string, mom: string | null, state: string, trainable: boolean}[],
 *   big: {value: string, caption: string} | null}}
 */
export function readoutTexts(d) {
  const num = (x, format) => (Number.isFinite(x) ? format(x) : MISSING);
  const valid = d.valid
    ? [
        `after ${d.valid.phase !== null ? `fit ${d.valid.phase + 1}, ` : ''}epoch ${d.valid.epoch + 1}:`,
        [d.valid.validLoss !== null ? `valid loss ${formatMetric(d.valid.validLoss)}` : null, ...d.valid.metrics.map(([k, v]) => `${k} ${formatMetric(v)}`)]
          .filter(Boolean)
          .join(' · ') || 'no validation results',
      ].join(' ')
    : 'no epoch finished yet';
  return {
    where: `Iteration ${formatCount(d.iter)} · ${d.fit} · ${d.epoch}`,
    losses: `train loss ${num(d.loss, formatLoss)} (smoothed ${num(d.smooth, formatLoss)})`,
    valid,
    groups: d.groups.map((g) => ({
      label: g.label,
      lr: num(g.lr, formatLr),
      mom: d.hasMoms ? num(g.mom, formatMetric) : null,
      state: g.trainable ? 'trainable' : 'frozen',
      trainable: g.trainable,
    })),
    big: d.error
      ? {
          value: Number.isFinite(d.error.rate) ? formatPercent(d.error.rate) : MISSING,
          caption: `error rate after fit ${d.error.phase + 1}, epoch ${d.error.epoch + 1}`,
        }
      : d.hasErrors
        ? { value: MISSING, caption: 'error rate: no epoch finished yet' }
        : null,
  };
}

/**
 * Labelled ticks of a log axis `heightPx` tall: every k-th decade so labels stay at least
 * `minGapPx` apart; with less than two decades in view, the 2x and 5x ticks too.
 * @returns {number[]} ascending
 */
export function logAxisTicks(domain, heightPx, minGapPx = 18) {
  const { major, minor } = logTicks(domain[0], domain[1]);
  if (major.length < 2) return [...major, ...minor].sort((a, b) => a - b);
  const decades = Math.log10(domain[1]) - Math.log10(domain[0]);
  const pxPerDecade = heightPx / decades;
  const k = Math.max(1, Math.ceil(minGapPx / pxPerDecade));
  return major.filter((v) => Math.round(Math.log10(v)) % k === 0);
}
