/**
 * The difference matrix B − A of the compare view: toolbar (normalisation, order, zoom), the
 * cell canvas with the confusion view's labels, zoom, pan, hover and overview map, and a side
 * panel with the diverging legend and the largest changes. Sizing follows the confusion view
 * (js/README.md): up to 40 classes every name and value without zooming; above, a square
 * fitting the window, zoom to read.
 */
import { DIVERGING, DIVERGING_DARK, LUT_SIZE } from '../lib/colormap.js';
import { readOrderInfo, resolveOrder } from '../lib/confusion-state.js';
import { isPermutation } from '../lib/confusion.js';
import {
  describeDiffCell,
  diffDisplay,
  difference,
  formatDiffCell,
  formatPoints,
  formatSigned,
  largestChanges,
  legendCaption,
} from '../lib/compare.js';
import { createTruncator, widestLabel } from '../lib/labels.js';
import { el, setText } from '../lib/text.js';
import {
  canZoom,
  cellAt,
  cellSize,
  centerOn,
  clamp,
  pan,
  reset,
  resize,
  viewFraction,
  visibleRange,
  wheelZoomFactor,
  zoomAt,
  zoomLimits,
} from '../lib/zoom.js';
import { pixelCanvas, sizeCanvas } from '../ui/canvas.js';
import { createTooltip } from '../ui/tooltip.js';
import { drawLabels, LABEL_FONT, LABEL_PAD_PX } from '../confusion/draw.js';
import { createMinimap, MINIMAP_PX } from '../confusion/minimap.js';
import { drawDiffCells } from './draw.js';
import { MAX_GUTTER_PX, MIN_GUTTER_PX, OVERVIEW_CELL_PX, placeStage, stageLayout, ZOOM_STEP } from '../lib/matrix-stage.js';

const SIDE_PANEL_PX = 300;
const DRAG_THRESHOLD_PX = 4;
const NAMES_MEASURED_FIRST = 100;
const LISTED_CHANGES = 12;

const NORMALIZE_OPTIONS = [
  ['true', 'Shares of the actual class (rows)'],
  ['', 'Counts'],
];

/** Whether a CSS colour (hex or rgb()) is dark; null when it cannot be read. */
export function isDarkColor(color) {
  const text = String(color || '').trim();
  let rgb = null;
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(text);
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1];
    rgb = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
  } else {
    const m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(text);
    if (m) rgb = [m[1], m[2], m[3]].map(Number);
  }
  if (!rgb) return null;
  return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2] < 110;
}

/**
 * @param {{onCell: (actual: number, predicted: number) => void, onClear: () => void,
 *          onOrder: (name: string) => void, onNormalize: (mode: null|'true') => void}} handlers
 */
export function createMatrix({ onCell, onClear, onOrder, onNormalize }) {
  const labelsCanvas = el('canvas', { className: 'petlens-labels', 'aria-hidden': 'true' });
  const cellsCanvas = el('canvas', {
    className: 'petlens-cells',
    tabindex: 0,
    role: 'img',
    'aria-label': 'Difference of the confusion matrices, B minus A: rows actual, columns predicted. Keys: + - 0 zoom, Escape clears the selection.',
  });
  const titleY = el('div', { className: 'petlens-axis-title petlens-axis-title-y', text: 'Actual' });
  const titleX = el('div', { className: 'petlens-axis-title', text: 'Predicted' });
  const tooltip = createTooltip();
  const stage = el('div', { className: 'petlens-stage' }, [labelsCanvas, cellsCanvas, titleY, titleX, tooltip.node]);

  const normalize = el('select', { 'aria-label': 'Normalise', on: { change: () => onNormalize(normalize.value === '' ? null : normalize.value) } },
    NORMALIZE_OPTIONS.map(([value, text]) => el('option', { value, text })));
  const order = el('select', { 'aria-label': 'Order', on: { change: () => onOrder(order.value) } });
  const orderHelp = el('div', { className: 'petlens-muted petlens-cmp-hint' });
  const zoomOutButton = el('button', { type: 'button', text: '−', title: 'Zoom out', on: { click: () => zoomBy(1 / ZOOM_STEP) } });
  const zoomInButton = el('button', { type: 'button', text: '+', title: 'Zoom in', on: { click: () => zoomBy(ZOOM_STEP) } });
  const resetButton = el('button', { type: 'button', text: 'Reset', title: 'Show the whole matrix', on: { click: () => setZoom(reset()) } });
  const zoomLevel = el('span', { className: 'petlens-zoom-level', 'aria-live': 'polite' });
  const toolbar = el('div', { className: 'petlens-toolbar' }, [
    el('label', {}, ['Compare', normalize]),
    el('label', {}, ['Order', order]),
    el('span', { className: 'petlens-zoom' }, [zoomOutButton, zoomInButton, resetButton, zoomLevel]),
  ]);

  const legend = createLegend();
  const changesList = el('ol', { className: 'petlens-cmp-changes' });
  const minimap = createMinimap({ onNavigate: (fx, fy) => display && setZoom(centerOn(zoom, fy * C - 0.5, fx * C - 0.5, C, limits())) });
  const side = el('div', { className: 'petlens-cmp-side' }, [
    legend.node,
    el('h4', { text: 'Largest changes off the diagonal' }),
    el('div', { className: 'petlens-muted petlens-cmp-hint' }, [
      el('span', { className: 'petlens-cmp-down', text: 'green' }), ': fewer of these errors in B · ',
      el('span', { className: 'petlens-cmp-up', text: 'red' }), ': more',
    ]),
    changesList,
    minimap.node,
  ]);
  const main = el('div', { className: 'petlens-cmp-main' }, [stage, side]);
  const node = el('section', { className: 'petlens-cmp-section petlens-cmp-matrix' }, [
    el('h3', { text: 'What moved: confusion matrix B − A' }),
    toolbar,
    orderHelp,
    main,
  ]);

  const labelsCtx = labelsCanvas.getContext('2d');
  const cellsCtx = cellsCanvas.getContext('2d');
  const truncate = createTruncator((text) => labelsCtx.measureText(text).width);

  let data = null; // readMatrices result
  let items = null; // readCompare result (the tooltip counts a cell's items)
  let runs = { a: { name: 'A' }, b: { name: 'B' } };
  let C = 0;
  let diff = null;
  let display = null;
  let mode = null;
  let dark = false;
  let names = [];
  let images = new Map();
  let gutter = MIN_GUTTER_PX;
  let layout = null;
  let mainWidth = null;
  let zoom = reset();
  let hover = null;
  let drag = null;
  let legendKey = null;
  let state = { selection: null, selectedClass: null };
  let changeButtons = [];
  let displayArgs = null;
  let requestPaint = () => {};

  function limits() {
    return zoomLimits(C, plotSize());
  }
  function plotSize() {
    return layout ? { width: layout.side, height: layout.side } : { width: 0, height: 0 };
  }
  function setZoom(next) {
    zoom = clamp(next, limits());
    requestPaint();
  }
  function zoomBy(factor) {
    if (layout) setZoom(zoomAt(zoom, factor, layout.side / 2, layout.side / 2, limits()));
  }

  /** Width of the label band for the current names. */
  function measureGutter() {
    labelsCtx.font = LABEL_FONT;
    const { width } = widestLabel(data ? data.vocab : [], (text) => labelsCtx.measureText(text).width, NAMES_MEASURED_FIRST);
    gutter = Math.round(Math.min(MAX_GUTTER_PX, Math.max(MIN_GUTTER_PX, width + 2 * LABEL_PAD_PX)));
  }

  function buildDisplay() {
    if (!data || !displayArgs) return;
    const { orders, order: name, normalize: nextMode } = displayArgs;
    mode = nextMode;
    diff = difference(data.a, data.b, C, mode);
    const displayOrder = resolveOrder(orders, name, C);
    display = diffDisplay(diff, C, displayOrder, dark ? DIVERGING_DARK : DIVERGING);
    names = displayOrder.map((i) => data.vocab[i]);
    images = new Map();
    legendKey = null;
    hover = null;
    tooltip.hide();
    showChanges();
  }

  function showChanges() {
    const changes = largestChanges(diff, C, LISTED_CHANGES);
    changeButtons = changes.map((change) => {
      const value = mode === 'true' ? formatPoints(change.value) : formatSigned(change.value);
      const up = change.value > 0;
      const button = el(
        'button',
        {
          type: 'button',
          'aria-pressed': 'false',
          title: `${data.vocab[change.actual]} predicted as ${data.vocab[change.predicted]}: ${value} in B (${up ? 'more errors' : 'fewer errors'})`,
          on: { click: () => onCell(change.actual, change.predicted, true) },
        },
        [
          el('span', { className: 'petlens-cmp-pair' }, [el('span', { text: data.vocab[change.actual] }), ' → ', el('span', { text: data.vocab[change.predicted] })]),
          el('span', { className: `petlens-cmp-value ${up ? 'petlens-cmp-up' : 'petlens-cmp-down'}`, text: value }),
        ],
      );
      return { change, button };
    });
    changesList.replaceChildren(...changeButtons.map(({ button }) => el('li', {}, [button])));
    if (!changeButtons.length) changesList.append(el('li', { className: 'petlens-muted', text: 'No confusion changed.' }));
  }

  function imageFor(pool) {
    let image = images.get(pool);
    if (!image) {
      const { rgba, width } = pool === 0 ? { rgba: display.rgba, width: C } : display.overview(pool);
      image = pixelCanvas(rgba, width, width);
      images.set(pool, image);
    }
    return image;
  }

  function layoutStage() {
    mainWidth = main.clientWidth;
    const { left, side: sidePx, stacked, size } = stageLayout({ classes: C, gutter, mainWidth, windowHeight: window.innerHeight, sidePanelPx: SIDE_PANEL_PX });
    main.classList.toggle('petlens-stacked', stacked);
    placeStage({ stage, cellsCanvas, labelsCanvas, titleX, titleY }, { left, side: sidePx, size }, gutter);
    const dpr = sizeCanvas(cellsCanvas, sidePx, sidePx);
    sizeCanvas(labelsCanvas, size.width, size.height);
    const previous = layout && { width: layout.side, height: layout.side };
    layout = { side: sidePx, left, dpr, stage: size };
    zoom = previous ? resize(zoom, previous, limits()) : clamp(zoom, limits());
  }

  /** Draws everything; returns what was drawn (for data- attributes). */
  function paint(root) {
    if (!display) return null;
    const style = getComputedStyle(root);
    const nowDark = isDarkColor(style.getPropertyValue('--petlens-bg')) === true;
    if (nowDark !== dark) {
      dark = nowDark;
      buildDisplay();
    }
    if (!layout || layout.dpr !== (window.devicePixelRatio || 1) || main.clientWidth !== mainWidth) layoutStage();
    const size = plotSize();
    const color = style.color;
    const highlight = style.getPropertyValue('--petlens-highlight').trim() || '#ff7f0e';
    const at = (i) => display.position[i];
    const selected = state.selection && { row: at(state.selection[0]), col: at(state.selection[1]) };
    const band = state.selectedClass === null ? null : at(state.selectedClass);
    const cell = cellSize(zoom, C, size);
    const pool = cell > 0 && cell < OVERVIEW_CELL_PX ? Math.max(1, Math.ceil(1 / (cell * layout.dpr))) : 0;
    const drawn = drawDiffCells(cellsCtx, {
      size,
      dpr: layout.dpr,
      zoom,
      C,
      image: C > 0 ? { source: imageFor(pool), pool: Math.max(1, pool) } : null,
      display,
      mode,
      hover,
      selected,
      band,
      colors: { hover: color, selection: highlight, diagonal: dark ? 'rgba(230, 237, 243, 0.45)' : 'rgba(31, 35, 40, 0.4)' },
    });
    const filter = { row: band, col: band };
    const labels = drawLabels(labelsCtx, {
      stage: layout.stage,
      dpr: layout.dpr,
      plot: { left: layout.left, top: 0, ...size },
      gutter,
      zoom,
      C,
      names,
      color,
      highlight,
      filter,
      separators: [],
      truncate,
    });
    for (const { change, button } of changeButtons) {
      const on = Boolean(state.selection) && state.selection[0] === change.actual && state.selection[1] === change.predicted;
      button.setAttribute('aria-pressed', String(on));
    }
    const key = `${pool}|${dark}|${mode}|${display.max}`;
    if (key !== legendKey) {
      legendKey = key;
      legend.update({ mode, max: display.max, lut: display.lut, norm: display.norm, pool });
    }
    const can = canZoom(zoom, limits());
    zoomInButton.disabled = !can.in;
    zoomOutButton.disabled = !can.out;
    resetButton.disabled = !can.out;
    setText(zoomLevel, `${Math.round(zoom.scale * 100)}%`);
    if (C > 0 && zoom.scale > 1) {
      minimap.update(imageFor(Math.max(1, Math.ceil(C / (MINIMAP_PX * layout.dpr)))), viewFraction(zoom, size), highlight);
    } else minimap.hide();
    return {
      cellPx: cell.toFixed(2),
      rowLabels: labels.rows,
      colLabels: labels.cols,
      labelsCut: labels.cut,
      changedCells: drawn.changed,
      valuesDrawn: drawn.values,
      zoom: zoom.scale.toFixed(3),
      overviewPool: pool,
    };
  }

  // --- events ---

  function pointIn(event, target = cellsCanvas) {
    const box = target.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }
  function cellUnder(point) {
    return display && layout ? cellAt(zoom, point.x, point.y, C, plotSize()) : null;
  }
  function setHover(cell, point) {
    const changed = !(cell === hover || (cell && hover && cell.row === hover.row && cell.col === hover.col));
    hover = cell;
    if (!cell) tooltip.hide();
    else {
      if (changed && items) tooltip.show(describeDiffCell(items, diff, runs, display.order[cell.row], display.order[cell.col]));
      tooltip.moveTo(layout.left + point.x, point.y, layout.stage);
    }
    if (changed) requestPaint();
  }
  function onLabelHover(event) {
    if (!display || !layout) return;
    const { x, y } = pointIn(event, labelsCanvas);
    const cell = cellSize(zoom, C, plotSize());
    let line = null;
    if (x < layout.left && y < layout.side) {
      const row = Math.floor((y - zoom.ty) / cell);
      if (row >= 0 && row < C) line = ['Actual', names[row]];
    } else if (y >= layout.side && y < layout.side + gutter && x >= layout.left) {
      const col = Math.floor((x - layout.left - zoom.tx) / cell);
      if (col >= 0 && col < C) line = ['Predicted', names[col]];
    }
    if (!line) return tooltip.hide();
    tooltip.show([line]);
    tooltip.moveTo(x, y, layout.stage);
  }
  cellsCanvas.addEventListener('wheel', (event) => {
    if (!layout) return;
    event.preventDefault();
    const point = pointIn(event);
    setZoom(zoomAt(zoom, wheelZoomFactor(event.deltaY, event.deltaMode), point.x, point.y, limits()));
  }, { passive: false });
  cellsCanvas.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 || !layout) return;
    drag = { x: event.clientX, y: event.clientY, start: zoom, moved: false };
    cellsCanvas.setPointerCapture?.(event.pointerId);
  });
  cellsCanvas.addEventListener('pointermove', (event) => {
    const point = pointIn(event);
    if (!drag) return setHover(cellUnder(point), point);
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD_PX) return;
    if (!drag.moved) {
      drag.moved = true;
      cellsCanvas.classList.add('petlens-dragging');
      setHover(null, point);
    }
    setZoom(pan(drag.start, dx, dy, limits()));
  });
  cellsCanvas.addEventListener('pointerup', (event) => {
    if (!drag) return;
    const { moved } = drag;
    drag = null;
    cellsCanvas.classList.remove('petlens-dragging');
    const cell = moved ? null : cellUnder(pointIn(event));
    if (cell) onCell(display.order[cell.row], display.order[cell.col], false);
  });
  cellsCanvas.addEventListener('pointercancel', () => {
    drag = null;
    cellsCanvas.classList.remove('petlens-dragging');
  });
  cellsCanvas.addEventListener('pointerleave', (event) => {
    if (!drag) setHover(null, pointIn(event));
  });
  cellsCanvas.addEventListener('keydown', (event) => {
    const actions = { '+': () => zoomBy(ZOOM_STEP), '=': () => zoomBy(ZOOM_STEP), '-': () => zoomBy(1 / ZOOM_STEP), 0: () => setZoom(reset()), Escape: onClear };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });
  labelsCanvas.addEventListener('pointermove', onLabelHover);
  labelsCanvas.addEventListener('pointerleave', () => tooltip.hide());

  return {
    node,
    /** The items (readCompare result), for the tooltip. */
    setItems(next) {
      items = next;
    },
    /** New matrices (readMatrices result); the display follows with setDisplay. */
    load(nextData, schedule) {
      data = nextData;
      items = null;
      C = data.C;
      requestPaint = schedule;
      measureGutter();
      layout = null;
      zoom = reset();
      display = null;
    },
    /** The runs' names (for the tooltip). */
    setRuns(next) {
      runs = next;
    },
    /** Display traits: `orders`, `order`, `orderInfo`, `normalize` (already read). */
    setDisplay(args) {
      displayArgs = args;
      const namesList = Object.keys(args.orders && typeof args.orders === 'object' ? args.orders : {}).filter((k) => isPermutation(args.orders[k], C));
      const infos = namesList.map((k) => readOrderInfo(args.orderInfo, k, C));
      order.replaceChildren(...namesList.map((k, i) => el('option', { value: k, text: infos[i].label, title: infos[i].help })));
      if (!namesList.includes(args.order)) order.append(el('option', { value: args.order ?? '', text: 'Vocab order' }));
      order.value = args.order ?? '';
      setText(orderHelp, readOrderInfo(args.orderInfo, args.order, C).help);
      normalize.value = args.normalize === 'true' ? 'true' : '';
      buildDisplay();
    },
    /** The selected cell and class (class indices or null). */
    setState(next) {
      state = next;
    },
    /** Pans so that the cell (class indices) is in view. */
    reveal(actual, predicted) {
      if (!display || !layout) return;
      const range = visibleRange(zoom, C, plotSize());
      const row = display.position[actual];
      const col = display.position[predicted];
      if (range && row >= range.rowStart && row <= range.rowEnd && col >= range.colStart && col <= range.colEnd) return;
      setZoom(centerOn(zoom, row, col, C, limits()));
    },
    paint,
    relayout() {
      layout = null;
    },
    /** The width the matrix was laid out for (null before the first paint). */
    get width() {
      return mainWidth;
    },
    /** Whether the view's width changed since the last layout (read in a ResizeObserver callback). */
    resized() {
      return main.clientWidth !== mainWidth;
    },
    get empty() {
      return !display;
    },
  };
}

/** The diverging legend: the bar, −max / 0 / +max, what the colours mean on and off the diagonal. */
function createLegend() {
  const bar = el('canvas', { className: 'petlens-cmp-legend-bar', 'aria-hidden': 'true' });
  const caption = el('div', { className: 'petlens-muted' });
  const low = el('span');
  const high = el('span');
  const fewer = el('span', { className: 'petlens-cmp-swatch' });
  const more = el('span', { className: 'petlens-cmp-swatch' });
  const note = el('div', { className: 'petlens-muted petlens-cmp-legend-note' });
  const node = el('div', { className: 'petlens-cmp-legend' }, [
    caption,
    bar,
    el('div', { className: 'petlens-cmp-legend-ticks' }, [low, el('span', { text: '0' }), high]),
    el('div', {}, [fewer, 'blue: fewer in B', ' · ', more, 'red: more in B']),
    el('div', { className: 'petlens-cmp-legend-note' }, [
      el('strong', { text: 'Diagonal' }), ' (framed, right answers): red is better. ',
      el('strong', { text: 'Off it' }), ' (errors): red is worse.',
    ]),
    note,
  ]);
  return {
    node,
    update({ mode, max, lut, pool }) {
      const rgba = new Uint8ClampedArray(LUT_SIZE * 4);
      for (let i = 0; i < LUT_SIZE; i++) rgba.set([lut[i * 3], lut[i * 3 + 1], lut[i * 3 + 2], 255], i * 4);
      const source = pixelCanvas(rgba, LUT_SIZE, 1);
      bar.width = LUT_SIZE;
      bar.height = 1;
      bar.getContext('2d').drawImage(source, 0, 0);
      const swatch = (t) => {
        const i = Math.min(LUT_SIZE - 1, Math.floor(t * LUT_SIZE)) * 3;
        return `rgb(${lut[i]}, ${lut[i + 1]}, ${lut[i + 2]})`;
      };
      fewer.style.background = swatch(0.1);
      more.style.background = swatch(0.9);
      setText(caption, legendCaption(mode));
      const end = mode === 'true' ? formatDiffCell(max, mode) : formatSigned(max);
      setText(high, max > 0 ? end : '0');
      setText(low, max > 0 ? end.replace('+', '\u2212') : '0');
      const words = ['Every change shows at least pale; the strongest are darkest.'];
      if (pool > 1) words.push(`Each pixel shows the largest change of ${pool} × ${pool} cells; zoom in to read the cells.`);
      else if (pool === 1) words.push('Zoom in to read the cells.');
      setText(note, words.join(' '));
    },
  };
}
