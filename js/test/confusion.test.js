import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  identityOrder,
  invertOrder,
  isPermutation,
  mostConfused,
  nonzeroCells,
  normalizeCounts,
  permute,
  rowShare,
} from '../src/lib/confusion.js';

// Rows actual, columns predicted.
const COUNTS = [
  [5, 1, 0],
  [2, 3, 2],
  [0, 0, 0],
].flat();

describe('normalizeCounts', () => {
  it('null copies the counts as floats', () => {
    const out = normalizeCounts(Int32Array.from(COUNTS), 3, null);
    assert.ok(out instanceof Float64Array);
    assert.deepEqual([...out], COUNTS);
  });
  it("'true' divides by the actual (row) total; empty rows stay 0", () => {
    assert.deepEqual([...normalizeCounts(COUNTS, 3, 'true')], [5 / 6, 1 / 6, 0, 2 / 7, 3 / 7, 2 / 7, 0, 0, 0]);
  });
  it("'pred' divides by the predicted (column) total", () => {
    assert.deepEqual([...normalizeCounts(COUNTS, 3, 'pred')], [5 / 7, 1 / 4, 0, 2 / 7, 3 / 4, 1, 0, 0, 0]);
  });
  it('rejects an unknown mode and a wrong size', () => {
    assert.throws(() => normalizeCounts(COUNTS, 3, 'rows'), /unknown normalisation "rows"/);
    assert.throws(() => normalizeCounts(COUNTS, 4), /expected 16 values for 4 classes, got 9/);
  });
});

describe('orders', () => {
  it('isPermutation accepts each index once only', () => {
    assert.ok(isPermutation([2, 0, 1], 3));
    assert.ok(isPermutation([], 0));
    assert.ok(!isPermutation([0, 0, 1], 3));
    assert.ok(!isPermutation([0, 1], 3));
    assert.ok(!isPermutation([0, 1, 3], 3));
    assert.ok(!isPermutation([0, 1, 1.5], 3));
    assert.ok(!isPermutation('012', 3));
  });
  it('identityOrder and invertOrder', () => {
    assert.deepEqual(identityOrder(4), [0, 1, 2, 3]);
    const order = [2, 0, 3, 1];
    const position = invertOrder(order);
    assert.deepEqual(position, [1, 3, 0, 2]);
    order.forEach((c, p) => assert.equal(position[c], p));
  });
  it('permute reorders rows and columns alike', () => {
    const out = permute(COUNTS, 3, [2, 0, 1]);
    // display row p = actual order[p], display col q = predicted order[q]
    assert.deepEqual([...out], [0, 0, 0, 0, 5, 1, 2, 2, 3]);
    for (let i = 0; i < 3; i++) assert.equal(out[i * 4], COUNTS[[2, 0, 1][i] * 4], 'diagonal stays diagonal');
  });
  it('permute refuses a non-permutation', () => {
    assert.throws(() => permute(COUNTS, 3, [0, 0, 1]), /not a permutation/);
  });
});

describe('mostConfused', () => {
  // Fixture computed with fastai's ClassificationInterpretation.most_confused (fastai 2.8).
  const cm = [
    [9, 3, 0, 3, 1, 2],
    [2, 8, 3, 0, 1, 1],
    [2, 1, 7, 0, 0, 0],
    [0, 3, 0, 0, 3, 0],
    [1, 1, 1, 3, 6, 3],
    [3, 3, 0, 1, 2, 5],
  ].flat();
  const vocab = ['Abyssinian', 'Bengal', 'beagle', 'boxer', 'Birman', 'pug'];
  const fastai = {
    1: [
      ['Abyssinian', 'Bengal', 3], ['Abyssinian', 'boxer', 3], ['Bengal', 'beagle', 3], ['boxer', 'Bengal', 3],
      ['boxer', 'Birman', 3], ['Birman', 'boxer', 3], ['Birman', 'pug', 3], ['pug', 'Abyssinian', 3],
      ['pug', 'Bengal', 3], ['Abyssinian', 'pug', 2], ['Bengal', 'Abyssinian', 2], ['beagle', 'Abyssinian', 2],
      ['pug', 'Birman', 2], ['Abyssinian', 'Birman', 1], ['Bengal', 'Birman', 1], ['Bengal', 'pug', 1],
      ['beagle', 'Bengal', 1], ['Birman', 'Abyssinian', 1], ['Birman', 'Bengal', 1], ['Birman', 'beagle', 1],
      ['pug', 'boxer', 1],
    ],
    3: [
      ['Abyssinian', 'Bengal', 3], ['Abyssinian', 'boxer', 3], ['Bengal', 'beagle', 3], ['boxer', 'Bengal', 3],
      ['boxer', 'Birman', 3], ['Birman', 'boxer', 3], ['Birman', 'pug', 3], ['pug', 'Abyssinian', 3],
      ['pug', 'Bengal', 3],
    ],
  };
  const triples = (pairs) => pairs.map((p) => [p.actual, p.predicted, p.count]);

  it('matches fastai, ties in row-major order', () => {
    assert.deepEqual(triples(mostConfused(cm, vocab)), fastai[1]);
    assert.deepEqual(triples(mostConfused(Int32Array.from(cm), vocab, 3)), fastai[3]);
  });
  it('gives class indices and honours the limit', () => {
    const top = mostConfused(cm, vocab, 1, 2);
    assert.deepEqual(top, [
      { actual: 'Abyssinian', predicted: 'Bengal', count: 3, actualIndex: 0, predictedIndex: 1 },
      { actual: 'Abyssinian', predicted: 'boxer', count: 3, actualIndex: 0, predictedIndex: 3 },
    ]);
  });
  it('keeps a short list while scanning with the same result as sorting everything', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const size = 23;
    const counts = Int32Array.from({ length: size * size }, () => (random() < 0.3 ? Math.floor(random() * 4) : 0));
    const names = Array.from({ length: size }, (_, i) => `c${i}`);
    const all = mostConfused(counts, names, 1);
    for (const limit of [1, 2, 10, 100]) assert.deepEqual(mostConfused(counts, names, 1, limit), all.slice(0, limit));
    const cells = nonzeroCells(counts);
    assert.deepEqual(mostConfused(counts, names, 1, 10, cells), all.slice(0, 10), 'scanning only the nonzero cells');
    assert.deepEqual(mostConfused(counts, names, 2, Infinity, cells), mostConfused(counts, names, 2));
    assert.equal(mostConfused(counts, names, 0, 1000, cells).length, size * size, 'minVal 0 lists zeros: every cell is scanned');
    assert.deepEqual(mostConfused(counts, names, 1, 0), []);
  });

  it('never lists the diagonal and handles no confusion', () => {
    assert.deepEqual(mostConfused([4, 0, 0, 4], ['a', 'b']), []);
    assert.deepEqual(mostConfused([], []), []);
  });
});

describe('rowShare', () => {
  it('rowShare is the fraction of the actual row', () => {
    assert.equal(rowShare(COUNTS, 3, 1, 2), 2 / 7);
    assert.equal(rowShare(COUNTS, 3, 2, 0), 0, 'empty row');
  });
});

describe('nonzeroCells', () => {
  it('lists the cells that are not 0, for every array type and alignment', () => {
    const values = [0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 9, 0];
    const expected = [5, 14, 19];
    for (const ArrayType of [Uint8Array, Int16Array, Int32Array, Float32Array, Float64Array, Array]) {
      assert.deepEqual([...nonzeroCells(ArrayType.from(values))], expected, ArrayType.name);
    }
    const shifted = new Uint8Array(values.length + 1);
    shifted.set(values, 1);
    assert.deepEqual([...nonzeroCells(shifted.subarray(1))], expected, 'not 4-byte aligned');
    assert.deepEqual([...nonzeroCells(new Int16Array([0, -1, 0, 256]))], [1, 3]);
    assert.deepEqual([...nonzeroCells(new Float32Array([0, NaN, -0, 2]))], [1, 3], 'NaN listed, -0 is 0');
    assert.deepEqual([...nonzeroCells(new Uint8Array(0))], []);
  });
});
