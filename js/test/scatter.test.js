import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  colorChoices,
  describeProjection,
  describeView,
  formatDistance,
  highlightPoints,
  legendClickTraits,
  legendEntries,
  LEGEND_LIMIT,
  neighboursOf,
  neighboursSentence,
  readCell,
  readClass,
  readColorBy,
  readEmbedding,
  readItem,
  readItemSelection,
  readNeighbours,
  readThumbPayloads,
  selectionTraits,
  tooltipLines,
} from '../src/lib/scatter.js';
import { colorPoints } from '../src/lib/scatter-color.js';
import { classOf, embeddingTraits, EVIL, isWrong, N_POINTS, TRAIN, VOCAB, wire } from '../test-support/embeddings.js';

const traits = embeddingTraits();
const data = readEmbedding(traits);

describe('readEmbedding', () => {
  it('decodes the points, classes, losses and label quality', () => {
    assert.equal(data.n, N_POINTS);
    assert.equal(data.C, 5);
    assert.deepEqual(data.vocab, VOCAB);
    assert.deepEqual([data.xy[2], data.xy[3]], [4, 0]);
    assert.deepEqual([...data.targets].slice(0, 6), [0, 1, 2, 3, 4, 0]);
    assert.equal(data.decoded[3], 4);
    assert.ok(Math.abs(data.losses[7] - 0.7) < 1e-6);
    assert.equal(data.labelQuality.length, N_POINTS);
    assert.equal(data.items[0], EVIL);
  });
  it('reads an empty label_quality as none', () => {
    assert.equal(readEmbedding({ ...traits, label_quality: wire('float32', []) }).labelQuality, null);
    assert.equal(readEmbedding({ ...traits, label_quality: {} }).labelQuality, null);
  });
  it('names the trait that does not fit', () => {
    const bad = (overrides) => () => readEmbedding({ ...traits, ...overrides });
    assert.throws(bad({ xy: wire('float32', [1, 2, 3], [3, 1]) }), /^Error: xy has shape \[3,1\] \(expected \[any,2\]\)/);
    assert.throws(bad({ xy: wire('int32', [1, 2], [1, 2]) }), /xy has dtype int32/);
    assert.throws(bad({ losses: wire('float32', [1]) }), /losses has shape \[1\] \(expected \[40\]\)/);
    assert.throws(bad({ decoded: wire('int32', new Array(N_POINTS).fill(-1)) }), /decoded\[0\] = -1 is not a class of the 5 in vocab/);
    assert.throws(bad({ items: ['a'] }), /items has 1 names for 40 points/);
    assert.throws(bad({ label_quality: wire('float32', [0.5]) }), /label_quality has shape \[1\]/);
    assert.throws(bad({ targets: { dtype: 'int32', shape: [40], buffer: new DataView(new ArrayBuffer(4)) } }), /^Error: targets: ndarray: 4 bytes/);
  });
});

describe('UI state', () => {
  it('color_by: label quality only with scores; unknown values read as actual', () => {
    assert.deepEqual(colorChoices(false).map((c) => c.value), ['actual', 'predicted', 'correct', 'loss']);
    assert.equal(colorChoices(true).at(-1).label, 'label quality');
    assert.equal(readColorBy('label_quality', false), 'actual');
    assert.equal(readColorBy('label_quality', true), 'label_quality');
    assert.equal(readColorBy('rainbow', true), 'actual');
    assert.equal(readColorBy(null, true), 'actual');
  });
  it('items, classes and cells: integers in range, else none', () => {
    assert.equal(readItem(3, 40), 3);
    assert.equal(readItem(40, 40), null);
    assert.equal(readItem(1.5, 40), null);
    assert.equal(readItem('3', 40), null);
    assert.equal(readClass(4, 5), 4);
    assert.equal(readClass(-1, 5), null);
    assert.deepEqual(readCell([1, 2], 5), [1, 2]);
    assert.equal(readCell([1, 5], 5), null);
    assert.equal(readCell([1], 5), null);
    assert.equal(readCell(null, 5), null);
  });
  it('item_selection: a mask of the valid indices, duplicates once; not a list: none', () => {
    const selection = readItemSelection([3, 3, 0, 40, -1, 2.5, '1'], 40);
    assert.equal(selection.count, 2);
    assert.deepEqual([selection.mask[0], selection.mask[3], selection.mask[1]], [1, 1, 0]);
    assert.equal(readItemSelection(null, 40), null);
    assert.deepEqual(readItemSelection([], 40).count, 0);
  });
});

describe('highlightPoints', () => {
  const all = Array.from({ length: N_POINTS }, (_, i) => i);
  const marked = (h) => all.filter((i) => h.mask[i] === 1);
  it('nothing active: no mask', () => {
    assert.deepEqual(highlightPoints(data, {}), { mask: null, count: 0, conditions: [] });
  });
  it('a confusion cell: its items', () => {
    const h = highlightPoints(data, { cell: [3, 4] });
    assert.deepEqual(marked(h), all.filter((i) => classOf(i) === 3 && isWrong(i)));
    assert.deepEqual(h.conditions, ['actual bird, predicted fish']);
  });
  it('filters and a selection together: all must hold', () => {
    const itemSelection = readItemSelection([0, 1, 5, 6, 10], N_POINTS);
    const h = highlightPoints(data, { filterActual: 0, filterPredicted: 0, itemSelection });
    assert.deepEqual(marked(h), [0, 5], 'item 10 is a cat predicted as a dog');
    assert.equal(h.count, 2);
    assert.deepEqual(h.conditions, ['actual cat', 'predicted cat', '5 selected']);
    assert.equal(highlightPoints(data, { itemSelection: readItemSelection([], N_POINTS) }).count, 0);
  });
});

describe('captions and tooltip', () => {
  it('describes the projection from projection_info, leaving out what is missing', () => {
    assert.equal(describeProjection(traits.projection_info), 'UMAP of 512 features (PCA to 50, 15 neighbours, min_dist 0.1)');
    assert.equal(describeProjection({ method: 'umap' }), 'UMAP');
    assert.equal(describeProjection(null), '');
    assert.equal(describeView(data, null, { mask: null }), '40 items');
    assert.equal(describeView(data, { method: 'pca', n_features: 2048 }, { mask: new Uint8Array(1), count: 1200, conditions: ['actual cat'] }), '40 items · PCA of 2,048 features · 1,200 highlighted (actual cat)');
  });
  it('tooltip lines: item, actual, predicted, loss (and label quality when scored)', () => {
    assert.deepEqual(tooltipLines(data, 3), [['item', 'img_3.jpg'], ['actual', 'bird'], ['predicted', 'fish'], ['loss', '0.30'], ['label quality', '0.93']]);
    const plain = readEmbedding({ ...traits, label_quality: wire('float32', []) });
    assert.deepEqual(tooltipLines(plain, 0), [['item', EVIL], ['actual', 'cat'], ['predicted', 'cat'], ['loss', '0.00']]);
  });
});

describe('neighbours', () => {
  const neighbours = readNeighbours(traits, N_POINTS);
  it('reads the neighbour traits; none recorded reads as null', () => {
    assert.equal(neighbours.k, 3);
    assert.equal(neighbours.source, 'train');
    assert.deepEqual(neighbours.items, TRAIN);
    assert.equal(readNeighbours({ ...traits, neighbour_index: wire('int32', [], [40, 0]) }, N_POINTS), null);
    assert.equal(readNeighbours({ ...traits, neighbour_index: {} }, N_POINTS), null);
    assert.equal(readNeighbours({ ...traits, neighbour_source: 'valid' }, N_POINTS).source, 'valid');
  });
  it('refuses neighbours that do not fit', () => {
    assert.throws(() => readNeighbours({ ...traits, neighbour_distance: wire('float32', [0.1], [1, 1]) }, N_POINTS), /neighbour_distance has shape \[1,1\] \(expected \[40,3\]\)/);
    assert.throws(() => readNeighbours({ ...traits, neighbour_items: ['a'] }, N_POINTS), /neighbour_labels has shape \[10\] \(expected \[1\]\)/);
    const index = wire('int32', new Array(3 * N_POINTS).fill(10), [N_POINTS, 3]);
    assert.throws(() => readNeighbours({ ...traits, neighbour_index: index }, N_POINTS), /neighbour_index holds 10, not an index of the 10 neighbour_items/);
  });
  it('lists an item\'s neighbours nearest first, skipping -1', () => {
    assert.deepEqual(neighboursOf(neighbours, 4), [
      { neighbour: 4, item: EVIL, label: 4, distance: neighbours.distance[12] },
      { neighbour: 5, item: 'train_5.jpg', label: 0, distance: neighbours.distance[13] },
      { neighbour: 6, item: 'train_6.jpg', label: 1, distance: neighbours.distance[14] },
    ]);
    assert.equal(neighboursOf(neighbours, 1).length, 2);
    assert.deepEqual(neighboursOf(null, 1), []);
  });
  it('explains by example, training or validation neighbours', () => {
    assert.equal(neighboursSentence(data, 'train', 3), 'It says fish (actually bird): these training images look most like it.');
    assert.match(neighboursSentence(data, 'valid', 0), /^It says cat, correctly: the validation items that look most like it \(nearest validation items/);
    assert.equal(formatDistance(0.123), '0.12');
    assert.equal(formatDistance(NaN), '—');
  });
});

describe('legend and writes', () => {
  it('lists every class up to 40; above, the largest or those matching a search', () => {
    const few = colorPoints(data, 'actual').legend.classes;
    assert.deepEqual(legendEntries(few), { entries: few, more: 0 });
    const targets = Array.from({ length: 3000 }, (_, i) => (i < 1000 ? i : (i - 1000) % 8)); // classes 0..7 largest
    const many = colorPoints({ ...data, n: targets.length, C: 1000, vocab: Array.from({ length: 1000 }, (_, c) => `class_${c}`), targets: Int32Array.from(targets), decoded: Int32Array.from(targets) }, 'actual').legend.classes;
    const top = legendEntries(many);
    assert.equal(top.entries.length, LEGEND_LIMIT);
    assert.deepEqual(top.entries.slice(0, 9).map((e) => e.index), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(top.more, 1000 - LEGEND_LIMIT);
    const found = legendEntries(many, { query: 'CLASS_99' });
    assert.deepEqual(found.entries.map((e) => e.name).slice(0, 3), ['class_99', 'class_990', 'class_991']);
    assert.equal(found.entries.length + found.more, 11, 'class_99 and class_990..999');
  });
  it('a legend click toggles the colouring\'s class filter; a selection writes indices or clears', () => {
    assert.deepEqual(legendClickTraits('actual', null, 2), { filter_actual: 2 });
    assert.deepEqual(legendClickTraits('actual', 2, 2), { filter_actual: null });
    assert.deepEqual(legendClickTraits('predicted', 1, 2), { filter_predicted: 2 });
    assert.deepEqual(legendClickTraits('loss', null, 2), { filter_actual: 2 });
    assert.deepEqual(selectionTraits([4, 9]), { item_selection: [4, 9] });
    assert.deepEqual(selectionTraits([]), { item_selection: null });
  });
});

describe('thumbnails', () => {
  it('maps item indices to their payloads, skipping malformed entries', () => {
    const bytes = new DataView(new ArrayBuffer(2));
    const map = readThumbPayloads([{ index: 2, jpeg: bytes }, { index: 5, b64: 'AA==' }, { index: -1, b64: 'x' }, { index: 1.5, b64: 'x' }, null, { index: 7 }, { index: 5, b64: 'AQ==' }]);
    assert.deepEqual([...map.keys()], [2, 5]);
    assert.equal(map.get(2), bytes);
    assert.equal(map.get(5), 'AQ==');
    assert.equal(readThumbPayloads(undefined).size, 0);
  });
});
