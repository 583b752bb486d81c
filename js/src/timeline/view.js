/**
 * The animated unfreezing timeline: one row per layer group coloured by its learning rate
 * (grey and hatched while frozen), the rate curves, the losses, labelled fit / freeze /
 * unfreeze boundaries, and a cursor that plays, scrubs and steps through the run.
 *
 * The base canvas is painted from per-pixel-column aggregates when the data or the size
 * change; the cursor lives on an overlay canvas repainted every frame. The cursor is written
 * back to the model at most every WRITE_INTERVAL_MS while playing or scrubbing.
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
  nextStop,
  previousStop,
  readoutTexts,
  readTimeline,
  smoothLoss,
  stackLabels,
  stripImage,
  validPoints,
} from '../lib/timeline.js';
import { edgeX, iterAtX, overPanels, timelineLayout } from '../lib/timeline-layout.js';
import { pixelCanvas, sizeCanvas } from '../ui/canvas.js';
import { createControls } from './controls.js';
import { drawBase, drawOverlay, FONT } from './draw.js';
import { createLegend, createReadout } from './readout.js';
import { TIMELINE_CSS } from './styles.js';

const MIN_WIDTH_PX = 360;
const MAX_WIDTH_PX = 1600;
const EMPTY = 'No training iterations recorded yet.';
const DATA_TRAITS = ['layer_groups', 'phase', 'epoch', 'loss', 'lrs', 'trainable', 'phases', 'epochs', 'events', 'epoch_errors'];

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
  });
  const baseCanvas = el('canvas', { 'aria-hidden': 'true' });
  const overlay = el('canvas', {
    className: 'petlens-tl-overlay',
    tabindex: 0,
    role: 'slider',
    'aria-label': 'Training iteration. Drag to scrub; arrows step, Page Up / Page Down jump between epochs, Space plays.',
    'aria-valuemin': 0,
  });
  const stage = el('div', { className: 'petlens-tl-stage' }, [baseCanvas, overlay]);
  const legend = createLegend();
  const readout = createReadout();
  const content = el('div', { className: 'petlens-tl-content' }, [controls.node, stage, legend.node, readout.node]);
  const message = el('div', { className: 'petlens-error', role: 'alert', hidden: true });
  const empty = el('div', { className: 'petlens-empty petlens-muted', text: EMPTY, hidden: true });
  const root = el('div', { className: 'petlens petlens-timeline' }, [el('style', { text: TIMELINE_CSS }), message, empty, content]);
  host.appendChild(root);
  const baseCtx = baseCanvas.getContext('2d');
  const overlayCtx = overlay.getContext('2d');
  const truncate = createTruncator((text) => baseCtx.measureText(text).width);

  let timeline = null; // readTimeline result
  let derived = null; // data-only results: smooth, valid, markers, extent, domains, colours
  let stops = [];
  let layout = null;
  let columns = null; // per-layout aggregates and scales
  let cursor = 0;
  let position = 0; // fractional cursor while playing
  let animating = false;
  let lastTime = 0;
  let scrubbing = false;
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
    const dpr = window.devicePixelRatio || 1;
    if (timeline && timeline.T > 0 && (dirty.layout || (layout && layout.dpr !== dpr))) layoutStage(dpr);
    if (animating) stepAnimation();
    if (timeline && timeline.T > 0 && layout) {
      if (dirty.base) paintBase();
      paintOverlay();
      renderReadout();
    }
    controls.sync({ T: T(), cursor, playing: animating, speed: readSpeed(model.get('speed')) });
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
      lrDomain: lrAxisDomain(extent),
      lossDomain: lossAxisDomain(timeline.loss, smooth, valid),
      markers: boundaryMarkers(timeline.phases, timeline.events),
      colors: timeline.groups.map((_, g) => seriesColor(g)),
      epochEdges: timeline.epochs.map((e) => e.iter).filter((e) => e > 0 && e < n),
    };
    stops = cursorStops(n, timeline.epochs, timeline.phases);
    cursor = readCursor(model.get('cursor'), n);
    position = Math.min(position, n - 1);
    if (!animating) position = cursor;
    legend.update({ extent, groups: timeline.groups, colors: derived.colors, hasValid: valid.length > 0 });
    overlay.setAttribute('aria-valuemax', String(n - 1));
  }

  /** Sizes the canvases to the available width and aggregates the data per pixel column. */
  function layoutStage(dpr) {
    dirty.layout = false;
    dirty.base = true;
    const n = T();
    const width = Math.round(Math.min(MAX_WIDTH_PX, Math.max(MIN_WIDTH_PX, content.clientWidth || MIN_WIDTH_PX)));
    baseCtx.font = FONT;
    const labelWidth = Math.max(0, ...timeline.groups.map((g) => baseCtx.measureText(g.label).width));
    let next = timelineLayout({ width, G: timeline.G, labelWidth });
    const markers = placeMarkers(next);
    next = timelineLayout({ width, G: timeline.G, labelWidth, labelRows: Math.max(1, ...markers.map((m) => m.row + 1)) });
    next.dpr = sizeCanvas(baseCanvas, next.width, next.height);
    sizeCanvas(overlay, next.width, next.height);
    stage.style.width = `${next.width}px`;
    stage.style.height = `${next.height}px`;
    layout = next;

    const count = columnCount(n, layout.plotWidth, layout.dpr);
    const strip = stripImage(timeline, count, derived.colourDomain, VIRIDIS);
    const G = timeline.G;
    columns = {
      markers,
      strip: { ...strip, n: count, image: count > 0 && G > 0 ? pixelCanvas(strip.rgba, count, G) : null },
      lrLines: timeline.groups.map((_, g) => m4(timeline.lrs, n, count, G, g, { positive: true })),
      lossLine: m4(timeline.loss, n, count),
      smoothLine: m4(derived.smooth, n, count),
      lrY: logScale(derived.lrDomain, [layout.lr.bottom, layout.lr.top]),
      lossY: linearScale(derived.lossDomain, [layout.loss.bottom, layout.loss.top]),
    };
  }

  /** Boundary labels: left of their line when they would leave the plot, stacked in rows so none overlap. */
  function placeMarkers(geometry) {
    const n = T();
    baseCtx.font = `600 ${FONT}`;
    const placed = derived.markers.map((m) => {
      const x = edgeX(geometry, n, m.iter);
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
      cursor: fg,
    };
  }

  function paintBase() {
    dirty.base = false;
    drawBase(baseCtx, {
      layout,
      dpr: layout.dpr,
      T: T(),
      G: timeline.G,
      groups: timeline.groups,
      groupColors: derived.colors,
      epochEdges: derived.epochEdges,
      valid: derived.valid,
      truncate,
      theme: theme(),
      ...columns,
    });
  }

  function paintOverlay() {
    const { G, lrs } = timeline;
    const colours = theme();
    const dots = derived.colors.map((color, g) => {
      const lr = lrs[cursor * G + g];
      return { y: lr > 0 ? columns.lrY.map(lr) : NaN, color, top: layout.lr.top, bottom: layout.lr.bottom };
    });
    const smooth = derived.smooth[cursor];
    dots.push({ y: Number.isFinite(smooth) ? columns.lossY.map(smooth) : NaN, color: colours.fg, top: layout.loss.top, bottom: layout.loss.bottom });
    drawOverlay(overlayCtx, { layout, dpr: layout.dpr, T: T(), cursor, dots, theme: colours });
    overlay.setAttribute('aria-valuenow', String(cursor));
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
    scrubbing = true;
    throttle.reset();
    overlay.setPointerCapture?.(event.pointerId);
    scrubTo(iterAtX(layout, T(), x), false);
  }

  function onPointerMove(event) {
    if (scrubbing) scrubTo(iterAtX(layout, T(), pointIn(event).x), false);
  }

  function onPointerUp() {
    if (!scrubbing) return;
    scrubbing = false;
    writeCursor();
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
