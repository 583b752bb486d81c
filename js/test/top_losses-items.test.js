import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyFilter,
  clampPage,
  detailKeyAction,
  filterKey,
  indexOf,
  matchesFilter,
  MAX_PAGE_SIZE,
  neighbour,
  PAGE_SIZES,
  pageCount,
  pageItems,
  pageOf,
  readFilter,
  readItems,
  readPageSize,
  readSort,
  sortOrder,
} from '../src/top_losses/items.js';

const wire = (Type, dtype, values) => {
  const array = Type.from(values);
  return { dtype, shape: [array.length], buffer: new DataView(array.buffer) };
};
const i32 = (values) => wire(Int32Array, 'int32', values);
const f32 = (values) => wire(Float32Array, 'float32', values);

function traits({ vocab = ['cat', 'dog', 'pug'], targets, decoded, losses, pa, pp, items } = {}) {
  return {
    vocab,
    items,
    targets: i32(targets),
    decoded: i32(decoded),
    losses: f32(losses),
    prob_actual: f32(pa ?? losses.map((l) => Math.exp(-l))),
    prob_pred: f32(pp ?? losses.map(() => 0.5)),
  };
}

// 8 items, 3 classes.
const SMALL = traits({
  targets: [0, 0, 1, 1, 2, 2, 0, 1],
  decoded: [0, 1, 1, 0, 2, 1, 1, 1],
  losses: [0.1, 2.5, 0.2, 3.0, 0.05, 2.5, 1.0, 0.3],
  items: ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg', 'f.jpg', 'g.jpg', 'h.jpg'],
});

describe('readItems', () => {
  it('decodes every array and names the items', () => {
    const data = readItems(SMALL);
    assert.equal(data.N, 8);
    assert.equal(data.C, 3);
    assert.deepEqual(data.vocab, ['cat', 'dog', 'pug']);
    assert.equal(data.names[3], 'd.jpg');
    assert.ok(data.targets instanceof Int32Array);
    assert.ok(data.losses instanceof Float32Array);
    assert.ok(Math.abs(data.probActual[0] - Math.exp(-0.1)) < 1e-6);
  });

  it('names items "item i" when items is missing', () => {
    const data = readItems({ ...SMALL, items: undefined });
    assert.equal(data.names[5], 'item 5');
  });

  it('accepts base64 arrays (offline report) and float16 / int64', () => {
    const b64 = (Type, values) => Buffer.from(Type.from(values).buffer).toString('base64');
    const data = readItems({
      vocab: ['a', 'b'],
      targets: { dtype: 'int64', shape: [2], b64: b64(BigInt64Array, [0n, 1n]) },
      decoded: { dtype: 'int32', shape: [2], b64: b64(Int32Array, [1, 1]) },
      losses: { dtype: 'float16', shape: [2], b64: b64(Uint16Array, [0x3c00, 0x4000]) }, // 1, 2
      prob_actual: f32([0.3, 0.9]),
      prob_pred: f32([0.7, 0.9]),
    });
    assert.deepEqual([...data.targets], [0, 1]);
    assert.deepEqual([...data.losses], [1, 2]);
  });

  it('names the problem when traits are malformed or disagree', () => {
    assert.throws(() => readItems({ ...SMALL, vocab: 'cat' }), /vocab must be an array/);
    assert.throws(() => readItems({ ...SMALL, losses: f32([1, 2]) }), /losses has 2 items but targets has 8/);
    assert.throws(() => readItems({ ...SMALL, prob_pred: undefined }), /^Error: prob_pred: ndarray/);
    assert.throws(
      () => readItems({ ...SMALL, decoded: i32([0, 1, 1, 0, 2, 1, 1, 3]) }),
      /decoded\[7\] = 3 is not a class index of vocab \(3 classes\)/,
    );
    assert.throws(() => readItems({ ...SMALL, targets: { dtype: 'int32', shape: [2, 4], buffer: new ArrayBuffer(32) } }), /one-dimensional/);
    assert.throws(() => readItems({ ...SMALL, items: ['x'] }), /items has 1 names but targets has 8 items/);
    assert.throws(() => readItems({ ...SMALL, items: 'x' }), /items must be a list/);
  });

  it('handles zero items', () => {
    const data = readItems(traits({ targets: [], decoded: [], losses: [] }));
    assert.equal(data.N, 0);
    assert.deepEqual(data.names, []);
  });
});

describe('options', () => {
  it('readSort: unknown keys read as the first, loss', () => {
    assert.equal(readSort('confident_mistakes'), 'confident_mistakes');
    assert.equal(readSort('loss'), 'loss');
    assert.equal(readSort('prob_actual'), 'loss', 'no longer a sort: the same order as loss for cross-entropy');
    assert.equal(readSort('nope'), 'loss');
    assert.equal(readSort(undefined), 'loss');
  });
  it('readPageSize: numbers rounded and clamped to [1, max], anything else the first size offered', () => {
    assert.equal(readPageSize(12), 12);
    assert.equal(readPageSize(30), 30);
    assert.equal(readPageSize(0), 1);
    assert.equal(readPageSize(-3), 1);
    assert.equal(readPageSize(2.5), 3);
    assert.equal(readPageSize(10 ** 6), MAX_PAGE_SIZE);
    assert.equal(readPageSize(undefined), PAGE_SIZES[0]);
    assert.equal(readPageSize('24'), PAGE_SIZES[0]);
    assert.equal(readPageSize(NaN), PAGE_SIZES[0]);
  });
});

describe('readFilter', () => {
  const classFilter = ({ actual, predicted, cell }) => ({ actual, predicted, cell });
  it('uses filter_actual / filter_predicted, invalid values meaning any', () => {
    assert.deepEqual(classFilter(readFilter({ selection: null, filterActual: 1, filterPredicted: null }, 3)), { actual: 1, predicted: null, cell: false });
    assert.deepEqual(classFilter(readFilter({ filterActual: 3, filterPredicted: -1 }, 3)), { actual: null, predicted: null, cell: false });
    assert.deepEqual(classFilter(readFilter({ filterActual: '1', filterPredicted: 2 }, 3)), { actual: null, predicted: 2, cell: false });
  });
  it('a valid selection overrides the filters', () => {
    assert.deepEqual(classFilter(readFilter({ selection: [2, 0], filterActual: 1, filterPredicted: 1 }, 3)), { actual: 2, predicted: 0, cell: true });
  });
  it('an invalid selection is ignored', () => {
    assert.deepEqual(classFilter(readFilter({ selection: [2, 9], filterActual: 1, filterPredicted: null }, 3)), { actual: 1, predicted: null, cell: false });
    assert.deepEqual(classFilter(readFilter({ selection: [1], filterActual: null }, 3)), { actual: null, predicted: null, cell: false });
  });
  it('filterKey tells filtered sets apart', () => {
    assert.notEqual(filterKey({ actual: 1, predicted: null }), filterKey({ actual: null, predicted: 1 }));
    assert.equal(filterKey({ actual: 1, predicted: 2, cell: true }), filterKey({ actual: 1, predicted: 2, cell: false }));
  });
});

describe('sortOrder', () => {
  const data = readItems(SMALL);
  it('loss: largest first, equal losses in item order', () => {
    assert.deepEqual([...sortOrder(data, 'loss')], [3, 1, 5, 6, 7, 2, 0, 4]);
  });
  it('confident_mistakes: wrong items by highest p(predicted), then the right ones by loss', () => {
    // wrong: 1 (p .6), 3 (p .9), 5 (p .6), 6 (p .99); right: 0, 2, 4, 7
    const mixed = readItems({ ...SMALL, prob_pred: f32([0.95, 0.6, 0.8, 0.9, 0.99, 0.6, 0.99, 0.7]) });
    assert.deepEqual([...sortOrder(mixed, 'confident_mistakes')], [6, 3, 1, 5, 7, 2, 0, 4]);
  });
  it('NaN last (in its group); infinities in place', () => {
    const odd = readItems(traits({ targets: [0, 0, 0, 0], decoded: [0, 0, 0, 0], losses: [NaN, 1, Infinity, 0] }));
    assert.deepEqual([...sortOrder(odd, 'loss')], [2, 1, 3, 0]);
    const wrong = readItems(traits({ targets: [0, 0, 0, 0], decoded: [1, 1, 0, 1], losses: [1, 2, 3, 4], pp: [NaN, 0.7, 0.9, 0.8] }));
    assert.deepEqual([...sortOrder(wrong, 'confident_mistakes')], [3, 1, 0, 2], 'top-k storage: p(pred) may be NaN');
  });
  it('unknown sort keys sort by loss', () => {
    assert.deepEqual([...sortOrder(data, 'bogus')], [...sortOrder(data, 'loss')]);
  });
});

describe('applyFilter / matchesFilter', () => {
  const data = readItems(SMALL);
  const order = sortOrder(data, 'loss');
  it('no filter returns the order itself', () => {
    assert.equal(applyFilter(order, data, { actual: null, predicted: null }), order);
  });
  it('by actual, by predicted, by both (a cell), keeping the sort order', () => {
    assert.deepEqual([...applyFilter(order, data, { actual: 0, predicted: null })], [1, 6, 0]);
    assert.deepEqual([...applyFilter(order, data, { actual: null, predicted: 1 })], [1, 5, 6, 7, 2]);
    assert.deepEqual([...applyFilter(order, data, { actual: 2, predicted: 1 })], [5]);
    assert.deepEqual([...applyFilter(order, data, { actual: 2, predicted: 0 })], []);
  });
  it('matchesFilter agrees', () => {
    assert.ok(matchesFilter(data, 5, { actual: 2, predicted: 1 }));
    assert.ok(!matchesFilter(data, 4, { actual: 2, predicted: 1 }));
    assert.ok(matchesFilter(data, 4, { actual: null, predicted: null }));
    assert.ok(!matchesFilter(null, 4, { actual: null, predicted: null }));
  });
  it('50,000 items: sort once, then every filter change is a linear pass', () => {
    const N = 50000;
    const C = 37;
    const targets = new Int32Array(N);
    const decoded = new Int32Array(N);
    const losses = new Float32Array(N);
    let seed = 1;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < N; i++) {
      targets[i] = i % C;
      decoded[i] = random() < 0.9 ? targets[i] : (i * 7) % C;
      losses[i] = -Math.log(random() * 0.999 + 0.001);
    }
    const big = readItems({
      vocab: Array.from({ length: C }, (_, c) => `class ${c}`),
      targets: i32(targets),
      decoded: i32(decoded),
      losses: f32(losses),
      prob_actual: f32(losses.map((l) => Math.exp(-l))),
      prob_pred: f32(losses.map(() => 0.9)),
    });
    let start = performance.now();
    const sorted = sortOrder(big, 'loss');
    const sortMs = performance.now() - start;
    for (let k = 1; k < N; k++) assert.ok(big.losses[sorted[k - 1]] >= big.losses[sorted[k]]);
    start = performance.now();
    for (let c = 0; c < C; c++) applyFilter(sorted, big, { actual: c, predicted: null });
    const filterMs = (performance.now() - start) / C;
    assert.ok(sortMs < 500, `sort took ${sortMs.toFixed(1)} ms`);
    assert.ok(filterMs < 20, `a filter took ${filterMs.toFixed(2)} ms`);
  });
});

describe('paging', () => {
  it('pageCount is at least 1', () => {
    assert.equal(pageCount(0, 24), 1);
    assert.equal(pageCount(24, 24), 1);
    assert.equal(pageCount(25, 24), 2);
    assert.equal(pageCount(1482, 24), 62);
    assert.equal(pageCount(37, undefined), Math.ceil(37 / PAGE_SIZES[0]));
  });
  it('clampPage', () => {
    assert.equal(clampPage(5, 37, 24), 1);
    assert.equal(clampPage(-1, 37, 24), 0);
    assert.equal(clampPage(1, 37, 24), 1);
    assert.equal(clampPage(null, 37, 24), 0);
    assert.equal(clampPage(3, 0, 24), 0);
  });
  it('pageItems slices the page (the last one may be short)', () => {
    const indices = Uint32Array.from({ length: 30 }, (_, i) => 100 + i);
    assert.deepEqual([...pageItems(indices, 0, 12)].slice(0, 2), [100, 101]);
    assert.deepEqual([...pageItems(indices, 2, 12)], [124, 125, 126, 127, 128, 129]);
    assert.deepEqual([...pageItems(indices, 9, 12)], [124, 125, 126, 127, 128, 129], 'clamped to the last page');
    assert.equal(pageItems(new Uint32Array(0), 0, 12).length, 0);
  });
  it('pageOf / indexOf find an item', () => {
    const indices = Uint32Array.from([9, 4, 7, 1, 3]);
    assert.equal(indexOf(indices, 7), 2);
    assert.equal(indexOf(indices, 8), -1);
    assert.equal(indexOf(indices, null), -1);
    assert.equal(pageOf(indices, 3, 2), 2);
    assert.equal(pageOf(indices, 9, 2), 0);
    assert.equal(pageOf(indices, 5, 2), -1);
  });
});

describe('navigation', () => {
  const indices = Uint32Array.from([9, 4, 7]);
  it('neighbour moves through the list and stops at both ends', () => {
    assert.equal(neighbour(indices, 4, 1), 7);
    assert.equal(neighbour(indices, 4, -1), 9);
    assert.equal(neighbour(indices, 7, 1), 7);
    assert.equal(neighbour(indices, 9, -1), 9);
    assert.equal(neighbour(indices, 100, 1), 9, 'not in the list: the first item');
    assert.equal(neighbour(new Uint32Array(0), 1, 1), null);
  });
  it('detailKeyAction maps arrows and Escape', () => {
    assert.equal(detailKeyAction('ArrowRight'), 'next');
    assert.equal(detailKeyAction('ArrowDown'), 'next');
    assert.equal(detailKeyAction('ArrowLeft'), 'prev');
    assert.equal(detailKeyAction('ArrowUp'), 'prev');
    assert.equal(detailKeyAction('Escape'), 'close');
    assert.equal(detailKeyAction('a'), null);
  });
});
