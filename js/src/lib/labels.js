/**
 * Axis label layout for matrix rows / columns: which labels fit without overlapping,
 * and how to shorten long names. Text width comes from a `measure(text) -> px` function
 * (a canvas context's measureText in the widget, anything in tests).
 */

/** Line height, as a multiple of the font size, that two neighbouring labels need. */
export const LINE_HEIGHT = 1.25;

/**
 * Smallest power of two k such that labelling every k-th cell leaves a line height
 * between neighbouring labels.
 * @returns {number} the step, Infinity when cells have no size
 */
export function labelStep(cellPx, fontPx, lineHeight = LINE_HEIGHT) {
  if (!(cellPx > 0)) return Infinity;
  const needed = fontPx * lineHeight;
  let step = 1;
  while (step * cellPx < needed) step *= 2;
  return step;
}

/**
 * Indices to label in the visible range [start, end]: the multiples of the step, so
 * labels stay put while panning.
 * @param {{cellPx: number, fontPx: number, count: number, start: number, end: number}} layout
 * @returns {{step: number, indices: number[]}}
 */
export function visibleLabels({ cellPx, fontPx, count, start, end }) {
  const step = labelStep(cellPx, fontPx);
  const indices = [];
  if (!Number.isFinite(step)) return { step, indices };
  const last = Math.min(end, count - 1);
  for (let i = Math.ceil(Math.max(0, start) / step) * step; i <= last; i += step) indices.push(i);
  return { step, indices };
}

/**
 * `text` shortened with an ellipsis to at most `maxWidth` px (whole code points, trailing
 * spaces dropped); "" when not even the ellipsis fits.
 * @param {string} text
 * @param {number} maxWidth
 * @param {(text: string) => number} measure
 */
export function truncate(text, maxWidth, measure, ellipsis = '…') {
  if (measure(text) <= maxWidth) return text;
  if (measure(ellipsis) > maxWidth) return '';
  const chars = Array.from(text);
  const fits = (n) => measure(chars.slice(0, n).join('').trimEnd() + ellipsis) <= maxWidth;
  let lo = 0; // fits
  let hi = chars.length; // does not fit
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return chars.slice(0, lo).join('').trimEnd() + ellipsis;
}

/**
 * `truncate` with a cache, for names drawn on every frame.
 * @param {(text: string) => number} measure
 * @returns {(text: string, maxWidth: number) => string}
 */
export function createTruncator(measure) {
  const cache = new Map();
  return (text, maxWidth) => {
    const key = `${maxWidth}\u0000${text}`;
    let short = cache.get(key);
    if (short === undefined) {
      short = truncate(text, maxWidth, measure);
      cache.set(key, short);
    }
    return short;
  };
}

/**
 * Width of the widest of `names`, measuring at most `limit` of them: the widest by an
 * estimate (the sum of each character's own width, one `measure` per distinct character).
 * The estimate ignores kerning and shaping, so with more names than `limit` the result is a
 * lower bound that is usually exact; `exact` says whether every name was measured.
 * @param {string[]} names
 * @param {(text: string) => number} measure
 * @param {number} [limit]
 * @returns {{width: number, exact: boolean}} width 0 for no names
 */
export function widestLabel(names, measure, limit = Infinity) {
  let width = 0;
  if (names.length <= limit) {
    for (const name of names) width = Math.max(width, measure(name));
    return { width, exact: true };
  }
  const charWidths = new Map();
  const estimate = (name) => {
    let sum = 0;
    for (const char of name) {
      let w = charWidths.get(char);
      if (w === undefined) charWidths.set(char, (w = measure(char)));
      sum += w;
    }
    return sum;
  };
  const estimates = names.map(estimate);
  const candidates = names.map((_, i) => i).sort((a, b) => estimates[b] - estimates[a] || a - b);
  for (const i of candidates.slice(0, Math.max(0, limit))) width = Math.max(width, measure(names[i]));
  return { width, exact: false };
}
