import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BLUES, FROZEN_GREY, normalizer } from '../src/lib/colormap.js';
import { cellsToRgba, matrixToRgba } from '../src/lib/raster.js';

const pixel = (rgba, i) => [...rgba.slice(i * 4, i * 4 + 4)];

describe('matrixToRgba', () => {
  const values = [0, 2, 4, 8];
  it('paints one opaque pixel per cell through the LUT', () => {
    const rgba = matrixToRgba(values, 2, { norm: normalizer(values), lut: BLUES });
    assert.ok(rgba instanceof Uint8ClampedArray);
    assert.equal(rgba.length, 16);
    assert.deepEqual(pixel(rgba, 0), [247, 251, 255, 255]);
    assert.deepEqual(pixel(rgba, 3), [8, 48, 107, 255]);
    assert.deepEqual(pixel(rgba, 2), [...BLUES.slice(128 * 3, 128 * 3 + 3), 255]);
  });
  it('paints a hidden diagonal grey', () => {
    const rgba = matrixToRgba(values, 2, { norm: normalizer(values), lut: BLUES, hideDiagonal: true, diagonalRgb: FROZEN_GREY });
    assert.deepEqual(pixel(rgba, 0), [189, 189, 189, 255]);
    assert.deepEqual(pixel(rgba, 3), [189, 189, 189, 255]);
    assert.deepEqual(pixel(rgba, 1), [...BLUES.slice(64 * 3, 64 * 3 + 3), 255]);
  });
  it('paints a sparse matrix as its dense form', () => {
    const dense = [0, 0, 5, 0, 1, 0, 0, 0, 2];
    const norm = normalizer(dense, { scale: 'log' });
    for (const hideDiagonal of [false, true]) {
      const colouring = { norm, lut: BLUES, hideDiagonal, diagonalRgb: FROZEN_GREY };
      assert.deepEqual(cellsToRgba([2, 4, 8], [5, 1, 2], 3, colouring), matrixToRgba(dense, 3, colouring));
    }
  });
  it('handles an empty matrix', () => {
    assert.equal(matrixToRgba([], 0, { norm: () => 0, lut: BLUES }).length, 0);
    assert.equal(cellsToRgba([], [], 0, { norm: () => 0, lut: BLUES }).length, 0);
  });
});
