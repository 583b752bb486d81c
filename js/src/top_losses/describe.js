/** Text of the top-loss browser: header, pager, cell chip, card and detail lines. */
import { formatCount, formatItemLoss, formatPercent } from '../lib/format.js';

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
    loss: formatItemLoss(data.losses[i]),
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

/** A label quality (0..1) for the eye: "0.03", "0.004" below 0.01, "—" when not a number. */
export function formatQuality(q) {
  if (typeof q !== 'number' || Number.isNaN(q)) return '—';
  if (q >= 0.01 || q <= 0) return q.toFixed(2);
  return q.toPrecision(1);
}

/**
 * What cleanlab says about item `i`: `{flagged, quality, suggested, text}`, e.g. text
 * "cleanlab suggests: Birman (label quality 0.03)"; without label issues `{unavailable: true,
 * text: 'not available: <reason>'}` (null when there is no reason to give).
 * @param {ReturnType<import('./items.js').readItems>} data
 * @param {ReturnType<import('./items.js').readLabelIssues>} labels
 */
export function describeLabel(data, labels, i) {
  if (!labels) return null;
  if (!labels.available) return labels.reason ? { flagged: false, quality: null, suggested: null, suggestedIndex: null, text: `not available: ${labels.reason}`, unavailable: true } : null;
  const flagged = Boolean(labels.issue[i]);
  const quality = formatQuality(labels.quality[i]);
  const c = labels.suggested[i];
  const suggested = c !== data.targets[i] ? data.vocab[c] : null;
  let text;
  if (flagged) text = suggested !== null ? `cleanlab suggests: ${suggested} (label quality ${quality})` : `cleanlab flags this label (label quality ${quality})`;
  else text = `label quality ${quality} (not flagged)`;
  return { flagged, quality, suggested, suggestedIndex: c, text };
}
