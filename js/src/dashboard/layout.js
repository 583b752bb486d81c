/**
 * The dashboard's structure, without the DOM: the `panels` and `shared_traits` traits (the
 * panel list comes from Python, the one source of truth), the breakpoint of the two-column
 * grid, and the run summary header.
 */

/**
 * The `panels` trait: one entry per panel in reading order, `{key, prefix, heading, hint}`.
 * Entries are kept in place (so a malformed one still gets its panel and says so): a `key`
 * or `prefix` that is not a non-empty string becomes '', a missing heading is the key, a
 * blank hint is null. Not a list: no panels.
 * @returns {{key: string, prefix: string, heading: string, hint: string|null}[]}
 */
export function readPanels(panels) {
  if (!Array.isArray(panels)) return [];
  return panels.map((entry) => {
    const panel = entry && typeof entry === 'object' ? entry : {};
    const key = nonBlank(panel.key) ?? '';
    return { key, prefix: nonBlank(panel.prefix) ?? '', heading: nonBlank(panel.heading) ?? key, hint: nonBlank(panel.hint) };
  });
}

/** The `shared_traits` trait: the trait names every panel shares unprefixed (strings only; not a list: none). */
export function readSharedTraits(shared) {
  return Array.isArray(shared) ? shared.filter((name) => typeof name === 'string') : [];
}

function nonBlank(value) {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

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
