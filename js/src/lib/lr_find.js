/**
 * Logic of the LR-finder explorer, without the DOM: decoding the `curves` trait, the chart's
 * ranges, loss interpolation in log-lr space, picking a rate from a click, and the copyable
 * `fine_tune` / `fit_one_cycle` line (chosen by the curve's frozen state).
 */
import { finiteExtent, padLogRange, padRange } from './chart.js';
import { decodeNdarray } from './ndarray.js';
import { formatLoss, formatLr, MISSING } from './format.js';

/** fastai's suggestion functions, in the order they are listed. */
export const SUGGESTIONS = Object.freeze(['valley', 'slide', 'minimum', 'steep']);

/**
 * How each suggestion is shown: matplotlib marker shape (as the Python `plot`), colour (fastai's
 * `plot_lr_find` uses the colour cycle after blue), and a text glyph of the same shape for lists.
 */
export const SUGGESTION_STYLES = Object.freeze({
  valley: { label: 'Valley', shape: 'circle', color: '#ff7f0e', glyph: '●' },
  slide: { label: 'Slide', shape: 'square', color: '#2ca02c', glyph: '■' },
  minimum: { label: 'Minimum', shape: 'triangle-down', color: '#d62728', glyph: '▼' },
  steep: { label: 'Steep', shape: 'triangle-up', color: '#9467bd', glyph: '▲' },
});

/** Curve colours: distinct from the suggestion markers' colours. */
export const CURVE_COLORS = Object.freeze(['#1f77b4', '#17becf', '#8c564b', '#e377c2', '#bcbd22', '#7f7f7f']);

/** Points left out of the y range at the end of each curve (fastai's `plot_lr_find(skip_end=5)`). */
export const SKIP_END = 5;

/** Significant digits of a rate picked on the chart (and of the copyable line). */
export const LR_DIGITS = 2;

/** Colour of curve `i`. */
export function curveColor(i) {
  return CURVE_COLORS[i % CURVE_COLORS.length];
}

function finiteOrNull(x) {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

function readVector(wire, name, index) {
  const { data, shape } = decodeNdarray(wire);
  if (shape.length !== 1) throw new Error(`curve ${index}: ${name} must be 1-d, got shape [${shape}]`);
  return data;
}

/**
 * Decodes and checks the `curves` trait.
 * @param {unknown} curves
 * @returns {{label: string, iter: number|null, frozenIdx: number|null, lrs: ArrayLike<number>,
 *            losses: ArrayLike<number>, rawLosses: ArrayLike<number>|null,
 *            suggestions: Record<string, number|null>, points: Record<string, [number, number|null]|null>,
 *            running: boolean}[]}
 *   `running`: an lr_find still recording (only `running: true` counts; no suggestions yet); missing or malformed suggestions / points become null; raw losses of another length are dropped
 * @throws {Error} naming the curve and the problem when arrays are missing or disagree
 */
export function readCurves(curves) {
  if (curves === null || curves === undefined) return [];
  if (!Array.isArray(curves)) throw new Error('curves must be a list');
  return curves.map((curve, index) => {
    if (!curve || typeof curve !== 'object') throw new Error(`curve ${index} is not an object`);
    const lrs = readVector(curve.lrs, 'lrs', index);
    const losses = readVector(curve.losses, 'losses', index);
    if (losses.length !== lrs.length) {
      throw new Error(`curve ${index}: ${losses.length} losses for ${lrs.length} learning rates`);
    }
    let rawLosses = null;
    if (curve.raw_losses) {
      const raw = readVector(curve.raw_losses, 'raw_losses', index);
      if (raw.length === lrs.length) rawLosses = raw;
    }
    const suggestions = {};
    const points = {};
    for (const key of SUGGESTIONS) {
      const lr = finiteOrNull(curve.suggestions?.[key]);
      suggestions[key] = lr !== null && lr > 0 ? lr : null;
      const point = curve.points?.[key];
      const pointLr = Array.isArray(point) ? finiteOrNull(point[0]) : null;
      points[key] = pointLr !== null && pointLr > 0 ? [pointLr, finiteOrNull(point[1])] : null;
    }
    return {
      label: curve.label === undefined || curve.label === null ? `lr_find #${index + 1}` : String(curve.label),
      iter: Number.isInteger(curve.iter) ? curve.iter : null,
      frozenIdx: Number.isInteger(curve.frozen_idx) ? curve.frozen_idx : null,
      lrs,
      losses,
      rawLosses,
      suggestions,
      points,
      running: curve.running === true,
    };
  });
}

/** Index of the active curve: `value` when it is a valid index, otherwise the last curve (-1 when none). */
export function readSelectedCurve(value, count) {
  return Number.isInteger(value) && value >= 0 && value < count ? value : count - 1;
}

/** A positive finite number, or null. */
export function readLr(value) {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

/**
 * x domain: every positive finite rate of every curve (and the selected rate), padded a little.
 * @returns {[number, number] | null} null when no curve has a usable rate
 */
export function lrDomain(curves, extra = []) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const values of [...curves.map((c) => c.lrs), extra]) {
    const extent = finiteExtent(values, { positive: true });
    if (!extent) continue;
    lo = Math.min(lo, extent[0]);
    hi = Math.max(hi, extent[1]);
  }
  return lo <= hi ? padLogRange(lo, hi, 0.02) : null;
}

/**
 * Loss range of one curve that keeps it readable, as fastai's plot does by skipping the diverging
 * tail: from the lowest loss up to the highest loss seen *before* the minimum (the starting plateau),
 * the last `skipEnd` points ignored. The tail above is clipped by the chart.
 * @param {ArrayLike<number>} losses smoothed losses (NaN allowed)
 * @returns {[number, number] | null} null when no loss is finite
 */
export function curveLossRange(losses, skipEnd = SKIP_END) {
  const n = losses.length > 2 * skipEnd ? losses.length - skipEnd : losses.length;
  let lo = Infinity;
  let argmin = -1;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(losses[i]) && losses[i] < lo) {
      lo = losses[i];
      argmin = i;
    }
  }
  if (argmin < 0) return null;
  let hi = lo;
  for (let i = 0; i <= argmin; i++) if (Number.isFinite(losses[i]) && losses[i] > hi) hi = losses[i];
  if (argmin < n / 4) {
    // The minimum comes early (noisy start, or the loss only rises): also show the first
    // half of the curve, so the range never collapses onto the first few points.
    const extent = finiteExtent(Array.prototype.slice.call(losses, 0, Math.max(1, Math.ceil(n / 2))));
    hi = Math.max(hi, extent ? extent[1] : lo);
  }
  return [lo, hi];
}

/**
 * y domain over all curves: the union of their readable ranges, 5% below and 12% above.
 * @returns {[number, number] | null}
 */
export function lossDomain(curves) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const curve of curves) {
    const range = curveLossRange(curve.losses);
    if (!range) continue;
    lo = Math.min(lo, range[0]);
    hi = Math.max(hi, range[1]);
  }
  if (!(lo <= hi)) return null;
  const [a] = padRange(lo, hi, 0.05);
  const [, b] = padRange(lo, hi, 0.12);
  return [a, b];
}

/**
 * Index i with lrs[i] <= lr < lrs[i + 1] in an ascending array (binary search).
 * @returns {number} -1 below the first rate, lrs.length - 1 at or above the last
 */
export function bracket(lrs, lr) {
  if (!(lrs.length > 0) || !(lr >= lrs[0])) return -1;
  let lo = 0;
  let hi = lrs.length - 1;
  if (lr >= lrs[hi]) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (lrs[mid] <= lr) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Loss at `lr`, interpolated linearly in log10(lr) between the recorded rates (ascending).
 * @returns {number} NaN outside the recorded rates or next to a NaN loss
 */
export function lossAt(lrs, losses, lr) {
  if (!(lr > 0)) return NaN;
  const i = bracket(lrs, lr);
  if (i < 0) return NaN;
  if (i === lrs.length - 1) return lr === lrs[i] ? losses[i] : NaN;
  const a = Math.log10(lrs[i]);
  const b = Math.log10(lrs[i + 1]);
  const t = b > a ? (Math.log10(lr) - a) / (b - a) : 0;
  if (t === 0) return losses[i];
  return losses[i] + (losses[i + 1] - losses[i]) * t;
}

/** `x` rounded to `digits` significant digits (2.134e-3 -> 2.1e-3). */
export function roundSignificant(x, digits = LR_DIGITS) {
  return Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(digits)) : x;
}

/**
 * The rate picked by a click at chart x `x`: a suggestion's exact rate when one is within
 * `snapPx`, otherwise the rate under the cursor rounded to LR_DIGITS significant digits.
 * @param {{map: (lr: number) => number, invert: (x: number) => number}} xScale clamped log scale
 * @param {{key: string, lr: number}[]} targets suggestions of the active curve
 * @returns {{lr: number, snapped: string | null}}
 */
export function pickLr(x, xScale, targets = [], snapPx = 6) {
  let best = null;
  let bestDistance = snapPx;
  for (const target of targets) {
    const distance = Math.abs(xScale.map(target.lr) - x);
    if (distance <= bestDistance) {
      best = target;
      bestDistance = distance;
    }
  }
  if (best) return { lr: best.lr, snapped: best.key };
  return { lr: roundSignificant(xScale.invert(x)), snapped: null };
}

/**
 * Markers of a curve's suggestions, at the suggested rates. The loss is fastai's point when the
 * point is at that rate, otherwise the curve's loss there: fastai's `minimum` point sits at the
 * lowest loss while its suggestion is a tenth of that rate, and the marker shows the suggestion.
 * @returns {{key: string, lr: number, loss: number}[]} suggestions without a rate are left out
 */
export function suggestionMarkers(curve) {
  const markers = [];
  for (const key of SUGGESTIONS) {
    const lr = curve.suggestions[key];
    if (lr === null || lr === undefined) continue;
    const point = curve.points[key];
    const atPoint = point && point[1] !== null && Math.abs(point[0] / lr - 1) < 1e-4;
    markers.push({ key, lr, loss: atPoint ? point[1] : lossAt(curve.lrs, curve.losses, lr) });
  }
  return markers;
}

/**
 * Rows of the suggestion list of a curve: every suggestion, with its rate (null when fastai
 * could not decide) and the explanation text from the `explanations` trait.
 * @returns {{key: string, label: string, glyph: string, color: string, lr: number|null, lrText: string, text: string}[]}
 */
export function suggestionRows(curve, explanations) {
  return SUGGESTIONS.map((key) => {
    const style = SUGGESTION_STYLES[key];
    const lr = curve ? curve.suggestions[key] : null;
    const text = explanations && typeof explanations === 'object' && explanations[key] != null ? String(explanations[key]) : '';
    return { key, label: style.label, glyph: style.glyph, color: style.color, lr, lrText: lr === null ? MISSING : formatLr(lr), text };
  });
}

/** Epoch count for the copyable line (the `epochs_hint` trait): a finite number rounded and at least 1, anything else 1. */
export function readEpochs(value) {
  return typeof value === 'number' && Number.isFinite(value) ? Math.max(1, Math.round(value)) : 1;
}

/** hi / lo ratios offered for `lr_max=slice(lo, hi)` (chapter 5 uses `slice(1e-6, 1e-4)`: 100). */
export const SLICE_RATIOS = Object.freeze([10, 100, 1000]);

/** The `slice_ratio` trait: a finite number above 1 as is, anything else the first ratio offered. */
export function readSliceRatio(value) {
  return typeof value === 'number' && Number.isFinite(value) && value > 1 ? value : SLICE_RATIOS[0];
}

/**
 * Whether the layer groups were frozen while a curve was recorded (`frozen_idx` > 0: some
 * groups were not trainable, as before `unfreeze`).
 * @returns {'frozen' | 'unfrozen' | 'unknown'}
 */
export function curveTraining(curve) {
  if (!curve || curve.frozenIdx === null) return 'unknown';
  return curve.frozenIdx > 0 ? 'frozen' : 'unfrozen';
}

/**
 * A learning rate as a Python float literal with LR_DIGITS significant digits: 0.002134 -> "2.1e-3".
 * @returns {string | null} null when `lr` is not a positive finite number
 */
export function pythonLr(lr) {
  if (!(lr > 0) || !Number.isFinite(lr)) return null;
  return lr.toExponential(LR_DIGITS - 1).replace('e+', 'e');
}

/**
 * The line to copy into a notebook for a rate picked on a curve: after a frozen lr_find
 * `learn.fine_tune(3, base_lr=2.1e-3)`; after `unfreeze`
 * `learn.fit_one_cycle(3, lr_max=slice(2.1e-5, 2.1e-3))` (the picked rate is hi, lo = hi / ratio).
 * @param {{epochs: unknown, lr: number | null, training: 'frozen' | 'unfrozen' | 'unknown', ratio?: unknown,
 *          running?: boolean}} pick `running`: the curve's lr_find has not ended
 * @returns {{code: string | null, note: string}} `code` null without a rate, while the curve is
 *   running or when the curve's frozen state is unknown; `note` says which call and why (or why none)
 */
export function copyLine({ epochs, lr, training, ratio, running = false }) {
  const hi = pythonLr(lr);
  const n = readEpochs(epochs);
  if (hi === null) return { code: null, note: '' };
  if (running) return { code: null, note: 'lr_find is still running: the line to copy comes when it ends.' };
  if (training === 'frozen') {
    return { code: `learn.fine_tune(${n}, base_lr=${hi})`, note: 'lr_find ran with frozen layer groups: fine_tune trains the head, then everything.' };
  }
  if (training === 'unfrozen') {
    const lo = pythonLr(Number(hi) / readSliceRatio(ratio));
    return {
      code: `learn.fit_one_cycle(${n}, lr_max=slice(${lo}, ${hi}))`,
      note: 'lr_find ran after unfreeze: discriminative rates, the earliest layer group at lo, the head at hi.',
    };
  }
  return {
    code: null,
    note: 'This run does not record whether the layer groups were frozen during this lr_find: '
      + `use learn.fine_tune(${n}, base_lr=${hi}) if they were, `
      + `learn.fit_one_cycle(${n}, lr_max=slice(lo, ${hi})) after unfreeze.`,
  };
}

/** Title of the loss axis: what the chart draws of the active curve. */
export function lossAxisTitle(showRaw, curve) {
  return showRaw && curve && curve.rawLosses ? 'Loss (smoothed; raw faint)' : 'Loss (smoothed)';
}

/**
 * Readout of the hover position: the rate and the active curve's loss there.
 * @returns {string} e.g. "lr 2.1e-3 · loss 0.8123 (lr_find #1)"; the loss is "—" outside the curve
 */
export function hoverText(lr, curve) {
  const loss = curve ? lossAt(curve.lrs, curve.losses, lr) : NaN;
  const lossText = Number.isFinite(loss) ? formatLoss(loss) : MISSING;
  return `lr ${formatLr(lr)} · loss ${lossText}${curve ? ` (${curve.label})` : ''}`;
}
