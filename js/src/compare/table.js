/**
 * The per-class table of the compare view: error A, error B, their change, precision and
 * recall A → B, support; sortable by a click on a header (view-local: the sort is not a trait);
 * a click (or Enter) on a row picks that class (`selected_class`). Only the scrolled window of
 * rows is in the DOM (1000 classes stay cheap).
 */
import { describeClass, describeClassSort, nextClassSort, sortClasses, windowRows } from '../lib/compare.js';
import { formatCount } from '../lib/format.js';
import { el, setText } from '../lib/text.js';
import { ROW_PX, VISIBLE_ROWS } from './styles.js';

/** Columns: [sort key or null, label, tooltip, numeric]. */
const COLUMNS = [
  ['name', 'Class', 'Sort by class name', false],
  ['error_a', 'Error A', 'Share of the class\'s items A got wrong: sort, highest first', true],
  ['error_b', 'Error B', 'Share of the class\'s items B got wrong: sort, highest first', true],
  ['change', 'Change', 'Error B − error A in percentage points: sort by the largest change, then rises, then falls', true],
  [null, 'Precision A → B', 'Of the items predicted as the class, the share that are', false],
  [null, 'Recall A → B', 'Of the items of the class, the share predicted as it', false],
  ['support', 'Support', 'Items of the class in A → B: sort, most first', true],
];

/** @param {{onClass: (c: number) => void}} handlers */
export function createTable({ onClass }) {
  let sort = 'change';
  const headers = COLUMNS.map(([key, label, title, numeric]) => {
    const content = key
      ? el('button', { type: 'button', title, on: { click: () => setSort(nextClassSort(sort, key)) } }, [label])
      : el('span', { title, text: label });
    return { key, cell: el('div', { role: 'columnheader', className: `petlens-cmp-cell${numeric ? ' petlens-cmp-num' : ''}` }, [content]) };
  });
  const caption = el('div', { className: 'petlens-muted petlens-cmp-hint' });
  const spacer = el('div', { className: 'petlens-cmp-spacer' });
  const body = el('div', {
    className: 'petlens-cmp-tbody',
    role: 'rowgroup',
    on: {
      scroll: () => {
        scrollTop = body.scrollTop;
        render();
      },
      click: onClick,
      keydown: onKey,
    },
  }, [spacer]);
  const node = el('section', { className: 'petlens-cmp-section petlens-cmp-classes' }, [
    el('h3', { text: 'Per class: error rate, precision and recall, A → B' }),
    caption,
    el('div', { className: 'petlens-cmp-table', role: 'grid', 'aria-label': 'Per-class change of error rate, precision and recall' }, [
      el('div', { className: 'petlens-cmp-thead', role: 'rowgroup' }, [
        el('div', { role: 'row', className: 'petlens-cmp-row petlens-cmp-headrow' }, headers.map((h) => h.cell)),
      ]),
      body,
    ]),
  ]);
  let data = null;
  let order = [];
  let positions = new Int32Array(0);
  let selected = null;
  let shown = null;
  let reveal = false;
  let scrollTop = 0; // body.scrollTop, kept here: reading it would force a layout while building the page

  function setSort(next) {
    sort = next;
    load();
    render();
  }

  function load() {
    order = data ? sortClasses(data, sort) : [];
    positions = new Int32Array(order.length);
    order.forEach((c, p) => {
      positions[c] = p;
    });
    spacer.style.height = `${order.length * ROW_PX}px`;
    scrollTo(0);
    shown = null;
    reveal = true;
    for (const { key, cell } of headers) {
      const active = key !== null && (key === sort || (key === 'change' && (sort === 'rise' || sort === 'fall')));
      cell.setAttribute('aria-sort', active ? (sort === 'fall' || sort === 'name' ? 'ascending' : 'descending') : 'none');
    }
    setText(caption, data ? `${formatCount(data.C)} classes · sorted by ${describeClassSort(sort)} · click a row to see its items` : '');
  }

  function scrollTo(top) {
    if (top === scrollTop) return;
    body.scrollTop = top;
    scrollTop = top;
  }

  function render() {
    if (!data) return;
    // The body is at most VISIBLE_ROWS rows high (its max-height): no layout read needed.
    const viewport = Math.min(order.length, VISIBLE_ROWS) * ROW_PX;
    if (reveal && selected !== null) scrollTo(Math.max(0, Math.min(positions[selected] * ROW_PX - viewport / 2, order.length * ROW_PX - viewport)));
    reveal = false;
    const { start, end } = windowRows(scrollTop, viewport, ROW_PX, order.length, 4);
    if (shown && shown.start === start && shown.end === end && shown.selected === selected) return;
    shown = { start, end, selected };
    const rows = [];
    for (let p = start; p < end; p++) rows.push(row(order[p], p));
    spacer.replaceChildren(...rows);
  }

  function row(c, position) {
    const info = describeClass(data, c);
    const active = c === selected;
    const direction = info.direction > 0 ? ' petlens-cmp-up' : info.direction < 0 ? ' petlens-cmp-down' : '';
    const arrow = info.direction > 0 ? '▲ ' : info.direction < 0 ? '▼ ' : '';
    const node = el('div', {
      role: 'row',
      className: `petlens-cmp-row petlens-cmp-classrow${active ? ' petlens-cmp-active' : ''}`,
      tabindex: 0,
      'aria-selected': String(active),
      'data-class': c,
      'data-position': position,
    }, [
      el('div', { role: 'rowheader', className: 'petlens-cmp-cell', text: info.name, title: info.name }),
      el('div', { role: 'cell', className: 'petlens-cmp-cell petlens-cmp-num', text: info.errorA }),
      el('div', { role: 'cell', className: 'petlens-cmp-cell petlens-cmp-num', text: info.errorB }),
      el('div', {
        role: 'cell',
        className: `petlens-cmp-cell petlens-cmp-num petlens-cmp-value${direction}`,
        text: `${arrow}${info.change}`,
        title: info.direction > 0 ? 'More errors in B' : info.direction < 0 ? 'Fewer errors in B' : 'No change',
      }),
      el('div', { role: 'cell', className: 'petlens-cmp-cell', text: info.precision }),
      el('div', { role: 'cell', className: 'petlens-cmp-cell', text: info.recall }),
      el('div', { role: 'cell', className: 'petlens-cmp-cell petlens-cmp-num', text: info.support }),
    ]);
    node.style.top = `${position * ROW_PX}px`;
    return node;
  }

  function classAt(target) {
    const found = typeof target?.closest === 'function' ? target.closest('[data-class]') : null;
    return found && spacer.contains(found) ? Number(found.dataset.class) : null;
  }
  function onClick(event) {
    const c = classAt(event.target);
    if (c !== null) onClass(c);
  }
  function onKey(event) {
    const c = classAt(event.target);
    if (c === null || (event.key !== 'Enter' && event.key !== ' ')) return;
    event.preventDefault();
    onClass(c);
  }

  return {
    node,
    setData(next) {
      data = next;
      load();
    },
    /** The selected class (index or null); scrolls it into view when it changed. */
    setSelected(c) {
      if (c !== selected) reveal = true;
      selected = c;
    },
    render,
  };
}
