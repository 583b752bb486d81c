import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BLUES, FROZEN_GREY, normalizer } from '../src/lib/colormap.js';
import { normalizeCounts, permute } from '../src/lib/confusion.js';
import { matrixToRgba } from '../src/lib/raster.js';
import {
  buildDisplay,
  confusedPairs,
  describeCell,
  MAX_LISTED,
  OVERVIEW_FLOOR,
  readClassIndex,
  readMatrix,
  readMinVal,
  readOrderInfo,
  readSelection,
  resolveOrder,
  toggleSelection,
} from '../src/lib/confusion-state.js';
import { petsCounts, VOCAB, wireInt32, wireInt32Base64 } from '../test-support/pets.js';

const C = VOCAB.length;
const counts = petsCounts();

describe('trait readers', () => {
  it('min_val: a finite number rounded, at least 1; anything else 1', () => {
    assert.deepEqual([5, 2.6, 0, -3, NaN, Infinity, '4', null, undefined].map(readMinVal), [5, 3, 1, 1, 1, 1, 1, 1, 1]);
  });
  it('class filters: an integer class index below C, or null', () => {
    assert.deepEqual([0, 36, 37, -1, 1.5, '3', null, undefined].map((v) => readClassIndex(v, 37)), [0, 36, null, null, null, null, null, null]);
  });
  it('order_info: label, help and groups, validated; the order name when missing', () => {
    const info = { species: { label: 'Species', help: 'cats first', groups: [{ start: 12, name: 'dogs' }, { start: 0, name: 'cats' }, { start: 99 }, 'x'] } };
    assert.deepEqual(readOrderInfo(info, 'species', 37), { label: 'Species', help: 'cats first', groups: [{ start: 0, name: 'cats' }, { start: 12, name: 'dogs' }] });
    assert.deepEqual(readOrderInfo(null, 'clustered', 37), { label: 'clustered', help: '', groups: [] });
    assert.deepEqual(readOrderInfo({ a: { label: 7, groups: 'no' } }, 'a', 3), { label: 'a', help: '', groups: [] });
  });
});

describe('readMatrix', () => {
  it('decodes counts; confusedPairs lists the pairs as most_confused(min_val), and counts them', () => {
    const matrix = readMatrix(VOCAB, wireInt32(counts, [C, C]));
    assert.equal(matrix.C, 37);
    assert.deepEqual([...matrix.counts], [...counts]);
    // petsCounts' confusions: one of 9, twelve of 2, twelve of 1
    assert.deepEqual([1, 2, 3, 10].map((m) => confusedPairs(matrix, m).total), [25, 13, 1, 0]);
    assert.deepEqual(confusedPairs(matrix, 2).pairs.map((p) => p.count), [9, ...Array(12).fill(2)]);
    assert.equal(confusedPairs(matrix, 1, 5).pairs.length, 5, 'at most `limit` listed');
    assert.equal(MAX_LISTED, 50);
    assert.deepEqual(confusedPairs(matrix, 1).pairs[0], {
      actual: 'american_pit_bull_terrier',
      predicted: 'staffordshire_bull_terrier',
      count: 9,
      actualIndex: VOCAB.indexOf('american_pit_bull_terrier'),
      predictedIndex: VOCAB.indexOf('staffordshire_bull_terrier'),
    });
  });
  it('reads the base64 and sparse forms of the offline report the same way', () => {
    const dense = readMatrix(VOCAB, wireInt32(counts, [C, C]));
    assert.deepEqual(readMatrix(VOCAB, wireInt32Base64(counts, [C, C])), dense);
    const cells = Int32Array.from(counts.keys()).filter((i) => counts[i] !== 0);
    const sparse = { dtype: 'int32', shape: [C, C], sparse: { indices: wireInt32(cells, [cells.length]), values: wireInt32(cells.map((i) => counts[i]), [cells.length]) } };
    assert.deepEqual(readMatrix(VOCAB, sparse), dense);
    assert.deepEqual([...dense.cells], [...cells], 'the nonzero cells');
  });
  it('names the problem when traits disagree', () => {
    assert.throws(() => readMatrix(VOCAB.slice(1), wireInt32(counts, [C, C])), /counts has shape \[37,37\] but vocab has 36 classes/);
    assert.throws(() => readMatrix('abc', wireInt32(counts, [C, C])), /vocab must be an array/);
    assert.throws(() => readMatrix(VOCAB, null), /ndarray: expected an object/);
  });
  it('accepts an empty matrix', () => {
    assert.equal(readMatrix([], wireInt32(new Int32Array(0), [0, 0])).C, 0);
  });
});

describe('resolveOrder', () => {
  it('uses the named order, or vocab order when missing or invalid', () => {
    assert.deepEqual(resolveOrder({ reversed: [2, 1, 0] }, 'reversed', 3), [2, 1, 0]);
    assert.deepEqual(resolveOrder({ reversed: [2, 1, 0] }, 'nope', 3), [0, 1, 2]);
    assert.deepEqual(resolveOrder({ bad: [0, 0, 1] }, 'bad', 3), [0, 1, 2]);
    assert.deepEqual(resolveOrder(null, 'x', 2), [0, 1]);
  });
});

describe('buildDisplay', () => {
  const matrix = readMatrix(['a', 'b', 'c'], wireInt32(Int32Array.from([8, 2, 0, 1, 4, 0, 0, 0, 0]), [3, 3]));
  it('reorders values, keeps the inverse order and colours cells', () => {
    const display = buildDisplay(matrix, { orders: { rev: [2, 1, 0] }, order: 'rev' });
    assert.deepEqual(display.order, [2, 1, 0]);
    assert.deepEqual(display.position, [2, 1, 0]);
    assert.deepEqual([...display.values], [0, 0, 0, 0, 4, 1, 0, 2, 8]);
    assert.equal(display.max, 8);
    assert.equal(display.rgba.length, 36);
    assert.deepEqual([...display.rgba.slice(32, 35)], [...BLUES.slice(255 * 3)], 'largest value darkest');
    assert.equal(display.normalize, null);
    assert.equal(display.colorScale, 'linear');
  });
  it('normalises and excludes a hidden diagonal from the colour range', () => {
    const display = buildDisplay(matrix, { normalize: 'true', hideDiagonal: true, colorScale: 'log' });
    assert.deepEqual([...display.values].map((v) => +v.toFixed(3)), [0.8, 0.2, 0, 0.2, 0.8, 0, 0, 0, 0]);
    assert.equal(display.max, 0.2);
    assert.deepEqual([...display.rgba.slice(0, 3)], [...FROZEN_GREY]);
    assert.deepEqual([...display.rgba.slice(4, 7)], [...BLUES.slice(255 * 3)]);
    assert.equal(display.colorScale, 'log');
    assert.equal(display.hideDiagonal, true);
  });
  it('gives the dense computation\'s values and colours from the nonzero cells only', () => {
    const size = 9;
    let seed = 3;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const raw = Int32Array.from({ length: size * size }, () => (random() < 0.25 ? 1 + Math.floor(random() * 30) : 0));
    raw.fill(0, 2 * size, 3 * size); // an empty row
    for (let r = 0; r < size; r++) raw[r * size + 5] = 0; // an empty column
    const big = readMatrix(Array.from({ length: size }, (_, i) => `c${i}`), wireInt32(raw, [size, size]));
    const order = [4, 0, 8, 2, 6, 1, 3, 7, 5];
    for (const normalize of [null, 'true', 'pred']) {
      for (const colorScale of ['linear', 'log']) {
        for (const hideDiagonal of [false, true]) {
          const display = buildDisplay(big, { orders: { o: order }, order: 'o', normalize, colorScale, hideDiagonal });
          const dense = permute(normalizeCounts(raw, size, normalize), size, order);
          assert.deepEqual([...display.values], [...dense]);
          for (let i = 0; i < dense.length; i++) assert.equal(display.valueAt(Math.floor(i / size), i % size), dense[i]);
          const norm = normalizer(dense, { scale: colorScale, exclude: hideDiagonal ? (i) => i % (size + 1) === 0 : undefined });
          assert.equal(display.max, norm.max);
          assert.deepEqual(display.rgba, matrixToRgba(dense, size, { norm, lut: BLUES, hideDiagonal, diagonalRgb: FROZEN_GREY }));
        }
      }
    }
  });
  it('reads unknown trait values as the first allowed option', () => {
    const display = buildDisplay(matrix, { normalize: 'rows', colorScale: 'sqrt' });
    assert.equal(display.normalize, null);
    assert.equal(display.colorScale, 'linear');
  });
});

describe('selection', () => {
  it('toggleSelection selects, and clears the same cell', () => {
    assert.deepEqual(toggleSelection(null, 3, 5), [3, 5]);
    assert.deepEqual(toggleSelection([3, 5], 5, 3), [5, 3]);
    assert.equal(toggleSelection([3, 5], 3, 5), null);
  });
  it('readSelection accepts only [actual, predicted] class indices', () => {
    assert.deepEqual(readSelection([1, 2], 3), [1, 2]);
    assert.equal(readSelection([1, 3], 3), null);
    assert.equal(readSelection([1], 3), null);
    assert.equal(readSelection(null, 3), null);
    assert.equal(readSelection(['1', 2], 3), null);
  });
});

describe('describeCell', () => {
  it('gives actual, predicted, count and share of the actual row', () => {
    const matrix = readMatrix(['<b>cat</b>', 'dog'], wireInt32(Int32Array.from([3, 1, 0, 5]), [2, 2]));
    assert.deepEqual(describeCell(matrix, 0, 1), [
      ['Actual', '<b>cat</b>'],
      ['Predicted', 'dog'],
      ['Count', '1'],
      ['Share of actual', '25.0%'],
    ]);
  });
});
