/**
 * The per-class metrics table without the DOM: reading and checking the traits (precision,
 * recall, F1 and support per class, the summary rows of scikit-learn's `classification_report`),
 * the sort, the rows of a scrolled window, and the traits a click writes.
 *
 * Scores travel as float32. scikit-learn's are float64 ratios, and a ratio on a rounding tie
 * such as 3/40 = 0.075 is 0.07499999999999999722 as a double (printed "0.07") but
 * 0.0750000030 as a float32 ("0.08"). `readMetrics` therefore reads a float32 value as the
 * 3-decimal number that rounds to the same float32 when there is one, which restores the
 * double scikit-learn printed (and changes no other 2-decimal text, nor the order).
 */
import { decodeNdarray } from './ndarray.js';

/** Sort keys (the `sort` trait), in the order of the columns after the class name. */
export const SORT_KEYS = Object.freeze(['f1', 'precision', 'recall', 'support', 'name']);
/** The score columns, as the report prints them. */
export const METRICS = Object.freeze(['precision', 'recall', 'f1']);

const SORT_WORDS = {
  f1: ['F1', 'lowest first', 'highest first'],
  precision: ['precision', 'lowest first', 'highest first'],
  recall: ['recall', 'lowest first', 'highest first'],
  support: ['support', 'fewest items first', 'most items first'],
  name: ['class name', 'A to Z', 'Z to A'],
};
const NAME_ORDER = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** The `sort` trait as a key of SORT_KEYS; anything else is the first (`f1`). */
export function readSort(sort) {
  return SORT_KEYS.includes(sort) ? sort : SORT_KEYS[0];
}

/** The `descending` trait: only `true` is true. */
export function readDescending(descending) {
  return descending === true;
}

/** The `filter_actual` trait as a class index below `C`, or null (none, or not a valid index). */
export function readFilterActual(filterActual, C) {
  return Number.isInteger(filterActual) && filterActual >= 0 && filterActual < C ? filterActual : null;
}

/** A float32 score as the double it was most likely made from (see the module comment). */
function fromFloat32(x) {
  const short = Number(x.toFixed(3));
  return Math.fround(short) === x ? short : x;
}

function readVector(name, wire, C) {
  let decoded;
  try {
    decoded = decodeNdarray(wire);
  } catch (error) {
    throw new Error(`${name}: ${error.message}`);
  }
  if (decoded.shape.length !== 1 || decoded.shape[0] !== C) {
    throw new Error(`${name} has shape [${decoded.shape}] but vocab has ${C} classes (expected [${C}])`);
  }
  return decoded.data;
}

function readScores(name, wire, C) {
  const data = readVector(name, wire, C);
  const scores = new Float64Array(C);
  for (let i = 0; i < C; i++) {
    if (!(data[i] >= 0 && data[i] <= 1)) throw new Error(`${name}[${i}] = ${data[i]} is not a score in [0, 1]`);
    scores[i] = fromFloat32(data[i]);
  }
  return scores;
}

function readNumber(value, name, { integer = false } = {}) {
  const ok = typeof value === 'number' && Number.isFinite(value) && (!integer || (Number.isInteger(value) && value >= 0));
  if (!ok) throw new Error(`summary.${name} must be ${integer ? 'a count' : 'a number'}, got ${JSON.stringify(value) ?? String(value)}`);
  return value;
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The `summary` trait: the report's last rows.
 * @returns {{accuracy: number, nItems: number, macro: Record<string, number>, weighted: Record<string, number>}}
 * @throws {Error} naming the field that is missing or not a number
 */
export function readSummary(summary) {
  if (!isObject(summary)) throw new Error('summary must be an object {accuracy, n_items, macro, weighted}');
  const average = (kind) => {
    if (!isObject(summary[kind])) throw new Error(`summary.${kind} must be an object {precision, recall, f1}`);
    return Object.fromEntries(METRICS.map((m) => [m, readNumber(summary[kind][m], `${kind}.${m}`)]));
  };
  return {
    accuracy: readNumber(summary.accuracy, 'accuracy'),
    nItems: readNumber(summary.n_items, 'n_items', { integer: true }),
    macro: average('macro'),
    weighted: average('weighted'),
  };
}

/**
 * Decodes and checks the data traits.
 * @param {{vocab: unknown, precision: unknown, recall: unknown, f1: unknown, support: unknown, summary: unknown}} traits
 * @returns {{C: number, vocab: string[], precision: Float64Array, recall: Float64Array, f1: Float64Array,
 *            support: ArrayLike<number>, summary: ReturnType<typeof readSummary>}}
 * @throws {Error} naming the trait when one is malformed or the lengths disagree
 */
export function readMetrics(traits) {
  if (!Array.isArray(traits.vocab)) throw new Error('vocab must be an array of class names');
  const vocab = traits.vocab.map(String);
  const C = vocab.length;
  const metrics = { C, vocab };
  for (const name of METRICS) metrics[name] = readScores(name, traits[name], C);
  metrics.support = readVector('support', traits.support, C);
  for (let i = 0; i < C; i++) {
    const n = metrics.support[i];
    if (!(Number.isInteger(n) && n >= 0)) throw new Error(`support[${i}] = ${n} is not a count`);
  }
  metrics.summary = readSummary(traits.summary);
  return metrics;
}

/**
 * Class indices in display order: by `sort` (a metric, `support`, or `name`: case-insensitive,
 * numbers in names by value), reversed when `descending`; ties always by class index.
 * @returns {number[]}
 */
export function sortOrder(metrics, sort, descending) {
  const sign = descending ? -1 : 1;
  const values = sort === 'name' ? null : metrics[sort];
  const compare = values ? (a, b) => values[a] - values[b] : (a, b) => NAME_ORDER.compare(metrics.vocab[a], metrics.vocab[b]);
  return Array.from({ length: metrics.C }, (_, i) => i).sort((a, b) => sign * compare(a, b) || a - b);
}

/** What a click on the header of column `key` writes: that sort, the direction flipped when it is already the sort, else ascending. */
export function headerClickTraits(sort, descending, key) {
  return { sort: key, descending: key === sort ? !descending : false };
}

/**
 * What a click on the row of class `c` writes: the actual-class filter on it (clearing the
 * predicted-class filter and the confusion cell), or no filter when it was already on `c`.
 */
export function rowClickTraits(filterActual, c) {
  return filterActual === c ? { filter_actual: null } : { filter_actual: c, filter_predicted: null, selection: null };
}

/** Caption of the sort: "sorted by F1, lowest first". */
export function describeSort(sort, descending) {
  const [name, up, down] = SORT_WORDS[sort];
  return `sorted by ${name}, ${descending ? down : up}`;
}

/**
 * Rows (display positions) to render for a scrolled window, with `overscan` rows either side.
 * @returns {{start: number, end: number}} positions start..end-1
 */
export function visibleRows(scrollTop, viewportPx, rowPx, total, overscan) {
  const start = Math.max(0, Math.floor(scrollTop / rowPx) - overscan);
  const end = Math.min(total, Math.ceil((scrollTop + viewportPx) / rowPx) + overscan);
  return { start, end: Math.max(start, end) };
}

/** The scroll offset that shows row `position` whole, moving as little as possible from `scrollTop`. */
export function scrollToShow(position, scrollTop, viewportPx, rowPx) {
  const top = position * rowPx;
  if (top < scrollTop) return top;
  if (top + rowPx > scrollTop + viewportPx) return top + rowPx - viewportPx;
  return scrollTop;
}
