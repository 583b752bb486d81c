/**
 * Per-class widget traits made from predictions the way scikit-learn's classification_report
 * computes them (`labels` = every class, zero_division=0), for the per-class tests.
 */

/** A wire ndarray (binary form) of `values` as `dtype` ('float32' or 'int32'). */
export function wire(dtype, values) {
  const data = dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
  return { dtype, shape: [data.length], buffer: new DataView(data.buffer) };
}

/**
 * @param {string[]} vocab
 * @param {number[]} targets actual class per item
 * @param {number[]} decoded predicted class per item
 * @param {object} [overrides] other trait values
 */
export function perClassTraits(vocab, targets, decoded, overrides = {}) {
  const C = vocab.length;
  const hits = new Array(C).fill(0);
  const support = new Array(C).fill(0);
  const predicted = new Array(C).fill(0);
  targets.forEach((t, i) => {
    support[t] += 1;
    predicted[decoded[i]] += 1;
    if (decoded[i] === t) hits[t] += 1;
  });
  const ratio = (a, b) => (b > 0 ? a / b : 0);
  const precision = hits.map((h, c) => ratio(h, predicted[c]));
  const recall = hits.map((h, c) => ratio(h, support[c]));
  const f1 = hits.map((h, c) => ratio(2 * h, support[c] + predicted[c]));
  const n = targets.length;
  const mean = (values) => values.reduce((a, b) => a + b, 0) / C;
  const weighted = (values) => values.reduce((a, v, c) => a + (v * support[c]) / n, 0);
  return {
    vocab,
    precision: wire('float32', precision),
    recall: wire('float32', recall),
    f1: wire('float32', f1),
    support: wire('int32', support),
    summary: {
      accuracy: hits.reduce((a, b) => a + b, 0) / n,
      n_items: n,
      macro: { precision: mean(precision), recall: mean(recall), f1: mean(f1) },
      weighted: { precision: weighted(precision), recall: weighted(recall), f1: weighted(f1) },
    },
    sort: 'f1',
    descending: false,
    filter_actual: null,
    filter_predicted: null,
    selection: null,
    notice: '',
    ...overrides,
  };
}
