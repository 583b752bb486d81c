/** Text of the top-loss browser: counts, losses, probabilities, header, card and detail lines. */

const DASH = '–';

/** Integer with thousands separators: 1482 -> "1,482" (independent of the browser's locale). */
export function formatCount(n) {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Loss with two decimals: 4.1234 -> "4.12"; NaN -> "–". */
export function formatLoss2(x) {
  if (typeof x !== 'number' || Number.isNaN(x)) return DASH;
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  return x.toFixed(2);
}

/**
 * Probability as a percentage: 0.031 -> "3.1%", 0.0042 -> "0.42%" (two decimals under 1 %),
 * 0.00004 -> "<0.01%",
 * 1 -> "100%", 0 -> "0%"; NaN -> "–".
 */
export function formatPercent(p) {
  if (typeof p !== 'number' || Number.isNaN(p)) return DASH;
  const percent = p * 100;
  if (percent === 0) return '0%';
  if (percent >= 99.95 && percent <= 100) return percent === 100 ? '100%' : '>99.9%';
  if (percent >= 1 || percent < 0) return `${percent.toFixed(1)}%`;
  if (percent >= 0.01) return `${percent.toFixed(2)}%`;
  return '<0.01%';
}

/**
 * Header line: "37 of 1,482 items · page 1/2" when filtered, "1,482 items · page 1/62" otherwise.
 * @param {{shown: number, total: number, page: number, pages: number}} counts page is 0-based
 */
export function headerText({ shown, total, page, pages }) {
  const count = shown === total ? `${formatCount(total)} ${total === 1 ? 'item' : 'items'}` : `${formatCount(shown)} of ${formatCount(total)} items`;
  return `${count} · page ${page + 1}/${pages}`;
}

/** "Page 2 of 7" (page is 0-based). */
export function pageLabel(page, pages) {
  return `Page ${page + 1} of ${pages}`;
}

/** Chip of a confusion-cell selection: "cell: beagle → basset_hound". */
export function cellLabel(vocab, [actual, predicted]) {
  return `cell: ${vocab[actual]} → ${vocab[predicted]}`;
}

/**
 * What a card / the detail panel shows for item `i` (all strings are untrusted: text only).
 * @param {ReturnType<import('./items.js').readItems>} data
 * @returns {{index: number, name: string, actual: string, predicted: string, correct: boolean,
 *            loss: string, probActual: string, probPred: string}}
 */
export function describeItem(data, i) {
  const actual = data.targets[i];
  const predicted = data.decoded[i];
  return {
    index: i,
    name: data.names[i],
    actual: data.vocab[actual],
    predicted: data.vocab[predicted],
    correct: actual === predicted,
    loss: formatLoss2(data.losses[i]),
    probActual: formatPercent(data.probActual[i]),
    probPred: formatPercent(data.probPred[i]),
  };
}

/** The last path component of an item name, for a compact caption ("a/b/pug_12.jpg" -> "pug_12.jpg"). */
export function shortName(name) {
  const text = String(name);
  const cut = Math.max(text.lastIndexOf('/'), text.lastIndexOf('\\'));
  return cut >= 0 && cut < text.length - 1 ? text.slice(cut + 1) : text;
}
