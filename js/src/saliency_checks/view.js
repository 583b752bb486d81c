/**
 * The saliency-quality panel (issue 17): per saliency method, the medians of its maps' trust
 * checks (Spearman to the original after model randomisation, deletion / insertion AUC against
 * a random pixel order, pointing game and mass in the object mask when the data has masks), a
 * pass / warn / fail / n/a chip per check with its reason and meaning on hover, one line per
 * check on what it means, and a clear state when checks are off, pending or not computable.
 * Logic in lib/saliency_checks.js; every string goes through textContent.
 */
import {
  CHECK_NAMES,
  CHECKS,
  MEANING,
  methodCellText,
  methodCellTitle,
  readMethods,
  readStatus,
  verdictLabel,
} from '../lib/saliency_checks.js';
import { el, setText } from '../lib/text.js';
import { SALIENCY_CHECKS_CSS } from './styles.js';

const TRAITS = ['status', 'message', 'methods', 'checks', 'done', 'total', 'has_masks'];
const EMPTY = {
  none: 'No saliency checks: this run has no saliency maps, or was recorded before petlens checked them.',
  off: 'Saliency checks are off (PetLens(saliency_checks=False)).',
};

/** A verdict chip. */
export function verdictChip(verdict) {
  return el('span', { className: `petlens-verdict petlens-verdict-${verdict}`, text: verdictLabel(verdict) });
}

/**
 * Renders the panel into `host`.
 * @param {object} model anywidget model, createModel() stand-in, or a dashboard's scoped proxy
 * @param {HTMLElement} host
 * @returns {() => void} cleanup
 */
export function mountSaliencyChecks(model, host) {
  const status = el('div', { className: 'petlens-sc-status petlens-muted', role: 'status' });
  const notice = el('div', { className: 'petlens-sc-notice petlens-muted', role: 'status', hidden: true });
  const table = el('table', { className: 'petlens-sc-table', 'aria-label': 'Saliency quality per method' });
  const meaning = el('ul', { className: 'petlens-sc-meaning petlens-muted' });
  const root = el('div', { className: 'petlens petlens-saliency-checks' }, [el('style', { text: SALIENCY_CHECKS_CSS }), status, notice, table, meaning]);
  host.appendChild(root);

  function render() {
    const state = readStatus(model.get('status'));
    const rows = readMethods(model.get('methods'));
    const message = typeof model.get('message') === 'string' ? model.get('message') : '';
    const empty = rows.length === 0;
    notice.hidden = !empty;
    table.hidden = empty;
    meaning.hidden = empty;
    setText(notice, message || EMPTY[state] || 'No saliency maps were checked yet.');
    setText(status, empty ? '' : message);
    status.hidden = empty || !message;
    if (empty) return;
    const head = el('tr', {}, [el('th', { text: 'Method' }), ...CHECKS.map((c) => el('th', { text: CHECK_NAMES[c], title: `Passes when ${MEANING[c]}.` })), el('th', { text: 'Overall' })]);
    const body = rows.map((row) => el('tr', { 'data-method': row.method }, [
      el('th', { scope: 'row', text: row.name }),
      ...CHECKS.map((c) => el('td', { 'data-check': c }, [
        el('div', { className: 'petlens-sc-cell', title: methodCellTitle(row, c) }, [
          verdictChip(row.state === 'done' || row.state === 'skipped' ? row.verdicts[c] : 'na'),
          el('span', { className: 'petlens-sc-numbers', text: methodCellText(row, c) }),
        ]),
      ])),
      el('td', { 'data-check': 'overall' }, [verdictChip(row.state === 'done' || row.state === 'skipped' ? row.verdict : 'na')]),
    ]));
    table.replaceChildren(el('thead', {}, [head]), el('tbody', {}, body));
    const lines = CHECKS.map((c) => el('li', {}, [el('strong', { text: `${CHECK_NAMES[c]}: ` }), `passes when ${MEANING[c]}.`]));
    if (!model.get('has_masks')) lines[3].append(' (No object masks for this data: not computable.)');
    lines.push(el('li', {}, ['Medians over the stored maps; "n/a" is not computable (a NaN or all-zero map, no mask, a model without convolutions for Grad-CAM, a class the image does not support), never a pass.']));
    meaning.replaceChildren(...lines);
  }

  const listeners = TRAITS.map((name) => [`change:${name}`, render]);
  for (const [event, fn] of listeners) model.on(event, fn);
  render();
  return () => {
    for (const [event, fn] of listeners) model.off(event, fn);
    root.remove();
  };
}
