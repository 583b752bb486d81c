/** Side panel of the confusion widget: the most confused pairs (clickable) and the colour legend. */
import { BLUES, LUT_SIZE } from '../lib/colormap.js';
import { formatCell } from '../lib/format.js';
import { el, setText } from '../lib/text.js';
import { pixelCanvas } from '../ui/canvas.js';

const LEGEND_CAPTIONS = new Map([
  [null, 'Count'],
  ['true', 'Share of actual'],
  ['pred', 'Share of predicted'],
]);

/**
 * @param {{onPick: (actual: number, predicted: number) => void}} handlers `onPick` gets class indices
 * @returns {{node: HTMLElement, setPairs: Function, setSelection: Function, setLegend: Function}}
 */
export function createSidebar({ onPick }) {
  const list = el('ol', { className: 'petlens-confused' });
  const empty = el('p', { className: 'petlens-muted', text: 'No confusions.', hidden: true });
  const legend = createLegend();
  const node = el('div', { className: 'petlens-side' }, [el('h4', { text: 'Most confused' }), list, empty, legend.node]);
  let items = [];

  return {
    node,
    /** Shows pairs from mostConfused (actual → predicted: count). */
    setPairs(pairs) {
      items = pairs.map((pair) => {
        const text = `${pair.actual} → ${pair.predicted}`;
        const button = el(
          'button',
          {
            type: 'button',
            title: `${text}: ${pair.count}`,
            'aria-pressed': 'false',
            on: { click: () => onPick(pair.actualIndex, pair.predictedIndex) },
          },
          [el('span', { className: 'petlens-pair', text: `${text}:` }), el('span', { className: 'petlens-count', text: pair.count })],
        );
        return { pair, button };
      });
      list.replaceChildren(...items.map(({ button }) => el('li', {}, [button])));
      empty.hidden = items.length > 0;
    },
    /** Marks the pair equal to `selection` ([actual, predicted] or null). */
    setSelection(selection) {
      for (const { pair, button } of items) {
        const selected = Boolean(selection) && selection[0] === pair.actualIndex && selection[1] === pair.predictedIndex;
        button.setAttribute('aria-pressed', String(selected));
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
  const node = el('div', { className: 'petlens-legend' }, [
    caption,
    bar,
    el('div', { className: 'petlens-legend-ticks' }, [el('span', { text: '0' }), high]),
  ]);
  return {
    node,
    /** Shows the colour range of a buildDisplay result. */
    update({ normalize, colorScale, max, hideDiagonal }) {
      const notes = [colorScale === 'log' ? 'log scale' : 'linear scale', hideDiagonal && 'diagonal hidden'];
      setText(caption, `${LEGEND_CAPTIONS.get(normalize)} (${notes.filter(Boolean).join(', ')})`);
      setText(high, formatCell(max, normalize));
    },
  };
}
