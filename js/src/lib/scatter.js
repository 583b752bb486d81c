/**
 * The embeddings view's traits -> what it shows: the points' data, the colouring offered, the
 * highlight (a confusion cell, class filters, a box / lasso selection), the tooltip lines,
 * the neighbours of a clicked item, the legend's entries and the captions; and the trait
 * values its clicks write. Pure, no DOM (js/docs/embeddings.md is the contract).
 */
import { formatCount, formatItemLoss, formatScore, MISSING } from './format.js';
import { decodeNdarray } from './ndarray.js';
import { COLOR_BY, PALETTE_SIZE } from './scatter-color.js';

/** Labels of the `color_by` values, as offered in the menu. */
export const COLOR_BY_LABELS = Object.freeze({
  actual: 'actual class',
  predicted: 'predicted class',
  correct: 'correct / wrong',
  loss: 'loss',
  label_quality: 'label quality',
});
/** Classes listed by the legend when there are too many to list them all. */
export const LEGEND_LIMIT = 15;

function arrayOf(name, wire, dtypes, expectedShape) {
  let decoded;
  try {
    decoded = decodeNdarray(wire);
  } catch (error) {
    throw new Error(`${name}: ${error.message}`);
  }
  if (dtypes && !dtypes.includes(wire.dtype)) throw new Error(`${name} has dtype ${wire.dtype} (expected ${dtypes.join(' or ')})`);
  const { shape } = decoded;
  const fits = shape.length === expectedShape.length && expectedShape.every((d, k) => d === null || d === shape[k]);
  if (!fits) throw new Error(`${name} has shape [${shape}] (expected [${expectedShape.map((d) => (d === null ? 'any' : d))}])`);
  return decoded;
}

/** `data` (a freshly decoded typed array) as `Type`: itself when it is one, else converted. */
function asType(Type, data) {
  return data instanceof Type ? data : new Type(data);
}

function checkClasses(name, values, C) {
  for (let i = 0; i < values.length; i++) {
    if (!(values[i] >= 0 && values[i] < C)) throw new Error(`${name}[${i}] = ${values[i]} is not a class of the ${C} in vocab`);
  }
}

/**
 * The points from the data traits.
 * @param {{vocab: unknown, xy: unknown, items: unknown, targets: unknown, decoded: unknown,
 *          losses: unknown, label_quality: unknown}} traits
 * @returns {{n: number, C: number, vocab: string[], items: string[], xy: Float32Array,
 *            targets: Int32Array, decoded: Int32Array, losses: Float32Array, labelQuality: Float32Array|null}}
 * @throws {Error} naming the trait that does not fit (shape, dtype, class range, length)
 */
export function readEmbedding(traits) {
  const vocab = Array.isArray(traits.vocab) ? traits.vocab.map(String) : [];
  const C = vocab.length;
  const xy = arrayOf('xy', traits.xy, ['float32', 'float16'], [null, 2]);
  const n = xy.shape[0];
  const targets = arrayOf('targets', traits.targets, ['int32', 'int16', 'int64'], [n]).data;
  const decoded = arrayOf('decoded', traits.decoded, ['int32', 'int16', 'int64'], [n]).data;
  const losses = arrayOf('losses', traits.losses, ['float32', 'float16'], [n]).data;
  checkClasses('targets', targets, C);
  checkClasses('decoded', decoded, C);
  let labelQuality = null;
  const lq = traits.label_quality;
  if (lq && typeof lq === 'object' && Array.isArray(lq.shape) && lq.shape.some((d) => d > 0)) {
    labelQuality = arrayOf('label_quality', lq, ['float32', 'float16'], [n]).data;
  }
  const items = Array.isArray(traits.items) ? traits.items.map(String) : [];
  if (items.length !== n) throw new Error(`items has ${items.length} names for ${n} points`);
  return {
    n,
    C,
    vocab,
    items,
    xy: asType(Float32Array, xy.data),
    targets: asType(Int32Array, targets),
    decoded: asType(Int32Array, decoded),
    losses: asType(Float32Array, losses),
    labelQuality: labelQuality && asType(Float32Array, labelQuality),
  };
}

/** The colourings offered: every COLOR_BY value but 'label_quality' when there are no scores. */
export function colorChoices(hasLabelQuality) {
  return COLOR_BY.filter((value) => value !== 'label_quality' || hasLabelQuality).map((value) => ({ value, label: COLOR_BY_LABELS[value] }));
}

/** `color_by` as offered; anything else reads as the first ('actual'). */
export function readColorBy(value, hasLabelQuality) {
  return colorChoices(hasLabelQuality).some((choice) => choice.value === value) ? value : COLOR_BY[0];
}

/** An item index below `n`, else null. */
export function readItem(value, n) {
  return Number.isInteger(value) && value >= 0 && value < n ? value : null;
}

/** A class index below `C`, else null. */
export function readClass(value, C) {
  return Number.isInteger(value) && value >= 0 && value < C ? value : null;
}

/** The confusion cell `selection` ([actual, predicted], both classes), else null. */
export function readCell(value, C) {
  return Array.isArray(value) && value.length === 2 && value.every((c) => readClass(c, C) !== null) ? [value[0], value[1]] : null;
}

/**
 * `item_selection` as a mask of the `n` items (entries that are not item indices are ignored);
 * null when there is no selection (not a list).
 * @returns {{mask: Uint8Array, count: number}|null}
 */
export function readItemSelection(value, n) {
  if (!Array.isArray(value)) return null;
  const mask = new Uint8Array(n);
  let count = 0;
  for (const i of value) {
    if (Number.isInteger(i) && i >= 0 && i < n && mask[i] === 0) {
      mask[i] = 1;
      count++;
    }
  }
  return { mask, count };
}

/**
 * Which points are highlighted: those meeting every active condition (the confusion cell, the
 * class filters, the box / lasso selection). `mask` is null when no condition is active.
 * @returns {{mask: Uint8Array|null, count: number, conditions: string[]}}
 *   `conditions` describes the active ones, for the caption
 */
export function highlightPoints(data, { cell = null, filterActual = null, filterPredicted = null, itemSelection = null }) {
  const conditions = [];
  const { vocab } = data;
  if (cell) conditions.push(`actual ${vocab[cell[0]]}, predicted ${vocab[cell[1]]}`);
  if (filterActual !== null) conditions.push(`actual ${vocab[filterActual]}`);
  if (filterPredicted !== null) conditions.push(`predicted ${vocab[filterPredicted]}`);
  if (itemSelection) conditions.push(`${formatCount(itemSelection.count)} selected`);
  if (conditions.length === 0) return { mask: null, count: 0, conditions };
  const mask = new Uint8Array(data.n);
  let count = 0;
  for (let i = 0; i < data.n; i++) {
    const t = data.targets[i];
    const p = data.decoded[i];
    const keep =
      (!cell || (t === cell[0] && p === cell[1])) &&
      (filterActual === null || t === filterActual) &&
      (filterPredicted === null || p === filterPredicted) &&
      (!itemSelection || itemSelection.mask[i] === 1);
    if (keep) {
      mask[i] = 1;
      count++;
    }
  }
  return { mask, count, conditions };
}

/** The caption under the toolbar: the items, the projection, what is highlighted. */
export function describeView(data, info, highlight) {
  const parts = [`${formatCount(data.n)} items`];
  const projection = describeProjection(info);
  if (projection) parts.push(projection);
  if (highlight.mask) parts.push(`${formatCount(highlight.count)} highlighted (${highlight.conditions.join('; ')})`);
  return parts.join(' · ');
}

/** "UMAP of 512 features (PCA to 50, 15 neighbours, min_dist 0.1)" from `projection_info`; '' when unknown. */
export function describeProjection(info) {
  if (!info || typeof info !== 'object') return '';
  const method = typeof info.method === 'string' && info.method ? info.method.toUpperCase() : '';
  if (!method) return '';
  const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const features = num(info.n_features);
  const details = [];
  if (num(info.pca_dims) !== null) details.push(`PCA to ${info.pca_dims}`);
  if (num(info.n_neighbors) !== null) details.push(`${info.n_neighbors} neighbours`);
  if (num(info.min_dist) !== null) details.push(`min_dist ${info.min_dist}`);
  const head = features !== null ? `${method} of ${formatCount(features)} features` : method;
  return details.length ? `${head} (${details.join(', ')})` : head;
}

/** The tooltip of point `i`: [label, text] lines (item, actual, predicted, loss, label quality). */
export function tooltipLines(data, i) {
  const lines = [
    ['item', data.items[i]],
    ['actual', data.vocab[data.targets[i]]],
    ['predicted', data.vocab[data.decoded[i]]],
    ['loss', formatItemLoss(data.losses[i])],
  ];
  if (data.labelQuality) lines.push(['label quality', Number.isFinite(data.labelQuality[i]) ? formatScore(data.labelQuality[i]) : MISSING]);
  return lines;
}

/**
 * The neighbour traits; null when none were recorded (`neighbour_index` missing or empty).
 * @returns {{k: number, index: Int32Array, distance: Float32Array, items: string[], labels: Int32Array,
 *            source: 'train'|'valid'}|null}
 * @throws {Error} naming the trait that does not fit
 */
export function readNeighbours(traits, n) {
  const wire = traits.neighbour_index;
  if (!wire || typeof wire !== 'object' || !Array.isArray(wire.shape) || wire.shape.length !== 2 || wire.shape[0] * wire.shape[1] === 0) return null;
  const { data: index, shape } = arrayOf('neighbour_index', wire, ['int32', 'int16', 'int64'], [n, null]);
  const k = shape[1];
  const distance = arrayOf('neighbour_distance', traits.neighbour_distance, ['float32', 'float16'], [n, k]).data;
  const items = Array.isArray(traits.neighbour_items) ? traits.neighbour_items.map(String) : [];
  const labels = arrayOf('neighbour_labels', traits.neighbour_labels, ['int32', 'int16', 'int64'], [items.length]).data;
  for (let j = 0; j < index.length; j++) {
    if (!(index[j] >= -1 && index[j] < items.length)) throw new Error(`neighbour_index holds ${index[j]}, not an index of the ${items.length} neighbour_items`);
  }
  return {
    k,
    index: asType(Int32Array, index),
    distance: asType(Float32Array, distance),
    items,
    labels: asType(Int32Array, labels),
    source: traits.neighbour_source === 'valid' ? 'valid' : 'train',
  };
}

/** Neighbours of item `i`, nearest first: [{neighbour (index into neighbour_items), item, label, distance}]. */
export function neighboursOf(neighbours, i) {
  const out = [];
  if (!neighbours) return out;
  for (let j = 0; j < neighbours.k; j++) {
    const neighbour = neighbours.index[i * neighbours.k + j];
    if (neighbour < 0) continue;
    out.push({ neighbour, item: neighbours.items[neighbour], label: neighbours.labels[neighbour], distance: neighbours.distance[i * neighbours.k + j] });
  }
  return out;
}

/**
 * The neighbours strip's sentence for item `i`: "It says Birman: these training images look most
 * like it." (or "the validation items that look most like it").
 */
export function neighboursSentence(data, source, i) {
  const said = data.vocab[data.decoded[i]];
  const actual = data.vocab[data.targets[i]];
  const verdict = data.decoded[i] === data.targets[i] ? `It says ${said}, correctly` : `It says ${said} (actually ${actual})`;
  return source === 'valid'
    ? `${verdict}: the validation items that look most like it (nearest validation items: the run stored validation features only).`
    : `${verdict}: these training images look most like it.`;
}

/** Cosine distance as text, two decimals below 10 ("0.12"). */
export function formatDistance(d) {
  return Number.isFinite(d) ? d.toFixed(2) : MISSING;
}

/**
 * The classes a class legend lists: every class up to PALETTE_SIZE (vocab order); above, the
 * `limit` largest (most points, ties by index) or, with a `query`, the first `limit` whose
 * name contains it (case-insensitive).
 * @param {{index: number, name: string, count: number, color: string}[]} classes
 * @returns {{entries: object[], more: number}} `more`: classes matching but not listed
 */
export function legendEntries(classes, { query = '', limit = LEGEND_LIMIT } = {}) {
  if (classes.length <= PALETTE_SIZE && !query) return { entries: classes, more: 0 };
  const needle = query.trim().toLowerCase();
  const matching = needle ? classes.filter((c) => c.name.toLowerCase().includes(needle)) : [...classes].sort((a, b) => b.count - a.count || a.index - b.index);
  return { entries: matching.slice(0, limit), more: Math.max(0, matching.length - limit) };
}

/** Traits written by a click on class `c` in the legend: the class filter of that colouring, toggled. */
export function legendClickTraits(colorBy, current, c) {
  const name = colorBy === 'predicted' ? 'filter_predicted' : 'filter_actual';
  return { [name]: current === c ? null : c };
}

/** Traits written by a box or lasso selection of `indices` (none found: the selection is cleared). */
export function selectionTraits(indices) {
  return { item_selection: indices.length > 0 ? Array.from(indices) : null };
}

/**
 * A `thumbs` trait (`[{index, jpeg}]` in the widget, `{index, b64}` offline) as index ->
 * payload, left undecoded until shown (a report may hold thousands); entries without an index
 * or a payload are skipped, a later one for the same index wins.
 * @returns {Map<number, unknown>}
 */
export function readThumbPayloads(thumbs) {
  const map = new Map();
  if (!Array.isArray(thumbs)) return map;
  for (const entry of thumbs) {
    if (!entry || typeof entry !== 'object' || !Number.isInteger(entry.index) || entry.index < 0) continue;
    const payload = entry.jpeg ?? entry.b64;
    if (payload !== undefined && payload !== null) map.set(entry.index, payload);
  }
  return map;
}
