/**
 * Toolbar of the confusion widget: display options written back to the model (each order
 * option described from the `order_info` trait), zoom buttons with the zoom level.
 */
import { readColorScale, readNormalize, readOrderInfo } from '../lib/confusion-state.js';
import { el, setText } from '../lib/text.js';

// A <select> value is a string: raw counts (normalize null) is this option inside the control only.
const COUNTS_OPTION = '';
const NORMALIZE_OPTIONS = [
  [COUNTS_OPTION, 'Counts'],
  ['true', 'By actual (rows)'],
  ['pred', 'By predicted (columns)'],
];
const COLOR_SCALE_OPTIONS = [
  ['linear', 'Linear'],
  ['log', 'Log'],
];

/**
 * @param {object} model anywidget model (or the static stand-in)
 * @param {{zoomIn: () => void, zoomOut: () => void, resetZoom: () => void}} zoom
 * @returns {{node: HTMLElement, sync: () => void, setZoom: Function}} `sync` shows the model's
 *   current values, `setZoom` the zoom level and which buttons can act
 */
export function createControls(model, { zoomIn, zoomOut, resetZoom }) {
  const commit = (name, value) => {
    model.set(name, value);
    model.save_changes();
  };
  const normalize = selectInput(NORMALIZE_OPTIONS, (value) => commit('normalize', value === COUNTS_OPTION ? null : value));
  const order = selectInput([], (value) => commit('order', value));
  const colorScale = selectInput(COLOR_SCALE_OPTIONS, (value) => commit('color_scale', value));
  const hideDiagonal = el('input', {
    type: 'checkbox',
    on: { change: () => commit('hide_diagonal', hideDiagonal.checked) },
  });
  let orderKey = null; // the order names and descriptions the options show
  const orderHelp = el('div', { className: 'petlens-muted petlens-order-help' });
  const zoomOutButton = el('button', { type: 'button', text: '−', title: 'Zoom out', on: { click: zoomOut } });
  const zoomInButton = el('button', { type: 'button', text: '+', title: 'Zoom in', on: { click: zoomIn } });
  const resetButton = el('button', { type: 'button', text: 'Reset', title: 'Show the whole matrix', on: { click: resetZoom } });
  const zoomLevel = el('span', { className: 'petlens-zoom-level', 'aria-live': 'polite' });

  const node = el('div', { className: 'petlens-toolbar-block' }, [
    el('div', { className: 'petlens-toolbar' }, [
      el('label', {}, ['Normalise', normalize]),
      el('label', {}, ['Order', order]),
      el('label', {}, ['Colour scale', colorScale]),
      el('label', {}, [hideDiagonal, 'Hide diagonal']),
      el('span', { className: 'petlens-zoom' }, [zoomOutButton, zoomInButton, resetButton, zoomLevel]),
    ]),
    orderHelp,
  ]);

  function sync() {
    const names = Object.keys(model.get('orders') || {});
    const infos = names.map((name) => readOrderInfo(model.get('order_info'), name, 0));
    const key = JSON.stringify([names, infos]);
    if (key !== orderKey) {
      orderKey = key;
      setOptions(order, names.map((name, i) => [name, infos[i].label, infos[i].help]));
      order.disabled = names.length === 0;
    }
    order.value = model.get('order') ?? '';
    const current = infos[names.indexOf(order.value)];
    setText(orderHelp, current && current.help ? `Order: ${current.help}` : '');
    orderHelp.hidden = !orderHelp.textContent;
    normalize.value = readNormalize(model.get('normalize')) ?? COUNTS_OPTION;
    colorScale.value = readColorScale(model.get('color_scale'));
    hideDiagonal.checked = model.get('hide_diagonal') === true;
  }

  /**
   * Shows the zoom level (1× = the whole matrix) and disables the buttons that cannot act.
   * @param {{scale: number, cellPx: number, canIn: boolean, canOut: boolean}} zoom
   */
  function setZoom({ scale, cellPx, canIn, canOut }) {
    zoomInButton.disabled = !canIn;
    zoomInButton.title = canIn ? 'Zoom in' : 'Deepest zoom reached';
    zoomOutButton.disabled = !canOut;
    resetButton.disabled = !canOut;
    setText(zoomLevel, `${scale < 10 ? scale.toFixed(1) : Math.round(scale)}×`);
    zoomLevel.title = `Zoom ${scale.toFixed(2)}×: cells of ${cellPx.toFixed(1)} px${canIn ? '' : ' (the deepest zoom)'}`;
  }

  return { node, sync, setZoom };
}

function selectInput(options, onChange) {
  const select = el('select', { on: { change: () => onChange(select.value) } });
  setOptions(select, options);
  return select;
}

function setOptions(select, options) {
  select.replaceChildren(...options.map(([value, label, title]) => el('option', { value, text: label, title: title || undefined })));
}
