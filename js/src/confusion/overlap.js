/**
 * The "Overlapping classes (cleanlab)" list of the confusion side panel, under the most-confused
 * list: each pair (A ↔ B) with its overlapping items and joint probability, clickable (selects its
 * cell in the matrix, the other direction marked beside it); the first ten, then "N more". A run
 * without label issues gets the reason instead. Class names only as text.
 */
import {
  describeOverlap,
  describePair,
  isPairCell,
  shortList,
} from '../lib/confusion-overlap.js';
import { formatCount, formatPercent } from '../lib/format.js';
import { el, setText } from '../lib/text.js';

/**
 * @param {{onPick: (a: number, b: number) => void}} options `onPick` gets the pair's class indices (a < b)
 * @returns {{node: HTMLElement, set: Function, setSelection: Function}}
 */
export function createOverlapList({ onPick }) {
  const summary = el('p', { className: 'petlens-muted petlens-overlap-summary' });
  const list = el('ol', { className: 'petlens-overlap-list' });
  const more = el('button', { type: 'button', className: 'petlens-overlap-more', hidden: true, on: { click: () => toggleMore() } });
  const node = el('div', { className: 'petlens-overlap', role: 'region', 'aria-label': 'Overlapping classes (cleanlab)' }, [
    el('div', { className: 'petlens-side-head' }, [el('h4', { text: 'Overlapping classes (cleanlab)' })]),
    summary,
    list,
    more,
  ]);
  let state = { overlap: null, vocab: [], matrix: null };
  let expanded = false;
  let items = [];
  let selection = null;
  let filter = { actual: null, predicted: null };

  function render() {
    const { overlap, vocab, matrix } = state;
    const pairs = overlap ? overlap.pairs : [];
    const { shown, more: hidden } = shortList(pairs, expanded);
    items = shown.map((pair) => {
      const button = el(
        'button',
        {
          type: 'button',
          title: describePair(vocab, pair, matrix),
          'aria-pressed': 'false',
          'data-a': pair.a,
          'data-b': pair.b,
          on: { click: () => onPick(pair.a, pair.b) },
        },
        [
          el('span', { className: 'petlens-pair' }, [el('span', { text: vocab[pair.a] }), ' ↔ ', el('span', { text: vocab[pair.b] })]),
          el('span', { className: 'petlens-overlap-examples', text: formatCount(pair.examples) }),
          el('span', { className: 'petlens-overlap-joint petlens-muted', text: formatPercent(pair.joint) }),
        ],
      );
      return { pair, button };
    });
    list.replaceChildren(...items.map(({ button }) => el('li', {}, [button])));
    list.hidden = items.length === 0;
    setText(summary, overlap ? describeOverlap(overlap) : '');
    const canToggle = pairs.length > shortList(pairs, false).shown.length;
    more.hidden = !canToggle;
    setText(more, expanded ? 'Show the first 10' : `${formatCount(hidden)} more`);
    mark();
  }

  function toggleMore() {
    expanded = !expanded;
    render();
  }

  function mark() {
    const any = filter.actual !== null || filter.predicted !== null;
    for (const { pair, button } of items) {
      button.setAttribute('aria-pressed', String(isPairCell(selection, pair.a, pair.b)));
      const classes = [pair.a, pair.b];
      const match = any && [filter.actual, filter.predicted].every((c) => c === null || classes.includes(c));
      button.classList.toggle('petlens-overlap-match', match);
    }
  }

  return {
    node,
    /**
     * Shows `overlap` (readOverlap's result, or null while there is no matrix).
     * @param {ReturnType<import('../lib/confusion-overlap.js').readOverlap> | null} overlap
     * @param {string[]} vocab
     * @param {{C: number, counts: ArrayLike<number>} | null} matrix for the tooltips' confusion counts
     */
    set(overlap, vocab, matrix) {
      state = { overlap, vocab, matrix };
      render();
    },
    /** Marks the pair one of whose cells is `selection` ([actual, predicted] or null). */
    setSelection(next) {
      selection = next;
      mark();
    },
    /** Tints the pairs holding the filtered classes (class indices or null; none when both are null). */
    setFilter(actual, predicted) {
      filter = { actual, predicted };
      mark();
    },
  };
}
