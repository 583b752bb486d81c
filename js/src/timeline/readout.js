/** DOM parts of the timeline below the canvas: the colour / series legend and the cursor readout. */
import { LUT_SIZE, VIRIDIS } from '../lib/colormap.js';
import { formatLr, MISSING } from '../lib/format.js';
import { el, setText } from '../lib/text.js';
import { pixelCanvas } from '../ui/canvas.js';
import { VALID_COLOR } from './draw.js';

/** Sets text only when it changed (the readout updates every animation frame). */
function setTextIfChanged(node, text) {
  if (node.textContent !== text) setText(node, text);
}

/**
 * @returns {{node: HTMLElement, update: (info: {extent: [number, number] | null,
 *   groups: {name: string}[], colors: string[], hasValid: boolean}) => void}}
 */
export function createLegend() {
  const rgba = new Uint8ClampedArray(LUT_SIZE * 4);
  for (let i = 0; i < LUT_SIZE; i++) rgba.set([VIRIDIS[i * 3], VIRIDIS[i * 3 + 1], VIRIDIS[i * 3 + 2], 255], i * 4);
  const bar = pixelCanvas(rgba, LUT_SIZE, 1);
  bar.className = 'petlens-tl-colorbar';
  bar.setAttribute('aria-hidden', 'true');
  const low = el('span', { className: 'petlens-muted' });
  const high = el('span', { className: 'petlens-muted' });
  const groupsNode = el('span');
  const validNode = el('span', {}, [dot(VALID_COLOR), 'valid loss']);
  const node = el('div', { className: 'petlens-tl-legend' }, [
    el('span', { title: 'Strip colour: learning rate of the group (log scale)' }, ['lr', low, bar, high]),
    el('span', {}, [el('span', { className: 'petlens-tl-frozen', 'aria-hidden': 'true' }), 'frozen']),
    groupsNode,
    el('span', {}, [line('currentColor'), 'train loss (smoothed)']),
    validNode,
  ]);
  return {
    node,
    update({ extent, groups, colors, hasValid }) {
      setText(low, extent ? formatLr(extent[0]) : MISSING);
      setText(high, extent ? formatLr(extent[1]) : MISSING);
      groupsNode.replaceChildren(...groups.flatMap((g, i) => [line(colors[i]), el('span', { text: g.name })]));
      validNode.hidden = !hasValid;
    },
  };
}

function line(color) {
  const node = el('span', { className: 'petlens-tl-line', 'aria-hidden': 'true' });
  node.style.background = color;
  return node;
}

function dot(color) {
  const node = el('span', { className: 'petlens-tl-dot', 'aria-hidden': 'true' });
  node.style.background = color;
  return node;
}

/**
 * @returns {{node: HTMLElement, update: (texts: ReturnType<import('../lib/timeline.js').readoutTexts>, colors: string[]) => void}}
 */
export function createReadout() {
  const where = el('div', { className: 'petlens-tl-where' });
  const losses = el('div', { className: 'petlens-tl-losses' });
  const valid = el('div', { className: 'petlens-tl-losses petlens-muted' });
  const table = el('table', { className: 'petlens-tl-groups' });
  const bigValue = el('div', { className: 'petlens-tl-big-value' });
  const bigCaption = el('div', { className: 'petlens-tl-big-caption' });
  const big = el('div', { className: 'petlens-tl-big', 'aria-live': 'off' }, [bigValue, bigCaption]);
  const node = el('div', { className: 'petlens-tl-readout' }, [
    el('div', { className: 'petlens-tl-info' }, [where, table, losses, valid]),
    big,
  ]);
  let rows = [];

  return {
    node,
    update(texts, colors) {
      setTextIfChanged(where, texts.where);
      setTextIfChanged(losses, texts.losses);
      setTextIfChanged(valid, texts.valid);
      if (rows.length !== texts.groups.length) {
        rows = texts.groups.map((_, i) => {
          const cells = [el('td'), el('td'), el('td'), el('td')];
          const row = el('tr', {}, [el('td', {}, [line(colors[i])]), ...cells]);
          return { row, cells };
        });
        table.replaceChildren(...rows.map(({ row }) => row));
      }
      texts.groups.forEach((g, i) => {
        const [label, lr, mom, state] = rows[i].cells;
        setTextIfChanged(label, g.label);
        label.title = g.label;
        setTextIfChanged(lr, `lr ${g.lr}`);
        setTextIfChanged(mom, g.mom === null ? '' : `mom ${g.mom}`);
        mom.hidden = g.mom === null;
        setTextIfChanged(state, g.state);
        state.className = g.trainable ? 'petlens-tl-state-trainable' : 'petlens-tl-state-frozen';
      });
      big.hidden = !texts.big;
      if (texts.big) {
        setTextIfChanged(bigValue, texts.big.value);
        setTextIfChanged(bigCaption, texts.big.caption);
      }
    },
  };
}
