/**
 * Geometry of the timeline canvas: stacked panels sharing one x axis (iterations), the
 * iteration window in view (zoom, pan, brush) and the mapping between iterations and x.
 * Pure, no DOM.
 *
 *   marker labels (fit / freeze / unfreeze)
 *   layer-group strips, one row per group, labelled in the left gutter
 *   learning rate per group (log y)
 *   momentum per group (linear y; only when the run recorded one)
 *   train / valid loss (linear y)
 *   iteration axis
 *
 * A window `{start, end}` is the integer edge range [start, end) of iterations in view
 * (0 <= start < end <= T); the whole run is `{start: 0, end: T}`.
 */

export const LABEL_ROW_PX = 15; // one row of boundary labels
export const PANEL_GAP_PX = 20;
export const LR_PANEL_PX = 104;
export const MOM_PANEL_PX = 56;
export const LOSS_PANEL_PX = 140;
export const AXIS_PX = 26;
export const RIGHT_PX = 14;
export const MIN_GUTTER_PX = 84;
export const MAX_GUTTER_PX = 220;
export const SWATCH_PX = 10; // group colour square before the strip label
export const LABEL_X_PX = 22; // x of the strip labels, after the swatch

/** Height of one strip row and the gap between rows, by number of groups. */
export function stripRowSize(G) {
  if (G <= 4) return { rowHeight: 20, rowGap: 3 };
  if (G <= 6) return { rowHeight: 16, rowGap: 2 };
  return { rowHeight: 13, rowGap: 2 };
}

/**
 * @param {{width: number, G: number, labelWidth: number, labelRows?: number, mom?: boolean}} options
 *   `labelWidth`: widest strip label, px; `labelRows`: rows of boundary labels above the strips;
 *   `mom`: with a momentum panel
 * @returns {{width: number, height: number, left: number, right: number, plotWidth: number, gutter: number,
 *   labels: {top: number, rows: number}, strips: {top: number, bottom: number, rowHeight: number, rowGap: number},
 *   lr: {top: number, bottom: number, height: number}, mom: {top: number, bottom: number, height: number} | null,
 *   loss: {top: number, bottom: number, height: number}, axis: {top: number}}}
 */
export function timelineLayout({ width, G, labelWidth, labelRows = 1, mom = false }) {
  const gutter = Math.ceil(Math.min(MAX_GUTTER_PX, Math.max(MIN_GUTTER_PX, labelWidth + LABEL_X_PX + 10)));
  const left = gutter;
  const right = Math.max(left + 1, width - RIGHT_PX);
  const rows = Math.max(1, labelRows);
  const labelsTop = 2;
  const { rowHeight, rowGap } = stripRowSize(G);
  const stripsTop = labelsTop + rows * LABEL_ROW_PX + 3;
  const stripsBottom = stripsTop + G * rowHeight + Math.max(0, G - 1) * rowGap;
  const lrTop = stripsBottom + PANEL_GAP_PX;
  const momTop = lrTop + LR_PANEL_PX + PANEL_GAP_PX;
  const lossTop = mom ? momTop + MOM_PANEL_PX + PANEL_GAP_PX : momTop;
  const lossBottom = lossTop + LOSS_PANEL_PX;
  return {
    width,
    height: lossBottom + AXIS_PX,
    left,
    right,
    plotWidth: right - left,
    gutter,
    labels: { top: labelsTop, rows },
    strips: { top: stripsTop, bottom: stripsBottom, rowHeight, rowGap },
    lr: { top: lrTop, bottom: lrTop + LR_PANEL_PX, height: LR_PANEL_PX },
    mom: mom ? { top: momTop, bottom: momTop + MOM_PANEL_PX, height: MOM_PANEL_PX } : null,
    loss: { top: lossTop, bottom: lossBottom, height: LOSS_PANEL_PX },
    axis: { top: lossBottom },
  };
}

/** Top y of strip row g. */
export function stripRowTop(layout, g) {
  const { top, rowHeight, rowGap } = layout.strips;
  return top + g * (rowHeight + rowGap);
}

/** x of an edge coordinate e (iteration i spans edges i to i + 1) in window `win`. */
export function edgeX(layout, win, e) {
  const span = win.end - win.start;
  return layout.left + (span > 0 ? ((e - win.start) / span) * layout.plotWidth : 0);
}

/** x of the middle of iteration i. */
export function iterX(layout, win, i) {
  return edgeX(layout, win, i + 0.5);
}

/** Edge coordinate (fractional) under x, clamped to the window. */
export function edgeAtX(layout, win, x) {
  const t = layout.plotWidth > 0 ? (x - layout.left) / layout.plotWidth : 0;
  return win.start + Math.min(1, Math.max(0, t)) * (win.end - win.start);
}

/** Iteration under x, clamped to the window (so a drag past the ends scrubs to the ends). */
export function iterAtX(layout, win, x) {
  if (!(win.end > win.start)) return 0;
  return Math.min(win.end - 1, Math.max(win.start, Math.floor(edgeAtX(layout, win, x))));
}

/** x of column c's middle when the plot is drawn as n columns. */
export function columnX(layout, n, c) {
  return layout.left + ((c + 0.5) / n) * layout.plotWidth;
}

/** True when (x, y) is over the panels (where a press starts scrubbing). */
export function overPanels(layout, x, y) {
  return x >= layout.left - 4 && x <= layout.right + 4 && y >= layout.labels.top && y <= layout.axis.top + AXIS_PX;
}

/** True when (x, y) is on the iteration axis below the panels (where a drag brushes a range). */
export function overAxis(layout, x, y) {
  return x >= layout.left - 4 && x <= layout.right + 4 && y > layout.axis.top && y <= layout.axis.top + AXIS_PX;
}

// --- the window in view ----------------------------------------------------------------------

/** Fewest iterations a zoom shows (or T when the run has fewer). */
export const MIN_SPAN = 4;

/** Zoom factor of one button press or key press (a wheel notch zooms by a part of it). */
export const ZOOM_STEP = 2;

/** The whole run. */
export function fullWindow(T) {
  return { start: 0, end: Math.max(0, T) };
}

/** True when `win` shows every iteration of a run of T. */
export function isFull(win, T) {
  return win.start <= 0 && win.end >= T;
}

/**
 * `win` made valid for a run of T iterations: integer edges, at least MIN_SPAN (or T) wide,
 * shifted (not shrunk) back inside [0, T].
 */
export function clampWindow(win, T) {
  if (!(T > 0)) return fullWindow(0);
  let start = Math.round(Number.isFinite(win.start) ? win.start : 0);
  let end = Math.round(Number.isFinite(win.end) ? win.end : T);
  if (end < start) [start, end] = [end, start];
  const span = Math.min(T, Math.max(Math.min(MIN_SPAN, T), end - start));
  start = Math.min(Math.max(0, start), T - span);
  return { start, end: start + span };
}

/**
 * Zoom by `factor` (> 1 in, < 1 out) keeping edge coordinate `anchor` at the same place on screen.
 * @returns {{start: number, end: number}}
 */
export function zoomWindow(win, T, factor, anchor = (win.start + win.end) / 2) {
  const span = win.end - win.start;
  if (!(factor > 0) || !(span > 0)) return clampWindow(win, T);
  const next = Math.min(T, Math.max(Math.min(MIN_SPAN, T), Math.round(span / factor)));
  const t = (anchor - win.start) / span;
  return clampWindow({ start: anchor - t * next, end: anchor - t * next + next }, T);
}

/** Moves the window by `delta` iterations, kept inside the run. */
export function panWindow(win, T, delta) {
  return clampWindow({ start: win.start + delta, end: win.end + delta }, T);
}

/** The window showing edges a..b (in either order; a brush), at least MIN_SPAN wide. */
export function windowBetween(a, b, T) {
  const lo = Math.floor(Math.min(a, b));
  const hi = Math.ceil(Math.max(a, b));
  const span = Math.min(T, Math.max(Math.min(MIN_SPAN, T), hi - lo));
  const mid = (lo + hi) / 2;
  return clampWindow({ start: mid - span / 2, end: mid + span / 2 }, T);
}

/**
 * The window to show iteration i: `win` itself when i is inside, otherwise the same width
 * paged so that i is its first iteration (playback turns pages as it runs past the right edge).
 */
export function windowShowing(win, T, i) {
  if (i >= win.start && i < win.end) return win;
  return clampWindow({ start: i, end: i + (win.end - win.start) }, T);
}
