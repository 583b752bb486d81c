/**
 * The item browser of the compare view: change chips (all / fixed / broken / still wrong /
 * relabelled, with how many items of the current cell or class each holds), the cell or
 * class filter with a button to clear it, the pager, and one card per item: thumbnail, change
 * tag, the actual label (both when relabelled), and the prediction and loss in A and in B.
 * Pure DOM: the view decides what to show.
 */
import { CHANGE_FILTERS, CHANGE_HELP, CHANGE_LABELS } from '../lib/compare.js';
import { formatCount } from '../lib/format.js';
import { el, setText } from '../lib/text.js';

/** The last path component of an item name ("a/b/pug_12.jpg" -> "pug_12.jpg"). */
export function shortName(name) {
  const text = String(name);
  const cut = Math.max(text.lastIndexOf('/'), text.lastIndexOf('\\'));
  return cut >= 0 && cut < text.length - 1 ? text.slice(cut + 1) : text;
}

/** An image, or a placeholder with the item's name. */
export function imageOrPlaceholder(url, name, note = 'no thumbnail') {
  if (url) return el('img', { src: url, alt: name, decoding: 'async', draggable: 'false' });
  return el('span', { className: 'petlens-placeholder', role: 'img', 'aria-label': `${name}: ${note}` }, [
    el('span', { className: 'petlens-placeholder-name', text: shortName(name) }),
    el('span', { text: note }),
  ]);
}

/** The coloured tag of a change category. */
export function changeTag(change) {
  return el('span', { className: 'petlens-cmp-tag', 'data-kind': change, title: CHANGE_HELP[change], text: CHANGE_LABELS[change] });
}

function runLine(label, side) {
  return el('span', { className: 'petlens-cmp-line' }, [
    el('span', { className: 'petlens-cmp-line-label', text: label }),
    el('span', { className: `petlens-cmp-line-value ${side.correct ? 'petlens-cmp-right' : 'petlens-cmp-wrong'}`, text: side.predicted, title: `${label} predicted ${side.predicted} (${side.correct ? 'right' : 'wrong'})` }),
    el('span', { className: 'petlens-cmp-loss', text: side.loss, title: 'loss' }),
  ]);
}

/**
 * One card.
 * @param {ReturnType<import('../lib/compare.js').describeItem>} info
 */
export function createCard(info, { url, selected, onClick }) {
  const actual = info.relabelled ? `${info.a.actual} → ${info.b.actual}` : info.a.actual;
  return el('button', {
    type: 'button',
    className: 'petlens-cmp-card',
    'aria-pressed': String(selected),
    'data-index': info.index,
    'data-change': info.change,
    title: `${info.name}\nactual: ${actual}\nA predicted ${info.a.predicted} (loss ${info.a.loss})\nB predicted ${info.b.predicted} (loss ${info.b.loss})`,
    on: { click: onClick },
  }, [
    el('span', { className: 'petlens-cmp-thumb' }, [imageOrPlaceholder(url, info.name), changeTag(info.change)]),
    el('span', { className: 'petlens-cmp-card-text' }, [
      el('span', { className: 'petlens-cmp-name', text: shortName(info.name), title: info.name }),
      el('span', { className: 'petlens-cmp-line' }, [
        el('span', { className: 'petlens-cmp-line-label', text: info.relabelled ? 'label' : 'actual' }),
        el('span', { className: 'petlens-cmp-line-value', text: actual }),
        el('span', { className: 'petlens-cmp-loss', text: 'loss' }),
      ]),
      runLine('A', info.a),
      runLine('B', info.b),
    ]),
  ]);
}

/**
 * @param {{onChange: (change: string) => void, onClearFilter: () => void, onPage: (page: number) => void}} handlers
 */
export function createBrowser({ onChange, onClearFilter, onPage }) {
  const chips = CHANGE_FILTERS.map((change) => {
    const count = el('span', { className: 'petlens-cmp-value' });
    const node = el('button', {
      type: 'button',
      className: 'petlens-cmp-chip',
      'data-change': change,
      'aria-pressed': 'false',
      title: CHANGE_HELP[change],
      on: { click: () => onChange(change) },
    }, [el('span', { className: 'petlens-cmp-dot', 'data-kind': change === 'all' ? null : change }), CHANGE_LABELS[change], count]);
    return { change, node, count };
  });
  const filterText = el('span', { className: 'petlens-cmp-filter-text' });
  const filter = el('span', { className: 'petlens-cmp-filter', hidden: true }, [
    filterText,
    el('button', { type: 'button', text: '×', title: 'Show every item', 'aria-label': 'Clear the cell or class filter', on: { click: onClearFilter } }),
  ]);
  const status = el('span', { className: 'petlens-muted' });
  const prev = el('button', { type: 'button', text: '‹ Prev', on: { click: () => onPage(page - 1) } });
  const next = el('button', { type: 'button', text: 'Next ›', on: { click: () => onPage(page + 1) } });
  const pageText = el('span');
  const grid = el('div', { className: 'petlens-cmp-grid', role: 'list' });
  const empty = el('div', { className: 'petlens-empty petlens-muted', hidden: true });
  const hint = el('div', { className: 'petlens-muted petlens-cmp-hint', text: 'Click a cell of the matrix, a row of the table or a change to filter; click a card for both runs side by side.' });
  const node = el('section', { className: 'petlens-cmp-section petlens-cmp-browser' }, [
    el('h3', { text: 'Items: what changed, one by one' }),
    hint,
    el('div', { className: 'petlens-cmp-chips', role: 'group', 'aria-label': 'Change' }, [...chips.map((c) => c.node), filter]),
    el('div', { className: 'petlens-cmp-status' }, [status, el('span', { className: 'petlens-cmp-pager' }, [prev, pageText, next])]),
    grid,
    empty,
  ]);
  let page = 0;

  return {
    node,
    /**
     * @param {{change: string, counts: Record<string, number>, filterLabel: string, total: number,
     *          window: {page: number, pages: number, start: number, end: number}, cards: HTMLElement[]}} state
     */
    update({ change, counts, filterLabel, total, window: win, cards }) {
      page = win.page;
      for (const chip of chips) {
        chip.node.setAttribute('aria-pressed', String(chip.change === change));
        setText(chip.count, formatCount(counts[chip.change] ?? 0));
        chip.node.disabled = chip.change !== 'all' && chip.change !== change && !counts[chip.change];
      }
      setText(filterText, filterLabel);
      filter.title = filterLabel;
      filter.hidden = !filterLabel;
      setText(status, total === 0 ? 'No items' : `${formatCount(win.start + 1)}–${formatCount(win.end)} of ${formatCount(total)} ${total === 1 ? 'item' : 'items'}`);
      setText(pageText, `Page ${win.page + 1} of ${win.pages}`);
      prev.disabled = win.page <= 0;
      next.disabled = win.page >= win.pages - 1;
      grid.replaceChildren(...cards.map((card) => el('div', { role: 'listitem' }, [card])));
      empty.hidden = total > 0;
      setText(empty, total > 0 ? '' : `No ${change === 'all' ? '' : `${CHANGE_LABELS[change]} `}items here${filterLabel ? ` (${filterLabel})` : ''}.`);
    },
  };
}
