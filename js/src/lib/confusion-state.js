/**
 * From the confusion widget's traits to what its canvas draws, without touching the DOM.
 * `readMatrix` runs when `vocab` / `counts` change, `buildDisplay` when any display trait does.
 */
import { BLUES, FROZEN_GREY, normalizer } from './colormap.js';
import {
  identityOrder,
  invertOrder,
  isPermutation,
  mostConfused,
  nonzeroCells,
  NORMALIZE_MODES,
  rowShare,
} from './confusion.js';
import { formatPercent } from './format.js';
import { decodeNdarray } from './ndarray.js';
import { cellsToRgba, pooledRgba } from './raster.js';

/** Colour scales (the `color_scale` trait). */
export const COLOR_SCALES = Object.freeze(['linear', 'log']);

/** Least position along the colour map of a nonzero cell in the overview (cells below a few px). */
export const OVERVIEW_FLOOR = 0.3;

/** Most pairs the "most confused" list shows (the rest are counted). */
export const MAX_LISTED = 50;

/**
 * Decodes and checks the matrix traits.
 * @param {unknown} vocab trait `vocab`
 * @param {unknown} counts trait `counts` (wire ndarray)
 * @returns {{vocab: string[], C: number, counts: ArrayLike<number>, cells: Int32Array}}
 *   `cells`: ascending cells that include every nonzero one
 * @throws {Error} naming the problem when the traits are malformed or disagree
 */
export function readMatrix(vocab, counts) {
  if (!Array.isArray(vocab)) throw new Error('vocab must be an array of class names');
  const names = vocab.map(String);
  const C = names.length;
  const { data, shape, nonzero } = decodeNdarray(counts);
  if (shape.length !== 2 || shape[0] !== C || shape[1] !== C) {
    throw new Error(`counts has shape [${shape}] but vocab has ${C} classes (expected [${C},${C}])`);
  }
  const cells = nonzero || nonzeroCells(data);
  return { vocab: names, C, counts: data, cells };
}

/**
 * fastai's `most_confused(min_val)` over a readMatrix result: the first `limit` pairs, and
 * how many pairs reach `minVal` in all.
 * @returns {{pairs: ReturnType<typeof mostConfused>, total: number}}
 */
export function confusedPairs(matrix, minVal, limit = MAX_LISTED) {
  const { C, counts, cells } = matrix;
  let total = 0;
  for (const i of cells) if (i % (C + 1) !== 0 && counts[i] >= minVal) total++;
  return { pairs: mostConfused(counts, matrix.vocab, minVal, limit, cells), total };
}

/** The `min_val` trait: a finite number rounded, at least 1; anything else 1 (fastai's default). */
export function readMinVal(minVal) {
  return typeof minVal === 'number' && Number.isFinite(minVal) ? Math.max(1, Math.round(minVal)) : 1;
}

/** A class filter trait (`filter_actual`, `filter_predicted`): a class index below C, or null. */
export function readClassIndex(value, C) {
  return Number.isInteger(value) && value >= 0 && value < C ? value : null;
}

/**
 * What the `order_info` trait says about the order `name`: its option `label`, a `help`
 * sentence, and `groups` (display positions where a group starts, e.g. dogs after cats, with
 * its name); the order's name, '' and none when missing or malformed.
 * @returns {{label: string, help: string, groups: {start: number, name: string}[]}}
 */
export function readOrderInfo(info, name, C) {
  const entry = info && typeof info === 'object' ? info[name] : undefined;
  const text = (value, fallback) => (typeof value === 'string' && value.trim() ? value : fallback);
  const groups = Array.isArray(entry?.groups)
    ? entry.groups
        .filter((g) => g && Number.isInteger(g.start) && g.start >= 0 && g.start < C)
        .map((g) => ({ start: g.start, name: text(g.name, '') }))
        .sort((a, b) => a.start - b.start)
    : [];
  return { label: text(entry?.label, String(name)), help: text(entry?.help, ''), groups };
}

/** The named order from `orders`, or vocab order when it is missing or not a permutation. */
export function resolveOrder(orders, name, C) {
  const order = orders && typeof orders === 'object' ? orders[name] : undefined;
  return isPermutation(order, C) ? order.slice() : identityOrder(C);
}

/** The `normalize` trait as a mode of NORMALIZE_MODES; anything else is the first mode (null: raw counts). */
export function readNormalize(normalize) {
  return NORMALIZE_MODES.includes(normalize) ? normalize : NORMALIZE_MODES[0];
}

/** The `color_scale` trait as one of COLOR_SCALES; anything else is the first ('linear'). */
export function readColorScale(colorScale) {
  return COLOR_SCALES.includes(colorScale) ? colorScale : COLOR_SCALES[0];
}

/**
 * Everything the cell canvas needs for the current display traits.
 * Malformed traits are read by readNormalize / readColorScale; only `hideDiagonal === true` hides.
 * @param {{C: number, counts: ArrayLike<number>}} matrix from readMatrix
 * @param {{orders?: object, order?: string, normalize?: string|null, colorScale?: string, hideDiagonal?: boolean}} traits
 * @returns {{order: number[], position: number[], values: Float64Array, valueAt: (row: number, col: number) => number,
 *            rgba: Uint8ClampedArray, overview: (pool: number) => {rgba: Uint8ClampedArray, width: number},
 *            cells: Int32Array, cellValues: Float64Array, max: number, normalize: string|null,
 *            colorScale: string, hideDiagonal: boolean}}
 *   `order[p]` is the class at display position p, `position[classIndex]` its inverse,
 *   `values` / `rgba` are in display order (built when first read; `valueAt(row, col)`
 *   gives one value at a display position), `cells` / `cellValues` the nonzero cells (display
 *   indices) and their values, `max` is the value shown darkest
 */
export function buildDisplay(matrix, { orders, order, normalize, colorScale, hideDiagonal }) {
  const { C } = matrix;
  const mode = readNormalize(normalize);
  const scale = readColorScale(colorScale);
  const hide = hideDiagonal === true;
  const displayOrder = resolveOrder(orders, order, C);
  const position = invertOrder(displayOrder);
  const { valueAt, cells, cellValues } = displayValues(matrix.counts, C, mode, displayOrder, position, matrix.cells);
  // The colour range over the nonzero cells only: zeros change neither the max nor the unit.
  const shown = hide ? cellValues.filter((_, k) => cells[k] % (C + 1) !== 0) : cellValues;
  const norm = normalizer(shown, { scale });
  const colouring = { norm, lut: BLUES, hideDiagonal: hide, diagonalRgb: FROZEN_GREY };
  let dense = null;
  let rgba = null;
  return {
    /** One RGBA pixel per cell in display order (built on first use). */
    get rgba() {
      if (!rgba) rgba = cellsToRgba(cells, cellValues, C, colouring);
      return rgba;
    },
    /**
     * Overview pixels of `pool` x `pool` cells each, the strongest shown, nonzero cells at
     * least OVERVIEW_FLOOR along the colour map (pooledRgba).
     */
    overview(pool) {
      return pooledRgba(cells, cellValues, C, pool, { ...colouring, floor: OVERVIEW_FLOOR });
    },
    cells,
    cellValues,
    /** All C * C values in display order (built on first use; `valueAt` reads one). */
    get values() {
      if (!dense) {
        dense = new Float64Array(C * C);
        cells.forEach((i, k) => {
          dense[i] = cellValues[k];
        });
      }
      return dense;
    },
    valueAt,
    order: displayOrder,
    position,
    max: norm.max,
    normalize: mode,
    colorScale: scale,
    hideDiagonal: hide,
  };
}

/**
 * The displayed values of `permute(normalizeCounts(counts, C, mode), C, order)` (the same
 * numbers), without building that C x C array: at 1000 classes a million cells, of which a
 * few thousand are not 0.
 * @param {ArrayLike<number>} counts C * C counts, row-major
 * @param {number[]} order class index at each display position (a permutation)
 * @param {number[]} position its inverse (invertOrder)
 * @param {ArrayLike<number>} [cells] nonzeroCells(counts), ascending; computed when missing
 * @returns {{valueAt: (row: number, col: number) => number, cells: Int32Array, cellValues: Float64Array}}
 *   `valueAt` gives the value at a display position; `cells` are the display indices
 *   (row * C + col) of the nonzero cells and `cellValues` their values (all others are 0)
 */
export function displayValues(counts, C, mode, order, position, cells = nonzeroCells(counts)) {
  if (counts.length !== C * C) throw new Error(`expected ${C * C} values for ${C} classes, got ${counts.length}`);
  if (!NORMALIZE_MODES.includes(mode)) throw new Error(`unknown normalisation "${mode}"`);
  const byRow = mode === 'true';
  let totals = null; // row or column sums, added in the order normalizeCounts adds them
  if (mode !== null) {
    totals = new Float64Array(C);
    for (const i of cells) {
      const r = Math.floor(i / C);
      totals[byRow ? r : i - r * C] += counts[i];
    }
  }
  const value = (actual, predicted) => {
    const count = counts[actual * C + predicted];
    if (!totals) return Number(count);
    const total = totals[byRow ? actual : predicted];
    return total ? count / total : 0;
  };
  const shown = new Int32Array(cells.length);
  const cellValues = new Float64Array(cells.length);
  for (let k = 0; k < cells.length; k++) {
    const r = Math.floor(cells[k] / C);
    const c = cells[k] - r * C;
    shown[k] = position[r] * C + position[c];
    cellValues[k] = value(r, c);
  }
  return { valueAt: (row, col) => value(order[row], order[col]), cells: shown, cellValues };
}

/**
 * Next `selection` trait after a click on (actual, predicted): the cell, or null when it
 * was already selected.
 * @param {[number, number] | null} current
 * @returns {[number, number] | null}
 */
export function toggleSelection(current, actual, predicted) {
  const same = Array.isArray(current) && current[0] === actual && current[1] === predicted;
  return same ? null : [actual, predicted];
}

/**
 * A valid selection, or null: `selection` must be [actual, predicted] class indices < C.
 * @returns {[number, number] | null}
 */
export function readSelection(selection, C) {
  if (!Array.isArray(selection) || selection.length !== 2) return null;
  const [actual, predicted] = selection;
  const valid = (i) => Number.isInteger(i) && i >= 0 && i < C;
  return valid(actual) && valid(predicted) ? [actual, predicted] : null;
}

/**
 * Tooltip lines for the cell (actual, predicted), as [label, text] pairs.
 * @param {{vocab: string[], C: number, counts: ArrayLike<number>}} matrix
 * @returns {[string, string][]}
 */
export function describeCell(matrix, actual, predicted) {
  const { vocab, C, counts } = matrix;
  const share = rowShare(counts, C, actual, predicted);
  return [
    ['Actual', vocab[actual]],
    ['Predicted', vocab[predicted]],
    ['Count', String(counts[actual * C + predicted])],
    ['Share of actual', formatPercent(share)],
  ];
}
