/**
 * Embeddings widget traits for the unit tests, written by hand: 5 classes (one with a hostile
 * name), 40 points on a known layout, 3 neighbours per item among 10 training images; and the
 * page each test mounts its views in.
 */
import { afterEach, beforeEach, mock } from 'node:test';
import { installDom } from './dom.js';

/**
 * Per test of the calling file: a fresh DOM (`page.dom`), a host element (`page.host`), blob
 * URLs that count up (`blob:test/1`, ...), and the cleanups pushed on `page.mounted` run after.
 * @returns {{dom: object|null, host: HTMLElement|null, mounted: Function[]}}
 */
export function embeddingsPage() {
  const page = { dom: null, host: null, mounted: [] };
  beforeEach(() => {
    page.dom = installDom();
    page.host = document.createElement('div');
    let made = 0;
    mock.method(URL, 'createObjectURL', () => `blob:test/${(made += 1)}`);
    mock.method(URL, 'revokeObjectURL', () => {});
  });
  afterEach(() => {
    for (const cleanup of page.mounted) cleanup();
    page.mounted = [];
    mock.restoreAll();
    page.dom.uninstall();
  });
  return page;
}

export const EVIL = '<img src=x onerror=alert(1)>';
export const VOCAB = ['cat', 'dog', EVIL, 'bird', 'fish'];
export const N_POINTS = 40;
export const K = 3;
export const TRAIN = ['train_0.jpg', 'train_1.jpg', 'train_2.jpg', 'train_3.jpg', EVIL, 'train_5.jpg', 'train_6.jpg', 'train_7.jpg', 'train_8.jpg', 'train_9.jpg'];

/** A wire ndarray (binary form) of `values` as `dtype`, of `shape` (default: 1-D). */
export function wire(dtype, values, shape = [values.length]) {
  const Type = { int32: Int32Array, float32: Float32Array, uint8: Uint8Array }[dtype];
  const data = Type.from(values);
  return { dtype, shape, buffer: new DataView(data.buffer) };
}

/** Class of point i (the classes take turns). */
export const classOf = (i) => i % 5;
/** Whether point i is a mistake (predicted as the next class). */
export const isWrong = (i) => i % 7 === 3;

/**
 * The traits. Point i: class c = i % 5, j = floor(i / 5): x = 4c + 0.5 (j % 4), y = 0.5 floor(j / 4);
 * loss i / 10; label quality 1 - i / 40; neighbours (i, i + 1, i + 2) mod 10 at distances 0.1,
 * 0.2, 0.3, the third missing (-1) for odd i.
 * @param {object} [overrides] other trait values
 */
export function embeddingTraits(overrides = {}) {
  const xy = [];
  const targets = [];
  const decoded = [];
  const losses = [];
  const quality = [];
  const items = [];
  const index = [];
  const distance = [];
  for (let i = 0; i < N_POINTS; i++) {
    const c = classOf(i);
    const j = Math.floor(i / 5);
    xy.push(4 * c + 0.5 * (j % 4), 0.5 * Math.floor(j / 4));
    targets.push(c);
    decoded.push(isWrong(i) ? (c + 1) % 5 : c);
    losses.push(i / 10);
    quality.push(1 - i / 40);
    items.push(i === 0 ? EVIL : `img_${i}.jpg`);
    index.push(i % 10, (i + 1) % 10, i % 2 ? -1 : (i + 2) % 10);
    distance.push(0.1, 0.2, 0.3);
  }
  return {
    vocab: VOCAB,
    xy: wire('float32', xy, [N_POINTS, 2]),
    projection_info: { method: 'umap', pca_dims: 50, n_neighbors: 15, min_dist: 0.1, seed: 0, n_items: N_POINTS, n_features: 512, seconds: 0.5, cached: true },
    items,
    targets: wire('int32', targets),
    decoded: wire('int32', decoded),
    losses: wire('float32', losses),
    label_quality: wire('float32', quality),
    thumbs: [{ index: 1, jpeg: new DataView(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]).buffer) }],
    neighbour_index: wire('int32', index, [N_POINTS, K]),
    neighbour_distance: wire('float32', distance, [N_POINTS, K]),
    neighbour_items: TRAIN,
    neighbour_labels: wire('int32', TRAIN.map((_, j) => j % 5)),
    neighbour_source: 'train',
    neighbour_thumbs: [{ index: 0, b64: '/9j/2Q==' }],
    notice: '',
    color_by: 'actual',
    selected_item: null,
    selection: null,
    filter_actual: null,
    filter_predicted: null,
    item_selection: null,
    ...overrides,
  };
}
