/**
 * Toolbar of the top-loss browser (actual / predicted filters, the confusion-cell chip, the
 * embedding-selection chip, sort, the label-issues filter, page size) and its status line
 * (counts, pager). Values come in through `sync`; user changes go out through the handlers,
 * which write the traits.
 */
import { formatCount } from '../lib/format.js';
import { el, setText } from '../lib/text.js';
import { cellLabel, headerText, pageLabel } from './describe.js';
import { PAGE_SIZES } from './items.js';

const SORT_OPTIONS = [
  ['loss', 'Largest loss first'],
  ['confident_mistakes', 'Most confident mistakes'],
  ['label_quality', 'Lowest label quality'],
];
const ANY = '';

/**
 * @param {{onFilter: (name: 'filter_actual'|'filter_predicted', value: number|null) => void,
 *          onClearCell: () => void, onSort: (sort: string) => void, onPageSize: (size: number) => void,
 *          onPage: (page: number) => void, onIssuesOnly?: (value: boolean) => void,
 *          onClearPicked?: () => void}} handlers
 * @returns {{toolbar: HTMLElement, status: HTMLElement, sync: Function}}
 */
export function createControls({ onFilter, onClearCell, onSort, onPageSize, onPage, onIssuesOnly = () => {}, onClearPicked = () => {} }) {
  const actual = el('select', { 'aria-label': 'Actual class', on: { change: () => onFilter('filter_actual', classValue(actual.value)) } });
  const predicted = el('select', {
    'aria-label': 'Predicted class',
    on: { change: () => onFilter('filter_predicted', classValue(predicted.value)) },
  });
  const sort = el('select', { on: { change: () => onSort(sort.value) } });
  setOptions(sort, SORT_OPTIONS);
  const pageSize = el('select', { on: { change: () => onPageSize(Number(pageSize.value)) } });
  const chipText = el('span', { className: 'petlens-chip-text' });
  const chip = el('span', { className: 'petlens-chip', hidden: true }, [
    chipText,
    el('button', { type: 'button', text: '×', title: 'Clear the confusion-matrix cell', 'aria-label': 'Clear the cell selection', on: { click: onClearCell } }),
  ]);
  const pickedText = el('span', { className: 'petlens-chip-text' });
  const picked = el('span', { className: 'petlens-chip petlens-picked-chip', hidden: true }, [
    pickedText,
    el('button', { type: 'button', text: 'clear', title: 'Show every item again', 'aria-label': 'Clear the embedding selection', on: { click: () => onClearPicked() } }),
  ]);
  const issuesOnly = el('input', { type: 'checkbox', on: { change: () => onIssuesOnly(issuesOnly.checked) } });
  const issuesLabel = el('label', { className: 'petlens-issues-only' }, [issuesOnly, 'Label issues only']);
  const toolbar = el('div', { className: 'petlens-losses-toolbar' }, [
    el('label', {}, ['Actual', actual]),
    el('label', {}, ['Predicted', predicted]),
    chip,
    picked,
    el('label', {}, ['Sort', sort]),
    issuesLabel,
    el('label', {}, ['Per page', pageSize]),
  ]);

  const count = el('span', { className: 'petlens-count', 'aria-live': 'polite' });
  const pageText = el('span');
  let current = { page: 0, pages: 1 };
  const prev = el('button', { type: 'button', text: '‹ Prev', title: 'Previous page', on: { click: () => onPage(current.page - 1) } });
  const next = el('button', { type: 'button', text: 'Next ›', title: 'Next page', on: { click: () => onPage(current.page + 1) } });
  const status = el('div', { className: 'petlens-losses-status' }, [count, el('span', { className: 'petlens-pager' }, [prev, pageText, next])]);

  let vocabKey = null;
  let sizesKey = null;

  /**
   * Shows the model's current state.
   * @param {{vocab: string[], filter: {actual: number|null, predicted: number|null, cell: boolean},
   *          filterActual: number|null, filterPredicted: number|null, sort: string, pageSize: number,
   *          shown: number, total: number, page: number, pages: number,
   *          labels?: {available: boolean, reason: string, flagged: number}, issuesOnly?: boolean,
   *          picked?: number|null}} state picked: how many items the embedding selection holds (null: none)
   */
  function sync(state) {
    const key = state.vocab.join('\u0000');
    if (key !== vocabKey) {
      vocabKey = key;
      const options = [[ANY, 'any'], ...state.vocab.map((name, i) => [String(i), name])];
      setOptions(actual, options);
      setOptions(predicted, options);
    }
    const sizes = [...new Set([...PAGE_SIZES, state.pageSize])].sort((a, b) => a - b);
    if (sizes.join() !== sizesKey) {
      sizesKey = sizes.join();
      setOptions(pageSize, sizes.map((n) => [String(n), String(n)]));
    }
    const { filter } = state;
    actual.value = filter.cell ? String(filter.actual) : optionValue(state.filterActual);
    predicted.value = filter.cell ? String(filter.predicted) : optionValue(state.filterPredicted);
    actual.disabled = predicted.disabled = filter.cell;
    const lockedTitle = filter.cell ? 'A confusion-matrix cell is selected: clear it to filter here' : null;
    actual.title = predicted.title = lockedTitle ?? '';
    chip.hidden = !filter.cell;
    if (filter.cell) {
      const label = cellLabel(state.vocab, [filter.actual, filter.predicted]);
      setText(chipText, label);
      chip.title = label;
    }
    const labels = state.labels ?? { available: false, reason: 'label issues are not available', flagged: 0 };
    const qualityOption = [...sort.options].find((o) => o.value === 'label_quality');
    if (qualityOption) {
      qualityOption.disabled = !labels.available;
      qualityOption.title = labels.available ? '' : `Not available: ${labels.reason}`;
    }
    issuesOnly.checked = Boolean(state.issuesOnly) && labels.available;
    issuesOnly.disabled = !labels.available;
    const approximate = labels.approximate ? ` (approximate: only the ${labels.topK} largest probabilities per item were kept)` : '';
    issuesLabel.title = labels.available
      ? `Show only the ${formatCount(labels.flagged)} items cleanlab flags as possible label issues${approximate}`
      : `Label issues are not available: ${labels.reason}`;
    issuesLabel.classList.toggle('petlens-disabled', !labels.available);
    const pickedCount = state.picked ?? null;
    picked.hidden = pickedCount === null;
    if (pickedCount !== null) setText(pickedText, `${formatCount(pickedCount)} ${pickedCount === 1 ? 'item' : 'items'} selected in the embedding`);
    sort.value = state.sort === 'label_quality' && !labels.available ? 'loss' : state.sort;
    pageSize.value = String(state.pageSize);
    current = { page: state.page, pages: state.pages };
    setText(count, headerText(state));
    setText(pageText, pageLabel(state.page, state.pages));
    prev.disabled = state.page <= 0;
    next.disabled = state.page >= state.pages - 1;
  }

  return { toolbar, status, sync };
}

function classValue(value) {
  return value === ANY ? null : Number(value);
}

function optionValue(index) {
  return index === null ? ANY : String(index);
}

function setOptions(select, options) {
  select.replaceChildren(...options.map(([value, label]) => el('option', { value, text: label })));
}
