/**
 * The per-class metrics table without the DOM: reading and checking the traits (precision,
 * recall, F1 and support per class, the summary rows of scikit-learn's `classification_report`),
 * the sort, the rows of a scrolled window, and the traits a click writes; cleanlab's label issues
 * per class (`class_issues`, `label_issues_info`), or why a run has none.
 *
 * Scores travel as float32. scikit-learn's are float64 ratios, and a ratio on a rounding tie
 * such as 3/40 = 0.075 is 0.07499999999999999722 as a double (printed "0.07") but
 * 0.0750000030 as a float32 ("0.08"). `readMetrics` therefore reads a float32 value as the
 * 3-decimal number that rounds to the same float32 when there is one, which restores the
 * double scikit-learn printed (and changes no other 2-decimal text, nor the order).
 */
import { decodeNdarray } from './ndarray.js';

/** Sort keys (the `sort` trait): the first is the default; then the columns after the class name. */
export const SORT_KEYS = Object.freeze(['f1', 'precision', 'recall', 'support', 'name', 'issues']);
/** Sort keys whose first click sorts descending (the worst first: most label issues). */
const DESCENDING_FIRST = new Set(['issues']);
/** The score columns, as the report prints them. */
export const METRICS = Object.freeze(['precision', 'recall', 'f1']);

const SORT_WORDS = {
  f1: ['F1', 'lowest first', 'highest first'],
  precision: ['precision', 'lowest first', 'highest first'],
  recall: ['recall', 'lowest first', 'highest first'],
  support: ['support', 'fewest items first', 'most items first'],
  name: ['class name', 'A to Z', 'Z to A'],
  issues: ['label issues', 'fewest first', 'most first'],
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
 * The label issues of each class: cleanlab's flagged validation items per class (`class_issues`,
 * int32 [C]) and how they were computed (`label_issues_info`), or why there are none. Never
 * throws: a malformed trait makes the issues unavailable, with the reason.
 * @param {unknown} classIssues the `class_issues` trait (ndarray wire object, or null)
 * @param {unknown} info the `label_issues_info` trait
 * @param {ArrayLike<number>} support items per class (for the shares)
 * @returns {{available: boolean, reason: string, counts: Int32Array | null, shares: Float64Array | null,
 *            approximate: boolean, topK: number | null, nFlagged: number, nItems: number, cleanlab: string}}
 */
export function readIssues(classIssues, info, support) {
  const C = support.length;
  const facts = isObject(info) ? info : {};
  const topK = Number.isInteger(facts.top_k) && facts.top_k > 0 ? facts.top_k : null;
  const base = {
    available: false,
    reason: typeof facts.reason === 'string' && facts.reason.trim() ? facts.reason : 'not computed for this view',
    counts: null,
    shares: null,
    approximate: facts.approximate === true,
    topK,
    nFlagged: 0,
    nItems: 0,
    cleanlab: typeof facts.cleanlab === 'string' ? facts.cleanlab : '',
  };
  if (facts.available !== true) return base;
  let counts;
  try {
    counts = readVector('class_issues', classIssues, C);
  } catch (error) {
    return { ...base, reason: `cannot read them: ${error.message}` };
  }
  const shares = new Float64Array(C);
  let total = 0;
  for (let i = 0; i < C; i++) {
    const n = counts[i];
    if (!(Number.isInteger(n) && n >= 0 && n <= support[i])) {
      return { ...base, reason: `cannot read them: class_issues[${i}] = ${n} is not a count within the class's ${support[i]} items` };
    }
    shares[i] = support[i] > 0 ? n / support[i] : 0;
    total += n;
  }
  const nItems = Number.isInteger(facts.n_items) && facts.n_items >= 0 ? facts.n_items : 0;
  return { ...base, available: true, reason: '', counts: Int32Array.from(counts), shares, nFlagged: total, nItems };
}

/**
 * The label-issue column's header tooltip: what the numbers mean, whether they are approximate
 * (runs that kept only the top-k probabilities per item) or why there are none.
 */
export function describeIssues(issues) {
  const what =
    "Label issues: validation items of this class that cleanlab's confident learning flags as possibly " +
    'mislabelled, from the recorded out-of-sample validation predictions (count, and share of the ' +
    "class's items). Click a count to list that class's items in the top losses.";
  if (!issues.available) return `${what}\nNot available for this run: ${issues.reason}`;
  if (!issues.approximate) return `${what}\nExact: every class probability was recorded.`;
  const k = issues.topK ? `the ${issues.topK} largest` : 'only the largest';
  return (
    `${what}\nApproximate: this run kept ${k} probabilities per item (runs above 200 classes), so the ` +
    "rest of each item's probability is spread evenly over the other classes: the flags are estimated; " +
    "each item's label quality and the per-class thresholds are exact."
  );
}

/**
 * Decodes and checks the data traits.
 * @param {{vocab: unknown, precision: unknown, recall: unknown, f1: unknown, support: unknown, summary: unknown,
 *          class_issues?: unknown, label_issues_info?: unknown}} traits
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
  metrics.issues = readIssues(traits.class_issues, traits.label_issues_info, metrics.support);
  return metrics;
}

/**
 * Class indices in display order: by `sort` (a metric, `support`, `name`: case-insensitive,
 * numbers in names by value, or `issues`: the label-issue count, then its share of the class),
 * reversed when `descending`; ties always by class index. Without label issues, `issues` keeps
 * the class order.
 * @returns {number[]}
 */
export function sortOrder(metrics, sort, descending) {
  const sign = descending ? -1 : 1;
  let compare;
  if (sort === 'name') compare = (a, b) => NAME_ORDER.compare(metrics.vocab[a], metrics.vocab[b]);
  else if (sort === 'issues') {
    const { counts, shares } = metrics.issues ?? {};
    compare = counts ? (a, b) => counts[a] - counts[b] || shares[a] - shares[b] : () => 0;
  } else {
    const values = metrics[sort];
    compare = (a, b) => values[a] - values[b];
  }
  return Array.from({ length: metrics.C }, (_, i) => i).sort((a, b) => sign * compare(a, b) || a - b);
}

/**
 * What a click on the header of column `key` writes: that sort, the direction flipped when it is
 * already the sort, else ascending (label issues: descending, most first).
 */
export function headerClickTraits(sort, descending, key) {
  return { sort: key, descending: key === sort ? !descending : DESCENDING_FIRST.has(key) };
}

/**
 * What a click on the label-issue count of class `c` writes: the class filter (as a row click)
 * and, where the model has the top losses' `issues_only` filter (`hasIssuesOnly`), that too, so
 * the top losses list that class's flagged items; on the class already shown that way, both off.
 */
export function issueClickTraits(filterActual, issuesOnly, c, hasIssuesOnly) {
  const shown = filterActual === c && (!hasIssuesOnly || issuesOnly === true);
  if (shown) return hasIssuesOnly ? { filter_actual: null, issues_only: false } : { filter_actual: null };
  const traits = { filter_actual: c, filter_predicted: null, selection: null };
  return hasIssuesOnly ? { ...traits, issues_only: true } : traits;
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
