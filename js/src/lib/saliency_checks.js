/**
 * Pure logic of the saliency-quality panel and the per-map trust badge (issue 17): reading the
 * traits sent by petlens/views/saliency_checks_view.py, and the text of each cell and badge.
 * Verdicts are 'pass' | 'warn' | 'fail' | 'na' (not computable); anything else reads as 'na'.
 */
import { MISSING } from './format.js';

export const VERDICTS = ['pass', 'warn', 'fail', 'na'];
export const CHECKS = ['randomisation', 'deletion', 'insertion', 'localisation'];
export const STATUSES = ['none', 'off', 'pending', 'complete', 'cancelled', 'failed'];
export const CHECK_NAMES = { randomisation: 'Randomisation', deletion: 'Deletion', insertion: 'Insertion', localisation: 'Localisation' };
/** One line per check: what passing it means (the Python view sends the same in `checks`). */
export const MEANING = {
  randomisation: "the map changes when the model's weights are re-initialised (it explains this model, not the image alone)",
  deletion: 'removing the most-attributed pixels first lowers the class probability faster than removing pixels in random order',
  insertion: 'revealing the most-attributed pixels first raises the class probability faster than revealing pixels in random order',
  localisation: "the map's maximum and most of its mass fall on the object (mask)",
};
const VERDICT_LABELS = { pass: 'pass', warn: 'warn', fail: 'fail', na: 'n/a' };

/** A verdict as one of VERDICTS ('na' for anything unknown). */
export function readVerdict(value) {
  return VERDICTS.includes(value) ? value : 'na';
}

/** The short label of a verdict ('n/a' for not computable). */
export function verdictLabel(verdict) {
  return VERDICT_LABELS[readVerdict(verdict)];
}

/** The `status` trait as one of STATUSES ('none' otherwise). */
export function readStatus(value) {
  return STATUSES.includes(value) ? value : 'none';
}

function num(value, digits = 2) {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : MISSING;
}

function isNumber(value) {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * The `methods` trait as rows: {method, name, state, verdict, verdicts{check}, reasons{check}, numbers}.
 * Malformed entries are dropped.
 */
export function readMethods(value) {
  if (!Array.isArray(value)) return [];
  return value.filter((m) => m && typeof m === 'object' && typeof m.method === 'string').map((m) => ({
    method: m.method,
    name: typeof m.name === 'string' ? m.name : m.method,
    state: typeof m.state === 'string' ? m.state : 'done',
    verdict: readVerdict(m.verdict),
    verdicts: Object.fromEntries(CHECKS.map((c) => [c, readVerdict(m.verdicts?.[c])])),
    reasons: Object.fromEntries(CHECKS.map((c) => [c, typeof m.reasons?.[c] === 'string' ? m.reasons[c] : ''])),
    numbers: m,
  }));
}

/** The numbers of one check of a method row, as the panel's cell shows them. */
export function methodCellText(row, check) {
  if (row.state === 'pending') return 'pending';
  if (row.state === 'skipped') return 'not computable';
  if (row.state !== 'done') return MISSING;
  const m = row.numbers;
  switch (check) {
    case 'randomisation': return `ρ ${num(m.spearman)} · SSIM ${num(m.ssim)}`;
    case 'deletion': return `AUC ${num(m.deletion_auc, 3)} vs ${num(m.random_deletion_auc, 3)} random`;
    case 'insertion': return `AUC ${num(m.insertion_auc, 3)} vs ${num(m.random_insertion_auc, 3)} random`;
    default: return isNumber(m.mass) ? `${num(m.mass)} in mask vs ${num(m.area)} area · pointing ${num(m.pointing)}` : 'no masks';
  }
}

/** The hover text of a method's cell: its verdict and reason, then what the check means. */
export function methodCellTitle(row, check) {
  const reason = row.reasons[check] || (row.state === 'pending' ? 'not checked yet' : '');
  return `${CHECK_NAMES[check]}: ${verdictLabel(row.verdicts[check])}${reason ? ` (${reason})` : ''}\nPasses when ${MEANING[check]}.`;
}

/**
 * The per-map entries of a top-loss view's `saliency_checks` trait, indexed by
 * "index|method|target" (`index`: the item's position in the predictions).
 * @returns {Map<string, object>}
 */
export function indexBadges(value) {
  const index = new Map();
  if (!Array.isArray(value)) return index;
  for (const entry of value) {
    if (!entry || typeof entry !== 'object' || !Number.isInteger(entry.index)) continue;
    index.set(`${entry.index}|${entry.method}|${entry.target}`, entry);
  }
  return index;
}

/** The badge of item `index`'s map: {verdict, label, title}, or null when it was not checked. */
export function badgeFor(index, item, method, target) {
  const entry = index.get(`${item}|${method}|${target}`);
  if (!entry) return null;
  const verdict = readVerdict(entry.verdict);
  const n = entry.numbers || {};
  const lines = [
    `Trust checks: ${verdictLabel(verdict)}${verdict === 'na' ? ' (not computable)' : ''}`,
    ...CHECKS.map((c) => `${CHECK_NAMES[c]}: ${verdictLabel(entry.verdicts?.[c])}${entry.reasons?.[c] ? ` (${entry.reasons[c]})` : ''}`),
  ];
  if (isNumber(n.evidence)) lines.push(`p(class) on the image minus its blurred copy: ${num(n.evidence)}`);
  lines.push('A map passes when it changes as the model is randomised, orders pixels better than chance (deletion / insertion) and, with masks, falls on the object.');
  return { verdict, label: `trust: ${verdictLabel(verdict)}`, title: lines.join('\n'), summary: badgeSummary(entry, verdict) };
}

/** One short line beside the badge: which checks fail or warn, what passed, or why none could run. */
export function badgeSummary(entry, verdict) {
  const verdicts = CHECKS.map((c) => [c, readVerdict(entry.verdicts?.[c])]);
  if (verdict === 'na') return `not computable${entry.reason ? `: ${entry.reason.replace(/^not computable: /, '')}` : ''}`;
  const named = (v) => verdicts.filter(([, x]) => x === v).map(([c]) => CHECK_NAMES[c].toLowerCase());
  const parts = [];
  if (named('fail').length) parts.push(`fails ${named('fail').join(', ')}`);
  if (named('warn').length) parts.push(`weak on ${named('warn').join(', ')}`);
  if (!parts.length) parts.push(named('pass').length ? `passes ${named('pass').join(', ')}` : 'passes');
  return `${parts.join('; ')} (hover for the numbers)`;
}
