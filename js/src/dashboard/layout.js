/**
 * The dashboard's structure, without the DOM: the `panels` and `shared_traits` traits (the
 * panel list comes from Python, the one source of truth), which panel is being read (for the
 * navigation bar), and the run summary header with its training status.
 */
import { formatDuration } from '../lib/format.js';

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

/** Where the reading line sits between the navigation bar's bottom (0) and the viewport's bottom (1). */
export const READING_LINE = 0.3;

/**
 * The panel being read: the last one whose top edge is at or above the reading line, or the
 * first when none has reached it yet; the last one when its bottom edge is in view (the end of
 * the dashboard: its top may never reach the line). -1 without panels.
 * @param {{top: number, bottom: number}[]} boxes panel boxes, viewport px, in reading order
 * @param {number} navBottom bottom edge of the navigation bar, viewport px
 * @param {number} viewportHeight
 */
export function currentPanel(boxes, navBottom, viewportHeight) {
  if (boxes.length === 0) return -1;
  if (boxes.at(-1).bottom <= viewportHeight) return boxes.length - 1;
  const line = navBottom + READING_LINE * Math.max(0, viewportHeight - navBottom);
  let current = 0;
  boxes.forEach(({ top }, index) => {
    if (top <= line) current = index;
  });
  return current;
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

const ENDED = {
  finished: 'Training finished: the run is complete.',
  interrupted: 'Training stopped before the fit ended (an error or a keyboard interrupt): the last state recorded is shown.',
  cancelled: 'A callback cancelled the fit: the last state recorded is shown.',
};

/**
 * The `progress` trait (while the learner trains, then how the last fit ended) as the
 * header's status badge: `status` one of `running`, `lr_find`, `finished`, `interrupted`,
 * `cancelled`; null for `{}` (nothing ran since the dashboard was shown) or an unknown status.
 * Python counts epochs, batches and fits from 0; the badge from 1.
 * @returns {{status: string, text: string, title: string, epoch: number|null} | null}
 */
export function readProgress(progress) {
  const p = progress && typeof progress === 'object' ? progress : {};
  const count = (value) => (Number.isInteger(value) && value >= 0 ? value : null);
  if (p.status === 'running') {
    const [phase, epoch, nEpoch, batch, nBatches] = [p.phase, p.epoch, p.n_epoch, p.batch, p.n_batches].map(count);
    const parts = ['● live'];
    if (phase !== null) parts.push(`fit ${phase + 1}`);
    if (epoch !== null) parts.push(`epoch ${epoch + 1}${nEpoch ? `/${nEpoch}` : ''}`);
    if (batch !== null) parts.push(`batch ${batch + 1}${nBatches ? `/${nBatches}` : ''}`);
    if (typeof p.elapsed === 'number') parts.push(`${formatDuration(p.elapsed)} elapsed`, `ETA ${formatDuration(p.eta)}`);
    if (parts.length === 1) parts.push('starting'); // a fit's first save, before its first batch
    return { status: 'running', text: parts.join(' · '), title: 'Training: this dashboard follows it.', epoch: epoch === null ? null : epoch + 1 };
  }
  if (p.status === 'lr_find') {
    const batch = count(p.batch);
    return { status: 'lr_find', text: `● live · lr_find${batch === null ? '' : ` · batch ${batch}`}`, title: 'lr_find is running: its curve grows; the suggestions come when it ends.', epoch: null };
  }
  if (Object.prototype.hasOwnProperty.call(ENDED, p.status)) return { status: p.status, text: p.status, title: ENDED[p.status], epoch: null };
  return null;
}
