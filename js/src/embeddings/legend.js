/**
 * The scatter's legend (side panel): the classes with their colours and point counts (every
 * class up to 40; above, the 15 largest and a search field, since colours repeat), the two
 * colours of correct / wrong, or the colour ramp of loss and label quality with its ends.
 * A class entry is a button: it toggles the class filter of the colouring (`onPick(c)`).
 */
import { formatCount, formatItemLoss, formatScore } from '../lib/format.js';
import { legendEntries, LEGEND_LIMIT } from '../lib/scatter.js';
import { PALETTE_SIZE } from '../lib/scatter-color.js';
import { el, setText } from '../lib/text.js';

/**
 * @param {{onPick: (c: number) => void}} handlers
 * @returns {{node: HTMLElement, show: (legend: object, colorBy: string, active: number|null) => void}}
 */
export function createLegend({ onPick }) {
  const title = el('h4');
  const note = el('div', { className: 'petlens-emb-note petlens-muted', hidden: true });
  const search = el('input', {
    className: 'petlens-emb-search',
    type: 'search',
    placeholder: 'find a class',
    'aria-label': 'Find a class in the legend',
    hidden: true,
    on: { input: () => render() },
  });
  const list = el('ul', { className: 'petlens-emb-legend', on: { click: onClick } });
  const ramp = el('div', { className: 'petlens-emb-ramp', hidden: true });
  const ends = el('div', { className: 'petlens-emb-ramp-ends petlens-muted', hidden: true });
  const node = el('div', { className: 'petlens-emb-side' }, [title, note, search, ramp, ends, list]);
  let current = null; // {legend, colorBy, active}

  function onClick(event) {
    const button = event.target?.closest?.('button[data-class]');
    if (button && list.contains(button)) onPick(Number(button.dataset.class));
  }

  function classItem(entry, active) {
    return el('li', {}, [
      el('button', { type: 'button', 'data-class': entry.index, 'aria-pressed': entry.index === active ? 'true' : 'false', title: entry.name }, [
        swatch(entry.color),
        el('span', { className: 'petlens-emb-name', text: entry.name }),
        el('span', { className: 'petlens-emb-count', text: formatCount(entry.count) }),
      ]),
    ]);
  }

  function render() {
    if (!current) return;
    const { legend, colorBy, active } = current;
    const classes = legend.kind === 'classes';
    search.hidden = !(classes && legend.classes.length > PALETTE_SIZE);
    ramp.hidden = legend.kind !== 'ramp';
    ends.hidden = legend.kind !== 'ramp';
    note.hidden = true;
    if (classes) {
      setText(title, colorBy === 'predicted' ? 'Predicted class' : 'Actual class');
      const query = search.hidden ? '' : search.value;
      const { entries, more } = legendEntries(legend.classes, { query, limit: LEGEND_LIMIT });
      const shown = [...entries];
      const activeEntry = legend.classes[active];
      if (activeEntry && !shown.includes(activeEntry)) shown.unshift(activeEntry);
      list.replaceChildren(...shown.map((entry) => classItem(entry, active)));
      if (legend.repeats) {
        const found = entries.length + more;
        const matches = found === 0 ? 'no class matches' : found === 1 ? '1 class matches' : `${formatCount(found)} classes match`;
        const listed = query.trim() ? `${matches} "${query.trim()}"` : `the ${entries.length} largest listed`;
        setText(note, `${formatCount(legend.classes.length)} classes, ${PALETTE_SIZE} colours that repeat: ${listed}${more > 0 && query.trim() ? `, ${formatCount(more)} not shown` : ''}. Click a class to pick out its points; hover a point for its names.`);
        note.hidden = false;
      } else {
        setText(note, 'Click a class to pick out its points.');
        note.hidden = false;
      }
    } else if (legend.kind === 'correct') {
      setText(title, 'Prediction');
      list.replaceChildren(...legend.entries.map((entry) => el('li', {}, [
        el('span', { className: 'petlens-emb-entry' }, [
          swatch(entry.color),
          el('span', { className: 'petlens-emb-name', text: entry.name }),
          el('span', { className: 'petlens-emb-count', text: formatCount(entry.count) }),
        ]),
      ])));
      setText(note, 'Mistakes are drawn on top.');
      note.hidden = false;
    } else {
      const format = colorBy === 'loss' ? formatItemLoss : formatScore;
      setText(title, legend.label === 'loss' ? 'Loss' : 'Label quality (cleanlab)');
      ramp.style.background = `linear-gradient(to right, ${legend.stops.join(', ')})`;
      ends.replaceChildren(
        el('span', { text: `${format(legend.from)} (${legend.low})` }),
        el('span', { text: `${format(legend.to)} (${legend.high})` }),
      );
      list.replaceChildren();
      setText(note, colorBy === 'loss' ? 'Colour by log(1 + loss); the highest losses are drawn on top.' : 'Low scores (likely label issues) are yellow and drawn on top.');
      note.hidden = false;
    }
  }

  return {
    node,
    /** Shows `legend` (from colorPoints) for `colorBy`; `active` is the class filter in force. */
    show(legend, colorBy, active) {
      current = { legend, colorBy, active };
      render();
    },
  };
}

function swatch(color) {
  const dot = el('span', { className: 'petlens-emb-swatch', 'aria-hidden': 'true' });
  dot.style.background = color;
  return dot;
}
