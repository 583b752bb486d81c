/**
 * Colours of the embeddings scatter: one colour per point for each `color_by`, the order the
 * points are drawn in, and what the legend lists. Pure, no DOM.
 *
 * Classes: matplotlib's tab10 up to 10 classes; above, a palette grown greedily in OKLab from
 * tab10 (Glasbey's method: each new colour the candidate farthest from every colour already
 * chosen, among sRGB colours of middle lightness and clear chroma, so points read on light and
 * dark backgrounds and are never mistaken for the dimmed grey). Up to PALETTE_SIZE classes
 * every class has its own colour; above that the colours repeat (class i takes colour
 * i mod PALETTE_SIZE) and the legend says so.
 */
import { CATEGORICAL } from './chart.js';
import { VIRIDIS } from './colormap.js';

/** Most distinct class colours; more classes reuse them. */
export const PALETTE_SIZE = 40;
/** Colour steps of the continuous colourings (loss, label quality). */
export const RAMP_STEPS = 64;
/** The colourings offered, in menu order ('label_quality' only when scores exist). */
export const COLOR_BY = Object.freeze(['actual', 'predicted', 'correct', 'loss', 'label_quality']);
/** Correct / wrong colours (tab10 blue and red). */
export const CORRECT_RGB = Object.freeze([31, 119, 180]);
export const WRONG_RGB = Object.freeze([214, 39, 40]);

function hexRgb(hex) {
  const n = parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function linear(c) {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** OKLab [L, a, b] of an sRGB colour (bytes): the palette's distances are measured there. */
export function oklab([r8, g8, b8]) {
  const r = linear(r8);
  const g = linear(g8);
  const b = linear(b8);
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return [
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  ];
}

// PALETTE_SIZE colours, tab10 first: Glasbey's greedy choice in OKLab (each colour the sRGB
// candidate, channels in steps of 17, OKLab lightness 0.5..0.85 and chroma >= 0.08, farthest
// from every colour before it), computed once: js/test/scatter-color.test.js recomputes it.
const PALETTE_HEX =
  '1f77b4ff7f0e2ca02cd627289467bd8c564be377c2bcbd2217becf5522ffdd00ff00ee00ccbbffbb008833eebbffbb99007755aa88227799ff9900ddff008844998800cc66bb777777ddff3377ffbb77ffff66778855ffff66ff5555ccdd999988bb88ff00cc775588ffbb22ff99eecc44bb7766003399cc';

/**
 * The class palette: `n` RGB triples (n <= PALETTE_SIZE), tab10 first.
 * @returns {number[][]}
 */
export function classPalette(n) {
  if (n <= CATEGORICAL.length) return CATEGORICAL.slice(0, n).map(hexRgb);
  const palette = [];
  for (let i = 0; i < Math.min(n, PALETTE_SIZE); i++) palette.push(hexRgb(PALETTE_HEX.slice(6 * i, 6 * i + 6)));
  return palette;
}

/** `#rrggbb` of an RGB triple. */
export function rgbHex(rgb) {
  return `#${rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * A fixed order of 0..n-1 that mixes the items (k -> k * stride mod n, the stride a prime near
 * n / golden ratio that does not divide n), so that no class (items often come grouped by
 * class) is always drawn on top. One multiply per item.
 */
export function shuffledOrder(n) {
  const order = new Int32Array(n);
  if (n === 0) return order;
  let stride = Math.max(1, Math.round(n * 0.6180339887));
  while (gcd(stride, n) !== 1) stride++;
  for (let k = 0, i = 0; k < n; k++) {
    order[k] = i;
    i += stride;
    if (i >= n) i -= n;
  }
  return order;
}

function gcd(a, b) {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Indices 0..n-1 sorted by `key` (small integers below `levels`), stable: a counting sort. */
export function orderByKey(key, levels) {
  const starts = new Int32Array(levels + 1);
  for (let i = 0; i < key.length; i++) starts[key[i] + 1]++;
  for (let k = 0; k < levels; k++) starts[k + 1] += starts[k];
  const order = new Int32Array(key.length);
  for (let i = 0; i < key.length; i++) order[starts[key[i]]++] = i;
  return order;
}

/**
 * Colours for one `color_by`.
 * @param {{n: number, C: number, vocab: string[], targets: Int32Array, decoded: Int32Array,
 *          losses: Float32Array, labelQuality: Float32Array|null}} data
 * @param {string} colorBy one of COLOR_BY (validated by the caller)
 * @returns {{palette: Uint8Array, colorOf: Uint16Array, order: Int32Array, legend: object}}
 *   `palette` RGB triples, `colorOf` palette entry per point, `order` the drawing order (last on
 *   top); `legend` is `{kind: 'classes', classes: [{index, name, count, color}], repeats}`
 *   (counts per class, every class), `{kind: 'correct', entries: [{name, count, color}]}` or
 *   `{kind: 'ramp', label, min, max, low, high, stops}` (stops: CSS colours along the ramp)
 */
export function colorPoints(data, colorBy) {
  if (colorBy === 'actual' || colorBy === 'predicted') return classColors(data, colorBy === 'actual' ? data.targets : data.decoded);
  if (colorBy === 'correct') return correctColors(data);
  if (colorBy === 'loss') return rampColors(data.losses, { log: true, label: 'loss', low: 'low', high: 'high' });
  return rampColors(data.labelQuality, { invert: true, label: 'label quality', low: 'likely fine', high: 'suspect' });
}

function classColors({ n, C, vocab }, classes) {
  const size = Math.max(1, Math.min(C, PALETTE_SIZE));
  const rgb = classPalette(size);
  const palette = Uint8Array.from(rgb.flat());
  const colorOf = new Uint16Array(n);
  const counts = new Int32Array(C);
  for (let i = 0; i < n; i++) {
    colorOf[i] = classes[i] % size;
    counts[classes[i]]++;
  }
  const classList = [];
  for (let c = 0; c < C; c++) classList.push({ index: c, name: vocab[c], count: counts[c], color: rgbHex(rgb[c % size]) });
  return { palette, colorOf, order: shuffledOrder(n), legend: { kind: 'classes', classes: classList, repeats: C > PALETTE_SIZE } };
}

function correctColors({ n, targets, decoded }) {
  const colorOf = new Uint16Array(n);
  let wrong = 0;
  for (let i = 0; i < n; i++) {
    if (targets[i] !== decoded[i]) {
      colorOf[i] = 1;
      wrong++;
    }
  }
  return {
    palette: Uint8Array.from([...CORRECT_RGB, ...WRONG_RGB]),
    colorOf,
    order: orderByKey(colorOf, 2), // mistakes on top
    legend: {
      kind: 'correct',
      entries: [
        { name: 'correct', count: n - wrong, color: rgbHex(CORRECT_RGB) },
        { name: 'wrong', count: wrong, color: rgbHex(WRONG_RGB) },
      ],
    },
  };
}

/**
 * A continuous colouring along viridis in RAMP_STEPS steps; the high end (yellow) drawn on top.
 * `log`: positions by log1p (losses: most are small, a few large); `invert`: low values are
 * the high end (label quality: low scores are suspect). NaN takes the low end.
 */
function rampColors(values, { log = false, invert = false, label, low, high }) {
  const n = values.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(max >= min)) {
    min = 0;
    max = 0;
  }
  const f = log ? (v) => Math.log1p(Math.max(0, v)) : (v) => v;
  const lo = f(min);
  const span = f(max) - lo;
  const colorOf = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const t = span > 0 ? (f(values[i]) - lo) / span : 0;
    const step = Number.isNaN(t) ? 0 : Math.min(RAMP_STEPS - 1, Math.max(0, Math.floor((invert ? 1 - t : t) * RAMP_STEPS)));
    colorOf[i] = Number.isNaN(t) ? 0 : step;
  }
  const palette = new Uint8Array(RAMP_STEPS * 3);
  for (let s = 0; s < RAMP_STEPS; s++) {
    const k = Math.min(255, Math.floor(((s + 0.5) / RAMP_STEPS) * 256)) * 3;
    palette.set(VIRIDIS.subarray(k, k + 3), s * 3);
  }
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => {
    const k = Math.min(255, Math.floor(t * 256)) * 3;
    return rgbHex([...VIRIDIS.subarray(k, k + 3)]);
  });
  return {
    palette,
    colorOf,
    order: orderByKey(colorOf, RAMP_STEPS),
    // `from` is the value at the ramp's start (left of the bar), `to` at its end.
    legend: { kind: 'ramp', label, from: invert ? max : min, to: invert ? min : max, low, high, stops },
  };
}

/**
 * Parses a CSS colour as a browser's canvas normalises it (`#rrggbb`, `#rgb`,
 * `rgb(r, g, b)` / `rgba(r, g, b, a)`).
 * @returns {number[]|null} [r, g, b], null when not understood
 */
export function parseColor(text) {
  const s = String(text ?? '').trim().toLowerCase();
  let m = /^#([0-9a-f]{6})$/.exec(s);
  if (m) return hexRgb(m[1]);
  m = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(s);
  if (m) return [m[1], m[2], m[3]].map((d) => parseInt(d + d, 16));
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(s);
  if (m) return [m[1], m[2], m[3]].map((d) => Math.min(255, Math.round(Number(d))));
  return null;
}
