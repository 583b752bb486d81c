/**
 * Thumbnails and larger images of items: JPEG bytes (widget: DataView buffers; offline
 * report: base64 text) turned into blob URLs that are created once and revoked on cleanup.
 */

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
 * The `thumbs` trait (list of `{index, jpeg}` in the widget, `{index, b64}` in the report)
 * as a map item index -> JPEG bytes. Malformed entries are skipped; a later entry for the
 * same index wins.
 * @returns {Map<number, Uint8Array>}
 */
export function readThumbs(thumbs) {
  const map = new Map();
  if (!Array.isArray(thumbs)) return map;
  for (const entry of thumbs) {
    if (!entry || typeof entry !== 'object' || !Number.isInteger(entry.index) || entry.index < 0) continue;
    const bytes = imageBytes(entry.jpeg !== undefined && entry.jpeg !== null ? entry.jpeg : entry.b64);
    if (bytes && bytes.length > 0) map.set(entry.index, bytes);
  }
  return map;
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
