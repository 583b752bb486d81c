/**
 * Geometry of the timeline canvas: stacked panels sharing one x axis (iterations), and the
 * mapping between iterations and x. Pure, no DOM.
 *
 *   marker labels (fit / freeze / unfreeze)
 *   layer-group strips, one row per group, labelled in the left gutter
 *   learning rate per group (log y)
 *   train / valid loss (linear y)
 *   iteration axis
 */

export const LABEL_ROW_PX = 15; // one row of boundary labels
export const PANEL_GAP_PX = 20;
export const LR_PANEL_PX = 104;
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
 * @param {{width: number, G: number, labelWidth: number, labelRows?: number}} options
 *   `labelWidth`: widest strip label, px; `labelRows`: rows of boundary labels above the strips
 * @returns {{width: number, height: number, left: number, right: number, plotWidth: number, gutter: number,
 *   labels: {top: number, rows: number}, strips: {top: number, bottom: number, rowHeight: number, rowGap: number},
 *   lr: {top: number, bottom: number, height: number}, loss: {top: number, bottom: number, height: number},
 *   axis: {top: number}}}
 */
export function timelineLayout({ width, G, labelWidth, labelRows = 1 }) {
  const gutter = Math.ceil(Math.min(MAX_GUTTER_PX, Math.max(MIN_GUTTER_PX, labelWidth + LABEL_X_PX + 10)));
  const left = gutter;
  const right = Math.max(left + 1, width - RIGHT_PX);
  const rows = Math.max(1, labelRows);
  const labelsTop = 2;
  const { rowHeight, rowGap } = stripRowSize(G);
  const stripsTop = labelsTop + rows * LABEL_ROW_PX + 3;
  const stripsBottom = stripsTop + G * rowHeight + Math.max(0, G - 1) * rowGap;
  const lrTop = stripsBottom + PANEL_GAP_PX;
  const lossTop = lrTop + LR_PANEL_PX + PANEL_GAP_PX;
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
    loss: { top: lossTop, bottom: lossBottom, height: LOSS_PANEL_PX },
    axis: { top: lossBottom },
  };
}

/** Top y of strip row g. */
export function stripRowTop(layout, g) {
  const { top, rowHeight, rowGap } = layout.strips;
  return top + g * (rowHeight + rowGap);
}

/** x of an edge coordinate e in 0..T (iteration i spans edges i to i + 1). */
export function edgeX(layout, T, e) {
  return layout.left + (T > 0 ? (e / T) * layout.plotWidth : 0);
}

/** x of the middle of iteration i. */
export function iterX(layout, T, i) {
  return edgeX(layout, T, i + 0.5);
}

/** Iteration under x, clamped to 0..T-1 (so a drag past the ends scrubs to the ends). */
export function iterAtX(layout, T, x) {
  if (!(T > 0) || !(layout.plotWidth > 0)) return 0;
  const i = Math.floor(((x - layout.left) / layout.plotWidth) * T);
  return Math.min(T - 1, Math.max(0, i));
}

/** x of column c's middle when the plot is drawn as n columns. */
export function columnX(layout, n, c) {
  return layout.left + ((c + 0.5) / n) * layout.plotWidth;
}

/** True when (x, y) is over the panels (where a press starts scrubbing). */
export function overPanels(layout, x, y) {
  return x >= layout.left - 4 && x <= layout.right + 4 && y >= layout.labels.top && y <= layout.axis.top + AXIS_PX;
}
