/**
 * Numeric helpers on a row-major C x C confusion matrix: rows are actual classes,
 * columns predicted classes (as fastai's `ClassificationInterpretation.confusion_matrix`).
 */

/** Normalisation modes (the `normalize` trait): raw counts (null), by actual class (rows sum to 1), by predicted class (columns sum to 1). */
export const NORMALIZE_MODES = Object.freeze([null, 'true', 'pred']);

// Up to this limit mostConfused keeps a short list while scanning instead of sorting every cell.
const TOP_K_MAX = 100;

function checkSquare(values, C) {
  if (values.length !== C * C) throw new Error(`expected ${C * C} values for ${C} classes, got ${values.length}`);
}

/**
 * Normalised copy of `counts`; rows or columns that sum to zero stay zero.
 * @param {ArrayLike<number>} counts C * C values
 * @param {number} C number of classes
 * @param {null|'true'|'pred'} mode null: raw counts
 * @returns {Float64Array}
 */
export function normalizeCounts(counts, C, mode) {
  checkSquare(counts, C);
  if (!NORMALIZE_MODES.includes(mode)) throw new Error(`unknown normalisation "${mode}"`);
  const out = Float64Array.from(counts);
  if (mode === null) return out;
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
 * @param {ArrayLike<number>} [cells] ascending cells that include every nonzero one (nonzeroCells): only these are
 *   scanned when minVal > 0
 * @returns {{actual: string, predicted: string, count: number, actualIndex: number, predictedIndex: number}[]}
 */
export function mostConfused(counts, vocab, minVal = 1, limit = Infinity, cells = undefined) {
  const C = vocab.length;
  checkSquare(counts, C);
  const scan = minVal > 0 && cells ? cells : null; // zero cells never reach a positive minVal
  const n = scan ? scan.length : C * C;
  const pair = (i, count) => {
    const r = Math.floor(i / C);
    const c = i - r * C;
    return { actual: vocab[r], predicted: vocab[c], count, actualIndex: r, predictedIndex: c };
  };
  const countAt = (i) => (i % (C + 1) === 0 ? 0 : counts[i]); // fastai zeroes the diagonal first
  if (!(limit >= 0 && limit <= TOP_K_MAX)) {
    const pairs = [];
    for (let k = 0; k < n; k++) {
      const i = scan ? scan[k] : k;
      const count = countAt(i);
      if (count >= minVal) pairs.push(pair(i, count));
    }
    pairs.sort((a, b) => b.count - a.count); // stable: ties stay in row-major order
    return pairs.slice(0, limit);
  }
  // A short list: keep the best `limit` cells while scanning (insertion, ties after equals).
  const keep = Math.floor(limit);
  const kept = []; // counts, largest first
  const where = []; // their cells
  for (let k = 0; k < n && keep > 0; k++) {
    const i = scan ? scan[k] : k;
    const count = countAt(i);
    if (!(count >= minVal) || (kept.length === keep && count <= kept[keep - 1])) continue;
    let at = kept.length;
    while (at > 0 && kept[at - 1] < count) at--;
    if (kept.length === keep) {
      kept.pop();
      where.pop();
    }
    kept.splice(at, 0, count);
    where.splice(at, 0, i);
  }
  return where.map((i, k) => pair(i, kept[k]));
}

/**
 * Indices of the cells that are not 0 (NaN included), ascending. Typed arrays of 1 or 2
 * bytes are skipped 4 bytes at a time: a 1000-class matrix is mostly zeros.
 * @param {ArrayLike<number>} values
 * @returns {Int32Array}
 */
export function nonzeroCells(values) {
  const n = values.length;
  const found = [];
  const size = values.BYTES_PER_ELEMENT;
  let from = 0;
  if (size < 4 && values.byteOffset % 4 === 0) {
    const per = 4 / size;
    const words = new Uint32Array(values.buffer, values.byteOffset, Math.floor(n / per));
    for (let w = 0; w < words.length; w++) {
      if (words[w] === 0) continue;
      for (let i = w * per; i < (w + 1) * per; i++) if (values[i] !== 0) found.push(i);
    }
    from = words.length * per;
  }
  for (let i = from; i < n; i++) if (values[i] !== 0) found.push(i);
  return Int32Array.from(found);
}

/** Fraction of the actual class's samples predicted as `predicted` (0 for an empty row). */
export function rowShare(counts, C, actual, predicted) {
  checkSquare(counts, C);
  let total = 0;
  for (let c = 0; c < C; c++) total += counts[actual * C + c];
  return total ? counts[actual * C + predicted] / total : 0;
}
