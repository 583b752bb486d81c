/**
 * The zoomable confusion matrix view: builds the DOM, keeps it in step with the model's
 * traits, and turns wheel / drag / click / keys into zoom, pan and selection.
 * All computation lives in lib/; trait changes are applied once per animation frame.
 */
import { buildDisplay, describeCell, readMatrix, readSelection, toggleSelection } from '../lib/confusion-state.js';
import { createTruncator, widestLabel } from '../lib/labels.js';
import { createFrameScheduler } from '../lib/schedule.js';
import { el, setText } from '../lib/text.js';
import { cellAt, centerOn, clamp, pan, reset, resize, visibleRange, wheelZoomFactor, zoomAt, zoomLimits } from '../lib/zoom.js';
import { pixelCanvas, sizeCanvas } from '../ui/canvas.js';
import { createTooltip } from '../ui/tooltip.js';
import { createControls } from './controls.js';
import { drawCells, drawLabels, LABEL_FONT, LABEL_PAD_PX } from './draw.js';
import { createSidebar } from './sidebar.js';
import { CONFUSION_CSS } from './styles.js';

const TITLE_PX = 18; // axis title band
const MIN_SIDE_PX = 160;
const MAX_SIDE_PX = 720;
const MIN_GUTTER_PX = 24;
const MAX_GUTTER_PX = 140;
const ZOOM_STEP = 1.5;
const DRAG_THRESHOLD_PX = 4;
// Class names measured before the first paint (the widest by a per-character estimate);
// with more classes every name is measured when the page is idle (1000 names: ~5 ms).
const NAMES_MEASURED_FIRST = 100;

const MATRIX_TRAITS = ['vocab', 'counts', 'notice'];
/** Shown in place of the matrix when there are no counts and the `notice` trait is empty. */
export const NO_COUNTS_MESSAGE = 'No validation predictions recorded yet: no confusion matrix to show.';
const DISPLAY_TRAITS = ['orders', 'order', 'normalize', 'color_scale', 'hide_diagonal'];

/** Runs `callback` when the page is idle (soon after the first paint); returns a cancel function. */
function whenIdle(callback) {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(callback, { timeout: 1000 });
    return () => cancelIdleCallback(handle);
  }
  const handle = setTimeout(callback, 50);
  return () => clearTimeout(handle);
}

/** The `notice` trait as text to show, or '' (not a string, or only white space). */
function readNotice(notice) {
  return typeof notice === 'string' && notice.trim() !== '' ? notice : '';
}

/** Whether an array trait holds nothing yet: null, undefined, or an empty dict (a `Dict` trait's default). */
function isMissing(value) {
  return value === null || value === undefined || (typeof value === 'object' && Object.keys(value).length === 0);
}

function sameCell(a, b) {
  return a === b || (Boolean(a) && Boolean(b) && a.row === b.row && a.col === b.col);
}

/**
 * Renders the widget into `host`.
 * @param {object} model anywidget model or createModel() stand-in
 * @param {HTMLElement} host
 * @returns {() => void} cleanup: unsubscribes and removes the view
 */
export function mountConfusion(model, host) {
  const labelsCanvas = el('canvas', { 'aria-hidden': 'true' });
  const cellsCanvas = el('canvas', {
    className: 'petlens-cells',
    tabindex: 0,
    role: 'img',
    'aria-label': 'Confusion matrix, rows actual, columns predicted. Keys: + - 0 zoom, Escape clears the selection.',
  });
  const titleY = el('div', { className: 'petlens-axis-title petlens-axis-title-y', text: 'Actual' });
  const titleX = el('div', { className: 'petlens-axis-title', text: 'Predicted' });
  const tooltip = createTooltip();
  const stage = el('div', { className: 'petlens-stage' }, [labelsCanvas, cellsCanvas, titleY, titleX, tooltip.node]);
  const plotBox = el('div', { className: 'petlens-plot' }, [stage]);
  const message = el('div', { className: 'petlens-error', role: 'alert', hidden: true });
  // Why there is no matrix (e.g. no validation predictions): text only, in place of the view.
  const notice = el('div', { className: 'petlens-notice petlens-muted', role: 'status', hidden: true });
  const controls = createControls(model, {
    zoomIn: () => zoomBy(ZOOM_STEP),
    zoomOut: () => zoomBy(1 / ZOOM_STEP),
    resetZoom: () => setZoom(reset()),
  });
  const sidebar = createSidebar({ onPick: (actual, predicted) => toggle(actual, predicted, true) });
  const main = el('div', { className: 'petlens-main' }, [plotBox, sidebar.node]);
  const root = el('div', { className: 'petlens petlens-confusion' }, [
    el('style', { text: CONFUSION_CSS }),
    notice,
    controls.node,
    message,
    main,
  ]);
  host.appendChild(root);

  const labelsCtx = labelsCanvas.getContext('2d');
  const cellsCtx = cellsCanvas.getContext('2d');
  const truncate = createTruncator((text) => labelsCtx.measureText(text).width);

  let matrix = null; // readMatrix result, null when the traits are invalid
  let display = null; // buildDisplay result
  let image = null; // one pixel per cell, display order
  let names = []; // class names in display order
  let gutter = MIN_GUTTER_PX; // label band width
  let layout = null; // {side, left, dpr, stage: {width, height}}
  let plotWidth = null; // plotBox.clientWidth the layout was made for
  let zoom = reset();
  let hover = null; // {row, col} display position under the pointer
  let drag = null;
  let cancelGutterCheck = () => {}; // cancels the pending measure of every class name
  const dirty = { matrix: true, display: true, layout: true };
  const frame = createFrameScheduler(update);

  // --- model -> view ---

  function update() {
    if (dirty.matrix) loadMatrix();
    if (dirty.display) loadDisplay();
    if (dirty.layout || (layout && layout.dpr !== (window.devicePixelRatio || 1))) layoutStage();
    paint();
  }

  function loadMatrix() {
    dirty.matrix = false;
    dirty.display = true;
    dirty.layout = true;
    const why = readNotice(model.get('notice')) || (isMissing(model.get('counts')) ? NO_COUNTS_MESSAGE : '');
    if (why) {
      matrix = null;
      showMessage(null);
    } else {
      try {
        matrix = readMatrix(model.get('vocab'), model.get('counts'));
        showMessage(matrix.C === 0 ? 'No classes to show.' : null);
      } catch (error) {
        matrix = null;
        showMessage(`Cannot show the confusion matrix: ${error.message}`);
      }
    }
    showNotice(why);
    sidebar.setPairs(matrix ? matrix.confused : []);
    const vocab = matrix ? matrix.vocab : [];
    const { width, exact } = widestName(vocab, NAMES_MEASURED_FIRST);
    gutter = gutterFor(width);
    cancelGutterCheck();
    if (!exact) {
      cancelGutterCheck = whenIdle(() => {
        cancelGutterCheck = () => {};
        const checked = gutterFor(widestName(vocab).width);
        if (checked !== gutter) {
          gutter = checked;
          markDirty('layout')();
        }
      });
    }
  }

  /** Widest of `names` in the label font (see widestLabel). */
  function widestName(names, limit) {
    labelsCtx.font = LABEL_FONT;
    return widestLabel(names, (text) => labelsCtx.measureText(text).width, limit);
  }

  /** Width of the label band for labels up to `widest` px. */
  function gutterFor(widest) {
    return Math.round(Math.min(MAX_GUTTER_PX, Math.max(MIN_GUTTER_PX, widest + 2 * LABEL_PAD_PX)));
  }

  function loadDisplay() {
    dirty.display = false;
    display = matrix
      ? buildDisplay(matrix, {
          orders: model.get('orders'),
          order: model.get('order'),
          normalize: model.get('normalize'),
          colorScale: model.get('color_scale'),
          hideDiagonal: model.get('hide_diagonal'),
        })
      : null;
    image = display && matrix.C > 0 ? pixelCanvas(display.rgba, matrix.C, matrix.C) : null;
    names = display ? display.order.map((i) => matrix.vocab[i]) : [];
    if (display) sidebar.setLegend(display);
    hover = null;
    tooltip.hide();
  }

  /** Sizes the stage to the available width: a square cell canvas with label bands left and below. */
  function layoutStage() {
    dirty.layout = false;
    const left = TITLE_PX + gutter;
    plotWidth = plotBox.clientWidth;
    const side = Math.round(Math.min(MAX_SIDE_PX, Math.max(MIN_SIDE_PX, plotWidth - left)));
    const size = { width: left + side, height: side + gutter + TITLE_PX };
    Object.assign(stage.style, { width: `${size.width}px`, height: `${size.height}px` });
    Object.assign(cellsCanvas.style, { left: `${left}px`, top: '0px' });
    Object.assign(labelsCanvas.style, { left: '0px', top: '0px' });
    Object.assign(titleY.style, { left: '0px', top: '0px', width: `${TITLE_PX}px`, height: `${side}px` });
    Object.assign(titleX.style, { left: `${left}px`, top: `${side + gutter}px`, width: `${side}px`, height: `${TITLE_PX}px` });
    const dpr = sizeCanvas(cellsCanvas, side, side);
    sizeCanvas(labelsCanvas, size.width, size.height);
    const previous = layout && { width: layout.side, height: layout.side };
    layout = { side, left, dpr, stage: size };
    zoom = previous ? resize(zoom, previous, limits()) : clamp(zoom, limits());
  }

  function paint() {
    const C = matrix ? matrix.C : 0;
    const size = plotSize();
    const selection = currentSelection();
    const selected = selection && display && { row: display.position[selection[0]], col: display.position[selection[1]] };
    const style = getComputedStyle(root);
    const color = style.color;
    drawCells(cellsCtx, {
      size,
      dpr: layout.dpr,
      zoom,
      C,
      image,
      display,
      hover,
      selected,
      colors: { hover: color, selection: style.getPropertyValue('--petlens-highlight').trim() || '#ff7f0e' },
    });
    drawLabels(labelsCtx, {
      stage: layout.stage,
      dpr: layout.dpr,
      plot: { left: layout.left, top: 0, ...size },
      gutter,
      zoom,
      C,
      names,
      color,
      truncate,
    });
    sidebar.setSelection(selection);
  }

  function showMessage(text) {
    setText(message, text);
    message.hidden = !text;
  }

  /** Shows `text` (plain text) instead of the toolbar and the matrix; '' shows the view. */
  function showNotice(text) {
    setText(notice, text);
    notice.hidden = !text;
    controls.node.hidden = Boolean(text);
    main.hidden = Boolean(text);
  }

  // --- zoom, pan, selection ---

  function plotSize() {
    return { width: layout.side, height: layout.side };
  }

  function limits() {
    return zoomLimits(matrix ? matrix.C : 0, plotSize());
  }

  function setZoom(next) {
    zoom = clamp(next, limits());
    frame.schedule();
  }

  function zoomBy(factor) {
    if (layout) setZoom(zoomAt(zoom, factor, layout.side / 2, layout.side / 2, limits()));
  }

  function currentSelection() {
    return readSelection(model.get('selection'), matrix ? matrix.C : 0);
  }

  /** Selects (actual, predicted), or clears it when already selected; `reveal` pans to it. */
  function toggle(actual, predicted, reveal) {
    const next = toggleSelection(currentSelection(), actual, predicted);
    model.set('selection', next);
    model.save_changes();
    if (next && reveal && display && layout) {
      const row = display.position[actual];
      const col = display.position[predicted];
      const range = visibleRange(zoom, matrix.C, plotSize());
      const inView = range && row >= range.rowStart && row <= range.rowEnd && col >= range.colStart && col <= range.colEnd;
      if (!inView) setZoom(centerOn(zoom, row, col, matrix.C, limits()));
    }
  }

  function pointIn(event) {
    const box = cellsCanvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  /** Display cell under a canvas point; null while trait changes wait for the next frame. */
  function cellUnder(point) {
    const current = matrix && display && layout && !dirty.matrix && !dirty.display;
    return current ? cellAt(zoom, point.x, point.y, matrix.C, plotSize()) : null;
  }

  function setHover(cell, point) {
    const changed = !sameCell(cell, hover);
    hover = cell;
    if (!cell) tooltip.hide();
    else {
      if (changed) tooltip.show(describeCell(matrix, display.order[cell.row], display.order[cell.col]));
      tooltip.moveTo(layout.left + point.x, point.y, layout.stage);
    }
    if (changed) frame.schedule();
  }

  // --- DOM events ---

  function onWheel(event) {
    if (!layout) return;
    event.preventDefault();
    const point = pointIn(event);
    setZoom(zoomAt(zoom, wheelZoomFactor(event.deltaY, event.deltaMode), point.x, point.y, limits()));
  }

  function onPointerDown(event) {
    if (event.button !== 0 || !layout) return;
    drag = { x: event.clientX, y: event.clientY, start: zoom, moved: false };
    cellsCanvas.setPointerCapture(event.pointerId);
  }

  function onPointerMove(event) {
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
  }

  function onPointerUp(event) {
    if (!drag) return;
    const { moved } = drag;
    drag = null;
    cellsCanvas.classList.remove('petlens-dragging');
    const cell = moved ? null : cellUnder(pointIn(event));
    if (cell) toggle(display.order[cell.row], display.order[cell.col], false);
  }

  function onPointerCancel() {
    drag = null;
    cellsCanvas.classList.remove('petlens-dragging');
  }

  function onKeyDown(event) {
    const actions = {
      '+': () => zoomBy(ZOOM_STEP),
      '=': () => zoomBy(ZOOM_STEP),
      '-': () => zoomBy(1 / ZOOM_STEP),
      0: () => setZoom(reset()),
      Escape: () => {
        model.set('selection', null);
        model.save_changes();
      },
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }

  cellsCanvas.addEventListener('wheel', onWheel, { passive: false });
  cellsCanvas.addEventListener('pointerdown', onPointerDown);
  cellsCanvas.addEventListener('pointermove', onPointerMove);
  cellsCanvas.addEventListener('pointerup', onPointerUp);
  cellsCanvas.addEventListener('pointercancel', onPointerCancel);
  cellsCanvas.addEventListener('pointerleave', (event) => {
    if (!drag) setHover(null, pointIn(event));
  });
  cellsCanvas.addEventListener('keydown', onKeyDown);

  // --- subscriptions ---

  const markDirty = (part) => () => {
    dirty[part] = true;
    frame.schedule();
  };
  const onTraitChange = (part) => () => {
    controls.sync();
    markDirty(part)();
  };
  const subscriptions = [
    ...MATRIX_TRAITS.map((name) => [`change:${name}`, onTraitChange('matrix')]),
    ...DISPLAY_TRAITS.map((name) => [`change:${name}`, onTraitChange('display')]),
    ['change:selection', () => frame.schedule()],
  ];
  for (const [event, callback] of subscriptions) model.on(event, callback);
  // Its first call (right after the first frame) reports the size just laid out: no redraw.
  const resizeObserver = new ResizeObserver(() => {
    if (plotBox.clientWidth !== plotWidth) markDirty('layout')();
  });
  resizeObserver.observe(plotBox);

  controls.sync();
  update(); // first paint now, so the view has its size before the first frame

  return () => {
    for (const [event, callback] of subscriptions) model.off(event, callback);
    resizeObserver.disconnect();
    frame.cancel();
    cancelGutterCheck();
    root.remove();
  };
}
