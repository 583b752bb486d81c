/**
 * Side panel of the confusion widget: the most confused pairs (fastai's `most_confused(min_val)`,
 * with the `min_val` control; clickable), then (`beside`) the overlapping classes cleanlab finds,
 * the colour legend and, below them, the overview map.
 */
import { BLUES, LUT_SIZE } from '../lib/colormap.js';
import { formatCell, formatCount } from '../lib/format.js';
import { el, setText } from '../lib/text.js';
import { pixelCanvas } from '../ui/canvas.js';

const LEGEND_CAPTIONS = new Map([
  [null, 'Count'],
  ['true', 'Share of actual'],
  ['pred', 'Share of predicted'],
]);

/**
 * @param {{onPick: (actual: number, predicted: number) => void, onMinVal: (minVal: number) => void,
 *          extra?: HTMLElement, beside?: HTMLElement}} options `onPick` gets class indices; `beside` goes
 *   under the most-confused list (the overlapping classes), `extra` last (the overview map)
 * @returns {{node: HTMLElement, setPairs: Function, setSelection: Function, setFilter: Function, setLegend: Function}}
 */
export function createSidebar({ onPick, onMinVal, extra, beside }) {
  const minVal = el('input', {
    type: 'number',
    min: 1,
    step: 1,
    className: 'petlens-min-val',
    title: "Only pairs confused at least this many times (fastai's most_confused(min_val))",
    on: {
      change: () => {
        const value = Number(minVal.value);
        if (Number.isFinite(value) && value >= 1) onMinVal(Math.round(value));
      },
    },
  });
  const list = el('ol', { className: 'petlens-confused' });
  const summary = el('p', { className: 'petlens-muted petlens-confused-summary' });
  const legend = createLegend();
  const node = el('div', { className: 'petlens-side' }, [
    el('div', { className: 'petlens-side-head' }, [el('h4', { text: 'Most confused' }), el('label', {}, ['at least', minVal])]),
    summary,
    list,
    beside,
    legend.node,
    extra,
  ]);
  let items = [];

  return {
    node,
    /**
     * Shows `pairs` (from confusedPairs: actual → predicted, count), `total` of them reach `min`.
     * @param {{pairs: object[], total: number}} confused
     * @param {number} min the `min_val` in use
     */
    setPairs({ pairs, total }, min) {
      if (document.activeElement !== minVal) minVal.value = String(min);
      items = pairs.map((pair) => {
        const button = el(
          'button',
          {
            type: 'button',
            title: `${pair.actual} predicted as ${pair.predicted}: ${formatCount(pair.count)} times`,
            'aria-pressed': 'false',
            on: { click: () => onPick(pair.actualIndex, pair.predictedIndex) },
          },
          [
            el('span', { className: 'petlens-pair' }, [el('span', { text: pair.actual }), ' → ', el('span', { text: pair.predicted })]),
            el('span', { className: 'petlens-count', text: formatCount(pair.count) }),
          ],
        );
        return { pair, button };
      });
      list.replaceChildren(...items.map(({ button }) => el('li', {}, [button])));
      const times = min === 1 ? 'confused at least once' : `confused at least ${formatCount(min)} times`;
      const shown = total > pairs.length ? `; the first ${formatCount(pairs.length)} shown` : '';
      setText(summary, total ? `${formatCount(total)} ${total === 1 ? 'pair' : 'pairs'} ${times}${shown}` : `No pair ${times}.`);
    },
    /** Marks the pair equal to `selection` ([actual, predicted] or null). */
    setSelection(selection) {
      for (const { pair, button } of items) {
        const selected = Boolean(selection) && selection[0] === pair.actualIndex && selection[1] === pair.predictedIndex;
        button.setAttribute('aria-pressed', String(selected));
      }
    },
    /** Marks the pairs that match the class filters (class indices or null; none when both are null). */
    setFilter(actual, predicted) {
      const any = actual !== null || predicted !== null;
      for (const { pair, button } of items) {
        const match = any && (actual === null || actual === pair.actualIndex) && (predicted === null || predicted === pair.predictedIndex);
        button.classList.toggle('petlens-match', match);
      }
    },
    setLegend: legend.update,
  };
}

function createLegend() {
  const rgba = new Uint8ClampedArray(LUT_SIZE * 4);
  for (let i = 0; i < LUT_SIZE; i++) {
    rgba.set([BLUES[i * 3], BLUES[i * 3 + 1], BLUES[i * 3 + 2], 255], i * 4);
  }
  const bar = pixelCanvas(rgba, LUT_SIZE, 1);
  bar.className = 'petlens-legend-bar';
  const caption = el('div', { className: 'petlens-muted' });
  const high = el('span');
  const note = el('div', { className: 'petlens-muted petlens-legend-note', hidden: true });
  const node = el('div', { className: 'petlens-legend' }, [
    caption,
    bar,
    el('div', { className: 'petlens-legend-ticks' }, [el('span', { text: '0' }), high]),
    note,
  ]);
  return {
    node,
    /**
     * Shows the colour range of a buildDisplay result, and how the overview is painted while
     * `overview` ({pool}: cells per pixel along each axis; null when cells are large enough).
     */
    update({ normalize, colorScale, max, hideDiagonal }, overview) {
      const notes = [colorScale === 'log' ? 'log scale' : 'linear scale', hideDiagonal && 'diagonal hidden'];
      setText(caption, `${LEGEND_CAPTIONS.get(normalize)} (${notes.filter(Boolean).join(', ')})`);
      setText(high, formatCell(max, normalize));
      const pooled = overview && overview.pool > 1 ? ` Each pixel shows the strongest of ${overview.pool} × ${overview.pool} cells.` : '';
      setText(note, overview ? `Overview: any confusion shows at least light blue.${pooled} Zoom in to read the cells.` : '');
      note.hidden = !overview;
    },
  };
}
