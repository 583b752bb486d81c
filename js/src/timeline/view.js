/**
 * The animated unfreezing timeline: one row per layer group coloured by its learning rate
 * (grey and hatched while frozen), the rate and momentum curves per group (as fastai's
 * `plot_sched`), the losses, labelled fit / freeze / unfreeze boundaries, and a cursor that
 * plays, scrubs and steps through the run. The iteration axis zooms (wheel, a brush dragged on
 * the axis or with Shift, buttons, a fit picked from a list).
 *
 * Three stacked canvases: the frame (axes, grids, labels), the data (painted from
 * per-pixel-column aggregates of the iterations in view onto an offscreen canvas when the data,
 * the size or the window change, and copied up to the cursor while playing, so Play reveals the
 * curves as it goes), and an overlay with the boundaries and the cursor, repainted every frame.
 * The cursor is written back to the model at most every WRITE_INTERVAL_MS while playing or scrubbing.
 */
import { seriesColor } from '../lib/chart.js';
import { VIRIDIS } from '../lib/colormap.js';
import { createTruncator } from '../lib/labels.js';
import { advance, createThrottle, playStart, readCursor, readSpeed } from '../lib/playback.js';
import { linearScale, logScale } from '../lib/scale.js';
import { createFrameScheduler } from '../lib/schedule.js';
import { el, setText } from '../lib/text.js';
import {
  boundaryMarkers,
  columnCount,
  cursorStops,
  describeCursor,
  lossAxisDomain,
  lrAxisDomain,
  lrExtent,
  m4,
  momAxisDomain,
  nextStop,
  previousStop,
  readoutTexts,
  readTimeline,
  smoothLoss,
  stackLabels,
  stripImage,
  validPoints,
} from '../lib/timeline.js';
import {
  clampWindow,
  edgeAtX,
  edgeX,
  fullWindow,
  iterAtX,
  iterX,
  overAxis,
  overPanels,
  panWindow,
  timelineLayout,
  windowBetween,
  windowShowing,
  ZOOM_STEP,
  zoomWindow,
} from '../lib/timeline-layout.js';
import { pixelCanvas, sizeCanvas } from '../ui/canvas.js';
import { createControls } from './controls.js';
import { drawBack, drawData, drawOverlay, FONT } from './draw.js';
import { createLegend, createReadout } from './readout.js';
import { TIMELINE_CSS } from './styles.js';

const MIN_WIDTH_PX = 360;
const MAX_WIDTH_PX = 1600;
const EMPTY = 'No training iterations recorded yet.';
const DATA_TRAITS = ['layer_groups', 'phase', 'epoch', 'loss', 'lrs', 'moms', 'trainable', 'phases', 'epochs', 'events', 'epoch_errors'];
const BRUSH_MIN_PX = 4; // a shorter drag on the axis is a click, not a brush
const WHEEL_PX_PER_STEP = 300; // wheel delta (px) that zooms by ZOOM_STEP

function defaultNow() {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/**
 * Renders the timeline into `host`.
 * @param {object} model anywidget model, a createModel() stand-in, or a dashboard's scoped proxy
 *   (only get / set / save_changes / on / off are used)
 * @param {HTMLElement} host
 * @param {{now?: () => number}} [options] clock in ms (injectable for tests)
 * @returns {() => void} cleanup: unsubscribes, stops playing, cancels frames, removes the view
 */
export function mountTimeline(model, host, { now = defaultNow } = {}) {
  const controls = createControls({
    togglePlay: () => (animating ? pause() : play()),
    setSpeed: (speed) => commit('speed', speed),
    previous: () => stepTo(previousStop(stops, cursor)),
    next: () => stepTo(nextStop(stops, cursor)),
    scrub: (iter, final) => scrubTo(iter, final),
    zoom: (factor) => setWindow(zoomWindow(win, T(), factor, zoomAnchor())),
    showRange: (range) => setWindow(range ? clampWindow(range, T()) : fullWindow(T())),
  });
  const baseCanvas = el('canvas', { className: 'petlens-tl-back', 'aria-hidden': 'true' });
  const dataCanvas = el('canvas', { className: 'petlens-tl-data', 'aria-hidden': 'true' });
  const dataFull = document.createElement('canvas'); // every column in view; copied to dataCanvas up to the reveal
  const overlay = el('canvas', {
    className: 'petlens-tl-overlay',
    tabindex: 0,
    role: 'slider',
    'aria-label':
      'Training iteration. Drag to scrub; arrows step, Page Up / Page Down jump between epochs, Space plays. '
      + 'Wheel or + / - zoom the iterations, drag on the axis (or Shift-drag) to zoom to a range, 0 or a double click shows all.',
    'aria-valuemin': 0,
  });
  const stage = el('div', { className: 'petlens-tl-stage' }, [baseCanvas, dataCanvas, overlay]);
  const legend = createLegend();
  const readout = createReadout();
  const content = el('div', { className: 'petlens-tl-content' }, [controls.node, stage, legend.node, readout.node]);
  const message = el('div', { className: 'petlens-error', role: 'alert', hidden: true });
  const empty = el('div', { className: 'petlens-empty petlens-muted', text: EMPTY, hidden: true });
  const root = el('div', { className: 'petlens petlens-timeline' }, [el('style', { text: TIMELINE_CSS }), message, empty, content]);
  host.appendChild(root);
  const baseCtx = baseCanvas.getContext('2d');
  const dataCtx = dataCanvas.getContext('2d');
  const fullCtx = dataFull.getContext('2d');
  const overlayCtx = overlay.getContext('2d');
  const truncate = createTruncator((text) => baseCtx.measureText(text).width);

  let timeline = null; // readTimeline result
  let lastT = 0; // T of the data shown before (to follow a growing run)
  let derived = null; // data-only results: smooth, valid, markers, extent, domains, colours
  let stops = [];
  let layout = null;
  let columns = null; // per-layout aggregates and scales
  let cursor = 0;
  let position = 0; // fractional cursor while playing
  let animating = false;
  let lastTime = 0;
  let scrubbing = false;
  let brush = null; // {x0, x1} while a range is dragged
  let win = fullWindow(0); // iterations in view
  let revealed = null; // x up to which the data layer shows (null: all)
  const throttle = createThrottle();
  const dirty = { data: true, layout: true, base: true };
  const frame = createFrameScheduler(update);

  function T() {
    return timeline ? timeline.T : 0;
  }

  function commit(name, value) {
    model.set(name, value);
    model.save_changes();
  }

  // --- model -> view ---

  function update() {
    if (dirty.data) loadData();
    if (animating) stepAnimation(); // may page the window: before the layout
    const dpr = window.devicePixelRatio || 1;
    if (timeline && timeline.T > 0 && (dirty.layout || (layout && layout.dpr !== dpr))) layoutStage(dpr);
    if (timeline && timeline.T > 0 && layout) {
      if (dirty.base) paintBase();
      paintReveal();
      paintOverlay();
      renderReadout();
    }
    controls.sync({ T: T(), cursor, playing: animating, speed: readSpeed(model.get('speed')), win, fits: fitRanges() });
    if (animating) frame.schedule();
  }

  function loadData() {
    dirty.data = false;
    dirty.layout = true;
    try {
      timeline = readTimeline((name) => model.get(name));
      showMessage(null);
    } catch (error) {
      timeline = null;
      showMessage(`Cannot show the timeline: ${error.message}`);
    }
    const n = T();
    empty.hidden = n > 0 || !message.hidden;
    content.hidden = n === 0;
    if (n === 0) {
      derived = null;
      stops = [];
      if (animating) stopAnimation();
      return;
    }
    const smooth = smoothLoss(timeline.loss, timeline.phase);
    const valid = validPoints(timeline.epochs);
    const extent = lrExtent(timeline.lrs);
    derived = {
      smooth,
      valid,
      extent,
      colourDomain: extent ?? [1e-3, 1e-3],
      lrDomain: lrAxisDomain(timeline.lrs),
      momDomain: momAxisDomain(timeline.moms),
      lossDomain: lossAxisDomain(timeline.loss, smooth, valid),
      markers: boundaryMarkers(timeline.phases, timeline.events),
      colors: timeline.groups.map((_, g) => seriesColor(g)),
      epochEdges: timeline.epochs.map((e) => e.iter).filter((e) => e > 0 && e < n),
    };
    stops = cursorStops(n, timeline.epochs, timeline.phases);
    // A view of every iteration follows a growing run; a zoom stays where it is.
    win = win.end === 0 || win.start === 0 && win.end >= lastT ? fullWindow(n) : clampWindow(win, n);
    lastT = n;
    cursor = readCursor(model.get('cursor'), n);
    position = Math.min(position, n - 1);
    if (!animating) position = cursor;
    legend.update({ extent, groups: timeline.groups, colors: derived.colors, hasValid: valid.length > 0 });
    overlay.setAttribute('aria-valuemax', String(n - 1));
  }

  /**
   * Sizes the canvases to the available width and aggregates the iterations in view per pixel
   * column. The height (label rows) is the larger of the whole run's and the window's, so that
   * zooming does not make the page jump.
   */
  function layoutStage(dpr) {
    dirty.layout = false;
    dirty.base = true;
    const width = Math.round(Math.min(MAX_WIDTH_PX, Math.max(MIN_WIDTH_PX, content.clientWidth || MIN_WIDTH_PX)));
    baseCtx.font = FONT;
    const labelWidth = Math.max(0, ...timeline.groups.map((g) => baseCtx.measureText(g.label).width));
    const shape = { width, G: timeline.G, labelWidth, mom: derived.momDomain !== null };
    let next = timelineLayout(shape);
    const rows = (placed) => Math.max(1, ...placed.map((m) => m.row + 1));
    const markers = placeMarkers(next, win);
    next = timelineLayout({ ...shape, labelRows: Math.max(rows(markers), rows(placeMarkers(next, fullWindow(T())))) });
    const resized = !layout || layout.width !== next.width || layout.height !== next.height || layout.dpr !== dpr;
    next.dpr = dpr;
    if (resized) {
      for (const canvas of [baseCanvas, dataCanvas, dataFull, overlay]) sizeCanvas(canvas, next.width, next.height);
      stage.style.width = `${next.width}px`;
      stage.style.height = `${next.height}px`;
    }
    layout = next;
    stage.dataset.lrDomain = derived.lrDomain.join(','); // the rate axis, for scripts and tests

    const { G, groups } = timeline;
    const count = columnCount(win.end - win.start, layout.plotWidth, layout.dpr);
    const strip = stripImage(timeline, win, count, derived.colourDomain, VIRIDIS);
    columns = {
      markers,
      strip: { ...strip, n: count, image: count > 0 && G > 0 ? pixelCanvas(strip.rgba, count, G) : null },
      lrLines: groups.map((_, g) => m4(timeline.lrs, win, count, G, g, { positive: true })),
      momLines: timeline.moms ? groups.map((_, g) => m4(timeline.moms, win, count, G, g)) : [],
      lossLine: m4(timeline.loss, win, count),
      smoothLine: m4(derived.smooth, win, count),
      lrY: logScale(derived.lrDomain, [layout.lr.bottom, layout.lr.top]),
      momY: layout.mom ? linearScale(derived.momDomain, [layout.mom.bottom, layout.mom.top]) : null,
      lossY: linearScale(derived.lossDomain, [layout.loss.bottom, layout.loss.top]),
    };
  }

  /**
   * Boundary labels of the window: left of their line when they would leave the plot, stacked
   * in rows so none overlap.
   */
  function placeMarkers(geometry, range) {
    baseCtx.font = `600 ${FONT}`;
    const inView = derived.markers.filter((m) => m.iter >= range.start && m.iter <= range.end);
    const placed = inView.map((m) => {
      const x = edgeX(geometry, range, m.iter);
      const width = baseCtx.measureText(m.label).width + 6;
      const align = x + width > geometry.right ? 'right' : 'left';
      return { ...m, align, left: align === 'left' ? x : x - width, width };
    });
    const order = placed.map((_, k) => k).sort((a, b) => placed[a].left - placed[b].left);
    const rows = stackLabels(order.map((k) => ({ x: placed[k].left, width: placed[k].width })));
    order.forEach((k, j) => {
      placed[k].row = rows[j];
    });
    return placed;
  }

  function theme() {
    const style = getComputedStyle(root);
    const css = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
    const fg = style.color || '#1f2328';
    return {
      fg,
      muted: css('--petlens-fg-muted', '#59636e'),
      border: css('--petlens-border', '#c9d1d9'),
      bg: css('--petlens-bg', '#ffffff'),
      grid: 'rgba(128, 128, 128, 0.2)',
      highlight: css('--petlens-highlight', '#ff7f0e'),
      cursor: fg,
    };
  }

  /** The frame and the data of the window (the data offscreen, shown by paintReveal). */
  function paintBase() {
    dirty.base = false;
    const scene = {
      layout,
      dpr: layout.dpr,
      win,
      G: timeline.G,
      groups: timeline.groups,
      groupColors: derived.colors,
      epochEdges: derived.epochEdges,
      valid: derived.valid,
      truncate,
      theme: theme(),
      ...columns,
    };
    drawBack(baseCtx, scene);
    drawData(fullCtx, scene);
    revealed = undefined; // copy again
  }

  /** Copies the data up to the cursor while playing (every column otherwise). */
  function paintReveal() {
    const x = animating ? Math.min(layout.width, Math.max(layout.left, Math.round(iterX(layout, win, cursor)))) : null;
    if (x === revealed) return;
    revealed = x;
    dataCtx.setTransform(1, 0, 0, 1, 0, 0);
    dataCtx.clearRect(0, 0, dataCanvas.width, dataCanvas.height);
    const px = x === null ? dataFull.width : Math.round(x * layout.dpr);
    if (px > 0) dataCtx.drawImage(dataFull, 0, 0, px, dataFull.height, 0, 0, px, dataFull.height);
  }

  function paintOverlay() {
    const { G, lrs, moms } = timeline;
    const colours = theme();
    const groupDots = (values, y, panel) =>
      derived.colors.map((color, g) => {
        const v = values[cursor * G + g];
        return { y: Number.isFinite(v) ? y.map(v) : NaN, color, top: panel.top, bottom: panel.bottom };
      });
    const dots = groupDots(lrs, columns.lrY, layout.lr).filter((_, g) => lrs[cursor * G + g] > 0);
    if (layout.mom) dots.push(...groupDots(moms, columns.momY, layout.mom));
    const smooth = derived.smooth[cursor];
    dots.push({ y: Number.isFinite(smooth) ? columns.lossY.map(smooth) : NaN, color: colours.fg, top: layout.loss.top, bottom: layout.loss.bottom });
    drawOverlay(overlayCtx, { layout, dpr: layout.dpr, win, cursor, dots, brush, markers: columns.markers, theme: colours });
    overlay.setAttribute('aria-valuenow', String(cursor));
  }

  // --- the window in view ---

  /** Shows the iterations of `next` (a valid window); redraws when it changed. */
  function setWindow(next) {
    if (next.start === win.start && next.end === win.end) return;
    win = next;
    dirty.layout = true;
    frame.schedule();
  }

  /** Where + / - zoom about: the cursor when it is in view, else the middle. */
  function zoomAnchor() {
    return cursor >= win.start && cursor < win.end ? cursor + 0.5 : (win.start + win.end) / 2;
  }

  /** Each fit's iterations, for the "Show" list. */
  function fitRanges() {
    if (!timeline) return [];
    return timeline.phases
      .filter((p) => Number.isInteger(p.n_iter) && p.n_iter > 0)
      .map((p, k) => ({ label: `fit ${k + 1}${p.frozen_idx > 0 ? ' (frozen)' : ''}`, start: p.first_iter, end: p.first_iter + p.n_iter }));
  }

  function renderReadout() {
    readout.update(readoutTexts(describeCursor(timeline, cursor, derived.smooth)), derived.colors);
  }

  function showMessage(text) {
    setText(message, text);
    message.hidden = !text;
  }

  // --- cursor and playback ---

  /** Writes the cursor to the model (when it differs) and saves; `extra` traits go in the same save. */
  function writeCursor(extra = {}) {
    for (const [name, value] of Object.entries(extra)) model.set(name, value);
    if (model.get('cursor') !== cursor) model.set('cursor', cursor);
    model.save_changes();
  }

  function setCursor(i) {
    cursor = readCursor(i, T());
    position = cursor;
    frame.schedule();
  }

  function play() {
    const n = T();
    if (n <= 1) return;
    position = playStart(cursor, n);
    cursor = Math.floor(position);
    setWindow(windowShowing(win, n, cursor));
    lastTime = now();
    animating = true;
    throttle.reset();
    throttle.due(lastTime);
    writeCursor({ playing: true });
    frame.schedule();
  }

  function stopAnimation() {
    animating = false;
    position = cursor;
  }

  function pause() {
    stopAnimation();
    writeCursor({ playing: false });
    frame.schedule();
  }

  function stepAnimation() {
    const t = now();
    const step = advance(position, t - lastTime, T(), readSpeed(model.get('speed')));
    lastTime = t;
    position = step.position;
    cursor = step.cursor;
    setWindow(windowShowing(win, T(), cursor));
    if (step.done) {
      stopAnimation();
      writeCursor({ playing: false });
    } else if (throttle.due(t)) writeCursor();
  }

  function stepTo(i) {
    if (animating) pause();
    setCursor(i);
    writeCursor();
  }

  function scrubTo(i, final) {
    if (animating) pause();
    setCursor(i);
    if (final || throttle.due(now())) writeCursor();
  }

  // --- pointer and keys ---

  function pointIn(event) {
    const rect = overlay.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  function onPointerDown(event) {
    if (event.button !== 0 || !layout || T() === 0) return;
    const { x, y } = pointIn(event);
    if (!overPanels(layout, x, y)) return;
    overlay.setPointerCapture?.(event.pointerId);
    if (overAxis(layout, x, y) || event.shiftKey) {
      brush = { x0: x, x1: x };
      frame.schedule();
      return;
    }
    scrubbing = true;
    throttle.reset();
    scrubTo(iterAtX(layout, win, x), false);
  }

  function onPointerMove(event) {
    if (brush) {
      brush.x1 = pointIn(event).x;
      frame.schedule();
    } else if (scrubbing) scrubTo(iterAtX(layout, win, pointIn(event).x), false);
  }

  function onPointerUp() {
    if (brush) {
      const { x0, x1 } = brush;
      brush = null;
      if (Math.abs(x1 - x0) >= BRUSH_MIN_PX) setWindow(windowBetween(edgeAtX(layout, win, x0), edgeAtX(layout, win, x1), T()));
      frame.schedule();
      return;
    }
    if (!scrubbing) return;
    scrubbing = false;
    writeCursor();
  }

  /** Wheel: zoom about the pointer; horizontal wheel (or Shift) pans. */
  function onWheel(event) {
    if (!layout || T() === 0) return;
    const { x, y } = pointIn(event);
    if (!overPanels(layout, x, y)) return;
    event.preventDefault();
    const scale = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? layout.height : 1; // lines, pages -> px
    const horizontal = event.shiftKey ? event.deltaY || event.deltaX : event.deltaX;
    if (horizontal && (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY))) {
      const perPx = (win.end - win.start) / layout.plotWidth;
      setWindow(panWindow(win, T(), Math.round(horizontal * scale * perPx)));
      return;
    }
    const factor = ZOOM_STEP ** (-(event.deltaY * scale) / WHEEL_PX_PER_STEP);
    setWindow(zoomWindow(win, T(), factor, edgeAtX(layout, win, x)));
  }

  function onKeyDown(event) {
    const n = T();
    if (n === 0) return;
    const actions = {
      ArrowLeft: () => stepTo(cursor - 1),
      ArrowRight: () => stepTo(cursor + 1),
      PageUp: () => stepTo(previousStop(stops, cursor)),
      PageDown: () => stepTo(nextStop(stops, cursor)),
      Home: () => stepTo(0),
      End: () => stepTo(n - 1),
      ' ': () => (animating ? pause() : play()),
      '+': () => setWindow(zoomWindow(win, n, ZOOM_STEP, zoomAnchor())),
      '=': () => setWindow(zoomWindow(win, n, ZOOM_STEP, zoomAnchor())),
      '-': () => setWindow(zoomWindow(win, n, 1 / ZOOM_STEP, zoomAnchor())),
      0: () => setWindow(fullWindow(n)),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }

  overlay.addEventListener('pointerdown', onPointerDown);
  overlay.addEventListener('pointermove', onPointerMove);
  overlay.addEventListener('pointerup', onPointerUp);
  overlay.addEventListener('pointercancel', onPointerUp);
  overlay.addEventListener('keydown', onKeyDown);
  overlay.addEventListener('wheel', onWheel, { passive: false });
  overlay.addEventListener('dblclick', () => setWindow(fullWindow(T())));

  // --- subscriptions ---

  const markDirty = (part) => () => {
    dirty[part] = true;
    frame.schedule();
  };
  function onCursorChange() {
    const value = readCursor(model.get('cursor'), T());
    if (value === cursor || dirty.data) return; // our own write, or read with the new data
    cursor = value;
    position = value;
    frame.schedule();
  }
  function onPlayingChange() {
    const playing = model.get('playing') === true;
    if (playing && !animating) play();
    else if (!playing && animating) {
      stopAnimation();
      writeCursor();
    }
    frame.schedule();
  }
  const subscriptions = [
    ...DATA_TRAITS.map((name) => [`change:${name}`, markDirty('data')]),
    ['change:cursor', onCursorChange],
    ['change:playing', onPlayingChange],
    ['change:speed', () => frame.schedule()],
  ];
  for (const [event, callback] of subscriptions) model.on(event, callback);
  const resizeObserver = new ResizeObserver(markDirty('layout'));
  resizeObserver.observe(root);

  update(); // first paint now, so the view has its size before the first frame
  if (model.get('playing') === true && !animating) play();

  return () => {
    for (const [event, callback] of subscriptions) model.off(event, callback);
    resizeObserver.disconnect();
    animating = false;
    frame.cancel();
    root.remove();
  };
}
