/**
 * The zoomable confusion matrix view: builds the DOM, keeps it in step with the model's
 * traits, and turns wheel / drag / click / keys into zoom, pan and selection.
 * It sizes itself from its container's width and the class count (layoutStage), and
 * exposes what it drew as data- attributes of its root (for tests and for the curious):
 * `data-cell-px`, `data-row-labels`, `data-col-labels`, `data-labels-cut`,
 * `data-values-drawn`, `data-nonzero-cells`, `data-zoom`, `data-overview-pool`, and
 * `data-mirror` (the other cell of a selected overlapping pair, "actual,predicted", or '').
 * Beside the most-confused list, the overlapping classes cleanlab finds (`overlapping_pairs`):
 * a click selects the pair's cell confused more often and marks the other direction (dashed),
 * panning so both are in view (zooming in to readable cells first when they are too small).
 * All computation lives in lib/; trait changes are applied once per animation frame.
 */
import { isMissing, readNotice } from '../lib/notice.js';
import {
  buildDisplay,
  confusedPairs,
  describeCell,
  readClassIndex,
  readMatrix,
  readMinVal,
  readOrderInfo,
  readSelection,
  toggleSelection,
} from '../lib/confusion-state.js';
import { isPairCell, pairCell, readOverlap } from '../lib/confusion-overlap.js';
import { isPermutation } from '../lib/confusion.js';
import { createTruncator, widestLabel } from '../lib/labels.js';
import { createFrameScheduler } from '../lib/schedule.js';
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
  showCells,
  viewFraction,
  visibleRange,
  wheelZoomFactor,
  zoomAt,
  zoomLimits,
} from '../lib/zoom.js';
import { pixelCanvas, sizeCanvas } from '../ui/canvas.js';
import { createTooltip } from '../ui/tooltip.js';
import { createControls } from './controls.js';
import { drawCells, drawLabels, LABEL_FONT, LABEL_PAD_PX } from './draw.js';
import { createMinimap, MINIMAP_PX } from './minimap.js';
import { createOverlapList } from './overlap.js';
import { createSidebar } from './sidebar.js';
import { CONFUSION_CSS } from './styles.js';
import {
  MAX_FIT_CELL_PX,
  MAX_GUTTER_PX,
  MIN_GUTTER_PX,
  MIN_READABLE_CELL_PX,
  OVERVIEW_CELL_PX,
  placeStage,
  READABLE_CELL_PX,
  READABLE_CLASSES,
  stageLayout,
  ZOOM_STEP,
} from '../lib/matrix-stage.js';

const PAIR_CELL_PX = 24; // an overlapping pair picked among small cells is shown at this size
const SIDE_PANEL_PX = 320;
const DRAG_THRESHOLD_PX = 4;
// Class names measured before the first paint (the widest by a per-character estimate);
// with more classes every name is measured when the page is idle (1000 names: ~5 ms).
const NAMES_MEASURED_FIRST = 100;

const MATRIX_TRAITS = ['vocab', 'counts', 'notice'];
/** Shown in place of the matrix when there are no counts and the `notice` trait is empty. */
export const NO_COUNTS_MESSAGE = 'No validation predictions recorded yet: no confusion matrix to show.';
const DISPLAY_TRAITS = ['orders', 'order', 'order_info', 'normalize', 'color_scale', 'hide_diagonal'];
const OVERLAP_TRAITS = ['overlapping_pairs', 'label_issues_info'];

/** Runs `callback` when the page is idle (soon after the first paint); returns a cancel function. */
function whenIdle(callback) {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(callback, { timeout: 1000 });
    return () => cancelIdleCallback(handle);
  }
  const handle = setTimeout(callback, 50);
  return () => clearTimeout(handle);
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
  const labelsCanvas = el('canvas', { className: 'petlens-labels', 'aria-hidden': 'true' });
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
  const minimap = createMinimap({ onNavigate: (fx, fy) => matrix && setZoom(centerOn(zoom, fy * matrix.C - 0.5, fx * matrix.C - 0.5, matrix.C, limits())) });
  const overlapList = createOverlapList({ onPick: (a, b) => pickPair(a, b) });
  const sidebar = createSidebar({
    onPick: (actual, predicted) => toggle(actual, predicted, true),
    onMinVal: (value) => commit('min_val', value),
    extra: minimap.node,
    beside: overlapList.node,
  });
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
  let images = new Map(); // pool (0: the full image) -> canvas of the display's pixels
  let names = []; // class names in display order
  let separators = []; // display positions where a group of the order starts
  let gutter = MIN_GUTTER_PX; // label band width
  let layout = null; // {side, left, dpr, stage: {width, height}}
  let mainWidth = null; // main.clientWidth the layout was made for
  let zoom = reset();
  let hover = null; // {row, col} display position under the pointer
  let drag = null;
  let legendKey = null; // what the legend shows
  let pairPick = null; // {a, b}: the overlapping pair last clicked (its other cell is marked while one is selected)
  let cancelGutterCheck = () => {}; // cancels the pending measure of every class name
  const dirty = { matrix: true, display: true, layout: true };
  const frame = createFrameScheduler(update);

  function commit(name, value) {
    model.set(name, value);
    model.save_changes();
  }

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
    showPairs();
    showOverlap();
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

  /** The most confused list for the current `min_val`. */
  function showPairs() {
    const minVal = readMinVal(model.get('min_val'));
    sidebar.setPairs(matrix ? confusedPairs(matrix, minVal) : { pairs: [], total: 0 }, minVal);
  }

  /** The overlapping classes (cleanlab) under the most-confused list. */
  function showOverlap() {
    const C = matrix ? matrix.C : 0;
    overlapList.set(matrix ? readOverlap(model.get('overlapping_pairs'), model.get('label_issues_info'), C) : null, matrix ? matrix.vocab : [], matrix);
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
    const C = matrix ? matrix.C : 0;
    const orders = model.get('orders');
    const order = model.get('order');
    display = matrix
      ? buildDisplay(matrix, {
          orders,
          order,
          normalize: model.get('normalize'),
          colorScale: model.get('color_scale'),
          hideDiagonal: model.get('hide_diagonal'),
        })
      : null;
    images = new Map();
    names = display ? display.order.map((i) => matrix.vocab[i]) : [];
    const named = display && isPermutation(orders && typeof orders === 'object' ? orders[order] : undefined, C);
    separators = named ? readOrderInfo(model.get('order_info'), order, C).groups.map((g) => g.start).filter((p) => p > 0) : [];
    legendKey = null;
    hover = null;
    tooltip.hide();
  }

  /** Canvas of the display's pixels: the full image (pool 0), or the overview at `pool` cells per pixel. */
  function imageFor(pool) {
    let image = images.get(pool);
    if (!image) {
      const { rgba, width } = pool === 0 ? { rgba: display.rgba, width: matrix.C } : display.overview(pool);
      image = pixelCanvas(rgba, width, width);
      images.set(pool, image);
    }
    return image;
  }

  /**
   * Sizes the stage from the width of the view and the class count: a square cell canvas with
   * the label band (as wide as the widest name, capped) left of and below it, and the side panel
   * beside it, or under it when that would leave fewer than MIN_READABLE_CELL_PX per cell (up
   * to READABLE_CLASSES classes) or a cramped panel. Small matrices get cells of up to
   * READABLE_CELL_PX (or more, up to MAX_FIT_CELL_PX, for a few classes); large ones fit the
   * window's height.
   */
  function layoutStage() {
    dirty.layout = false;
    const C = matrix ? matrix.C : 0;
    mainWidth = main.clientWidth;
    const { left, side, stacked, size } = stageLayout({ classes: C, gutter, mainWidth, windowHeight: window.innerHeight, sidePanelPx: SIDE_PANEL_PX });
    main.classList.toggle('petlens-stacked', stacked);
    placeStage({ stage, cellsCanvas, labelsCanvas, titleX, titleY }, { left, side, size }, gutter);
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
    const at = (i) => (i === null || !display ? null : display.position[i]);
    const selected = selection && display && { row: at(selection[0]), col: at(selection[1]) };
    const paired = selection && display && pairPick && isPairCell(selection, pairPick.a, pairPick.b);
    const mirror = paired ? { row: at(selection[1]), col: at(selection[0]) } : null;
    const [filterActual, filterPredicted] = currentFilter();
    const filter = { row: at(filterActual), col: at(filterPredicted) };
    const style = getComputedStyle(root);
    const color = style.color;
    const highlight = style.getPropertyValue('--petlens-highlight').trim() || '#ff7f0e';
    const cell = cellSize(zoom, C, size);
    const pool = cell > 0 && cell < OVERVIEW_CELL_PX ? Math.max(1, Math.ceil(1 / (cell * layout.dpr))) : 0;
    const values = drawCells(cellsCtx, {
      size,
      dpr: layout.dpr,
      zoom,
      C,
      image: display && C > 0 ? { source: imageFor(pool), pool: Math.max(1, pool) } : null,
      display,
      hover,
      selected,
      mirror,
      filter,
      separators,
      colors: { hover: color, selection: highlight, separator: color },
    });
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
      separators,
      truncate,
    });
    sidebar.setSelection(selection);
    overlapList.setSelection(selection);
    overlapList.setFilter(filterActual, filterPredicted);
    sidebar.setFilter(filterActual, filterPredicted);
    const key = `${pool}`;
    if (display && key !== legendKey) {
      legendKey = key;
      sidebar.setLegend(display, pool ? { pool } : null);
    }
    const can = canZoom(zoom, limits());
    controls.setZoom({ scale: zoom.scale, cellPx: cell, canIn: can.in, canOut: can.out });
    if (display && C > 0 && zoom.scale > 1) {
      minimap.update(imageFor(Math.max(1, Math.ceil(C / (MINIMAP_PX * layout.dpr)))), viewFraction(zoom, size), highlight);
    } else minimap.hide();
    Object.assign(root.dataset, {
      cellPx: cell.toFixed(2),
      rowLabels: labels.rows,
      colLabels: labels.cols,
      labelsCut: labels.cut,
      valuesDrawn: values.values,
      nonzeroCells: values.nonzero,
      zoom: zoom.scale.toFixed(3),
      overviewPool: pool,
      mirror: mirror ? `${selection[1]},${selection[0]}` : '',
    });
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

  // --- zoom, pan, selection, filters ---

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

  /** [filter_actual, filter_predicted] as class indices or null. */
  function currentFilter() {
    const C = matrix ? matrix.C : 0;
    return [readClassIndex(model.get('filter_actual'), C), readClassIndex(model.get('filter_predicted'), C)];
  }

  /** Pans so that the display row / column (either may be null: kept where it is) is in view. */
  function reveal(row, col) {
    if (!display || !layout || (row === null && col === null)) return;
    const range = visibleRange(zoom, matrix.C, plotSize());
    const inView = (p, start, end) => p === null || (range && p >= start && p <= end);
    if (inView(row, range?.rowStart, range?.rowEnd) && inView(col, range?.colStart, range?.colEnd)) return;
    const cell = cellSize(zoom, matrix.C, plotSize());
    const middle = (offset) => (layout.side / 2 - offset) / cell - 0.5;
    setZoom(centerOn(zoom, row ?? middle(zoom.ty), col ?? middle(zoom.tx), matrix.C, limits()));
  }

  /** Selects (actual, predicted), or clears it when already selected; `show` pans to it. */
  function toggle(actual, predicted, show) {
    const next = toggleSelection(currentSelection(), actual, predicted);
    commit('selection', next);
    if (next && show && display) reveal(display.position[actual], display.position[predicted]);
  }

  /**
   * A click on overlapping pair (a, b): selects its cell confused more often (or clears the
   * selection when it is already one of the pair's), marks the other, and shows both.
   */
  function pickPair(a, b) {
    if (!matrix || !display) return;
    if (isPairCell(currentSelection(), a, b)) {
      pairPick = null;
      commit('selection', null);
      return;
    }
    const [actual, predicted] = pairCell(matrix, a, b);
    pairPick = { a, b };
    commit('selection', [actual, predicted]);
    const [pa, pb] = [display.position[a], display.position[b]];
    if (layout) {
      // Cells too small to read (many classes): zoom in on the pair, as far as both still fit.
      const cells = [[pa, pb], [pb, pa]];
      const readable = (PAIR_CELL_PX * matrix.C) / layout.side;
      let next = zoom;
      if (cellSize(zoom, matrix.C, plotSize()) < READABLE_CELL_PX) {
        next = centerOn({ ...zoom, scale: Math.max(zoom.scale, readable) }, (pa + pb) / 2, (pa + pb) / 2, matrix.C, limits());
      }
      setZoom(showCells(next, cells, matrix.C, limits()));
    }
    frame.schedule();
  }

  function onFilterChange() {
    const [actual, predicted] = currentFilter();
    if (display && !dirty.display) reveal(actual === null ? null : display.position[actual], predicted === null ? null : display.position[predicted]);
    frame.schedule();
  }

  function pointIn(event, target = cellsCanvas) {
    const box = target.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  /** Whether drawing state matches the traits (trait changes wait for the next frame). */
  function current() {
    return Boolean(matrix && display && layout && !dirty.matrix && !dirty.display);
  }

  /** Display cell under a canvas point; null while trait changes wait for the next frame. */
  function cellUnder(point) {
    return current() ? cellAt(zoom, point.x, point.y, matrix.C, plotSize()) : null;
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

  /** The full class name under a point of the label bands (names may be shortened there). */
  function onLabelHover(event) {
    if (!current()) return;
    const { x, y } = pointIn(event, labelsCanvas);
    const cell = cellSize(zoom, matrix.C, plotSize());
    const { left, side } = layout;
    let line = null;
    if (x < left && y < side) {
      const row = Math.floor((y - zoom.ty) / cell);
      if (row >= 0 && row < matrix.C) line = ['Actual', names[row]];
    } else if (y >= side && y < side + gutter && x >= left) {
      const col = Math.floor((x - left - zoom.tx) / cell);
      if (col >= 0 && col < matrix.C) line = ['Predicted', names[col]];
    }
    if (!line) return tooltip.hide();
    tooltip.show([line]);
    tooltip.moveTo(x, y, layout.stage);
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
      Escape: () => commit('selection', null),
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
  labelsCanvas.addEventListener('pointermove', onLabelHover);
  labelsCanvas.addEventListener('pointerleave', () => tooltip.hide());

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
    ['change:filter_actual', onFilterChange],
    ['change:filter_predicted', onFilterChange],
    ['change:min_val', () => showPairs() || frame.schedule()],
    ...OVERLAP_TRAITS.map((name) => [`change:${name}`, () => showOverlap()]),
  ];
  for (const [event, callback] of subscriptions) model.on(event, callback);
  // Its first call (right after the first frame) reports the size just laid out: no redraw.
  const resizeObserver = new ResizeObserver(() => {
    if (main.clientWidth !== mainWidth) markDirty('layout')();
  });
  resizeObserver.observe(main);

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
