/**
 * Images of the compare browser: JPEG bytes (widget: DataView buffers; offline report: base64
 * text) to blob URLs made once and revoked on cleanup, and stored saliency maps (greyscale
 * JPEGs) to coloured overlays.
 * Bytes, blob URLs and heat-map colours come from lib/images.js.
 */
import { createUrlStore as createStore, decodeGreyJpeg, imageBytes } from '../lib/images.js';

/** Saliency targets, and their words. */
export const TARGETS = Object.freeze(['pred', 'actual']);
export const TARGET_LABELS = Object.freeze({ pred: 'predicted', actual: 'actual' });

/** Whether `payload` can hold image bytes (checked without decoding: base64 is decoded when shown). */
function isPayload(payload) {
  return payload instanceof ArrayBuffer || ArrayBuffer.isView(payload) ? payload.byteLength > 0 : typeof payload === 'string' && payload.length > 0;
}

/**
 * The `thumbs` trait ([{index, jpeg}]) as item index -> payload (bytes, or base64 text in the
 * page: decoded by `imageBytes` only for the cards shown); malformed entries skipped.
 */
export function readThumbs(thumbs, n) {
  const map = new Map();
  if (!Array.isArray(thumbs)) return map;
  for (const entry of thumbs) {
    if (!entry || !Number.isInteger(entry.index) || entry.index < 0 || entry.index >= n) continue;
    const payload = entry.jpeg ?? entry.b64;
    if (isPayload(payload)) map.set(entry.index, payload);
  }
  return map;
}

/**
 * The `saliency` trait ([{index, run, method, target, jpeg}]) as item index -> list of
 * `{run, method, target, payload}` (decoded when drawn); malformed entries skipped.
 * @returns {Map<number, {run: string, method: string, target: string, payload: unknown}[]>}
 */
export function readSaliency(saliency, n) {
  const map = new Map();
  if (!Array.isArray(saliency)) return map;
  for (const entry of saliency) {
    if (!entry || !Number.isInteger(entry.index) || entry.index < 0 || entry.index >= n) continue;
    if (!['a', 'b'].includes(entry.run) || typeof entry.method !== 'string' || !entry.method || !TARGETS.includes(entry.target)) continue;
    const payload = entry.jpeg ?? entry.b64;
    if (!isPayload(payload)) continue;
    if (!map.has(entry.index)) map.set(entry.index, []);
    map.get(entry.index).push({ run: entry.run, method: entry.method, target: entry.target, payload });
  }
  return map;
}

/**
 * The stored map of one run for (method, target): a correct item's actual class is its
 * predicted one, so a `pred` map serves for `actual` when the item is right in that run.
 */
export function pickMap(maps, run, method, target, correct) {
  const exact = maps.find((m) => m.run === run && m.method === method && m.target === target);
  if (exact || !correct) return exact ?? null;
  return maps.find((m) => m.run === run && m.method === method) ?? null;
}

/** Blob URLs keyed by anything, made once from a payload (bytes or base64), revoked on `clear`. */
export function createUrlStore(options) {
  const store = createStore(options);
  return {
    /** The URL of `key`, made from `payload` on first use; undefined without usable bytes. */
    get(key, payload, type = 'image/jpeg') {
      const url = store.get(key);
      if (url !== undefined || payload === undefined) return url;
      const bytes = imageBytes(payload);
      return bytes && bytes.length > 0 ? store.put(key, bytes, type) : undefined;
    },
    clear: () => store.clear(),
    get size() {
      return store.size;
    },
  };
}

/**
 * The values of a stored map from its greyscale JPEG payload (bytes or base64; decoded, drawn
 * on a canvas, read back).
 * @returns {Promise<{data: Uint8Array, width: number, height: number}>}
 */
export async function decodeMapJpeg(payload) {
  const bytes = imageBytes(payload);
  if (!bytes || bytes.length === 0) throw new Error('no map bytes');
  return decodeGreyJpeg(bytes);
}
