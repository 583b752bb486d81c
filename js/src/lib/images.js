/**
 * Images in the views: item image payloads (widget: DataView / ArrayBuffer buffers; offline
 * report: base64 text) to bytes and to blob URLs made once and revoked on cleanup, and the
 * colours of saliency heat maps (inferno, alpha rising with the value).
 */
import { lutFromStops, lutIndex } from './colormap.js';

/** MIME types accepted for item images (anything else is shown as image/jpeg). */
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

/** The image MIME type to use for `mime` from a message (untrusted): an allowed image type, else JPEG. */
export function imageType(mime) {
  return IMAGE_TYPES.has(mime) ? mime : 'image/jpeg';
}

/**
 * Bytes of one image payload: DataView / ArrayBuffer / typed array, or base64 text.
 * @returns {Uint8Array|null} null when there are no usable bytes
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

/**
 * Blob URLs keyed by anything, created once, revoked on `delete` / `clear`; with `limit`, the
 * least recently used are revoked past it (`get` counts as a use).
 * @param {{limit?: number, urls?: {createObjectURL: Function, revokeObjectURL: Function}, Blob?: Function}} [options]
 */
export function createUrlStore({ limit = Infinity, urls = globalThis.URL, Blob: BlobClass = globalThis.Blob } = {}) {
  const store = new Map(); // key -> url, in use order (oldest first)
  return {
    /** URL of `key`, or undefined. */
    get(key) {
      const url = store.get(key);
      if (url !== undefined) {
        store.delete(key);
        store.set(key, url);
      }
      return url;
    },
    has: (key) => store.has(key),
    /** Makes (or replaces) the URL of `key` from bytes; returns it. */
    put(key, bytes, type = 'image/jpeg') {
      this.delete(key);
      const url = urls.createObjectURL(new BlobClass([bytes], { type: imageType(type) }));
      store.set(key, url);
      while (store.size > limit) this.delete(store.keys().next().value);
      return url;
    },
    delete(key) {
      const url = store.get(key);
      if (url === undefined) return;
      store.delete(key);
      urls.revokeObjectURL(url);
    },
    clear() {
      for (const key of [...store.keys()]) this.delete(key);
    },
    get size() {
      return store.size;
    },
  };
}

/** matplotlib's inferno (black -> purple -> orange -> pale yellow), 10 stops. */
export const INFERNO = /* @__PURE__ */ lutFromStops([
  '000004', '1b0c41', '4a0c6b', '781c6d', 'a52c60', 'cf4446', 'ed6925', 'fb9b06', 'f7d13d', 'fcffa4',
]);

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

/**
 * The values of a greyscale JPEG (a stored saliency map): decoded, drawn on a canvas, read
 * back (browser only).
 * @param {Uint8Array} bytes
 * @returns {Promise<{data: Uint8Array, width: number, height: number}>}
 */
export async function decodeGreyJpeg(bytes) {
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
