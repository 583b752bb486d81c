/**
 * The `thumbs` trait of the top-loss browser: item index -> JPEG bytes (widget: DataView
 * buffers; offline report: base64 text). Blob URLs and bytes: lib/images.js.
 */
import { imageBytes } from '../lib/images.js';

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
