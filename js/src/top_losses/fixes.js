/**
 * The fix queue's DOM: the queue bar (summary, the list of decisions, exports, errors, the keys'
 * help line) and the decision buttons of a card and of the detail panel. Pure DOM: the view
 * decides and stores (lib/fix-queue.js holds the logic). Every item and class name is text.
 */
import { decisionText, TRIAGE_HELP } from '../lib/fix-queue.js';
import { el, setText } from '../lib/text.js';

/** The buttons, in order: [action, text, title]. */
export const DECISION_BUTTONS = Object.freeze([
  ['keep', 'keep', 'Keep this label (k)'],
  ['relabel', 'relabel…', 'Relabel as another class (r)'],
  ['delete', 'delete', 'Delete this item from the data (d)'],
  ['unsure', 'unsure', 'Unsure: look again later (u)'],
  ['clear', 'clear', 'Clear the decision (0 or Backspace)'],
]);

/**
 * Decision buttons for one item; `update(decision)` marks the one in effect.
 * @param {(action: string, anchor: HTMLElement) => void} onDecide
 * @param {{compact?: boolean}} [options] compact: the small row under a card
 */
export function createDecisionButtons(onDecide, { compact = false } = {}) {
  const buttons = DECISION_BUTTONS.map(([action, text, title]) =>
    el('button', {
      type: 'button',
      className: `petlens-decide petlens-decide-${action}`,
      text: compact ? COMPACT[action] : text,
      title,
      'aria-label': title,
      'data-action': action,
      'aria-pressed': 'false',
      on: { click: (event) => onDecide(action, event.currentTarget) },
    }),
  );
  const node = el('span', { className: `petlens-decisions${compact ? ' petlens-decisions-compact' : ''}`, role: 'group', 'aria-label': 'Decision' }, buttons);
  return {
    node,
    update(decision, { pending = false } = {}) {
      for (const button of buttons) {
        const action = button.getAttribute('data-action');
        button.setAttribute('aria-pressed', String(decision ? decision.action === action : false));
        if (action === 'clear') button.disabled = !decision;
      }
      node.classList.toggle('petlens-pending', pending);
    },
  };
}

const COMPACT = { keep: '✓', relabel: '✎', delete: '✕', unsure: '?', clear: '⌫' };

/**
 * The queue bar: "12 decisions: 7 relabel, 3 delete, 2 keep", a button listing them, exports,
 * a status line (errors, where decisions are kept) and the keys' help line.
 * @param {{onExport: (format: 'json'|'csv') => void, onShow: (name: string) => void,
 *          onClear: (name: string) => void}} handlers
 */
export function createQueueBar({ onExport, onShow, onClear }) {
  const summary = el('span', { className: 'petlens-queue-summary', 'aria-live': 'polite' });
  const toggle = el('button', { type: 'button', className: 'petlens-queue-toggle', text: 'List', 'aria-expanded': 'false', on: { click: () => setOpen(!open) } });
  const exportJson = el('button', { type: 'button', text: 'Export decisions (JSON)', title: 'Download the decisions as JSON (the fixes.json format)', on: { click: () => onExport('json') } });
  const exportCsv = el('button', { type: 'button', text: 'CSV', title: 'Download the decisions as CSV (item, old_label, new_label, action, …)', on: { click: () => onExport('csv') } });
  const exports = el('span', { className: 'petlens-queue-exports' }, [exportJson, exportCsv]);
  const where = el('span', { className: 'petlens-queue-where petlens-muted' });
  const error = el('div', { className: 'petlens-queue-error', role: 'alert', hidden: true });
  const list = el('ol', { className: 'petlens-queue-list', hidden: true, 'aria-label': 'Decisions' });
  const help = el('div', { className: 'petlens-help petlens-muted', text: TRIAGE_HELP });
  const node = el('div', { className: 'petlens-queue' }, [
    el('div', { className: 'petlens-queue-head' }, [el('strong', { text: 'Fix queue' }), summary, toggle, exports, where]),
    error,
    list,
    help,
  ]);
  let open = false;
  let decisions = [];

  function setOpen(value) {
    open = value;
    toggle.setAttribute('aria-expanded', String(open));
    setText(toggle, open ? 'Hide list' : 'List');
    renderList();
  }

  function renderList() {
    list.hidden = !open;
    if (!open) return;
    if (decisions.length === 0) {
      list.replaceChildren(el('li', { className: 'petlens-muted', text: 'No decisions yet.' }));
      return;
    }
    list.replaceChildren(
      ...decisions.map((d) =>
        el('li', { className: 'petlens-queue-row' }, [
          el('button', { type: 'button', className: 'petlens-queue-item', text: d.item, title: `Show ${d.item}`, on: { click: () => onShow(d.item) } }),
          el('span', { className: `petlens-decision petlens-decision-${d.action}`, text: decisionText(d) }),
          el('button', { type: 'button', className: 'petlens-queue-clear', text: '×', title: `Clear the decision on ${d.item}`, 'aria-label': `Clear the decision on ${d.item}`, on: { click: () => onClear(d.item) } }),
        ]),
      ),
    );
  }

  return {
    node,
    /**
     * @param {{summary: string, decisions: Array<object>, where: string, error: string|null, canExport: boolean}} state
     */
    sync(state) {
      setText(summary, state.summary);
      decisions = state.decisions;
      setText(where, state.where);
      setText(error, state.error);
      error.hidden = !state.error;
      exportJson.disabled = exportCsv.disabled = !state.canExport || decisions.length === 0;
      renderList();
    },
  };
}

/**
 * Downloads `text` as a file made in the page (a Blob and a link: no network request).
 * @param {string} text
 * @param {string} name file name
 * @param {string} type MIME type
 */
export function downloadText(text, name, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = el('a', { href: url, download: name, hidden: true });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
