/**
 * The compare view's header: the two runs, the counts (fixed / broken / still wrong / still
 * right / relabelled / only A / only B; the category tiles filter the browser), the notices,
 * and the header diff (architecture, sizes, epochs, rates, error rate, durations; changed rows
 * highlighted). Every string is text.
 */
import { CHANGE_FILTERS, CHANGE_HELP, CHANGE_LABELS, COUNT_FIELDS } from '../lib/compare.js';
import { formatCount, MISSING } from '../lib/format.js';
import { el, setText } from '../lib/text.js';

/**
 * @param {{onChange: (change: string) => void}} handlers a category tile picks that change filter
 */
export function createHeader({ onChange }) {
  const nameA = el('span', { className: 'petlens-cmp-run-name' });
  const nameB = el('span', { className: 'petlens-cmp-run-name' });
  const runsLine = el('div', { className: 'petlens-cmp-runs' }, [
    el('span', { className: 'petlens-cmp-run' }, [el('span', { className: 'petlens-cmp-badge petlens-cmp-badge-a', text: 'A' }), nameA]),
    el('span', { className: 'petlens-muted', text: '→' }),
    el('span', { className: 'petlens-cmp-run' }, [el('span', { className: 'petlens-cmp-badge petlens-cmp-badge-b', text: 'B' }), nameB]),
  ]);
  const common = el('div', { className: 'petlens-muted petlens-cmp-hint' });
  const tiles = COUNT_FIELDS.map((field) => {
    const value = el('span', { className: 'petlens-cmp-count-value' });
    const filter = CHANGE_FILTERS.includes(field) ? field : null;
    const props = {
      className: 'petlens-cmp-count',
      'data-kind': field,
      title: CHANGE_HELP[field] + (filter ? ': click to show them below' : ''),
    };
    const children = [value, el('span', { className: 'petlens-cmp-count-label', text: CHANGE_LABELS[field] })];
    const node = filter
      ? el('button', { ...props, type: 'button', 'data-change': filter, 'aria-pressed': 'false', on: { click: () => onChange(filter) } }, children)
      : el('div', props, children);
    return { field, node, value };
  });
  const notices = el('ul', { className: 'petlens-cmp-notices', role: 'status', hidden: true });
  const diffBody = el('tbody');
  const runA = el('th', { text: 'A' });
  const runB = el('th', { text: 'B' });
  const diffTable = el('table', { className: 'petlens-cmp-diff' }, [
    el('thead', {}, [el('tr', {}, [el('th', { text: '' }), runA, runB])]),
    diffBody,
  ]);
  const diffSummary = el('span', { className: 'petlens-muted' });
  const showAll = el('button', { type: 'button', on: { click: () => { all = !all; showRows(); } } });
  const headDiff = el('div', { className: 'petlens-cmp-headdiff' }, [
    el('div', { className: 'petlens-cmp-headdiff-line' }, [diffSummary, showAll]),
    diffTable,
  ]);
  let rows = [];
  let all = false;

  /** The header diff: the changed fields, or every field when asked (all when none changed). */
  function showRows() {
    const changed = rows.filter((row) => row.changed).length;
    const every = all || changed === 0;
    diffBody.replaceChildren(
      ...rows.filter((row) => every || row.changed).map((row) =>
        el('tr', { className: row.changed ? 'petlens-cmp-changed' : '', 'data-field': row.field }, [
          el('td', { text: row.field }),
          el('td', { text: row.a }),
          el('td', { text: row.b }),
        ]),
      ),
    );
    setText(diffSummary, changed ? `What differs: ${changed} of ${rows.length} fields` : `Nothing differs in the ${rows.length} fields compared`);
    setText(showAll, every ? 'Only what differs' : `Show all ${rows.length} fields`);
    showAll.hidden = changed === 0 || changed === rows.length;
    headDiff.hidden = rows.length === 0;
  }
  const node = el('section', { className: 'petlens-cmp-section petlens-cmp-header' }, [
    runsLine,
    common,
    el('div', { className: 'petlens-cmp-counts' }, tiles.map((t) => t.node)),
    notices,
    headDiff,
  ]);

  return {
    node,
    /**
     * @param {{runs: {a: {name: string}, b: {name: string}}, counts: Record<string, number|null>,
     *          notices: string[], header: {field: string, a: string, b: string, changed: boolean}[]}} state
     */
    update({ runs, counts, notices: texts, header }) {
      setText(nameA, runs.a.name);
      setText(nameB, runs.b.name);
      nameA.title = runs.a.id || runs.a.name;
      nameB.title = runs.b.id || runs.b.name;
      setText(common, counts.common === null ? '' : `${formatCount(counts.common)} items in both runs compared item by item`);
      for (const { field, value } of tiles) setText(value, counts[field] === null ? MISSING : formatCount(counts[field]));
      notices.replaceChildren(...texts.map((text) => el('li', { text })));
      notices.hidden = texts.length === 0;
      setText(runA, `A ${runs.a.name}`);
      setText(runB, `B ${runs.b.name}`);
      rows = header;
      showRows();
    },
    /** Marks the tile of the current change filter. */
    setChange(change) {
      for (const { field, node: tile } of tiles) if (tile.tagName === 'BUTTON') tile.setAttribute('aria-pressed', String(field === change));
    },
  };
}
