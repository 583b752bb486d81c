/**
 * Comparing two runs item by item, without the DOM: reading the compare widget's traits
 * (js/docs/compare.md), the difference matrix B − A (of counts or of row-normalised rates),
 * the items a cell / a class / a change category selects, their order, the per-class rows and
 * the text of every number the view shows.
 *
 * Definitions (the tests pin them):
 * - the difference of counts at (r, c) is countsB[r, c] − countsA[r, c]; normalised (`'true'`),
 *   it is the difference of the rows' shares, countsB[r, c] / rowB[r] − countsA[r, c] / rowA[r],
 *   a share being 0 in an empty row (as the confusion view normalises);
 * - the cell (r, c) lists the items with (actual, predicted) = (r, c) in A or in B (each run's
 *   own label and prediction), so an item that moved out of a cell and one that moved in both show;
 * - a class k lists the items whose actual class is k in A or in B;
 * - a change filter keeps the items of that category (`change` codes, `CHANGE_NAMES`).
 */
import { cellsToRgba } from './raster.js';
import { divergingNormalizer, lutIndex } from './colormap.js';
import { invertOrder } from './confusion.js';
import { readMatrix } from './confusion-state.js';
import { formatCount, formatItemLoss, formatPercent, formatScore, MISSING } from './format.js';
import { decodeNdarray } from './ndarray.js';

/** Categories of a common item, by `change` code (the `change_names` trait). */
export const CHANGE_NAMES = Object.freeze(['still_right', 'fixed', 'broken', 'still_wrong', 'relabelled']);

/** Values of the `change_filter` trait; anything else reads as the first ('all'). */
export const CHANGE_FILTERS = Object.freeze(['all', 'fixed', 'broken', 'still_wrong', 'relabelled']);

/** Words for the categories and the count fields. */
export const CHANGE_LABELS = Object.freeze({
  all: 'all',
  still_right: 'still right',
  fixed: 'fixed',
  broken: 'broken',
  still_wrong: 'still wrong',
  relabelled: 'relabelled',
  only_a: 'only in A',
  only_b: 'only in B',
  common: 'common',
});

/** What each category means, for titles. */
export const CHANGE_HELP = Object.freeze({
  all: 'Every common item',
  still_right: 'Right in A and in B',
  fixed: 'Wrong in A, right in B',
  broken: 'Right in A, wrong in B',
  still_wrong: 'Wrong in A and in B (the same or another wrong class)',
  relabelled: 'Its label changed between the runs',
  only_a: 'Items of A that B does not have',
  only_b: 'Items of B that A does not have',
  common: 'Items in both runs (compared)',
});

/** The `counts` fields the header shows, in order. */
export const COUNT_FIELDS = Object.freeze(['fixed', 'broken', 'still_wrong', 'still_right', 'relabelled', 'only_a', 'only_b']);

/** Order of the categories in the item browser: what changed first. */
const BROWSE_PRIORITY = [4, 1, 0, 3, 2]; // change code -> rank: broken, fixed, relabelled, still wrong, still right

/** Values of the `normalize` trait: the difference of counts (null) or of row-normalised shares. */
export const DIFF_NORMALIZE = Object.freeze([null, 'true']);

/** Page sizes the browser accepts (clamped); anything else reads as DEFAULT_PAGE_SIZE. */
export const PAGE_SIZE_RANGE = Object.freeze([1, 500]);
export const DEFAULT_PAGE_SIZE = 24;

/** Per-class table sorts: `change` is the largest change first either way (|B − A|). */
export const CLASS_SORTS = Object.freeze(['change', 'rise', 'fall', 'error_a', 'error_b', 'name', 'support']);

const MINUS = '\u2212';
const NAME_ORDER = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

// --- trait readers (the JS has no defaults of its own: it validates) ---

/** The `normalize` trait: 'true', else null (the difference of counts). */
export function readDiffNormalize(value) {
  return DIFF_NORMALIZE.includes(value) ? value : DIFF_NORMALIZE[0];
}

/** The `change_filter` trait: one of CHANGE_FILTERS, else 'all'. */
export function readChangeFilter(value) {
  return CHANGE_FILTERS.includes(value) ? value : CHANGE_FILTERS[0];
}

/** The `page_size` trait: a finite number rounded into 1..500, else DEFAULT_PAGE_SIZE. */
export function readPageSize(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_PAGE_SIZE;
  return Math.min(PAGE_SIZE_RANGE[1], Math.max(PAGE_SIZE_RANGE[0], Math.round(value)));
}

/** An index trait (`selected_class` below C, `selected_item` below the item count): the index, or null. */
export function readIndex(value, n) {
  return Number.isInteger(value) && value >= 0 && value < n ? value : null;
}

/** The `runs` trait as the names of A and B ('A' / 'B' where missing). */
export function readRuns(runs) {
  const list = Array.isArray(runs) ? runs : [];
  const find = (key, fallback) => {
    const run = list.find((r) => r && r.key === key);
    const text = (v) => (typeof v === 'string' && v.trim() ? v : null);
    return { name: text(run?.name) ?? text(run?.id) ?? fallback, id: text(run?.id) ?? '' };
  };
  return { a: find('a', 'A'), b: find('b', 'B') };
}

/** The `header` trait: rows `{field, a, b, changed}` as text; malformed rows are skipped. */
export function readHeaderRows(header) {
  if (!Array.isArray(header)) return [];
  const text = (v) => (v === null || v === undefined ? MISSING : String(v));
  return header
    .filter((row) => row && typeof row === 'object' && typeof row.field === 'string')
    .map((row) => ({ field: row.field, a: text(row.a), b: text(row.b), changed: row.changed === true }));
}

/** The `counts` trait: each field of COUNT_FIELDS and `common` as a count, null where missing. */
export function readCounts(counts) {
  const source = counts && typeof counts === 'object' ? counts : {};
  const out = {};
  for (const field of [...COUNT_FIELDS, 'common']) {
    const v = source[field];
    out[field] = Number.isInteger(v) && v >= 0 ? v : null;
  }
  return out;
}

/** The `notices` trait: its non-blank strings. */
export function readNotices(notices) {
  return Array.isArray(notices) ? notices.filter((n) => typeof n === 'string' && n.trim() !== '') : [];
}

function decode(name, wire, length, { integer = false } = {}) {
  let decoded;
  try {
    decoded = decodeNdarray(wire);
  } catch (error) {
    throw new Error(`${name}: ${error.message}`);
  }
  if (decoded.shape.length !== 1 || decoded.shape[0] !== length) {
    throw new Error(`${name} has shape [${decoded.shape}], expected [${length}]`);
  }
  if (integer && decoded.data instanceof Float32Array) throw new Error(`${name} must hold integers`);
  return decoded.data;
}

function checkRange(name, values, C) {
  for (let i = 0; i < values.length; i++) {
    if (!(values[i] >= 0 && values[i] < C)) throw new Error(`${name}[${i}] = ${values[i]} is not a class index below ${C}`);
  }
}

/**
 * Decodes and checks `vocab`, `counts_a` and `counts_b` (all the difference matrix needs).
 * @param {(name: string) => unknown} get the model's `get`
 * @returns {{vocab: string[], C: number, a: object, b: object}} `a` / `b`: readMatrix results
 * @throws {Error} naming the trait
 */
export function readMatrices(get) {
  const vocab = get('vocab');
  if (!Array.isArray(vocab)) throw new Error('vocab must be an array of class names');
  const matrix = (name) => {
    try {
      return readMatrix(vocab, get(name));
    } catch (error) {
      throw new Error(`${name}: ${error.message}`);
    }
  };
  const a = matrix('counts_a');
  const b = matrix('counts_b');
  return { vocab: a.vocab, C: a.C, a, b };
}

/**
 * Decodes and checks the data traits (`matrices`: readMatrices' result, when already read).
 * `change_names`, when sent, must be CHANGE_NAMES (the codes are built in).
 * @param {(name: string) => unknown} get the model's `get`
 * @returns {{vocab: string[], C: number, a: object, b: object, n: number, items: string[],
 *            actualA: ArrayLike<number>, actualB: ArrayLike<number>, predA: ArrayLike<number>, predB: ArrayLike<number>,
 *            lossA: Float32Array, lossB: Float32Array, change: ArrayLike<number>,
 *            errorA: Float32Array, errorB: Float32Array, precisionA: Float32Array, precisionB: Float32Array,
 *            recallA: Float32Array, recallB: Float32Array, supportA: ArrayLike<number>, supportB: ArrayLike<number>}}
 *   `a` / `b`: readMatrix results of `counts_a` / `counts_b`
 * @throws {Error} naming the trait that is malformed or disagrees with `vocab` / `items`
 */
export function readCompare(get, matrices = readMatrices(get)) {
  const { a, b, C } = matrices;
  const itemNames = get('items');
  if (!Array.isArray(itemNames)) throw new Error('items must be an array of item names');
  const items = itemNames.map(String);
  const n = items.length;
  const data = { vocab: a.vocab, C, a, b, n, items };
  for (const [key, name] of [['actualA', 'actual_a'], ['actualB', 'actual_b'], ['predA', 'pred_a'], ['predB', 'pred_b']]) {
    data[key] = decode(name, get(name), n, { integer: true });
    checkRange(name, data[key], C);
  }
  data.lossA = decode('loss_a', get('loss_a'), n);
  data.lossB = decode('loss_b', get('loss_b'), n);
  const names = get('change_names');
  if (names !== undefined && names !== null && !(Array.isArray(names) && names.join() === CHANGE_NAMES.join())) {
    throw new Error(`change_names must be ${JSON.stringify(CHANGE_NAMES)} (the codes of change), got ${JSON.stringify(names)}`);
  }
  data.change = decode('change', get('change'), n, { integer: true });
  checkRange('change', data.change, CHANGE_NAMES.length);
  for (const [key, name] of [
    ['errorA', 'error_a'], ['errorB', 'error_b'], ['precisionA', 'precision_a'], ['precisionB', 'precision_b'],
    ['recallA', 'recall_a'], ['recallB', 'recall_b'],
  ]) data[key] = decode(name, get(name), C);
  data.supportA = decode('support_a', get('support_a'), C, { integer: true });
  data.supportB = decode('support_b', get('support_b'), C, { integer: true });
  return data;
}

/**
 * The `orders` trait as plain arrays: each entry a list of class indices or a wire ndarray
 * (numpy int32 arrays travel as `{dtype, shape, buffer|b64}`); undecodable entries are left out
 * (the view then falls back to vocab order, as for any order that is not a permutation).
 * @returns {Record<string, number[]>}
 */
export function readOrders(orders) {
  const out = {};
  if (!orders || typeof orders !== 'object') return out;
  for (const [name, value] of Object.entries(orders)) {
    if (Array.isArray(value)) out[name] = value;
    else {
      try {
        const { data, shape } = decodeNdarray(value);
        if (shape.length === 1) out[name] = Array.from(data);
      } catch {
        // not an order
      }
    }
  }
  return out;
}

// --- the difference matrix ---

/** Ascending union of two ascending index lists. */
export function unionCells(x, y) {
  const out = new Int32Array(x.length + y.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < x.length || j < y.length) {
    const next = j >= y.length || (i < x.length && x[i] <= y[j]) ? x[i] : y[j];
    if (i < x.length && x[i] === next) i++;
    if (j < y.length && y[j] === next) j++;
    out[k++] = next;
  }
  return out.slice(0, k);
}

function rowTotals(counts, cells, C) {
  const totals = new Float64Array(C);
  for (const i of cells) totals[Math.floor(i / C)] += counts[i];
  return totals;
}

/**
 * B − A, cell by cell, over the cells nonzero in A or in B (every other cell is 0 in both).
 * @param {{counts: ArrayLike<number>, cells: ArrayLike<number>}} a readMatrix result of A
 * @param {{counts: ArrayLike<number>, cells: ArrayLike<number>}} b readMatrix result of B
 * @param {number} C
 * @param {null|'true'} mode null: counts; 'true': shares of the actual class's row
 * @returns {{cells: Int32Array, values: Float64Array, at: (actual: number, predicted: number) => {a: number, b: number, diff: number, shareA: number, shareB: number}}}
 *   `cells`: ascending row-major indices (class indices); `values[k]`: the difference there (may be 0)
 */
export function difference(a, b, C, mode) {
  if (!DIFF_NORMALIZE.includes(mode)) throw new Error(`unknown normalisation "${mode}"`);
  const cells = unionCells(a.cells, b.cells);
  const totalsA = rowTotals(a.counts, a.cells, C);
  const totalsB = rowTotals(b.counts, b.cells, C);
  const share = (count, total) => (total ? count / total : 0);
  const at = (actual, predicted) => {
    const i = actual * C + predicted;
    const countA = Number(a.counts[i]);
    const countB = Number(b.counts[i]);
    const shareA = share(countA, totalsA[actual]);
    const shareB = share(countB, totalsB[actual]);
    return { a: countA, b: countB, shareA, shareB, diff: mode === 'true' ? shareB - shareA : countB - countA };
  };
  const values = new Float64Array(cells.length);
  for (let k = 0; k < cells.length; k++) {
    const r = Math.floor(cells[k] / C);
    values[k] = at(r, cells[k] - r * C).diff;
  }
  return { cells, values, at };
}

/** How far along the colour map (from the middle) a nonzero difference is at least, and the curve. */
export const DIFF_FLOOR = 0.16;
export const DIFF_GAMMA = 0.6;

/**
 * The difference in display order, with its colours.
 * @param {ReturnType<typeof difference>} diff
 * @param {number} C
 * @param {number[]} order class index at each display position (a permutation)
 * @param {Uint8Array} lut a diverging LUT (colormap.js DIVERGING / DIVERGING_DARK)
 * @returns {{order: number[], position: number[], cells: Int32Array, values: Float64Array,
 *            valueAt: (row: number, col: number) => number, norm: Function, max: number,
 *            rgba: Uint8ClampedArray, overview: (pool: number) => {rgba: Uint8ClampedArray, width: number}}}
 *   `cells` are display indices (row * C + col); `rgba` one pixel per cell (built when first read)
 */
export function diffDisplay(diff, C, order, lut) {
  const position = invertOrder(order);
  const cells = new Int32Array(diff.cells.length);
  for (let k = 0; k < cells.length; k++) {
    const r = Math.floor(diff.cells[k] / C);
    cells[k] = position[r] * C + position[diff.cells[k] - r * C];
  }
  const norm = divergingNormalizer(diff.values, { floor: DIFF_FLOOR, gamma: DIFF_GAMMA });
  let rgba = null;
  return {
    order,
    position,
    cells,
    values: diff.values,
    valueAt: (row, col) => diff.at(order[row], order[col]).diff,
    norm,
    max: norm.max,
    lut,
    get rgba() {
      if (!rgba) rgba = cellsToRgba(cells, diff.values, C, { norm, lut });
      return rgba;
    },
    overview: (pool) => pooledDiffRgba(cells, diff.values, C, pool, { norm, lut }),
  };
}

/**
 * Overview of a sparse difference at `pool` x `pool` cells per pixel: each pixel shows the
 * cell of largest |difference| among its cells (with its sign), so one changed cell among
 * a thousand unchanged still shows.
 * @returns {{rgba: Uint8ClampedArray, width: number}} width = ceil(C / pool)
 */
export function pooledDiffRgba(cells, values, C, pool, { norm, lut }) {
  if (!(Number.isInteger(pool) && pool >= 1)) throw new Error(`pool must be a positive integer, got ${pool}`);
  const width = Math.ceil(C / pool);
  const best = new Float64Array(width * width); // the value of largest magnitude (0: none)
  const touched = [];
  for (let k = 0; k < cells.length; k++) {
    const v = values[k];
    if (!(v !== 0) || Number.isNaN(v)) continue;
    const r = Math.floor(cells[k] / C);
    const p = Math.floor(r / pool) * width + Math.floor((cells[k] - r * C) / pool);
    if (best[p] === 0) touched.push(p);
    if (Math.abs(v) > Math.abs(best[p])) best[p] = v;
  }
  const pixels = new Uint8ClampedArray(width * width * 4);
  const out = new Uint32Array(pixels.buffer); // one write per pixel, in the host's byte order
  const packed = new Uint32Array(lut.length / 3);
  const bytes = new Uint8Array(packed.buffer);
  for (let k = 0; k < packed.length; k++) bytes.set([lut[k * 3], lut[k * 3 + 1], lut[k * 3 + 2], 255], k * 4);
  out.fill(packed[lutIndex(norm(0))]);
  for (const p of touched) out[p] = packed[lutIndex(norm(best[p]))];
  return { rgba: pixels, width };
}

/**
 * The off-diagonal cells that changed most (largest |difference| first; ties by cell).
 * @returns {{actual: number, predicted: number, value: number}[]}
 */
export function largestChanges(diff, C, limit = 12) {
  // A short list kept while scanning (insertion; equal magnitudes keep cell order).
  const kept = [];
  for (let k = 0; k < diff.cells.length; k++) {
    const v = diff.values[k];
    if (diff.cells[k] % (C + 1) === 0 || !(v !== 0) || Number.isNaN(v)) continue;
    const m = Math.abs(v);
    if (kept.length === limit && m <= Math.abs(diff.values[kept[limit - 1]])) continue;
    let at = kept.length;
    while (at > 0 && Math.abs(diff.values[kept[at - 1]]) < m) at--;
    kept.splice(at, 0, k);
    if (kept.length > limit) kept.pop();
  }
  return kept.map((k) => {
    const r = Math.floor(diff.cells[k] / C);
    return { actual: r, predicted: diff.cells[k] - r * C, value: diff.values[k] };
  });
}

// --- items ---

/** Whether item i is in cell (r, c) of A or of B. */
export function inCell(data, i, r, c) {
  return (data.actualA[i] === r && data.predA[i] === c) || (data.actualB[i] === r && data.predB[i] === c);
}

/**
 * Items matching the filters, ascending.
 * @param {ReturnType<typeof readCompare>} data
 * @param {{selection?: [number, number]|null, selectedClass?: number|null, change?: string}} filters
 *   `selection`: the cell [actual, predicted] (in A or in B); `selectedClass`: the actual class in A or in B;
 *   `change`: a value of CHANGE_FILTERS
 * @returns {Int32Array}
 */
export function filterItems(data, { selection = null, selectedClass = null, change = 'all' } = {}) {
  const code = change === 'all' ? -1 : CHANGE_NAMES.indexOf(change);
  const out = [];
  const [r, c] = selection || [-1, -1];
  const k = selectedClass === null ? -1 : selectedClass;
  for (let i = 0; i < data.n; i++) {
    if (code >= 0 && data.change[i] !== code) continue;
    if (selection && !inCell(data, i, r, c)) continue;
    if (k >= 0 && data.actualA[i] !== k && data.actualB[i] !== k) continue;
    out.push(i);
  }
  return Int32Array.from(out);
}

/** How many of `indices` fall in each category, keyed by CHANGE_FILTERS ('all' = all of them). */
export function changeCounts(data, indices) {
  const byCode = new Array(CHANGE_NAMES.length).fill(0);
  for (const i of indices) byCode[data.change[i]]++;
  const out = { all: indices.length };
  CHANGE_NAMES.forEach((name, code) => {
    out[name] = byCode[code];
  });
  return out;
}

/**
 * The browser's order: broken, fixed, relabelled, still wrong, still right; within a
 * category the largest change of loss (|B − A|, to 1 part in 2^28 of the largest) first, NaN
 * last; ties by index. Each item becomes one exact float64 key (category, change, index) sorted
 * natively: 50,000 items in a few ms, where a comparator sort takes tens.
 * @param {ReturnType<typeof readCompare>} data
 * @param {ArrayLike<number>} indices
 * @returns {Int32Array}
 */
export function sortItems(data, indices) {
  const n = indices.length;
  const delta = new Float64Array(n);
  let max = 0;
  for (let k = 0; k < n; k++) {
    const i = indices[k];
    delta[k] = Math.abs(data.lossB[i] - data.lossA[i]);
    if (delta[k] > max && Number.isFinite(delta[k])) max = delta[k];
  }
  const INDEX = 2 ** 21;
  const STEPS = 2 ** 28 - 2;
  const keyed = data.n <= INDEX;
  if (!keyed) {
    const order = Array.from({ length: n }, (_, k) => k);
    const value = (k) => (Number.isNaN(delta[k]) ? -1 : delta[k]);
    order.sort((x, y) => BROWSE_PRIORITY[data.change[indices[x]]] - BROWSE_PRIORITY[data.change[indices[y]]] || value(y) - value(x) || indices[x] - indices[y]);
    return Int32Array.from(order, (k) => indices[k]);
  }
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = indices[k];
    const d = delta[k];
    const inverse = Number.isNaN(d) ? STEPS + 1 : STEPS - (max > 0 ? Math.round((Math.min(d, max) / max) * STEPS) : 0);
    keys[k] = (BROWSE_PRIORITY[data.change[i]] * 2 ** 28 + inverse) * INDEX + i;
  }
  keys.sort();
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) out[k] = keys[k] % INDEX;
  return out;
}

/**
 * The page to show: `page` clamped to the pages of `total` items.
 * @returns {{page: number, pages: number, start: number, end: number}} items start..end-1
 */
export function pageWindow(total, page, pageSize) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const p = Number.isInteger(page) ? Math.min(pages - 1, Math.max(0, page)) : 0;
  return { page: p, pages, start: p * pageSize, end: Math.min(total, (p + 1) * pageSize) };
}

/**
 * What a card and the detail panel say about item i (strings untrusted: text only).
 * @returns {{index: number, name: string, change: string, relabelled: boolean,
 *            a: {actual: string, predicted: string, correct: boolean, loss: string},
 *            b: {actual: string, predicted: string, correct: boolean, loss: string}, lossDelta: string}}
 */
export function describeItem(data, i) {
  const side = (actual, pred, loss) => ({
    actual: data.vocab[actual[i]],
    predicted: data.vocab[pred[i]],
    correct: actual[i] === pred[i],
    loss: formatItemLoss(loss[i]),
  });
  const change = CHANGE_NAMES[data.change[i]];
  return {
    index: i,
    name: data.items[i],
    change,
    relabelled: data.actualA[i] !== data.actualB[i],
    a: side(data.actualA, data.predA, data.lossA),
    b: side(data.actualB, data.predB, data.lossB),
    lossDelta: formatSigned(data.lossB[i] - data.lossA[i], 2),
  };
}

// --- per class ---

/**
 * The per-class rows in the order of `sort` (CLASS_SORTS): `change` largest |error B − error A|
 * first, `rise` the largest increase of error first, `fall` the largest decrease first, errors
 * highest first, support (A + B) largest first, name A to Z. Undefined changes (NaN) last;
 * ties by class index.
 * @returns {number[]} class indices
 */
export function sortClasses(data, sort) {
  const key = CLASS_SORTS.includes(sort) ? sort : CLASS_SORTS[0];
  const change = (c) => data.errorB[c] - data.errorA[c];
  const score = {
    change: (c) => Math.abs(change(c)),
    rise: change,
    fall: (c) => -change(c),
    error_a: (c) => data.errorA[c],
    error_b: (c) => data.errorB[c],
    support: (c) => data.supportA[c] + data.supportB[c],
  }[key];
  const classes = Array.from({ length: data.C }, (_, c) => c);
  if (!score) return classes.sort((x, y) => NAME_ORDER.compare(data.vocab[x], data.vocab[y]) || x - y);
  const value = (c) => {
    const v = score(c);
    return Number.isNaN(v) ? -Infinity : v;
  };
  return classes.sort((x, y) => value(y) - value(x) || x - y);
}

/** Caption of a class sort. */
export function describeClassSort(sort) {
  return {
    change: 'largest change of error first (either way)',
    rise: 'error rose most first',
    fall: 'error fell most first',
    error_a: 'highest error in A first',
    error_b: 'highest error in B first',
    name: 'class name, A to Z',
    support: 'most items first',
  }[sort];
}

/** Next sort after a click on a column header (the change column cycles change -> rise -> fall). */
export function nextClassSort(current, column) {
  if (column === 'change') return current === 'change' ? 'rise' : current === 'rise' ? 'fall' : 'change';
  return column;
}

/** One table row's texts for class c. */
export function describeClass(data, c) {
  const change = data.errorB[c] - data.errorA[c];
  return {
    name: data.vocab[c],
    errorA: formatPercent(data.errorA[c]),
    errorB: formatPercent(data.errorB[c]),
    change: formatPoints(change),
    direction: Number.isNaN(change) || change === 0 ? 0 : Math.sign(change),
    precision: `${formatScore(data.precisionA[c])} → ${formatScore(data.precisionB[c])}`,
    recall: `${formatScore(data.recallA[c])} → ${formatScore(data.recallB[c])}`,
    support: data.supportA[c] === data.supportB[c] ? formatCount(data.supportA[c]) : `${formatCount(data.supportA[c])} → ${formatCount(data.supportB[c])}`,
  };
}

/**
 * Rows (positions) to render for a scrolled window of fixed-height rows, `overscan` either side.
 * @returns {{start: number, end: number}}
 */
export function windowRows(scrollTop, viewportPx, rowPx, total, overscan = 4) {
  const start = Math.max(0, Math.floor(scrollTop / rowPx) - overscan);
  const end = Math.min(total, Math.ceil((scrollTop + viewportPx) / rowPx) + overscan);
  return { start, end: Math.max(start, end) };
}

// --- what clicks write ---

/** Traits written by a click on cell (actual, predicted): that cell (or none when it was selected); the class filter, page and item reset. */
export function cellClickTraits(selection, actual, predicted) {
  const same = Array.isArray(selection) && selection[0] === actual && selection[1] === predicted;
  return { selection: same ? null : [actual, predicted], selected_class: null, page: 0, selected_item: null };
}

/** Traits written by a click on the row of class c: that class (or none when it was selected); the cell, page and item reset. */
export function classClickTraits(selectedClass, c) {
  return { selected_class: selectedClass === c ? null : c, selection: null, page: 0, selected_item: null };
}

/** Traits written by a change chip. */
export function changeChipTraits(change) {
  return { change_filter: readChangeFilter(change), page: 0, selected_item: null };
}

// --- text ---

/** A signed number with `digits` decimals and a true minus sign: 0.5 -> "+0.50", -2 -> "−2.00", 0 -> "0.00"; NaN -> MISSING. */
export function formatSigned(x, digits = 0) {
  if (typeof x !== 'number' || Number.isNaN(x)) return MISSING;
  if (!Number.isFinite(x)) return x > 0 ? '+∞' : `${MINUS}∞`;
  const text = Math.abs(x).toFixed(digits);
  if (Number(text) === 0) return text;
  return `${x > 0 ? '+' : MINUS}${text}`;
}

/** A change of a share in percentage points: 0.075 -> "+7.5 pp", -0.004 -> "−0.40 pp", 0 -> "0 pp"; NaN -> MISSING. */
export function formatPoints(delta) {
  if (typeof delta !== 'number' || Number.isNaN(delta)) return MISSING;
  if (delta === 0) return '0 pp';
  const points = delta * 100;
  return `${formatSigned(points, Math.abs(points) < 1 ? 2 : 1)} pp`;
}

/**
 * The value written in a cell of the difference: counts "+3" / "−2", shares in whole
 * percentage points "+12" / "−3" ("+0" / "−0" for a change under half a point); "" for 0.
 */
export function formatDiffCell(value, mode) {
  if (value === 0 || Number.isNaN(value)) return '';
  const shown = mode === 'true' ? value * 100 : value;
  const text = String(Math.round(Math.abs(shown)));
  return `${value > 0 ? '+' : MINUS}${text}`;
}

/**
 * Tooltip lines of cell (actual, predicted), as [label, text] pairs.
 * @param {ReturnType<typeof readCompare>} data
 * @param {ReturnType<typeof difference>} diff
 * @param {{a: {name: string}, b: {name: string}}} runs
 */
export function describeDiffCell(data, diff, runs, actual, predicted) {
  const cell = diff.at(actual, predicted);
  let items = 0;
  for (let i = 0; i < data.n; i++) if (inCell(data, i, actual, predicted)) items++;
  const side = (count, share) => `${formatCount(count)} (${formatPercent(share)} of actual)`;
  const change = `${formatSigned(cell.b - cell.a)} (${formatPoints(cell.shareB - cell.shareA)})`;
  return [
    ['Actual', data.vocab[actual]],
    ['Predicted', data.vocab[predicted]],
    [`A ${runs.a.name}`, side(cell.a, cell.shareA)],
    [`B ${runs.b.name}`, side(cell.b, cell.shareB)],
    ['B − A', change],
    ['Items', `${formatCount(items)} in this cell in A or B`],
  ];
}

/** Legend caption of the difference. */
export function legendCaption(mode) {
  return mode === 'true' ? 'B − A: change of the share of the actual class, percentage points' : 'B − A: change of the count';
}

// --- lr_find curves and timelines ---

function decodeFloats(name, wire) {
  const { data, shape } = decodeNdarray(wire);
  if (shape.length !== 1) throw new Error(`${name} must be 1-d, got shape [${shape}]`);
  return data;
}

/**
 * The `lr_finds` trait: each run's LR-finder curves `{run, lrs, losses, valley}` (valley a
 * positive number or null); malformed entries are skipped, and counted.
 * @returns {{curves: {run: 'a'|'b', lrs: Float32Array, losses: Float32Array, valley: number|null}[], skipped: number}}
 */
export function readLrFinds(value) {
  const curves = [];
  let skipped = 0;
  for (const entry of Array.isArray(value) ? value : []) {
    try {
      if (!entry || !['a', 'b'].includes(entry.run)) throw new Error('run');
      const lrs = decodeFloats('lrs', entry.lrs);
      const losses = decodeFloats('losses', entry.losses);
      if (lrs.length !== losses.length || lrs.length === 0) throw new Error('lengths');
      const valley = typeof entry.valley === 'number' && entry.valley > 0 ? entry.valley : null;
      curves.push({ run: entry.run, lrs, losses, valley });
    } catch {
      skipped++;
    }
  }
  return { curves, skipped };
}

/**
 * The `timelines` trait: per run `{run, x, loss, lr, phaseStarts}` (x aligned by phase);
 * malformed entries are skipped, and counted.
 * @returns {{lines: {run: 'a'|'b', x: Float32Array, loss: Float32Array, lr: Float32Array, phaseStarts: number[]}[], skipped: number}}
 */
export function readTimelines(value) {
  const lines = [];
  let skipped = 0;
  for (const entry of Array.isArray(value) ? value : []) {
    try {
      if (!entry || !['a', 'b'].includes(entry.run)) throw new Error('run');
      const x = decodeFloats('x', entry.x);
      const loss = decodeFloats('loss', entry.loss);
      const lr = decodeFloats('lr', entry.lr);
      if (loss.length !== x.length || lr.length !== x.length) throw new Error('lengths');
      const phaseStarts = Array.isArray(entry.phase_starts) ? entry.phase_starts.filter((s) => typeof s === 'number' && Number.isFinite(s)) : [];
      lines.push({ run: entry.run, x, loss, lr, phaseStarts });
    } catch {
      skipped++;
    }
  }
  return { lines, skipped };
}
