/**
 * DOM pieces of the per-class table: the sortable header, one class row, the summary rows.
 * Class names only reach the page as text (`el`); bar widths are numbers.
 */
import { formatCount, formatPercent, formatScore, MISSING } from '../lib/format.js';
import { METRICS } from '../lib/per_class.js';
import { el } from '../lib/text.js';

/** Column headers, in column order: [sort key, label, tooltip]. */
const COLUMNS = [
  ['name', 'Class', 'Sort by class name'],
  ['precision', 'Precision', 'Of the items predicted as this class, the share that are: sort by precision'],
  ['recall', 'Recall', 'Of the items of this class, the share predicted as it: sort by recall'],
  ['f1', 'F1', 'Harmonic mean of precision and recall: sort by F1'],
  ['support', 'Support', 'Validation items of this class: sort by support'],
  ['issues', 'Label issues', 'Label issues (cleanlab): sort by them, most first'], // title set from the data
];

/**
 * The header row: one button per column.
 * @param {(key: string) => void} onSort
 * @returns {{node: HTMLElement, show: (sort: string, descending: boolean) => void}}
 */
export function createHeader(onSort) {
  const cells = COLUMNS.map(([key, label, title]) => {
    const arrow = el('span', { className: 'petlens-pc-arrow', 'aria-hidden': 'true' });
    const button = el('button', { type: 'button', title, on: { click: () => onSort(key) } }, [label, arrow]);
    const cell = el('div', { role: 'columnheader', className: `petlens-pc-cell petlens-pc-${key}` }, [button]);
    return { key, cell, arrow };
  });
  const node = el('div', { role: 'row', className: 'petlens-pc-row petlens-pc-headrow' }, cells.map((c) => c.cell));
  const issuesButton = cells.find((c) => c.key === 'issues').cell.querySelector('button');
  return {
    node,
    /** The label-issue column's tooltip (what the numbers mean, exact or approximate, or why there are none). */
    describeIssues(text) {
      issuesButton.title = `${text}\nClick to sort by label issues, most first.`;
    },
    /** Marks the sorted column (arrow and aria-sort). */
    show(sort, descending) {
      for (const { key, cell, arrow } of cells) {
        const active = key === sort;
        cell.setAttribute('aria-sort', active ? (descending ? 'descending' : 'ascending') : 'none');
        arrow.textContent = active ? (descending ? ' ▼' : ' ▲') : '';
      }
    },
  };
}

/** A score cell: the number and a bar as long as the score. */
function scoreCell(key, value) {
  const fill = el('span', { className: 'petlens-pc-fill' });
  fill.style.width = `${(value * 100).toFixed(1)}%`;
  return el('div', { role: 'cell', className: `petlens-pc-cell petlens-pc-${key}` }, [
    el('span', { className: 'petlens-pc-value', text: formatScore(value) }),
    el('span', { className: 'petlens-pc-bar', 'aria-hidden': 'true' }, [fill]),
  ]);
}

/**
 * The label-issue cell of class `c`: its count as a button (a click lists the class's flagged items
 * in the top losses) and its share of the class's items; a dash, with the reason as its tooltip,
 * when the run has no label issues.
 */
function issueCell(metrics, c) {
  const { issues, support, vocab } = metrics;
  const className = 'petlens-pc-cell petlens-pc-issues';
  if (!issues || !issues.available) {
    const why = issues ? issues.reason : 'not computed for this view';
    return el('div', { role: 'cell', className: `${className} petlens-muted`, text: MISSING, title: `Label issues not available: ${why}` });
  }
  const n = issues.counts[c];
  if (n === 0) return el('div', { role: 'cell', className: `${className} petlens-muted`, title: `cleanlab flags none of the ${formatCount(support[c])} items of ${vocab[c]}` }, [el('span', { className: 'petlens-pc-issue-count', text: '0' })]);
  const title = `cleanlab flags ${formatCount(n)} of the ${formatCount(support[c])} items of ${vocab[c]} as possible label issues: click to list them in the top losses`;
  return el('div', { role: 'cell', className }, [
    el('button', { type: 'button', className: 'petlens-pc-issue-count', 'data-issues': c, title, text: formatCount(n) }),
    el('span', { className: 'petlens-pc-share petlens-muted', text: formatPercent(issues.shares[c]) }),
  ]);
}

/**
 * The row of class `c`, at display `position` (absolutely placed by the caller).
 * @param {ReturnType<import('../lib/per_class.js').readMetrics>} metrics
 */
export function classRow(metrics, c, position, highlighted) {
  const name = metrics.vocab[c];
  return el(
    'div',
    {
      role: 'row',
      className: `petlens-pc-row petlens-pc-classrow${highlighted ? ' petlens-pc-active' : ''}`,
      tabindex: 0,
      'aria-rowindex': position + 2, // the header is row 1
      'aria-selected': String(highlighted),
      'data-class': c,
      'data-position': position,
    },
    [
      el('div', { role: 'rowheader', className: 'petlens-pc-cell petlens-pc-name', text: name, title: name }),
      ...METRICS.map((key) => scoreCell(key, metrics[key][c])),
      el('div', { role: 'cell', className: 'petlens-pc-cell petlens-pc-support', text: formatCount(metrics.support[c]) }),
      issueCell(metrics, c),
    ],
  );
}

/**
 * The report's last rows, as scikit-learn prints them: accuracy (in the F1 column), macro avg,
 * weighted avg; support = all items; the accuracy row's label issues: all flagged items and their share.
 */
export function summaryRows(summary, issues) {
  const items = formatCount(summary.nItems);
  const flagged = issues && issues.available && summary.nItems > 0
    ? [el('span', { className: 'petlens-pc-issue-count', text: formatCount(issues.nFlagged) }), el('span', { className: 'petlens-pc-share', text: formatPercent(issues.nFlagged / summary.nItems) })]
    : [];
  const row = (label, scores, total = []) =>
    el('div', { role: 'row', className: 'petlens-pc-row petlens-pc-sumrow' }, [
      el('div', { role: 'rowheader', className: 'petlens-pc-cell petlens-pc-name', text: label }),
      ...METRICS.map((key) => el('div', { role: 'cell', className: `petlens-pc-cell petlens-pc-${key}` }, [
        el('span', { className: 'petlens-pc-value', text: key in scores ? formatScore(scores[key]) : '' }),
      ])),
      el('div', { role: 'cell', className: 'petlens-pc-cell petlens-pc-support', text: items }),
      el('div', { role: 'cell', className: 'petlens-pc-cell petlens-pc-issues' }, total),
    ]);
  return [row('accuracy', { f1: summary.accuracy }, flagged), row('macro avg', summary.macro), row('weighted avg', summary.weighted)];
}
