import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BLUES, FROZEN_GREY, normalizer } from '../src/lib/colormap.js';
import { cellsToRgba, matrixToRgba, pooledRgba } from '../src/lib/raster.js';

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

describe('pooledRgba', () => {
  const lutPixel = (t) => {
    const i = Math.min(255, Math.floor(t * 256)) * 3;
    return [...BLUES.slice(i, i + 3), 255];
  };
  // 5 x 5: diagonal of 70, one error of 1 at (0, 3), one of 9 at (4, 0)
  const dense = [70, 0, 0, 1, 0, 0, 70, 0, 0, 0, 0, 0, 70, 0, 0, 0, 0, 0, 70, 0, 9, 0, 0, 0, 70];
  const cells = dense.flatMap((v, i) => (v ? [i] : []));
  const values = cells.map((i) => dense[i]);
  const norm = normalizer(dense);
  it('each pixel shows the strongest of its pool x pool cells; the last pixel holds the leftover cells', () => {
    const { rgba, width } = pooledRgba(cells, values, 5, 2, { norm, lut: BLUES });
    assert.equal(width, 3);
    assert.deepEqual(pixel(rgba, 0), lutPixel(1), 'a diagonal block: the diagonal');
    assert.deepEqual(pixel(rgba, 1), lutPixel(1 / 70), 'the error of 1 at (0, 3)');
    assert.deepEqual(pixel(rgba, 6), lutPixel(9 / 70), 'the error of 9 at (4, 0)');
    assert.deepEqual(pixel(rgba, 2), lutPixel(0), 'no nonzero cell');
  });
  it('a floor keeps any nonzero cell visibly coloured; zeros stay the background', () => {
    const { rgba } = pooledRgba(cells, values, 5, 2, { norm, lut: BLUES, floor: 0.3 });
    assert.deepEqual(pixel(rgba, 1), lutPixel(0.3));
    assert.deepEqual(pixel(rgba, 6), lutPixel(0.3), '9 / 70 is below the floor too');
    assert.deepEqual(pixel(rgba, 2), lutPixel(0));
    const { rgba: one } = pooledRgba(cells, values, 5, 1, { norm, lut: BLUES });
    assert.deepEqual(one, cellsToRgba(cells, values, 5, { norm, lut: BLUES }), 'pool 1 without a floor: the plain image');
  });
  it('a hidden diagonal does not count; diagonal pixels with nothing else are grey', () => {
    const { rgba } = pooledRgba(cells, values, 5, 2, { norm, lut: BLUES, hideDiagonal: true, diagonalRgb: FROZEN_GREY });
    assert.deepEqual(pixel(rgba, 0), [...FROZEN_GREY, 255]);
    assert.deepEqual(pixel(rgba, 1), lutPixel(1 / 70));
  });
  it('refuses a pool that is not a positive integer', () => {
    assert.throws(() => pooledRgba(cells, values, 5, 0, { norm, lut: BLUES }), /pool must be a positive integer/);
  });
});
