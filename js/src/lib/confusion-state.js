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
  normalizeCounts,
  NORMALIZE_MODES,
  permute,
  rowShare,
} from './confusion.js';
import { decodeNdarray } from './ndarray.js';
import { matrixToRgba } from './raster.js';

/** Length of the "most confused" list. */
export const TOP_CONFUSED = 10;

/**
 * Decodes and checks the matrix traits.
 * @param {unknown} vocab trait `vocab`
 * @param {unknown} counts trait `counts` (wire ndarray)
 * @returns {{vocab: string[], C: number, counts: ArrayLike<number>,
 *            confused: ReturnType<typeof mostConfused>}}
 * @throws {Error} naming the problem when the traits are malformed or disagree
 */
export function readMatrix(vocab, counts) {
  if (!Array.isArray(vocab)) throw new Error('vocab must be an array of class names');
  const names = vocab.map(String);
  const C = names.length;
  const { data, shape } = decodeNdarray(counts);
  if (shape.length !== 2 || shape[0] !== C || shape[1] !== C) {
    throw new Error(`counts has shape [${shape}] but vocab has ${C} classes (expected [${C},${C}])`);
  }
  return { vocab: names, C, counts: data, confused: mostConfused(data, names, 1, TOP_CONFUSED) };
}

/** The named order from `orders`, or vocab order when it is missing or not a permutation. */
export function resolveOrder(orders, name, C) {
  const order = orders && typeof orders === 'object' ? orders[name] : undefined;
  return isPermutation(order, C) ? order.slice() : identityOrder(C);
}

/**
 * Everything the cell canvas needs for the current display traits.
 * @param {{C: number, counts: ArrayLike<number>}} matrix from readMatrix
 * @param {{orders?: object, order?: string, normalize?: string, colorScale?: string, hideDiagonal?: boolean}} traits
 * @returns {{order: number[], position: number[], values: Float64Array, rgba: Uint8ClampedArray,
 *            max: number, normalize: string, colorScale: string, hideDiagonal: boolean}}
 *   `order[p]` is the class at display position p, `position[classIndex]` its inverse,
 *   `values` / `rgba` are in display order, `max` is the value shown darkest
 */
export function buildDisplay(matrix, { orders, order, normalize = 'none', colorScale = 'linear', hideDiagonal = false }) {
  const { C } = matrix;
  const mode = NORMALIZE_MODES.includes(normalize) ? normalize : 'none';
  const scale = colorScale === 'log' ? 'log' : 'linear';
  const displayOrder = resolveOrder(orders, order, C);
  const values = permute(normalizeCounts(matrix.counts, C, mode), C, displayOrder);
  const exclude = hideDiagonal ? (i) => i % (C + 1) === 0 : undefined;
  const norm = normalizer(values, { scale, exclude });
  const rgba = matrixToRgba(values, C, { norm, lut: BLUES, hideDiagonal, diagonalRgb: FROZEN_GREY });
  return {
    order: displayOrder,
    position: invertOrder(displayOrder),
    values,
    rgba,
    max: norm.max,
    normalize: mode,
    colorScale: scale,
    hideDiagonal: Boolean(hideDiagonal),
  };
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
    ['Share of actual', `${(share * 100).toFixed(1)}%`],
  ];
}
