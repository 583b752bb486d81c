/**
 * The scatter's toolbar: the "Colour by" menu, the drag tool (Pan / Box / Lasso), zoom − / + /
 * Reset, "Zoom to highlighted" and "Clear selection". It only reports clicks; the view decides.
 */
import { el } from '../lib/text.js';

const TOOLS = [
  ['pan', 'Pan', 'Drag to pan (shift-drag: box, alt-drag: lasso)'],
  ['box', 'Box', 'Drag a box to select its points'],
  ['lasso', 'Lasso', 'Draw around points to select them'],
];

/**
 * @param {{onColorBy: (value: string) => void, onTool: (tool: string) => void, onZoomIn: () => void,
 *          onZoomOut: () => void, onReset: () => void, onFrame: () => void, onClear: () => void}} on
 */
export function createToolbar(on) {
  const colorSelect = el('select', { className: 'petlens-emb-color', 'aria-label': 'Colour points by', on: { change: () => on.onColorBy(colorSelect.value) } });
  const toolButtons = TOOLS.map(([value, label, title]) =>
    el('button', { type: 'button', 'data-tool': value, text: label, title, 'aria-pressed': value === 'pan' ? 'true' : 'false', on: { click: () => on.onTool(value) } }),
  );
  const zoomOut = el('button', { type: 'button', text: '−', title: 'Zoom out (-)', 'aria-label': 'Zoom out', on: { click: () => on.onZoomOut() } });
  const zoomIn = el('button', { type: 'button', text: '+', title: 'Zoom in (+)', 'aria-label': 'Zoom in', on: { click: () => on.onZoomIn() } });
  const resetButton = el('button', { type: 'button', text: 'Reset', title: 'Show every point (0)', on: { click: () => on.onReset() } });
  const frameButton = el('button', { type: 'button', className: 'petlens-emb-frame', text: 'Zoom to highlighted', title: 'Frame the highlighted points', disabled: true, on: { click: () => on.onFrame() } });
  const clearButton = el('button', { type: 'button', className: 'petlens-emb-clear', text: 'Clear selection', title: 'Clear the box / lasso selection (Escape)', disabled: true, on: { click: () => on.onClear() } });
  const node = el('div', { className: 'petlens-emb-toolbar' }, [
    el('label', {}, ['Colour by', colorSelect]),
    el('span', { className: 'petlens-emb-group', role: 'group', 'aria-label': 'Drag tool' }, toolButtons),
    el('span', { className: 'petlens-emb-group', role: 'group', 'aria-label': 'Zoom' }, [zoomOut, zoomIn, resetButton]),
    frameButton,
    clearButton,
  ]);
  return {
    node,
    /** The colourings offered (`[{value, label}]`) and the one in use. */
    setColorBy(choices, value) {
      if (colorSelect.options.length !== choices.length || choices.some((c, k) => colorSelect.options[k].value !== c.value)) {
        colorSelect.replaceChildren(...choices.map(({ value: v, label }) => el('option', { value: v, text: label })));
      }
      colorSelect.value = value;
    },
    setTool(tool) {
      for (const button of toolButtons) button.setAttribute('aria-pressed', button.dataset.tool === tool ? 'true' : 'false');
    },
    /** Which way zooming can go (lib/zoom.js canZoom). */
    setZoom(can) {
      zoomIn.disabled = !can.in;
      zoomOut.disabled = !can.out;
      resetButton.disabled = !can.out;
    },
    setCanFrame(enabled) {
      frameButton.disabled = !enabled;
    },
    setCanClear(enabled) {
      clearButton.disabled = !enabled;
    },
  };
}
