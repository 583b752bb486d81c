/**
 * Compare-widget traits for the tests: a hand-written pair of runs (5 classes, 30 common items,
 * a hostile class name and a hostile item name) and a generated one at any scale (1000 classes),
 * with every derived trait (counts, per-class metrics, change codes) computed from the items the
 * way the contract defines them (js/docs/compare.md).
 */

export const EVIL = '<img src=x onerror=alert(1)>';

/** Class names of the small pair: the last one is hostile. */
export const SMALL_VOCAB = ['abyssinian', 'beagle', 'bengal', 'pug', EVIL];

// 30 common items: actual and predicted class in A and in B. Items 0-9 still right, 10-14 fixed,
// 15-19 broken, 20-25 still wrong (23-25 wrong in another way), 26-29 relabelled.
const ROWS = [
  // [actualA, predA, actualB, predB]
  [0, 0, 0, 0], [0, 0, 0, 0], [1, 1, 1, 1], [1, 1, 1, 1], [2, 2, 2, 2],
  [2, 2, 2, 2], [3, 3, 3, 3], [3, 3, 3, 3], [4, 4, 4, 4], [4, 4, 4, 4],
  [0, 2, 0, 0], [0, 2, 0, 0], [1, 3, 1, 1], [2, 0, 2, 2], [4, 1, 4, 4],
  [0, 0, 0, 2], [1, 1, 1, 3], [2, 2, 2, 0], [3, 3, 3, 1], [3, 3, 3, 4],
  [0, 2, 0, 2], [1, 3, 1, 3], [2, 0, 2, 0], [3, 1, 3, 4], [4, 0, 4, 2], [0, 4, 0, 1],
  [1, 1, 3, 1], [2, 2, 0, 2], [4, 4, 3, 3], [3, 0, 1, 1],
];
export const SMALL_ROWS = ROWS;

/** Item names of the small pair; item 7 is hostile. */
export const SMALL_ITEMS = ROWS.map((_, i) => (i === 7 ? `${EVIL}.jpg` : `images/item_${String(i).padStart(2, '0')}.jpg`));

/** A wire ndarray (binary form) of `values` as `dtype`. */
export function wire(dtype, values, shape = [values.length]) {
  const Types = { uint8: Uint8Array, int16: Int16Array, int32: Int32Array, float32: Float32Array };
  const data = Types[dtype].from(values);
  return { dtype, shape, buffer: new DataView(data.buffer) };
}

/** The change code of one item (0 still right, 1 fixed, 2 broken, 3 still wrong, 4 relabelled). */
export function changeCode(actualA, predA, actualB, predB) {
  if (actualA !== actualB) return 4;
  const rightA = predA === actualA;
  const rightB = predB === actualB;
  if (rightA && rightB) return 0;
  if (!rightA && rightB) return 1;
  if (rightA && !rightB) return 2;
  return 3;
}

/** Counts [C x C], rows actual, columns predicted. */
export function confusion(actual, pred, C) {
  const counts = new Array(C * C).fill(0);
  actual.forEach((t, i) => {
    counts[t * C + pred[i]] += 1;
  });
  return counts;
}

function perClass(actual, pred, C) {
  const support = new Array(C).fill(0);
  const predicted = new Array(C).fill(0);
  const hits = new Array(C).fill(0);
  actual.forEach((t, i) => {
    support[t] += 1;
    predicted[pred[i]] += 1;
    if (pred[i] === t) hits[t] += 1;
  });
  return {
    error: support.map((s, c) => (s ? 1 - hits[c] / s : NaN)),
    precision: predicted.map((p, c) => (p ? hits[c] / p : NaN)),
    recall: support.map((s, c) => (s ? hits[c] / s : NaN)),
    support,
  };
}

function compact(counts) {
  const peak = counts.reduce((m, v) => Math.max(m, v), 0);
  return peak < 256 ? 'uint8' : peak < 2 ** 15 ? 'int16' : 'int32';
}

/**
 * All traits of the compare widget from per-item rows.
 * @param {{vocab: string[], rows: number[][], items?: string[], losses?: [number[], number[]], overrides?: object}} spec
 *   rows: [actualA, predA, actualB, predB] per item
 */
export function compareTraits({ vocab, rows, items, losses, overrides = {} }) {
  const C = vocab.length;
  const col = (k) => rows.map((row) => row[k]);
  const [actualA, predA, actualB, predB] = [0, 1, 2, 3].map(col);
  const lossA = losses ? losses[0] : rows.map((r, i) => (r[0] === r[1] ? 0.05 + (i % 5) * 0.01 : 1.5 + (i % 7) * 0.25));
  const lossB = losses ? losses[1] : rows.map((r, i) => (r[2] === r[3] ? 0.04 + (i % 3) * 0.01 : 1.2 + (i % 4) * 0.5));
  const countsA = confusion(actualA, predA, C);
  const countsB = confusion(actualB, predB, C);
  const pa = perClass(actualA, predA, C);
  const pb = perClass(actualB, predB, C);
  const change = rows.map((r) => changeCode(...r));
  const tally = (code) => change.filter((c) => c === code).length;
  const identity = vocab.map((_, i) => i);
  const byChange = [...identity].sort((x, y) => Math.abs(pb.error[y] - pa.error[y]) - Math.abs(pb.error[x] - pa.error[x]) || x - y);
  return {
    vocab,
    runs: [{ key: 'a', id: 'run-a', name: 'resnet18' }, { key: 'b', id: 'run-b', name: `resnet34 ${EVIL}` }],
    header: [
      { field: 'architecture', a: 'resnet18', b: 'resnet34', changed: true },
      { field: 'parameters', a: '11.7M', b: '21.8M', changed: true },
      { field: 'valid items', a: String(rows.length), b: String(rows.length), changed: false },
      { field: EVIL, a: EVIL, b: 'x', changed: true },
    ],
    counts: {
      common: rows.length, still_right: tally(0), fixed: tally(1), broken: tally(2), still_wrong: tally(3), relabelled: tally(4),
      only_a: 3, only_b: 1,
    },
    notices: [],
    notice: '',
    counts_a: wire(compact(countsA), countsA, [C, C]),
    counts_b: wire(compact(countsB), countsB, [C, C]),
    // numpy int32 arrays on the wire, as CompareView.state() sends them
    orders: { vocab: wire('int32', identity), clustered: wire('int32', [...identity].reverse()), change: wire('int32', byChange) },
    order_info: {
      vocab: { label: 'Vocab', help: 'The classes in vocab order.', groups: [] },
      clustered: { label: 'Clustered', help: "Classes B confuses sit together.", groups: [] },
      change: { label: 'Largest change', help: 'Largest change of error rate first.', groups: [] },
    },
    error_a: wire('float32', pa.error),
    error_b: wire('float32', pb.error),
    precision_a: wire('float32', pa.precision),
    precision_b: wire('float32', pb.precision),
    recall_a: wire('float32', pa.recall),
    recall_b: wire('float32', pb.recall),
    support_a: wire('int32', pa.support),
    support_b: wire('int32', pb.support),
    items: items || rows.map((_, i) => `item_${i}.jpg`),
    actual_a: wire('int32', actualA),
    actual_b: wire('int32', actualB),
    pred_a: wire('int32', predA),
    pred_b: wire('int32', predB),
    loss_a: wire('float32', lossA),
    loss_b: wire('float32', lossB),
    change: wire('uint8', change),
    change_names: ['still_right', 'fixed', 'broken', 'still_wrong', 'relabelled'],
    thumbs: [],
    saliency: [],
    lr_finds: [
      { run: 'a', lrs: wire('float32', [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1]), losses: wire('float32', [2.5, 2.4, 2.0, 1.2, 1.5, 4]), valley: 1e-3 },
      { run: 'b', lrs: wire('float32', [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1]), losses: wire('float32', [2.4, 2.3, 1.7, 1.0, 1.6, 5]), valley: 3e-4 },
    ],
    timelines: [
      { run: 'a', x: wire('float32', [0, 1, 2, 3, 4, 5]), loss: wire('float32', [2, 1.5, 1.2, 1.1, 0.9, 0.8]), lr: wire('float32', [1e-3, 2e-3, 1e-3, 1e-4, 5e-4, 1e-4]), phase_starts: [0, 3] },
      { run: 'b', x: wire('float32', [0, 1, 2, 3, 3.5, 4, 5]), loss: wire('float32', [2, 1.4, 1.1, 1, 0.9, 0.8, 0.7]), lr: wire('float32', [1e-3, 2e-3, 1e-3, 1e-4, 3e-4, 5e-4, 1e-4]), phase_starts: [0, 3] },
    ],
    selection: null,
    selected_class: null,
    change_filter: 'all',
    order: 'clustered',
    normalize: 'true',
    page: 0,
    page_size: 24,
    selected_item: null,
    ...overrides,
  };
}

/** The small hand-written pair (5 classes, 30 items). */
export function smallTraits(overrides = {}) {
  return compareTraits({ vocab: SMALL_VOCAB, rows: ROWS, items: SMALL_ITEMS, overrides });
}

/**
 * A generated pair at scale: `C` classes, `n` items; B fixes some of A's mistakes, breaks fewer,
 * and a few labels change. Deterministic (a small linear congruential generator).
 */
export function largeTraits(C = 1000, n = 20000, overrides = {}) {
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const vocab = Array.from({ length: C }, (_, i) => `class_${String(i).padStart(4, '0')}`);
  const rows = [];
  for (let i = 0; i < n; i++) {
    const actual = Math.floor(random() * C);
    const neighbour = (actual + 1 + Math.floor(random() * 2)) % C;
    const predA = random() < 0.2 ? neighbour : actual;
    const predB = predA !== actual ? (random() < 0.5 ? actual : predA) : random() < 0.05 ? neighbour : actual;
    const actualB = random() < 0.002 ? neighbour : actual;
    rows.push([actual, predA, actualB, predB]);
  }
  return compareTraits({ vocab, rows, overrides });
}
