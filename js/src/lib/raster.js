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
  const pixels = new Uint8ClampedArray(C * C * 4);
  for (let i = 0; i < C * C; i++) {
    const diagonal = hideDiagonal && i % (C + 1) === 0;
    const k = lutIndex(norm(values[i])) * 3;
    const o = i * 4;
    pixels[o] = diagonal ? diagonalRgb[0] : lut[k];
    pixels[o + 1] = diagonal ? diagonalRgb[1] : lut[k + 1];
    pixels[o + 2] = diagonal ? diagonalRgb[2] : lut[k + 2];
    pixels[o + 3] = 255;
  }
  return pixels;
}
