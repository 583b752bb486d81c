/**
 * Images of the compare browser: JPEG bytes (widget: DataView buffers; offline report: base64
 * text) to blob URLs made once and revoked on cleanup, and stored saliency maps (greyscale
 * JPEGs) to coloured overlays.
 *
 * Small copies of js/src/top_losses/thumbs.js (`imageBytes`, `createUrlStore`) and
 * saliency.js (`decodeMapJpeg`, `heatToRgba`, inferno): that view is being reworked, and the
 * compare view should not change with it. Move both to lib/ when they settle.
 */
import { lutFromStops, lutIndex } from '../lib/colormap.js';

/** matplotlib's inferno (black -> purple -> orange -> pale yellow), 10 stops: the saliency overlay. */
export const INFERNO = /* @__PURE__ */ lutFromStops([
  '000004', '1b0c41', '4a0c6b', '781c6d', 'a52c60', 'cf4446', 'ed6925', 'fb9b06', 'f7d13d', 'fcffa4',
]);

/** Saliency targets, and their words. */
export const TARGETS = Object.freeze(['pred', 'actual']);
export const TARGET_LABELS = Object.freeze({ pred: 'predicted', actual: 'actual' });

/**
 * Bytes of one image payload: DataView / ArrayBuffer / typed array, or base64 text.
 * @returns {Uint8Array|null}
 */
export function imageBytes(payload) {
  if (payload instanceof ArrayBuffer) return new Uint8Array(payload);
  if (ArrayBuffer.isView(payload)) return new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
  if (typeof payload === 'string') {
    try {
      const binary = atob(payload);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      return bytes;
    } catch {
      return null;
    }
  }
  return null;
}

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

/** Blob URLs keyed by anything, made once, revoked on `clear`. */
export function createUrlStore({ urls = globalThis.URL, Blob: BlobClass = globalThis.Blob } = {}) {
  const store = new Map();
  return {
    /** The URL of `key`, made from `payload` (imageBytes) on first use; undefined without usable bytes. */
    get(key, payload, type = 'image/jpeg') {
      let url = store.get(key);
      if (url === undefined && payload !== undefined) {
        const bytes = imageBytes(payload);
        if (!bytes || bytes.length === 0) return undefined;
        url = urls.createObjectURL(new BlobClass([bytes], { type }));
        store.set(key, url);
      }
      return url;
    },
    clear() {
      for (const url of store.values()) urls.revokeObjectURL(url);
      store.clear();
    },
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
  const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }), { colorSpaceConversion: 'none' });
  const { width, height } = bitmap;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba = context.getImageData(0, 0, width, height).data;
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = rgba[i * 4];
  return { data, width, height };
}

/**
 * RGBA pixels of a heat map: colour from `lut`, alpha rising with the value (gamma < 1 keeps
 * mid values visible; 0 stays transparent so the image shows through).
 * @param {Uint8Array} values
 * @returns {Uint8ClampedArray}
 */
export function heatToRgba(values, { lut = INFERNO, gamma = 0.5 } = {}) {
  const rgba = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const c = lutIndex(v / 255) * 3;
    rgba.set([lut[c], lut[c + 1], lut[c + 2], Math.round(255 * (v / 255) ** gamma)], i * 4);
  }
  return rgba;
}
