/**
 * Small helpers shared by the line-chart views (LR finder, timeline): categorical colours,
 * robust ranges and plot boxes. Pure, no DOM (number labels are in format.js).
 */

/** matplotlib's "tab10" colours: distinct series (curves, layer groups), in order. */
export const CATEGORICAL = Object.freeze([
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd',
  '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
]);

/** Colour of series `i` from `palette` (cycling). */
export function seriesColor(i, palette = CATEGORICAL) {
  const n = palette.length;
  return palette[((i % n) + n) % n];
}

/**
 * The q-quantile (0..1) of the finite values, linear between order statistics.
 * @param {ArrayLike<number>} values
 * @returns {number} NaN when there is no finite value
 */
export function quantile(values, q) {
  const finite = Float64Array.from(values).filter(Number.isFinite).sort();
  if (finite.length === 0) return NaN;
  const position = Math.min(1, Math.max(0, q)) * (finite.length - 1);
  const below = Math.floor(position);
  const above = Math.min(finite.length - 1, below + 1);
  return finite[below] + (finite[above] - finite[below]) * (position - below);
}

/**
 * Smallest and largest finite values (positive only with `positive`).
 * @returns {[number, number] | null} null when there is none
 */
export function finiteExtent(values, { positive = false } = {}) {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || (positive && !(v > 0))) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : null;
}

/**
 * A linear range around [lo, hi] with `pad` (fraction of the span) on both sides;
 * a single value gets +-10% of itself (or +-1 around 0).
 * @returns {[number, number]}
 */
export function padRange(lo, hi, pad = 0.05) {
  const span = hi - lo;
  if (span > 0) return [lo - span * pad, hi + span * pad];
  const half = lo === 0 ? 1 : Math.abs(lo) * 0.1;
  return [lo - half, hi + half];
}

/**
 * A positive log range around [lo, hi]: padded by `pad` decades on both sides, and widened
 * to one decade around a single value.
 * @returns {[number, number]}
 */
export function padLogRange(lo, hi, pad = 0.05) {
  const a = Math.log10(lo);
  const b = Math.log10(hi);
  if (b - a > 0) return [10 ** (a - (b - a) * pad), 10 ** (b + (b - a) * pad)];
  return [10 ** (a - 0.5), 10 ** (a + 0.5)];
}

/**
 * Plot rectangle inside a canvas of `size` with `margin` {top, right, bottom, left}.
 * @returns {{left: number, top: number, width: number, height: number, right: number, bottom: number}}
 */
export function plotBox(size, margin) {
  const left = margin.left;
  const top = margin.top;
  const width = Math.max(0, size.width - margin.left - margin.right);
  const height = Math.max(0, size.height - margin.top - margin.bottom);
  return { left, top, width, height, right: left + width, bottom: top + height };
}

/** True when (x, y) lies inside the box (edges included). */
export function insideBox(box, x, y) {
  return x >= box.left && x <= box.left + box.width && y >= box.top && y <= box.top + box.height;
}

/**
 * Screen polylines of a series, broken where a value is not finite (NaN losses leave gaps).
 * @param {number} n number of points
 * @param {(i: number) => number} xAt screen x of point i
 * @param {(i: number) => number} yAt screen y of point i (NaN / Infinity for a gap)
 * @returns {number[][]} each polyline as flat [x0, y0, x1, y1, ...]
 */
export function polylines(n, xAt, yAt) {
  const lines = [];
  let current = null;
  for (let i = 0; i < n; i++) {
    const x = xAt(i);
    const y = yAt(i);
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      current = null;
      continue;
    }
    if (!current) lines.push((current = []));
    current.push(x, y);
  }
  return lines;
}

/** `value` limited to [lo, hi]. */
export function clampNumber(value, lo, hi) {
  return value < lo ? lo : value > hi ? hi : value;
}
