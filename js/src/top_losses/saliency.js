/**
 * Saliency heat maps of the detail panel: where a map comes from (stored in the `saliency`
 * trait as a greyscale JPEG, cached from a response, or to be requested), which choices can be
 * shown and why not, and checking a map (its colours: lib/images.js `heatToRgba`). Only
 * `decodeMapJpeg` needs a browser.
 */
import { decodeGreyJpeg, imageBytes } from '../lib/images.js';

/** Targets a map can explain (`target` of requests and stored maps): the predicted class or the actual one. */
export const SALIENCY_TARGETS = Object.freeze(['pred', 'actual']);

/** The word shown for each target. */
export const TARGET_LABELS = Object.freeze({ pred: 'predicted', actual: 'actual' });

/** Why a map cannot be shown when it was not stored and no kernel can compute it. */
export const NOT_STORED_REASON = 'not stored in this report: run lens.show() in the notebook to compute it';

/**
 * Why the map of `method` for item `index` is not there yet, from the `saliency_progress` trait
 * (`{status, done, total, methods, indices}`: the run's maps of its top losses are still being
 * computed in the background, or were cancelled or failed), or null when it is not awaited.
 * `live`: the kernel is computing them now; else the page shows the run as it was saved.
 */
export function awaitedReason(progress, index, method, live) {
  if (!progress || typeof progress !== 'object') return null;
  const { status, done, total, methods, indices } = progress;
  if (!Array.isArray(indices) || !indices.includes(index) || !Array.isArray(methods) || !methods.includes(method)) return null;
  const count = Number.isInteger(done) && Number.isInteger(total) ? `saliency ${done} / ${total}` : 'saliency';
  if (status === 'pending') return live ? `${count}: being computed in the background…` : `${count}: the rest was still being computed when the run was saved`;
  if (status === 'cancelled') return `${count}: cancelled by a later fit`;
  if (status === 'failed') return `${count}: the computation failed`;
  return null;
}

/** The saliency methods offered (`saliency_methods` trait): non-empty strings, no duplicates. */
export function readMethods(methods) {
  if (!Array.isArray(methods)) return [];
  return [...new Set(methods.filter((m) => typeof m === 'string' && m !== ''))];
}

/** Cache key of one map. */
export function saliencyKey(index, method, target) {
  return `${index}\u0000${method}\u0000${target}`;
}

/**
 * The `saliency` trait (list of `{index, method, target, jpeg | b64}`: a greyscale JPEG of the
 * uint8 map) as a map saliencyKey -> JPEG bytes. Malformed entries are skipped.
 * @returns {Map<string, Uint8Array>}
 */
export function readStored(saliency) {
  const stored = new Map();
  if (!Array.isArray(saliency)) return stored;
  for (const entry of saliency) {
    if (!entry || !Number.isInteger(entry.index) || typeof entry.method !== 'string' || !SALIENCY_TARGETS.includes(entry.target)) continue;
    const bytes = imageBytes(entry.jpeg !== undefined && entry.jpeg !== null ? entry.jpeg : entry.b64);
    if (bytes && bytes.length > 0) stored.set(saliencyKey(entry.index, entry.method, entry.target), bytes);
  }
  return stored;
}

/**
 * The target whose map shows `target` for an item: a correctly classified item's actual class is
 * its predicted one, so one map (stored as `'pred'`) serves both.
 */
export function mapTarget(target, correct) {
  return correct ? 'pred' : target;
}

/**
 * What the saliency controls offer for one item: each method and each target either available
 * or disabled with the reason. Live, everything is (the kernel computes it); otherwise only what
 * `stored` holds for the item.
 * Not stored and awaited (`progress`, the `saliency_progress` trait): disabled saying so.
 * @param {{methods: string[], stored: Map<string, unknown>, index: number, correct: boolean, live: boolean, progress?: object|null}} options
 * @returns {{methods: Map<string, string|null>, targets: (method: string) => Map<string, string|null>, stored: boolean}}
 *   reason per method / target (null: available); `stored`: whether any map of the item is stored
 */
export function saliencyChoices({ methods, stored, index, correct, live, progress = null }) {
  const has = (method, target) => live || stored.has(saliencyKey(index, method, mapTarget(target, correct)));
  const why = (method) => awaitedReason(progress, index, method, false) ?? NOT_STORED_REASON;
  const targets = (method) => new Map(SALIENCY_TARGETS.map((t) => [t, has(method, t) ? null : why(method)]));
  const byMethod = new Map(methods.map((m) => [m, SALIENCY_TARGETS.some((t) => has(m, t)) ? null : why(m)]));
  return { methods: byMethod, targets, stored: live || [...byMethod.values()].some((reason) => reason === null) };
}

/**
 * The values of a stored map from its greyscale JPEG (in a browser: decoded, drawn on a canvas,
 * read back).
 * @param {Uint8Array} bytes
 * @returns {Promise<{data: Uint8Array, shape: [number, number]}>}
 */
export async function decodeMapJpeg(bytes) {
  const { data, width, height } = await decodeGreyJpeg(bytes);
  return checkHeatMap(data, [height, width], 'stored saliency map');
}

/**
 * The map of a `saliency` response: `content.shape` = [h, w], buffers[0] = h * w uint8 values.
 * @returns {{data: Uint8Array, shape: [number, number]}}
 * @throws {Error} when the response does not hold such a map
 */
export function readResponseMap(content, buffers) {
  const shape = content && content.shape;
  const buffer = buffers && buffers[0];
  if (!buffer) throw new Error('saliency response has no map buffer');
  const bytes = buffer instanceof ArrayBuffer ? new Uint8Array(buffer) : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return checkHeatMap(bytes, shape, 'saliency response');
}

function checkHeatMap(data, shape, what) {
  const valid = Array.isArray(shape) && shape.length === 2 && shape.every((d) => Number.isInteger(d) && d > 0);
  if (!valid) throw new Error(`${what}: shape must be [h, w] with positive sizes, got ${JSON.stringify(shape)}`);
  if (!(data instanceof Uint8Array)) throw new Error(`${what}: expected uint8 values`);
  if (data.length !== shape[0] * shape[1]) {
    throw new Error(`${what}: ${data.length} values do not match shape [${shape}] (expected ${shape[0] * shape[1]})`);
  }
  return { data, shape: [shape[0], shape[1]] };
}
