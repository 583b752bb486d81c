/**
 * The per-class metrics view: precision, recall, F1 and support of every class in a sortable
 * table (as scikit-learn's `classification_report`), with the report's summary rows, and the
 * label issues cleanlab flags in each class (count and share; a dash and the reason when the run
 * has none). Clicking a class (or Enter / Space on it) filters the linked views on it
 * (`filter_actual`); clicking its label-issue count does too, and sets the top losses'
 * `issues_only` filter where the model has one. The row of `filter_actual` is highlighted and
 * scrolled into view, whoever set it.
 * Only the rows in the scrolled window are in the DOM (re-rendered on scroll, without waiting
 * for a frame), so 1000 classes render as fast as 12.
 * All computation lives in lib/per_class.js; trait changes are applied once per animation frame.
 */
import { formatCount } from '../lib/format.js';
import {
  describeIssues,
  describeSort,
  headerClickTraits,
  issueClickTraits,
  readDescending,
  readFilterActual,
  readMetrics,
  readSort,
  rowClickTraits,
  scrollToShow,
  sortOrder,
  visibleRows,
} from '../lib/per_class.js';
import { createFrameScheduler } from '../lib/schedule.js';
import { el, setText } from '../lib/text.js';
import { isMissing, readNotice } from '../lib/notice.js';
import { PER_CLASS_CSS, ROW_PX, VISIBLE_ROWS } from './styles.js';
import { classRow, createHeader, summaryRows } from './table.js';

/** Shown in place of the table when there are no metrics and the `notice` trait is empty. */
export const NO_METRICS_MESSAGE = 'No validation predictions recorded yet: no per-class metrics to show.';
const OVERSCAN_ROWS = 6;

const DATA_TRAITS = ['vocab', 'precision', 'recall', 'f1', 'support', 'summary', 'notice', 'class_issues', 'label_issues_info'];
const ORDER_TRAITS = ['sort', 'descending'];

/**
 * Renders the per-class table into `host`.
 * @param {object} model anywidget model, a createModel() stand-in, or a dashboard's scoped proxy
 * @param {HTMLElement} host
 * @returns {() => void} cleanup: unsubscribes, cancels frames, removes the view
 */
export function mountPerClass(model, host) {
  const notice = el('div', { className: 'petlens-notice petlens-muted', role: 'status', hidden: true });
  const message = el('div', { className: 'petlens-error', role: 'alert', hidden: true });
  const caption = el('div', { className: 'petlens-pc-caption petlens-muted' });
  // Label issues that are approximate (top-k probabilities) or missing: said once, above the table.
  const issuesNote = el('div', { className: 'petlens-pc-issues-note petlens-muted', role: 'note', hidden: true });
  const header = createHeader(sortBy);
  const spacer = el('div', { className: 'petlens-pc-spacer' });
  const body = el('div', { className: 'petlens-pc-body', role: 'rowgroup', on: { scroll: () => renderRows(), click: onRowClick, keydown: onRowKey, focusin: onFocus } }, [spacer]);
  const foot = el('div', { className: 'petlens-pc-foot', role: 'rowgroup' });
  const table = el('div', { className: 'petlens-pc-table', role: 'grid', 'aria-label': 'Per-class precision, recall, F1, support and label issues' }, [
    el('div', { className: 'petlens-pc-head', role: 'rowgroup' }, [header.node]),
    body,
    foot,
  ]);
  const content = el('div', { className: 'petlens-pc-content' }, [caption, issuesNote, table]);
  const root = el('div', { className: 'petlens petlens-per-class' }, [el('style', { text: PER_CLASS_CSS }), notice, message, content]);
  host.appendChild(root);

  let metrics = null; // readMetrics result, null when there is nothing to show
  let order = []; // class indices in display order
  let positions = new Int32Array(0); // class index -> display position
  let shown = null; // {start, end, highlight} of the rendered rows
  let focusClass = null; // class whose row keeps the keyboard focus across re-renders
  const dirty = { data: true, order: true, reveal: true };
  const frame = createFrameScheduler(update);

  function commit(values) {
    for (const [name, value] of Object.entries(values)) model.set(name, value);
    model.save_changes();
  }

  // --- model -> view ---

  function update() {
    if (dirty.data) loadData();
    if (dirty.order) loadOrder();
    renderRows();
  }

  function loadData() {
    dirty.data = false;
    dirty.order = true;
    const why = readNotice(model.get('notice')) || (isMissing(model.get('f1')) ? NO_METRICS_MESSAGE : '');
    metrics = null;
    showMessage(null);
    if (!why) {
      try {
        metrics = readMetrics({
          vocab: model.get('vocab'),
          precision: model.get('precision'),
          recall: model.get('recall'),
          f1: model.get('f1'),
          support: model.get('support'),
          summary: model.get('summary'),
          class_issues: model.get('class_issues'),
          label_issues_info: model.get('label_issues_info'),
        });
        if (metrics.C === 0) showMessage('No classes to show.');
      } catch (error) {
        showMessage(`Cannot show the per-class metrics: ${error.message}`);
      }
    }
    setText(notice, why);
    notice.hidden = !why;
    content.hidden = !metrics || metrics.C === 0;
    foot.replaceChildren(...(metrics ? summaryRows(metrics.summary, metrics.issues) : []));
    showIssues(metrics ? metrics.issues : null);
  }

  /** The label-issue column's tooltip, and the note above the table when they are approximate or missing. */
  function showIssues(issues) {
    let note = '';
    if (issues) {
      header.describeIssues(describeIssues(issues));
      if (!issues.available) note = `Label issues (cleanlab): not available: ${issues.reason}`;
      else if (issues.approximate) {
        const kept = issues.topK ? `the ${issues.topK} largest probabilities` : 'the largest probabilities';
        note = `Label issues (cleanlab) are approximate: this run kept ${kept} per item; hover the column's header for what is exact.`;
      }
    }
    setText(issuesNote, note);
    issuesNote.hidden = !note;
  }

  function loadOrder() {
    dirty.order = false;
    dirty.reveal = true;
    const sort = readSort(model.get('sort'));
    const descending = readDescending(model.get('descending'));
    header.show(sort, descending);
    const C = metrics ? metrics.C : 0;
    order = metrics ? sortOrder(metrics, sort, descending) : [];
    positions = new Int32Array(C);
    order.forEach((c, position) => {
      positions[c] = position;
    });
    const flagged = metrics && metrics.issues.available ? ` · ${formatCount(metrics.issues.nFlagged)} possible label issues` : '';
    setText(caption, metrics ? `${formatCount(C)} classes · ${describeSort(sort, descending)}${flagged}` : '');
    spacer.style.height = `${C * ROW_PX}px`;
    body.scrollTop = 0;
    shown = null;
  }

  function viewportPx() {
    return body.clientHeight || VISIBLE_ROWS * ROW_PX;
  }

  /** Renders the rows of the scrolled window (after scrolling the highlighted row into view when asked). */
  function renderRows() {
    const highlight = readFilterActual(model.get('filter_actual'), order.length);
    if (dirty.reveal) {
      dirty.reveal = false;
      if (highlight !== null) body.scrollTop = scrollToShow(positions[highlight], body.scrollTop, viewportPx(), ROW_PX);
    }
    const { start, end } = visibleRows(body.scrollTop, viewportPx(), ROW_PX, order.length, OVERSCAN_ROWS);
    if (shown && shown.start === start && shown.end === end && shown.highlight === highlight) return;
    shown = { start, end, highlight };
    const hadFocus = body.contains(document.activeElement) && document.activeElement !== body;
    const rows = [];
    for (let position = start; position < end; position++) {
      const row = classRow(metrics, order[position], position, order[position] === highlight);
      row.style.top = `${position * ROW_PX}px`;
      rows.push(row);
    }
    spacer.replaceChildren(...rows);
    if (hadFocus && focusClass !== null) rowOf(focusClass)?.focus({ preventScroll: true });
  }

  function rowOf(c) {
    return spacer.querySelector(`[data-class="${c}"]`);
  }

  function showMessage(text) {
    setText(message, text);
    message.hidden = !text;
  }

  // --- view -> model ---

  function sortBy(key) {
    commit(headerClickTraits(readSort(model.get('sort')), readDescending(model.get('descending')), key));
  }

  function classAt(target) {
    const row = typeof target?.closest === 'function' ? target.closest('[data-class]') : null;
    return row && spacer.contains(row) ? Number(row.dataset.class) : null;
  }

  function onFocus(event) {
    focusClass = classAt(event.target) ?? focusClass;
  }

  function pick(c) {
    commit(rowClickTraits(readFilterActual(model.get('filter_actual'), order.length), c));
  }

  /** A click on the label-issue count of class `c`: the class filter and, where the model has it, the top losses' issues-only filter. */
  function pickIssues(c) {
    const issuesOnly = model.get('issues_only');
    commit(issueClickTraits(readFilterActual(model.get('filter_actual'), order.length), issuesOnly, c, typeof issuesOnly === 'boolean'));
  }

  function isIssueButton(target) {
    return typeof target?.closest === 'function' && target.closest('[data-issues]') !== null;
  }

  function onRowClick(event) {
    const c = classAt(event.target);
    if (c === null) return;
    if (isIssueButton(event.target)) pickIssues(c);
    else pick(c);
  }

  /** Enter / Space pick the focused class, arrows / Home / End move the focus, Escape clears the filter. */
  function onRowKey(event) {
    const c = classAt(event.target);
    if (c === null) return;
    if ((event.key === 'Enter' || event.key === ' ') && isIssueButton(event.target)) return; // the button's own click
    const moves = { ArrowDown: positions[c] + 1, ArrowUp: positions[c] - 1, Home: 0, End: order.length - 1 };
    if (event.key === 'Enter' || event.key === ' ') pick(c);
    else if (event.key === 'Escape') commit({ filter_actual: null });
    else if (event.key in moves) moveFocus(Math.min(order.length - 1, Math.max(0, moves[event.key])));
    else return;
    event.preventDefault();
  }

  function moveFocus(position) {
    focusClass = order[position];
    body.scrollTop = scrollToShow(position, body.scrollTop, viewportPx(), ROW_PX);
    renderRows();
    rowOf(focusClass)?.focus({ preventScroll: true });
  }

  const subscriptions = [
    ...DATA_TRAITS.map((name) => [`change:${name}`, () => { dirty.data = true; frame.schedule(); }]),
    ...ORDER_TRAITS.map((name) => [`change:${name}`, () => { dirty.order = true; frame.schedule(); }]),
    ['change:filter_actual', () => { dirty.reveal = true; frame.schedule(); }],
  ];
  for (const [event, callback] of subscriptions) model.on(event, callback);
  update();

  return () => {
    for (const [event, callback] of subscriptions) model.off(event, callback);
    frame.cancel();
    root.remove();
  };
}
