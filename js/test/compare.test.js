/**
 * The compare logic (lib/compare.js): reading the traits, the difference matrix B − A (counts and
 * row-normalised shares), filters by cell / class / change, the browser's order, the per-class
 * sorts, the texts; and the diverging colour map (lib/colormap.js).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIVERGING, DIVERGING_DARK, divergingNormalizer, lutRgb } from '../src/lib/colormap.js';
import {
  cellClickTraits,
  changeChipTraits,
  changeCounts,
  classClickTraits,
  describeClass,
  describeDiffCell,
  describeItem,
  diffDisplay,
  difference,
  filterItems,
  formatDiffCell,
  formatPoints,
  formatSigned,
  largestChanges,
  nextClassSort,
  pageWindow,
  pooledDiffRgba,
  readChangeFilter,
  readCompare,
  readCounts,
  readDiffNormalize,
  readHeaderRows,
  readIndex,
  readOrders,
  readPageSize,
  readRuns,
  sortClasses,
  sortItems,
  unionCells,
  windowRows,
} from '../src/lib/compare.js';
import { EVIL, largeTraits, SMALL_ROWS, SMALL_VOCAB, smallTraits, wire } from '../test-support/compare.js';

const C = SMALL_VOCAB.length;
const getter = (traits) => (name) => traits[name];
const small = () => readCompare(getter(smallTraits()));

/** Dense counts from the fixture rows, computed here independently of the lib. */
function dense(side) {
  const counts = Array.from({ length: C }, () => new Array(C).fill(0));
  for (const row of SMALL_ROWS) counts[row[side * 2]][row[side * 2 + 1]] += 1;
  return counts;
}

describe('readCompare', () => {
  it('decodes every data trait and checks them against vocab and items', () => {
    const data = small();
    assert.equal(data.C, 5);
    assert.equal(data.n, 30);
    assert.equal(data.vocab[4], EVIL);
    assert.deepEqual(Array.from(data.actualB.slice(26)), [3, 0, 3, 1]);
    assert.equal(data.a.counts.length, 25);
    assert.ok(Number.isNaN(readCompare(getter(smallTraits({ error_a: wire('float32', [NaN, 0, 0, 0, 0]) }))).errorA[0]));
  });

  it('refuses malformed traits, naming them', () => {
    const bad = (overrides, pattern) => assert.throws(() => readCompare(getter(smallTraits(overrides))), pattern);
    bad({ counts_b: wire('int32', [1, 2, 3, 4], [2, 2]) }, /counts_b: counts has shape \[2,2\]/);
    bad({ pred_a: wire('int32', [0, 1]) }, /pred_a has shape \[2\], expected \[30\]/);
    bad({ actual_b: wire('int32', new Array(30).fill(7)) }, /actual_b\[0\] = 7 is not a class index below 5/);
    bad({ change: wire('uint8', new Array(30).fill(9)) }, /change\[0\] = 9/);
    bad({ support_a: wire('float32', [1, 2, 3, 4, 5]) }, /support_a must hold integers/);
    bad({ items: 'x' }, /items must be an array/);
    bad({ change_names: ['fixed', 'broken'] }, /change_names must be \["still_right","fixed","broken","still_wrong","relabelled"\]/);
    bad({ vocab: null }, /vocab must be an array/);
  });
});

describe('trait readers', () => {
  it('read valid values and fall back to the first allowed one', () => {
    assert.equal(readDiffNormalize('true'), 'true');
    assert.equal(readDiffNormalize('pred'), null);
    assert.equal(readDiffNormalize(undefined), null);
    assert.equal(readChangeFilter('broken'), 'broken');
    assert.equal(readChangeFilter('still_right'), 'all'); // not a chip
    assert.equal(readPageSize(24), 24);
    assert.equal(readPageSize(9999), 500);
    assert.equal(readPageSize(0), 1);
    assert.equal(readPageSize('12'), 24);
    assert.equal(readIndex(3, 5), 3);
    assert.equal(readIndex(5, 5), null);
    assert.equal(readIndex(1.5, 5), null);
  });

  it('read the orders from lists or wire ndarrays', () => {
    const orders = readOrders({ a: [2, 0, 1], b: wire('int32', [1, 2, 0]), c: { dtype: 'nope' }, d: 5 });
    assert.deepEqual(orders, { a: [2, 0, 1], b: [1, 2, 0] });
    assert.deepEqual(readOrders(null), {});
  });

  it('read the runs, the header rows and the counts', () => {
    assert.deepEqual(readRuns([{ key: 'b', id: 'x', name: 'new' }]), { a: { name: 'A', id: '' }, b: { name: 'new', id: 'x' } });
    assert.deepEqual(readHeaderRows([{ field: 'epochs', a: 4, b: null, changed: true }, null, { a: 1 }]), [
      { field: 'epochs', a: '4', b: '—', changed: true },
    ]);
    const counts = readCounts({ fixed: 3, broken: -1, common: 10 });
    assert.equal(counts.fixed, 3);
    assert.equal(counts.broken, null);
    assert.equal(counts.only_a, null);
    assert.equal(counts.common, 10);
  });
});

describe('difference', () => {
  it('of counts is B − A at every cell, and 0 outside the listed cells', () => {
    const data = small();
    const diff = difference(data.a, data.b, C, null);
    const [a, b] = [dense(0), dense(1)];
    for (let r = 0; r < C; r++) {
      for (let c = 0; c < C; c++) {
        const { diff: value, a: ca, b: cb } = diff.at(r, c);
        assert.equal(value, b[r][c] - a[r][c], `cell ${r},${c}`);
        assert.deepEqual([ca, cb], [a[r][c], b[r][c]]);
      }
    }
    const listed = new Set(diff.cells);
    for (let i = 0; i < C * C; i++) if (!listed.has(i)) assert.equal(a[Math.floor(i / C)][i % C] + b[Math.floor(i / C)][i % C], 0);
    diff.cells.forEach((i, k) => assert.equal(diff.values[k], diff.at(Math.floor(i / C), i % C).diff));
  });

  it('normalised is the difference of the rows\' shares (an empty row shares 0)', () => {
    const data = small();
    const diff = difference(data.a, data.b, C, 'true');
    const [a, b] = [dense(0), dense(1)];
    const share = (m, r, c) => {
      const total = m[r].reduce((x, y) => x + y, 0);
      return total ? m[r][c] / total : 0;
    };
    for (let r = 0; r < C; r++) {
      for (let c = 0; c < C; c++) assert.ok(Math.abs(diff.at(r, c).diff - (share(b, r, c) - share(a, r, c))) < 1e-12);
    }
    // Row 0 of A: 7 items, 3 right; of B: 8 items, 4 right.
    assert.ok(Math.abs(diff.at(0, 0).diff - (4 / 8 - 3 / 7)) < 1e-12);
    // Each row's changes sum to 0 when both rows have items.
    for (let r = 0; r < C; r++) {
      let sum = 0;
      for (let c = 0; c < C; c++) sum += diff.at(r, c).diff;
      assert.ok(Math.abs(sum) < 1e-12);
    }
    const empty = { counts: new Array(4).fill(0), cells: [] };
    const one = { counts: [2, 0, 0, 0], cells: [0] };
    assert.equal(difference(empty, one, 2, 'true').at(0, 0).diff, 1);
    assert.equal(difference(empty, one, 2, 'true').at(1, 1).diff, 0);
    assert.throws(() => difference(empty, one, 2, 'pred'), /unknown normalisation/);
  });

  it('unions the nonzero cells of A and B', () => {
    assert.deepEqual(Array.from(unionCells([1, 4, 9], [0, 4, 10, 12])), [0, 1, 4, 9, 10, 12]);
    assert.deepEqual(Array.from(unionCells([], [3])), [3]);
  });

  it('in display order: cells permuted, colours diverging from a neutral middle', () => {
    const data = small();
    const diff = difference(data.a, data.b, C, null);
    const order = [4, 3, 2, 1, 0];
    const display = diffDisplay(diff, C, order, DIVERGING);
    for (let row = 0; row < C; row++) {
      for (let col = 0; col < C; col++) assert.equal(display.valueAt(row, col), diff.at(order[row], order[col]).diff);
    }
    const pixel = (row, col) => Array.from(display.rgba.slice((row * C + col) * 4, (row * C + col) * 4 + 3));
    const neutral = lutRgb(DIVERGING, 0.5);
    // (0, 0) gained one right item: red; (0, 4) lost one: blue; (1, 0) is 0 in both: neutral.
    assert.equal(diff.at(0, 0).diff, 1);
    assert.equal(diff.at(0, 4).diff, -1);
    const [r00, g00, b00] = pixel(4, 4);
    assert.ok(r00 > b00 && r00 > g00);
    const [r04, , b04] = pixel(4, 0);
    assert.ok(b04 > r04);
    assert.deepEqual(pixel(3, 0), neutral);
    assert.equal(display.max, Math.max(...diff.values.map(Math.abs)));
  });

  it('lists the largest off-diagonal changes first', () => {
    const data = small();
    const diff = difference(data.a, data.b, C, null);
    const top = largestChanges(diff, C, 3);
    assert.equal(top.length, 3);
    assert.deepEqual(top[0], { actual: 3, predicted: 4, value: 2 });
    for (const change of top) assert.notEqual(change.actual, change.predicted);
    const magnitudes = top.map((t) => Math.abs(t.value));
    assert.deepEqual(magnitudes, [...magnitudes].sort((x, y) => y - x));
  });

  it('overview pixels keep the strongest change of their cells, with its sign', () => {
    const norm = divergingNormalizer([5, -9, 1], {});
    const C4 = 4;
    const { rgba, width } = pooledDiffRgba([0, 5, 15], [5, -9, 1], C4, 2, { norm, lut: DIVERGING });
    assert.equal(width, 2);
    const px = (p) => Array.from(rgba.slice(p * 4, p * 4 + 3));
    assert.deepEqual(px(0), lutRgb(DIVERGING, norm(-9))); // cells 0 (+5) and 5 (−9) share pixel 0
    assert.deepEqual(px(1), lutRgb(DIVERGING, 0.5)); // nothing changed
    assert.deepEqual(px(3), lutRgb(DIVERGING, norm(1)));
    assert.throws(() => pooledDiffRgba([], [], 4, 0, { norm, lut: DIVERGING }), /pool/);
  });
});

describe('diverging colour map', () => {
  it('is symmetric about a neutral middle, blue below and red above', () => {
    const norm = divergingNormalizer([-4, 2, 0, NaN], { floor: 0.2, gamma: 0.5 });
    assert.equal(norm.max, 4);
    assert.equal(norm(0), 0.5);
    assert.equal(norm(NaN), 0.5);
    assert.equal(norm(4), 1);
    assert.equal(norm(-4), 0);
    assert.ok(Math.abs(norm(1) - (0.5 + 0.5 * (0.2 + 0.8 * 0.5))) < 1e-12);
    assert.ok(Math.abs(norm(-1e-9) - (0.5 - 0.1)) < 1e-4, 'a tiny change is at least the floor away');
    assert.ok(Math.abs(norm.invert(norm(1)) - 1) < 1e-12);
    assert.equal(norm.invert(0.55), 0);
    const [r0, , b0] = lutRgb(DIVERGING, 0);
    const [r1, , b1] = lutRgb(DIVERGING, 0.999);
    assert.ok(b0 > r0 && r1 > b1);
    assert.ok(lutRgb(DIVERGING, 0.5).every((v) => v > 240), 'light middle near white');
    assert.ok(lutRgb(DIVERGING_DARK, 0.5).every((v) => v < 60), 'dark middle near black');
    assert.equal(divergingNormalizer([0, 0])(3), 0.5);
  });
});

describe('items', () => {
  it('a cell lists the items with (actual, predicted) = (r, c) in A or in B', () => {
    const data = small();
    for (let r = 0; r < C; r++) {
      for (let c = 0; c < C; c++) {
        const expected = SMALL_ROWS.map((row, i) => ((row[0] === r && row[1] === c) || (row[2] === r && row[3] === c) ? i : -1)).filter((i) => i >= 0);
        assert.deepEqual(Array.from(filterItems(data, { selection: [r, c] })), expected, `cell ${r},${c}`);
      }
    }
    // (0, 2): items 10, 11 (fixed: in A), 15 (broken: in B), 20 (still wrong: in both), 27 (relabelled: in B).
    assert.deepEqual(Array.from(filterItems(data, { selection: [0, 2] })), [10, 11, 15, 20, 27]);
  });

  it('a class lists the items of that actual class in A or in B; filters combine', () => {
    const data = small();
    const expected = SMALL_ROWS.map((row, i) => (row[0] === 3 || row[2] === 3 ? i : -1)).filter((i) => i >= 0);
    assert.deepEqual(Array.from(filterItems(data, { selectedClass: 3 })), expected);
    assert.deepEqual(Array.from(filterItems(data, { change: 'fixed' })), [10, 11, 12, 13, 14]);
    assert.deepEqual(Array.from(filterItems(data, { change: 'relabelled', selectedClass: 3 })), [26, 28, 29]);
    assert.deepEqual(Array.from(filterItems(data, { change: 'broken', selection: [0, 2] })), [15]);
    assert.equal(filterItems(data).length, 30);
    const counts = changeCounts(data, filterItems(data, { selection: [0, 2] }));
    assert.deepEqual(counts, { all: 5, still_right: 0, fixed: 2, broken: 1, still_wrong: 1, relabelled: 1 });
  });

  it('are browsed broken, fixed, relabelled, still wrong, still right; the largest loss change first', () => {
    const data = readCompare(getter(smallTraits({
      loss_a: wire('float32', SMALL_ROWS.map((_, i) => (i === 16 ? NaN : i / 10))),
      loss_b: wire('float32', SMALL_ROWS.map(() => 1)),
    })));
    const order = Array.from(sortItems(data, filterItems(data)));
    const codes = order.map((i) => data.change[i]);
    assert.deepEqual([...new Set(codes)], [2, 1, 4, 3, 0]);
    // Broken 15..19, |1 − i/10| largest first, the NaN (16) last.
    assert.deepEqual(order.slice(0, 5), [19, 18, 17, 15, 16]);
  });

  it('pages clamp', () => {
    assert.deepEqual(pageWindow(30, 1, 24), { page: 1, pages: 2, start: 24, end: 30 });
    assert.deepEqual(pageWindow(30, 9, 24), { page: 1, pages: 2, start: 24, end: 30 });
    assert.deepEqual(pageWindow(0, 0, 24), { page: 0, pages: 1, start: 0, end: 0 });
    assert.deepEqual(pageWindow(10, 'x', 4), { page: 0, pages: 3, start: 0, end: 4 });
  });

  it('describe both runs of an item', () => {
    const data = small();
    const info = describeItem(data, 27); // relabelled: actual bengal in A, abyssinian in B
    assert.equal(info.change, 'relabelled');
    assert.equal(info.relabelled, true);
    assert.deepEqual([info.a.actual, info.b.actual, info.a.correct, info.b.correct], ['bengal', 'abyssinian', true, false]);
    assert.equal(describeItem(data, 7).name, `${EVIL}.jpg`);
  });
});

describe('per class', () => {
  it('sorts by the change of error either way, rise, fall, errors, support and name', () => {
    const data = small();
    const change = (c) => data.errorB[c] - data.errorA[c];
    const abs = sortClasses(data, 'change').map((c) => Math.abs(change(c)));
    assert.deepEqual(abs, [...abs].sort((x, y) => y - x));
    const rise = sortClasses(data, 'rise').map(change);
    assert.deepEqual(rise, [...rise].sort((x, y) => y - x));
    const fall = sortClasses(data, 'fall').map(change);
    assert.deepEqual(fall, [...fall].sort((x, y) => x - y));
    assert.deepEqual(sortClasses(data, 'name').map((c) => data.vocab[c]), ['<img src=x onerror=alert(1)>', 'abyssinian', 'beagle', 'bengal', 'pug']);
    assert.deepEqual(sortClasses(data, 'bogus'), sortClasses(data, 'change'));
    const withNaN = readCompare(getter(smallTraits({ error_a: wire('float32', [NaN, 0, 0, 0, 0]) })));
    assert.equal(sortClasses(withNaN, 'change').at(-1), 0, 'an undefined change sorts last');
    assert.deepEqual(['change', 'rise', 'fall', 'change'].slice(1).map((_, i, all) => nextClassSort(['change', 'rise', 'fall'][i], 'change')), ['rise', 'fall', 'change']);
    assert.equal(nextClassSort('rise', 'name'), 'name');
  });

  it('describes a row: errors as percentages, change in points, A → B', () => {
    const data = small();
    const row = describeClass(data, 0);
    // abyssinian: A 7 items, 3 right (57.1 % error); B 8 items (one relabelled to it), 4 right (50 %).
    assert.equal(row.errorA, '57.1%');
    assert.equal(row.errorB, '50.0%');
    assert.equal(row.change, '−7.1 pp');
    assert.equal(row.direction, -1);
    assert.match(row.precision, /^0\.\d\d → 0\.\d\d$/);
    assert.equal(row.support, '7 → 8');
    assert.equal(describeClass(data, 1).support, '6');
  });

  it('windows the scrolled rows', () => {
    assert.deepEqual(windowRows(0, 100, 25, 1000, 2), { start: 0, end: 6 });
    assert.deepEqual(windowRows(500, 100, 25, 22, 2), { start: 18, end: 22 });
  });
});

describe('clicks', () => {
  it('a cell toggles the selection and clears the class; a row the reverse; chips the change', () => {
    assert.deepEqual(cellClickTraits(null, 1, 2), { selection: [1, 2], selected_class: null, page: 0, selected_item: null });
    assert.equal(cellClickTraits([1, 2], 1, 2).selection, null);
    assert.deepEqual(classClickTraits(null, 3), { selected_class: 3, selection: null, page: 0, selected_item: null });
    assert.equal(classClickTraits(3, 3).selected_class, null);
    assert.deepEqual(changeChipTraits('broken'), { change_filter: 'broken', page: 0, selected_item: null });
    assert.equal(changeChipTraits('nonsense').change_filter, 'all');
  });
});

describe('text', () => {
  it('signs and points', () => {
    assert.equal(formatSigned(3), '+3');
    assert.equal(formatSigned(-2.5, 1), '−2.5');
    assert.equal(formatSigned(0), '0');
    assert.equal(formatSigned(NaN), '—');
    assert.equal(formatPoints(0.075), '+7.5 pp');
    assert.equal(formatPoints(-0.004), '−0.40 pp');
    assert.equal(formatPoints(0), '0 pp');
    assert.equal(formatDiffCell(0, null), '');
    assert.equal(formatDiffCell(3, null), '+3');
    assert.equal(formatDiffCell(-0.123, 'true'), '−12');
    assert.equal(formatDiffCell(0.001, 'true'), '+0');
  });

  it('a cell\'s tooltip says A, B, the change and how many items it lists', () => {
    const data = small();
    const diff = difference(data.a, data.b, C, 'true');
    const lines = Object.fromEntries(describeDiffCell(data, diff, readRuns(smallTraits().runs), 0, 2));
    assert.equal(lines['A resnet18'], '3 (42.9% of actual)');
    assert.equal(lines[`B resnet34 ${EVIL}`], '3 (37.5% of actual)');
    assert.equal(lines['B − A'], '0 (−5.4 pp)');
    assert.equal(lines.Items, '5 in this cell in A or B');
  });
});

describe('at 1000 classes', () => {
  it('reads, differences and filters 20,000 items quickly', () => {
    const traits = largeTraits(1000, 20000);
    const start = performance.now();
    const data = readCompare(getter(traits));
    const diff = difference(data.a, data.b, 1000, 'true');
    const display = diffDisplay(diff, 1000, readOrders(traits.orders).clustered, DIVERGING);
    display.overview(4);
    const picked = sortItems(data, filterItems(data, { change: 'all' }));
    const elapsed = performance.now() - start;
    assert.equal(picked.length, 20000);
    assert.ok(diff.cells.length < 20000);
    assert.ok(elapsed < 1500, `took ${elapsed.toFixed(0)} ms`);
  });
});
