/**
 * Turns a C x C matrix of values into RGBA pixels, one pixel per cell, for an
 * ImageData that the canvas scales up (so drawing cost does not grow with C).
 */
import { lutIndex } from './colormap.js';

/**
 * @param {ArrayLike<number>} values C * C values, row-major
 * @param {number} C
 * @param {{norm: (v: number) => number, lut: Uint8Array, hideDiagonal?: boolean,
 *          diagonalRgb?: readonly number[]}} colouring
 *   `norm` maps a value to [0, 1]; with `hideDiagonal` the diagonal is painted `diagonalRgb`
 * @returns {Uint8ClampedArray} C * C * 4 bytes, opaque
 */
export function matrixToRgba(values, C, { norm, lut, hideDiagonal = false, diagonalRgb = [0, 0, 0] }) {
  const cells = Int32Array.from({ length: C * C }, (_, i) => i);
  return cellsToRgba(cells, values, C, { norm, lut, hideDiagonal, diagonalRgb });
}

/**
 * `matrixToRgba` of a sparse matrix: `values[k]` is the value of cell `cells[k]` (a row-major
 * index), every other cell is 0. The cost grows with the listed cells, plus one fill.
 * @param {ArrayLike<number>} cells
 * @param {ArrayLike<number>} values
 * @param {number} C
 * @param {Parameters<typeof matrixToRgba>[2]} colouring
 * @returns {Uint8ClampedArray} C * C * 4 bytes, opaque
 */
export function cellsToRgba(cells, values, C, { norm, lut, hideDiagonal = false, diagonalRgb = [0, 0, 0] }) {
  const pixels = new Uint8ClampedArray(C * C * 4);
  if (C === 0) return pixels;
  const packed = packLut(lut); // one 32-bit write per pixel
  const out = new Uint32Array(pixels.buffer);
  out.fill(packed[lutIndex(norm(0))]);
  for (let k = 0; k < cells.length; k++) out[cells[k]] = packed[lutIndex(norm(values[k]))];
  if (hideDiagonal) {
    for (let d = 0; d < C; d++) pixels.set([diagonalRgb[0], diagonalRgb[1], diagonalRgb[2], 255], d * (C + 1) * 4);
  }
  return pixels;
}

/**
 * Overview of a sparse matrix at `pool` x `pool` cells per pixel: each pixel shows the
 * strongest of its cells, and a pixel holding any nonzero cell is at least `floor` along the
 * LUT, so an error of 1 stays visible beside a diagonal of 70 when cells are smaller than a
 * pixel. With `hideDiagonal` diagonal cells do not count, and a diagonal pixel with nothing
 * else in it is `diagonalRgb`.
 * @param {ArrayLike<number>} cells row-major indices of the listed cells
 * @param {ArrayLike<number>} values their values (every other cell is 0)
 * @param {number} C
 * @param {number} pool cells per pixel along each axis (an integer >= 1)
 * @param {Parameters<typeof matrixToRgba>[2] & {floor?: number}} colouring
 * @returns {{rgba: Uint8ClampedArray, width: number}} `width` x `width` opaque pixels, width = ceil(C / pool)
 */
export function pooledRgba(cells, values, C, pool, { norm, lut, floor = 0, hideDiagonal = false, diagonalRgb = [0, 0, 0] }) {
  if (!(Number.isInteger(pool) && pool >= 1)) throw new Error(`pool must be a positive integer, got ${pool}`);
  const width = Math.ceil(C / pool);
  const best = new Float32Array(width * width).fill(-1); // -1: no nonzero cell
  for (let k = 0; k < cells.length; k++) {
    const r = Math.floor(cells[k] / C);
    const c = cells[k] - r * C;
    if ((hideDiagonal && r === c) || !(values[k] > 0)) continue;
    const p = Math.floor(r / pool) * width + Math.floor(c / pool);
    const t = Math.max(norm(values[k]), floor);
    if (t > best[p]) best[p] = t;
  }
  const packed = packLut(lut);
  const pixels = new Uint8ClampedArray(width * width * 4);
  const out = new Uint32Array(pixels.buffer);
  out.fill(packed[lutIndex(norm(0))]);
  for (let p = 0; p < best.length; p++) if (best[p] >= 0) out[p] = packed[lutIndex(best[p])];
  if (hideDiagonal) {
    for (let d = 0; d < width; d++) {
      if (best[d * (width + 1)] < 0) pixels.set([diagonalRgb[0], diagonalRgb[1], diagonalRgb[2], 255], d * (width + 1) * 4);
    }
  }
  return { rgba: pixels, width };
}

/** The LUT as one opaque 32-bit pixel per entry, in the host's byte order. */
function packLut(lut) {
  const packed = new Uint32Array(lut.length / 3);
  const bytes = new Uint8Array(packed.buffer);
  for (let k = 0; k < packed.length; k++) bytes.set([lut[k * 3], lut[k * 3 + 1], lut[k * 3 + 2], 255], k * 4);
  return packed;
}
