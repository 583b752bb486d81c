/**
 * Numeric helpers on a row-major C x C confusion matrix: rows are actual classes,
 * columns predicted classes (as fastai's `ClassificationInterpretation.confusion_matrix`).
 */

/** Normalisation modes: raw counts, by actual class (rows sum to 1), by predicted class (columns sum to 1). */
export const NORMALIZE_MODES = Object.freeze(['none', 'true', 'pred']);

function checkSquare(values, C) {
  if (values.length !== C * C) throw new Error(`expected ${C * C} values for ${C} classes, got ${values.length}`);
}

/**
 * Normalised copy of `counts`; rows or columns that sum to zero stay zero.
 * @param {ArrayLike<number>} counts C * C values
 * @param {number} C number of classes
 * @param {'none'|'true'|'pred'} mode
 * @returns {Float64Array}
 */
export function normalizeCounts(counts, C, mode = 'none') {
  checkSquare(counts, C);
  if (!NORMALIZE_MODES.includes(mode)) throw new Error(`unknown normalisation "${mode}"`);
  const out = Float64Array.from(counts);
  if (mode === 'none') return out;
  const byRow = mode === 'true';
  const totals = new Float64Array(C);
  for (let r = 0; r < C; r++) {
    for (let c = 0; c < C; c++) totals[byRow ? r : c] += out[r * C + c];
  }
  for (let r = 0; r < C; r++) {
    for (let c = 0; c < C; c++) {
      const total = totals[byRow ? r : c];
      out[r * C + c] = total ? out[r * C + c] / total : 0;
    }
  }
  return out;
}

/** True when `order` holds each of 0..C-1 exactly once. */
export function isPermutation(order, C) {
  if (!Array.isArray(order) || order.length !== C) return false;
  const seen = new Uint8Array(C);
  for (const i of order) {
    if (!Number.isInteger(i) || i < 0 || i >= C || seen[i]) return false;
    seen[i] = 1;
  }
  return true;
}

/** The order 0, 1, ..., C-1 (vocab order). */
export function identityOrder(C) {
  return Array.from({ length: C }, (_, i) => i);
}

/** Display position of each class: `invertOrder(order)[order[p]] === p`. */
export function invertOrder(order) {
  const position = new Array(order.length);
  order.forEach((classIndex, p) => {
    position[classIndex] = p;
  });
  return position;
}

/**
 * Matrix reordered for display: row p, column q of the result is row order[p], column order[q]
 * of `values` (the diagonal stays the diagonal).
 * @param {ArrayLike<number>} values C * C values
 * @param {number} C
 * @param {number[]} order class index shown at each display position
 * @returns {Float64Array}
 */
export function permute(values, C, order) {
  checkSquare(values, C);
  if (!isPermutation(order, C)) throw new Error(`order is not a permutation of 0..${C - 1}`);
  const out = new Float64Array(C * C);
  for (let p = 0; p < C; p++) {
    const row = order[p] * C;
    for (let q = 0; q < C; q++) out[p * C + q] = values[row + order[q]];
  }
  return out;
}

/**
 * Off-diagonal cells with count >= minVal, largest first; ties keep row-major order.
 * Same result as fastai's `ClassificationInterpretation.most_confused(min_val)`.
 * @param {ArrayLike<number>} counts C * C counts
 * @param {string[]} vocab class names (C = vocab.length)
 * @param {number} [minVal]
 * @param {number} [limit] keep only the first `limit` pairs
 * @returns {{actual: string, predicted: string, count: number, actualIndex: number, predictedIndex: number}[]}
 */
export function mostConfused(counts, vocab, minVal = 1, limit = Infinity) {
  const C = vocab.length;
  checkSquare(counts, C);
  const pairs = [];
  for (let r = 0; r < C; r++) {
    for (let c = 0; c < C; c++) {
      const count = r === c ? 0 : counts[r * C + c]; // fastai zeroes the diagonal first
      if (count >= minVal) {
        pairs.push({ actual: vocab[r], predicted: vocab[c], count, actualIndex: r, predictedIndex: c });
      }
    }
  }
  pairs.sort((a, b) => b.count - a.count); // stable: ties stay in row-major order
  return pairs.slice(0, limit);
}

/** Fraction of the actual class's samples predicted as `predicted` (0 for an empty row). */
export function rowShare(counts, C, actual, predicted) {
  checkSquare(counts, C);
  let total = 0;
  for (let c = 0; c < C; c++) total += counts[actual * C + c];
  return total ? counts[actual * C + predicted] / total : 0;
}

/** Text written in a cell: the count, or two decimals when normalised (as fastai's plot). */
export function formatCell(value, mode) {
  return mode === 'none' ? String(Math.round(value)) : value.toFixed(2);
}
