/**
 * The top-loss browser's data, without the DOM: decoding the per-item arrays, filtering
 * (actual / predicted class, or a confusion cell), sorting, paging and navigation.
 *
 * Sorting happens once per data change and sort key (a typed-array index sort over all N
 * items); a filter change is then one linear pass over that order, so 50,000 items stay fast.
 */
import { decodeNdarray } from '../lib/ndarray.js';

/** Shown in place of the browser when `losses` is missing and the `notice` trait is empty. */
export const NO_PREDICTIONS_MESSAGE = 'No validation predictions recorded yet: no top losses to show.';

/**
 * Sort keys (the `sort` trait, Python's `SORTS`): `loss` largest first; `confident_mistakes` the
 * misclassified items by highest p(predicted) first, then the correct ones by largest loss;
 * `label_quality` cleanlab's label quality, lowest (most suspicious) first.
 */
export const SORT_KEYS = Object.freeze(['loss', 'confident_mistakes', 'label_quality']);
/** Page sizes offered by the toolbar (a `page_size` from Python is offered too). */
export const PAGE_SIZES = Object.freeze([12, 24, 48, 96]);
export const MAX_PAGE_SIZE = 500;

const ARRAY_TRAITS = [
  ['targets', 'targets'],
  ['decoded', 'decoded'],
  ['losses', 'losses'],
  ['probActual', 'prob_actual'],
  ['probPred', 'prob_pred'],
];

/**
 * Decodes and checks the data traits.
 * @param {{vocab: unknown, items: unknown, targets: unknown, decoded: unknown, losses: unknown,
 *          prob_actual: unknown, prob_pred: unknown}} traits
 * @returns {{N: number, C: number, vocab: string[], names: string[], targets: ArrayLike<number>,
 *            decoded: ArrayLike<number>, losses: ArrayLike<number>, probActual: ArrayLike<number>,
 *            probPred: ArrayLike<number>}}
 *   `names[i]` is the item's name (`item i` when `items` is missing)
 * @throws {Error} naming the trait when one is malformed or the lengths disagree
 */
export function readItems(traits) {
  if (!Array.isArray(traits.vocab)) throw new Error('vocab must be an array of class names');
  const vocab = traits.vocab.map(String);
  const C = vocab.length;
  const data = { vocab, C };
  let N = null;
  for (const [key, trait] of ARRAY_TRAITS) {
    let decoded;
    try {
      decoded = decodeNdarray(traits[trait]);
    } catch (error) {
      throw new Error(`${trait}: ${error.message}`);
    }
    if (decoded.shape.length !== 1) throw new Error(`${trait} must be one-dimensional, got shape [${decoded.shape}]`);
    if (N === null) N = decoded.shape[0];
    else if (decoded.shape[0] !== N) throw new Error(`${trait} has ${decoded.shape[0]} items but targets has ${N}`);
    data[key] = decoded.data;
  }
  for (const trait of ['targets', 'decoded']) {
    const values = data[trait];
    for (let i = 0; i < N; i++) {
      const c = values[i];
      if (!(c >= 0 && c < C && Number.isInteger(c))) {
        throw new Error(`${trait}[${i}] = ${c} is not a class index of vocab (${C} classes)`);
      }
    }
  }
  const items = traits.items;
  if (items !== undefined && items !== null && !Array.isArray(items)) throw new Error('items must be a list of item names');
  if (Array.isArray(items) && items.length !== N) throw new Error(`items has ${items.length} names but targets has ${N} items`);
  data.names = Array.from({ length: N }, (_, i) => (items ? String(items[i]) : `item ${i}`));
  data.N = N;
  return data;
}

/**
 * cleanlab's per-item numbers (traits `label_quality`, `label_issue`, `suggested_label`,
 * `label_issues_info`) for `data`, or why there are none.
 * @returns {{available: boolean, reason: string, quality: ArrayLike<number>|null,
 *            issue: ArrayLike<number>|null, suggested: ArrayLike<number>|null, info: object}}
 */
export function readLabelIssues(traits, data) {
  const info = traits.label_issues_info && typeof traits.label_issues_info === 'object' ? traits.label_issues_info : {};
  const none = (reason) => ({ available: false, reason, quality: null, issue: null, suggested: null, info });
  if (!data) return none('');
  if (info.available === false) return none(typeof info.reason === 'string' && info.reason ? info.reason : 'label issues are not available for this run');
  const arrays = {};
  for (const [key, trait] of [['quality', 'label_quality'], ['issue', 'label_issue'], ['suggested', 'suggested_label']]) {
    let decoded;
    try {
      decoded = decodeNdarray(traits[trait]);
    } catch {
      return none(info.available === true ? `${trait} cannot be read` : ''); // no label issues sent: nothing to say
    }
    if (decoded.shape.length !== 1 || decoded.shape[0] !== data.N) return none(`${trait} has ${decoded.shape[0]} entries for ${data.N} items`);
    arrays[key] = decoded.data;
  }
  for (let i = 0; i < data.N; i++) {
    const c = arrays.suggested[i];
    if (!(Number.isInteger(c) && c >= 0 && c < data.C)) return none(`suggested_label[${i}] = ${c} is not a class index`);
  }
  return { available: true, reason: '', ...arrays, info };
}

/** The `sort` trait as a key of SORT_KEYS; anything else is the first (`loss`). */
export function readSort(sort) {
  return SORT_KEYS.includes(sort) ? sort : SORT_KEYS[0];
}

/**
 * The `page_size` trait as a page size: a finite number rounded and clamped to [1, MAX_PAGE_SIZE],
 * anything else the first size offered (PAGE_SIZES[0]).
 */
export function readPageSize(pageSize) {
  if (typeof pageSize !== 'number' || !Number.isFinite(pageSize)) return PAGE_SIZES[0];
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.round(pageSize)));
}

function classIndex(value, C) {
  return Number.isInteger(value) && value >= 0 && value < C ? value : null;
}

/**
 * The filter in effect: a valid `selection` ([actual, predicted]) overrides `filter_actual`
 * and `filter_predicted`; invalid values count as "any" (null). `issuesOnly` keeps the items
 * cleanlab flags (when `issues`, the label_issue array, is given); `itemSelection` (a list of item
 * indices picked in the embedding, null: none) keeps those items (`picked`: a mask over N items,
 * `pickedCount`: how many valid ones).
 * @returns {{actual: number|null, predicted: number|null, cell: boolean, issues: ArrayLike<number>|null,
 *            picked: Uint8Array|null, pickedCount: number, pickedKey: string}}
 */
export function readFilter({ selection, filterActual, filterPredicted, issuesOnly = false, issues = null, itemSelection = null }, C, N = 0) {
  let picked = null;
  let pickedCount = 0;
  let pickedKey = '';
  if (Array.isArray(itemSelection)) {
    picked = new Uint8Array(N);
    for (const i of itemSelection) {
      if (Number.isInteger(i) && i >= 0 && i < N && !picked[i]) {
        picked[i] = 1;
        pickedCount += 1;
      }
    }
    pickedKey = `${pickedCount}:${itemSelection.length}:${itemSelection.slice(0, 8).join(',')}:${itemSelection.slice(-8).join(',')}`;
  }
  const extra = { issues: issuesOnly && issues ? issues : null, picked, pickedCount, pickedKey };
  if (Array.isArray(selection) && selection.length === 2) {
    const actual = classIndex(selection[0], C);
    const predicted = classIndex(selection[1], C);
    if (actual !== null && predicted !== null) return { actual, predicted, cell: true, ...extra };
  }
  return { actual: classIndex(filterActual, C), predicted: classIndex(filterPredicted, C), cell: false, ...extra };
}

/** A string that changes exactly when the filtered set does (for caching). */
export function filterKey(filter) {
  return `${filter.actual}/${filter.predicted}/${filter.issues ? 'issues' : ''}/${filter.picked ? filter.pickedKey : ''}`;
}

/** Whether item `i` passes `filter` (false without data). */
export function matchesFilter(data, i, filter) {
  if (!data) return false;
  return (
    (filter.actual === null || data.targets[i] === filter.actual) &&
    (filter.predicted === null || data.decoded[i] === filter.predicted) &&
    (!filter.issues || Boolean(filter.issues[i])) &&
    (!filter.picked || Boolean(filter.picked[i]))
  );
}

/**
 * All item indices ordered by `sort`: `loss` largest first; `confident_mistakes` the wrong items
 * by highest p(predicted) first, then the right ones by largest loss. Equal values keep item
 * order, NaN last in its group (so "top losses" agree with fastai's / petlens' Python
 * `top_losses`, a stable argsort).
 * @param {{N: number, targets: ArrayLike<number>, decoded: ArrayLike<number>, losses: ArrayLike<number>,
 *          probPred: ArrayLike<number>}} data
 * @param {string} sort
 * @returns {Uint32Array}
 */
export function sortOrder(data, sort, labelQuality = null) {
  const { N, losses, probPred, targets, decoded } = data;
  if (readSort(sort) === 'label_quality' && labelQuality) return ascending(N, labelQuality);
  const mistakesFirst = readSort(sort) === 'confident_mistakes';
  // Keys in a Float64Array (one typed read per comparison): the group (0 first), then the value, NaN last.
  const group = new Uint8Array(N);
  const keys = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const wrong = mistakesFirst && targets[i] !== decoded[i];
    const v = wrong ? probPred[i] : losses[i];
    group[i] = mistakesFirst && !wrong ? 2 : 0;
    if (Number.isNaN(v)) group[i] += 1;
    keys[i] = Number.isNaN(v) ? 0 : -v;
  }
  const order = new Uint32Array(N);
  for (let i = 0; i < N; i++) order[i] = i;
  order.sort((a, b) => group[a] - group[b] || keys[a] - keys[b] || a - b);
  return order;
}

/** Indices by `values` ascending (NaN last, ties in item order). */
function ascending(N, values) {
  const keys = new Float64Array(N);
  const nan = new Uint8Array(N);
  for (let i = 0; i < N; i++) {
    nan[i] = Number.isNaN(values[i]) ? 1 : 0;
    keys[i] = nan[i] ? 0 : values[i];
  }
  const order = new Uint32Array(N);
  for (let i = 0; i < N; i++) order[i] = i;
  order.sort((a, b) => nan[a] - nan[b] || keys[a] - keys[b] || a - b);
  return order;
}

/**
 * The items of `order` that pass `filter`, in the same order.
 * @param {Uint32Array} order from sortOrder
 * @param {{targets: ArrayLike<number>, decoded: ArrayLike<number>}} data
 * @param {{actual: number|null, predicted: number|null}} filter
 * @returns {Uint32Array}
 */
export function applyFilter(order, data, filter) {
  const { actual, predicted } = filter;
  const issues = filter.issues ?? null;
  const picked = filter.picked ?? null;
  if (actual === null && predicted === null && !issues && !picked) return order;
  const { targets, decoded } = data;
  const kept = new Uint32Array(order.length);
  let n = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (
      (actual === null || targets[i] === actual) &&
      (predicted === null || decoded[i] === predicted) &&
      (!issues || issues[i]) &&
      (!picked || picked[i])
    )
      kept[n++] = i;
  }
  return kept.slice(0, n);
}

/** Number of pages for `total` items (at least 1, so an empty list shows "page 1/1"). */
export function pageCount(total, pageSize) {
  return Math.max(1, Math.ceil(total / readPageSize(pageSize)));
}

/** `page` as a valid 0-based page for `total` items (0 when not an integer, the last when past it). */
export function clampPage(page, total, pageSize) {
  const last = pageCount(total, pageSize) - 1;
  return Number.isInteger(page) ? Math.min(last, Math.max(0, page)) : 0;
}

/** Item indices on `page` (0-based, clamped). */
export function pageItems(indices, page, pageSize) {
  const size = readPageSize(pageSize);
  const start = clampPage(page, indices.length, size) * size;
  return indices.subarray(start, start + size);
}

/** The page holding `item` in `indices`, or -1 when it is not there. */
export function pageOf(indices, item, pageSize) {
  const position = indexOf(indices, item);
  return position < 0 ? -1 : Math.floor(position / readPageSize(pageSize));
}

/** Position of `item` in `indices`, -1 when absent. */
export function indexOf(indices, item) {
  if (!Number.isInteger(item)) return -1;
  for (let k = 0; k < indices.length; k++) if (indices[k] === item) return k;
  return -1;
}

/**
 * The item `step` places from `current` in `indices` (arrow keys in the detail panel),
 * clamped at both ends; the first item when `current` is not in the list; null when empty.
 */
export function neighbour(indices, current, step) {
  if (indices.length === 0) return null;
  const position = indexOf(indices, current);
  if (position < 0) return indices[0];
  return indices[Math.min(indices.length - 1, Math.max(0, position + step))];
}

/** What a key does in the detail panel: 'prev' | 'next' | 'close' | null. */
export function detailKeyAction(key) {
  if (key === 'ArrowLeft' || key === 'ArrowUp') return 'prev';
  if (key === 'ArrowRight' || key === 'ArrowDown') return 'next';
  if (key === 'Escape' || key === 'Esc') return 'close';
  return null;
}
