/**
 * The dashboard's structure, without the DOM: which view goes where under which trait
 * prefix, which traits are shared (the links between views), and the run summary header.
 */

/** Unprefixed traits every panel reads and writes: the links between the views. */
export const SHARED_TRAITS = Object.freeze(['vocab', 'selection', 'live']);

/**
 * Panels in reading order (two per row: confusion + top losses, then LR finder + timeline).
 * `key` names the mount function the view passes in.
 */
export const PANELS = Object.freeze([
  { key: 'confusion', prefix: 'cm_', heading: 'Confusion matrix', hint: 'Click a cell to list its items in the top losses.' },
  { key: 'losses', prefix: 'tl_', heading: 'Top losses', hint: 'Click an item for details; arrow keys move, Esc closes.' },
  { key: 'lrfind', prefix: 'lr_', heading: 'Learning-rate finder', hint: null },
  { key: 'timeline', prefix: 'time_', heading: 'Training timeline', hint: null },
]);

/** Below this width (CSS px) the panels stack in one column. */
export const NARROW_BELOW_PX = 980;

/** Whether a dashboard `width` px wide shows one column (0 = not laid out yet: two columns). */
export function isNarrow(width) {
  return width > 0 && width < NARROW_BELOW_PX;
}

/**
 * The `summary` trait as [label, value] string pairs; malformed entries are dropped.
 * @returns {[string, string][]}
 */
export function readSummary(summary) {
  if (!Array.isArray(summary)) return [];
  return summary
    .filter((pair) => Array.isArray(pair) && pair.length === 2 && pair.every((x) => x !== null && x !== undefined))
    .map(([label, value]) => [String(label), String(value)]);
}

/** The dashboard title: the `title` trait, or a default. */
export function readTitle(title) {
  return typeof title === 'string' && title.trim() !== '' ? title : 'petlens run';
}
