/**
 * Saliency heat maps of the detail panel, without the DOM: where a map comes from (stored in
 * the `saliency` trait, cached from a response, or to be requested), checking it, and turning
 * its uint8 values into RGBA pixels drawn over the image.
 */
import { lutFromStops, lutIndex } from '../lib/colormap.js';
import { decodeNdarray } from '../lib/ndarray.js';

/** Targets a map can explain (`target` of requests and stored maps): the predicted class or the actual one. */
export const SALIENCY_TARGETS = Object.freeze(['pred', 'actual']);

/** The word shown for each target. */
export const TARGET_LABELS = Object.freeze({ pred: 'predicted', actual: 'actual' });

/** matplotlib's inferno (black -> purple -> orange -> pale yellow), 10 stops. */
export const INFERNO = /* @__PURE__ */ lutFromStops([
  '000004', '1b0c41', '4a0c6b', '781c6d', 'a52c60', 'cf4446', 'ed6925', 'fb9b06', 'f7d13d', 'fcffa4',
]);

/** Message shown when nothing is stored and no kernel can compute a map. */
export const NOT_LIVE_MESSAGE = 'The model is not loaded: saliency can only be computed while the learner is live in the kernel';

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
 * The stored map for (index, method, target) in the `saliency` trait
 * (list of `{index, method, target, map: ndarray uint8 [h, w]}`), or null.
 * @returns {{data: Uint8Array, shape: [number, number]}|null}
 * @throws {Error} when the stored entry is malformed
 */
export function findStored(saliency, index, method, target) {
  if (!Array.isArray(saliency)) return null;
  const entry = saliency.find((e) => e && e.index === index && e.method === method && e.target === target);
  if (!entry) return null;
  const { data, shape } = decodeNdarray(entry.map);
  return checkHeatMap(data, shape, 'stored saliency map');
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

/**
 * RGBA pixels of a heat map: colour from `lut`, alpha rising with the value (gamma < 1 keeps
 * mid values visible, 0 stays transparent so the image shows through). Overall opacity is
 * applied when drawing.
 * @param {Uint8Array} values h * w uint8, row-major
 * @param {{lut?: Uint8Array, gamma?: number}} [options]
 * @returns {Uint8ClampedArray} h * w * 4
 */
export function heatToRgba(values, { lut = INFERNO, gamma = 0.5 } = {}) {
  const alpha = new Uint8Array(256);
  const colour = new Uint16Array(256);
  for (let v = 0; v < 256; v++) {
    alpha[v] = Math.round(255 * (v / 255) ** gamma);
    colour[v] = lutIndex(v / 255) * 3;
  }
  const rgba = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const c = colour[v];
    const o = i * 4;
    rgba[o] = lut[c];
    rgba[o + 1] = lut[c + 1];
    rgba[o + 2] = lut[c + 2];
    rgba[o + 3] = alpha[v];
  }
  return rgba;
}
