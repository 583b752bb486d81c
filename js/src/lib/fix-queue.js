/**
 * The fix queue without the DOM: the user's decisions on validation items (keep, relabel as a
 * class, delete, unsure), as the `fixes` trait and `fixes.json` hold them (petlens/decisions.py):
 * `{item, action, label, decided, by}`, one per item, the latest `decided` winning; a cleared
 * decision is a dated tombstone (`action: 'clear'`) so that clearing merges like deciding.
 * Also: the summary line, the keyboard's triage keys, the class search of the relabel picker,
 * and the exports the offline report downloads (the JSON of `fixes.json`, the CSV of
 * `run.fixes.export_csv`), which petlens reads back (`run.fixes.import_file`).
 */

export const FIX_ACTIONS = Object.freeze(['keep', 'relabel', 'delete', 'unsure']);
export const CLEAR = 'clear';
export const FIXES_SCHEMA = 'petlens.fixes/1';
export const CSV_COLUMNS = Object.freeze(['item', 'old_label', 'new_label', 'action', 'decided', 'by', 'run']);

/**
 * One decision from untrusted JSON, or null when malformed (unknown action, relabel without a
 * label, no item).
 * @returns {{item: string, action: string, label: string|null, decided: string, by: string|null}|null}
 */
export function readDecision(raw, { allowClear = false } = {}) {
  if (!raw || typeof raw !== 'object' || typeof raw.item !== 'string' || raw.item === '') return null;
  const action = raw.action;
  if (!(FIX_ACTIONS.includes(action) || (allowClear && action === CLEAR))) return null;
  const label = action === 'relabel' ? raw.label : null;
  if (action === 'relabel' && (typeof label !== 'string' || label === '')) return null;
  return {
    item: raw.item,
    action,
    label,
    decided: typeof raw.decided === 'string' ? raw.decided : '',
    by: typeof raw.by === 'string' ? raw.by : null,
  };
}

/**
 * The `fixes` trait as a Map item name -> decision (malformed entries skipped; for one item the
 * latest `decided` wins).
 */
export function readFixes(value) {
  const decisions = Array.isArray(value) ? value.map((raw) => readDecision(raw)).filter(Boolean) : [];
  return new Map(mergeDecisions(decisions).map((d) => [d.item, d]));
}

function when(decision) {
  const t = Date.parse(decision.decided);
  return Number.isNaN(t) ? -Infinity : t;
}

/**
 * One decision per item, the latest `decided` winning (on a tie the later one), in order of first
 * appearance; tombstones (`clear`) are kept: `liveDecisions` drops them.
 * @param {...Array<object>} lists
 */
export function mergeDecisions(...lists) {
  const latest = new Map();
  for (const list of lists) {
    for (const decision of list) {
      const old = latest.get(decision.item);
      if (!old || when(decision) >= when(old)) latest.set(decision.item, decision);
    }
  }
  return [...latest.values()];
}

/** The decisions in effect (cleared ones left out). */
export function liveDecisions(decisions) {
  return decisions.filter((d) => d.action !== CLEAR);
}

/** The current time as `decided` holds it (ISO 8601, UTC). */
export function decidedNow(date = new Date()) {
  return date.toISOString();
}

/** What a card shows for a decision: "keep", "relabel → Birman", "delete", "unsure". */
export function decisionText(decision) {
  if (!decision) return '';
  return decision.action === 'relabel' ? `relabel → ${decision.label}` : decision.action;
}

/**
 * The queue's summary: "12 decisions: 7 relabel, 3 delete, 2 keep" (largest count first, then in
 * FIX_ACTIONS order); "No decisions yet".
 * @param {Iterable<{action: string}>} decisions
 */
export function summaryText(decisions) {
  const counts = new Map();
  let total = 0;
  for (const d of decisions) {
    if (!FIX_ACTIONS.includes(d.action)) continue;
    counts.set(d.action, (counts.get(d.action) ?? 0) + 1);
    total += 1;
  }
  if (total === 0) return 'No decisions yet';
  const parts = FIX_ACTIONS.filter((a) => counts.has(a))
    .sort((a, b) => counts.get(b) - counts.get(a) || FIX_ACTIONS.indexOf(a) - FIX_ACTIONS.indexOf(b))
    .map((a) => `${counts.get(a)} ${a}`);
  return `${total} ${total === 1 ? 'decision' : 'decisions'}: ${parts.join(', ')}`;
}

/**
 * What a key does to the item in focus: 'keep' | 'relabel' (opens the picker) | 'delete' |
 * 'unsure' | 'clear' | null. Keys with Ctrl, Alt or Meta are the browser's.
 * @param {{key: string, ctrlKey?: boolean, altKey?: boolean, metaKey?: boolean}} event
 */
export function triageKey(event) {
  if (!event || event.ctrlKey || event.altKey || event.metaKey) return null;
  switch (event.key) {
    case 'k':
    case 'K':
      return 'keep';
    case 'r':
    case 'R':
      return 'relabel';
    case 'd':
    case 'D':
      return 'delete';
    case 'u':
    case 'U':
      return 'unsure';
    case 'Backspace':
    case '0':
      return CLEAR;
    default:
      return null;
  }
}

/** The keys, as the help line shows them. */
export const TRIAGE_HELP = 'Keys on a card or the open item: k keep · r relabel · d delete · u unsure · 0 or ⌫ clear · ← → move · Enter opens · Esc closes';

/**
 * Class indices for the relabel picker: with an empty query `first` (cleanlab's suggestion, when
 * given) then every class in vocab order; else the classes whose name contains the query (case
 * and accents ignored), names starting with it first, then those with a word starting with it,
 * then the rest, each group in vocab order (`first` leading its group). At most `limit`.
 * @param {string[]} vocab
 * @param {string} query
 * @param {{first?: number|null, exclude?: number|null, limit?: number}} [options]
 * @returns {{indices: number[], total: number}} total: how many match before the limit
 */
export function searchClasses(vocab, query, { first = null, exclude = null, limit = 50 } = {}) {
  const q = fold(query).trim();
  const groups = [[], [], []];
  for (let c = 0; c < vocab.length; c++) {
    if (c === exclude) continue;
    const name = fold(vocab[c]);
    let group = 0;
    if (q) {
      const at = name.indexOf(q);
      if (at < 0) continue;
      group = at === 0 ? 0 : /[\s_\-./(]/.test(name[at - 1]) ? 1 : 2;
    }
    if (c === first) groups[group].unshift(c);
    else groups[group].push(c);
  }
  const all = [...groups[0], ...groups[1], ...groups[2]];
  return { indices: all.slice(0, Math.max(0, limit)), total: all.length };
}

const foldCache = new Map();
function fold(text) {
  const s = String(text);
  let f = foldCache.get(s);
  if (f === undefined) {
    f = s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    if (foldCache.size > 20000) foldCache.clear();
    foldCache.set(s, f);
  }
  return f;
}

/**
 * The JSON export: the `fixes.json` document (decisions.document), decisions in effect only.
 * @param {string} runId
 * @param {Array<object>} decisions
 */
export function exportDocument(runId, decisions) {
  return {
    schema: FIXES_SCHEMA,
    run: runId,
    decisions: liveDecisions(decisions).map((d) => {
      const out = { item: d.item, action: d.action, label: d.action === 'relabel' ? d.label : null, decided: d.decided };
      if (d.by) out.by = d.by;
      return out;
    }),
  };
}

/** A document with tombstones too (`cleared`), as the page keeps it in localStorage. */
export function storedDocument(runId, decisions) {
  const doc = exportDocument(runId, decisions);
  doc.cleared = decisions.filter((d) => d.action === CLEAR).map((d) => ({ item: d.item, decided: d.decided, ...(d.by ? { by: d.by } : {}) }));
  return doc;
}

/** The decisions (tombstones too) of a stored document of run `runId`; [] when it is not one. */
export function readStoredDocument(doc, runId) {
  if (!doc || typeof doc !== 'object' || doc.run !== runId || typeof doc.schema !== 'string' || !doc.schema.startsWith(FIXES_SCHEMA)) return [];
  const decisions = Array.isArray(doc.decisions) ? doc.decisions.map((raw) => readDecision(raw)) : [];
  const cleared = Array.isArray(doc.cleared) ? doc.cleared.map((raw) => readDecision({ ...raw, action: CLEAR }, { allowClear: true })) : [];
  return mergeDecisions([...decisions, ...cleared].filter(Boolean));
}

/**
 * The CSV export, as `run.fixes.export_csv` writes it (Python's csv module, minimal quoting,
 * "\n" line ends): item,old_label,new_label,action,decided,by,run.
 * @param {string} runId
 * @param {Array<object>} decisions
 * @param {(item: string) => string} oldLabel the item's label in the run
 */
export function exportCsv(runId, decisions, oldLabel) {
  const rows = [CSV_COLUMNS.join(',')];
  for (const d of liveDecisions(decisions)) {
    const row = [d.item, oldLabel(d.item) ?? '', d.action === 'relabel' ? d.label : '', d.action, d.decided, d.by ?? '', runId];
    rows.push(row.map(csvField).join(','));
  }
  return `${rows.join('\n')}\n`;
}

/** A CSV field quoted as Python's csv.QUOTE_MINIMAL does (delimiter, quote, CR or LF inside). */
export function csvField(value) {
  const s = String(value ?? '');
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A file name for an export: "petlens-fixes-<run id>.json" with unsafe characters replaced. */
export function exportName(runId, extension) {
  const safe = String(runId || 'run').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return `petlens-fixes-${safe}.${extension}`;
}
