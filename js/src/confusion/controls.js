/** Toolbar of the confusion widget: display options written back to the model, zoom buttons. */
import { readColorScale, readNormalize } from '../lib/confusion-state.js';
import { el } from '../lib/text.js';

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
 * @returns {{node: HTMLElement, sync: () => void}} `sync` shows the model's current values
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
  let orderNames = null;

  const node = el('div', { className: 'petlens-toolbar' }, [
    el('label', {}, ['Normalise', normalize]),
    el('label', {}, ['Order', order]),
    el('label', {}, ['Colour scale', colorScale]),
    el('label', {}, [hideDiagonal, 'Hide diagonal']),
    el('span', { className: 'petlens-zoom' }, [
      el('button', { type: 'button', text: '−', title: 'Zoom out', on: { click: zoomOut } }),
      el('button', { type: 'button', text: '+', title: 'Zoom in', on: { click: zoomIn } }),
      el('button', { type: 'button', text: 'Reset', title: 'Show the whole matrix', on: { click: resetZoom } }),
    ]),
  ]);

  function sync() {
    const names = Object.keys(model.get('orders') || {});
    if (orderNames === null || names.join('\u0000') !== orderNames.join('\u0000')) {
      orderNames = names;
      setOptions(order, names.map((name) => [name, name]));
      order.disabled = names.length === 0;
    }
    order.value = model.get('order') ?? '';
    normalize.value = readNormalize(model.get('normalize')) ?? COUNTS_OPTION;
    colorScale.value = readColorScale(model.get('color_scale'));
    hideDiagonal.checked = model.get('hide_diagonal') === true;
  }

  return { node, sync };
}

function selectInput(options, onChange) {
  const select = el('select', { on: { change: () => onChange(select.value) } });
  setOptions(select, options);
  return select;
}

function setOptions(select, options) {
  select.replaceChildren(...options.map(([value, label]) => el('option', { value, text: label })));
}
