/** The per-class table's logic (lib/per_class.js): reading traits, sorting, clicks, the scrolled window. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatScore } from '../src/lib/format.js';
import {
  describeSort,
  headerClickTraits,
  readDescending,
  readFilterActual,
  readMetrics,
  readSort,
  rowClickTraits,
  scrollToShow,
  SORT_KEYS,
  sortOrder,
  visibleRows,
} from '../src/lib/per_class.js';
import { perClassTraits, wire } from '../test-support/per_class.js';

// scikit-learn's classification_report of these predictions (printed with digits=2):
//            precision recall f1-score support
//   a          0.67    0.67    0.67      3
//   b          0.67    1.00    0.80      2
//   c          1.00    0.50    0.67      4
//   d          0.50    1.00    0.67      1
//   accuracy                   0.70     10
//   macro avg  0.71    0.79    0.70     10
//   weighted   0.78    0.70    0.69     10
const TARGETS = [0, 0, 0, 1, 1, 2, 2, 2, 2, 3];
const DECODED = [0, 0, 1, 1, 1, 2, 2, 0, 3, 3];

describe('readMetrics', () => {
  it('reads the traits as scikit-learn computed them, printed as its report prints them', () => {
    const m = readMetrics(perClassTraits(['a', 'b', 'c', 'd'], TARGETS, DECODED));
    const text = (values) => Array.from(values, formatScore);
    assert.deepEqual(text(m.precision), ['0.67', '0.67', '1.00', '0.50']);
    assert.deepEqual(text(m.recall), ['0.67', '1.00', '0.50', '1.00']);
    assert.deepEqual(text(m.f1), ['0.67', '0.80', '0.67', '0.67']);
    assert.deepEqual(Array.from(m.support), [3, 2, 4, 1]);
    assert.equal(formatScore(m.summary.accuracy), '0.70');
    assert.equal(m.summary.nItems, 10);
    assert.deepEqual(Object.values(m.summary.macro).map(formatScore), ['0.71', '0.79', '0.70']);
    assert.deepEqual(Object.values(m.summary.weighted).map(formatScore), ['0.78', '0.70', '0.69']);
  });

  it('restores the double of a ratio on a rounding tie, which float32 would round the other way', () => {
    // recall 3/40: the double prints "0.07" (scikit-learn), its float32 0.0750000030 "0.08".
    assert.equal(formatScore(Math.fround(3 / 40)), '0.08');
    const targets = Array(40).fill(0);
    const decoded = targets.map((_, i) => (i < 3 ? 0 : 1));
    const m = readMetrics(perClassTraits(['cat', 'dog'], targets, decoded));
    assert.equal(formatScore(m.recall[0]), '0.07');
    assert.equal(m.recall[0], 3 / 40);
    // A value that is no 3-decimal number stays as sent.
    assert.equal(readMetrics(perClassTraits(['a', 'b', 'c'], [0, 0, 0, 1, 2], [0, 1, 2, 1, 2])).recall[0], Math.fround(1 / 3));
  });

  it('refuses malformed traits with a message naming the trait', () => {
    const good = perClassTraits(['a', 'b', 'c', 'd'], TARGETS, DECODED);
    const cases = [
      [{ vocab: 'abcd' }, /vocab must be an array/],
      [{ f1: wire('float32', [0.5, 0.5, 0.5]) }, /f1 has shape \[3\] but vocab has 4 classes/],
      [{ recall: wire('float32', [0.5, 1.5, 0.5, 0.5]) }, /recall\[1\] = 1.5 is not a score in \[0, 1\]/],
      [{ precision: wire('float32', [0.5, NaN, 0.5, 0.5]) }, /precision\[1\] = NaN/],
      [{ precision: { dtype: 'float64', shape: [4], b64: '' } }, /precision: ndarray: unsupported dtype "float64"/],
      [{ support: wire('float32', [1, 2.5, 3, 4]) }, /support\[1\] = 2.5 is not a count/],
      [{ summary: null }, /summary must be an object/],
      [{ summary: { ...good.summary, accuracy: 'high' } }, /summary.accuracy must be a number, got "high"/],
      [{ summary: { ...good.summary, n_items: -1 } }, /summary.n_items must be a count/],
      [{ summary: { ...good.summary, macro: { precision: 1, recall: 1 } } }, /summary.macro.f1 must be a number/],
    ];
    for (const [override, error] of cases) assert.throws(() => readMetrics({ ...good, ...override }), error);
  });
});

describe('trait validation', () => {
  it('an unknown sort reads as the first key, f1; only true is descending', () => {
    assert.equal(readSort('recall'), 'recall');
    for (const bad of ['F1', 'loss', null, undefined, 3]) assert.equal(readSort(bad), SORT_KEYS[0]);
    assert.equal(SORT_KEYS[0], 'f1');
    assert.equal(readDescending(true), true);
    for (const bad of [false, 'true', 1, null, undefined]) assert.equal(readDescending(bad), false);
  });
  it('filter_actual is a class index or null', () => {
    assert.equal(readFilterActual(2, 4), 2);
    for (const bad of [4, -1, 1.5, '2', null, undefined]) assert.equal(readFilterActual(bad, 4), null);
  });
});

describe('sortOrder', () => {
  const metrics = {
    C: 5,
    vocab: ['beagle', 'Abyssinian', 'class_10', 'class_9', 'boxer'],
    f1: [0.5, 0.2, 0.5, 0.9, 0.2],
    precision: [0.1, 0.2, 0.3, 0.4, 0.5],
    recall: [1, 1, 1, 1, 1],
    support: [3, 1, 3, 2, 1],
  };
  it('sorts by a metric, ties by class index in both directions', () => {
    assert.deepEqual(sortOrder(metrics, 'f1', false), [1, 4, 0, 2, 3]);
    assert.deepEqual(sortOrder(metrics, 'f1', true), [3, 0, 2, 1, 4]);
    assert.deepEqual(sortOrder(metrics, 'recall', true), [0, 1, 2, 3, 4]);
    assert.deepEqual(sortOrder(metrics, 'support', false), [1, 4, 3, 0, 2]);
  });
  it('sorts names case-insensitively, numbers by value', () => {
    assert.deepEqual(sortOrder(metrics, 'name', false), [1, 0, 4, 3, 2]);
    assert.deepEqual(sortOrder(metrics, 'name', true), [2, 3, 4, 0, 1]);
  });
  it('sorts 1000 classes quickly', () => {
    const C = 1000;
    const big = { C, vocab: Array.from({ length: C }, (_, i) => `class_${i}`), f1: Array.from({ length: C }, (_, i) => ((i * 7919) % 101) / 100) };
    const start = performance.now();
    const order = sortOrder(big, 'name', false);
    sortOrder(big, 'f1', false);
    assert.ok(performance.now() - start < 50);
    assert.equal(order[999], 999);
  });
});

describe('clicks', () => {
  it('a header sorts by its column; again flips the direction; a new column starts ascending', () => {
    assert.deepEqual(headerClickTraits('f1', false, 'recall'), { sort: 'recall', descending: false });
    assert.deepEqual(headerClickTraits('f1', true, 'name'), { sort: 'name', descending: false });
    assert.deepEqual(headerClickTraits('f1', false, 'f1'), { sort: 'f1', descending: true });
    assert.deepEqual(headerClickTraits('f1', true, 'f1'), { sort: 'f1', descending: false });
  });
  it('a row filters on its class, clearing the other filters; the filtered row clears it', () => {
    assert.deepEqual(rowClickTraits(null, 3), { filter_actual: 3, filter_predicted: null, selection: null });
    assert.deepEqual(rowClickTraits(1, 3), { filter_actual: 3, filter_predicted: null, selection: null });
    assert.deepEqual(rowClickTraits(3, 3), { filter_actual: null });
  });
  it('describes the sort in words', () => {
    assert.equal(describeSort('f1', false), 'sorted by F1, lowest first');
    assert.equal(describeSort('support', true), 'sorted by support, most items first');
    assert.equal(describeSort('name', false), 'sorted by class name, A to Z');
  });
});

describe('scrolled window', () => {
  it('lists the rows in view plus an overscan, within the table', () => {
    assert.deepEqual(visibleRows(0, 260, 26, 1000, 5), { start: 0, end: 15 });
    assert.deepEqual(visibleRows(2600, 260, 26, 1000, 5), { start: 95, end: 115 });
    assert.deepEqual(visibleRows(25974, 260, 26, 1000, 5), { start: 994, end: 1000 });
    assert.deepEqual(visibleRows(0, 260, 26, 3, 5), { start: 0, end: 3 });
    assert.deepEqual(visibleRows(0, 260, 26, 0, 5), { start: 0, end: 0 });
  });
  it('scrolls as little as needed to show a row whole', () => {
    assert.equal(scrollToShow(3, 0, 260, 26), 0); // already in view
    assert.equal(scrollToShow(10, 0, 260, 26), 26); // just below: bottom edge
    assert.equal(scrollToShow(500, 0, 260, 26), 500 * 26 + 26 - 260);
    assert.equal(scrollToShow(2, 520, 260, 26), 52); // above: top edge
  });
});
