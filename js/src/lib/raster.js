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
  // One 32-bit write per pixel: the LUT packed in the host's byte order.
  const packed = new Uint32Array(lut.length / 3);
  const packedBytes = new Uint8Array(packed.buffer);
  for (let k = 0; k < packed.length; k++) packedBytes.set([lut[k * 3], lut[k * 3 + 1], lut[k * 3 + 2], 255], k * 4);
  const out = new Uint32Array(pixels.buffer);
  out.fill(packed[lutIndex(norm(0))]);
  for (let k = 0; k < cells.length; k++) out[cells[k]] = packed[lutIndex(norm(values[k]))];
  if (hideDiagonal) {
    for (let d = 0; d < C; d++) pixels.set([diagonalRgb[0], diagonalRgb[1], diagonalRgb[2], 255], d * (C + 1) * 4);
  }
  return pixels;
}
