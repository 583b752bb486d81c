/**
 * The overlapping class pairs cleanlab finds (`cleanlab.dataset.find_overlapping_classes`, on the
 * recorded validation predictions), beside the most-confused list: reading the traits
 * (`overlapping_pairs`, `label_issues_info`), the short list, which cell a pair selects, and the
 * words shown. No DOM.
 */
import { formatCount, formatPercent } from './format.js';

/** Pairs listed before "N more". */
export const SHORT_LIST = 10;
/** What a listed pair suggests. */
export const OVERLAP_HINT = 'Consider merging or checking these two classes.';

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The traits as what the list shows. Never throws: pairs that are not two distinct class indices
 * below `C` with a joint probability in [0, 1] and a count are left out (and counted).
 * @param {unknown} pairs the `overlapping_pairs` trait: [{a, b, joint, examples}], most overlapping first
 * @param {unknown} info the `label_issues_info` trait
 * @param {number} C number of classes
 * @returns {{available: boolean, reason: string, approximate: boolean, topK: number | null,
 *            pairs: {a: number, b: number, joint: number, examples: number}[], dropped: number}}
 */
export function readOverlap(pairs, info, C) {
  const facts = isObject(info) ? info : {};
  const topK = Number.isInteger(facts.top_k) && facts.top_k > 0 ? facts.top_k : null;
  const base = {
    available: facts.available === true,
    reason: typeof facts.reason === 'string' && facts.reason.trim() ? facts.reason : 'not computed for this view',
    approximate: facts.approximate === true,
    topK,
    pairs: [],
    dropped: 0,
  };
  if (!base.available) return base;
  base.reason = '';
  const index = (i) => Number.isInteger(i) && i >= 0 && i < C;
  for (const pair of Array.isArray(pairs) ? pairs : []) {
    const ok =
      isObject(pair) && index(pair.a) && index(pair.b) && pair.a !== pair.b &&
      typeof pair.joint === 'number' && pair.joint >= 0 && pair.joint <= 1 &&
      Number.isInteger(pair.examples) && pair.examples >= 0;
    if (ok) base.pairs.push({ a: pair.a, b: pair.b, joint: pair.joint, examples: pair.examples });
    else base.dropped += 1;
  }
  return base;
}

/**
 * The pairs to list: the first `limit` unless `expanded`, and how many more there are.
 * @returns {{shown: object[], more: number}}
 */
export function shortList(pairs, expanded, limit = SHORT_LIST) {
  const shown = expanded ? pairs : pairs.slice(0, limit);
  return { shown, more: pairs.length - shown.length };
}

/**
 * The cell a click on pair (a, b) selects: [actual, predicted] in the direction confused more
 * often (a -> b on a tie), so the top losses list items; the other direction is marked beside it.
 * @param {{C: number, counts: ArrayLike<number>}} matrix
 * @returns {[number, number]}
 */
export function pairCell(matrix, a, b) {
  const { C, counts } = matrix;
  return counts[b * C + a] > counts[a * C + b] ? [b, a] : [a, b];
}

/** Whether `selection` ([actual, predicted] or null) is one of the two cells of pair (a, b). */
export function isPairCell(selection, a, b) {
  return Boolean(selection) && ((selection[0] === a && selection[1] === b) || (selection[0] === b && selection[1] === a));
}

/**
 * The tooltip of a listed pair.
 * @param {string[]} vocab
 * @param {{C: number, counts: ArrayLike<number>} | null} matrix for the confusions of both directions
 */
export function describePair(vocab, pair, matrix) {
  const [a, b] = [vocab[pair.a], vocab[pair.b]];
  const lines = [
    `${a} and ${b}: cleanlab estimates ${formatCount(pair.examples)} validation ${pair.examples === 1 ? 'item' : 'items'} ` +
      `overlapping (joint probability ${formatPercent(pair.joint)}).`,
    OVERLAP_HINT,
  ];
  if (matrix) {
    const { C, counts } = matrix;
    lines.push(`Confused: ${a} → ${b} ${formatCount(counts[pair.a * C + pair.b])}, ${b} → ${a} ${formatCount(counts[pair.b * C + pair.a])}. Click to select both cells.`);
  }
  return lines.join('\n');
}

/** The line under the heading: how many pairs, approximate or not, or why there are none. */
export function describeOverlap(overlap) {
  if (!overlap.available) return `Not available: ${overlap.reason}`;
  if (overlap.pairs.length === 0) return 'cleanlab finds no overlapping pair.';
  const n = overlap.pairs.length;
  const approximate = overlap.approximate
    ? ` Approximate: this run kept ${overlap.topK ? `the ${overlap.topK} largest` : 'only the largest'} probabilities per item.`
    : '';
  return `${formatCount(n)} ${n === 1 ? 'pair' : 'pairs'} (overlapping items, joint probability), most overlapping first. ${OVERLAP_HINT}${approximate}`;
}
