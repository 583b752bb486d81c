/**
 * The size of a matrix stage (the confusion matrix and the comparison's difference matrix):
 * the cells' side, the label band on the left, and whether the side panel goes beside the
 * matrix or under it. Up to READABLE_CLASSES classes every name and count must be readable
 * without zooming (cells of READABLE_CELL_PX where the width allows, never fewer than
 * MIN_READABLE_CELL_PX beside the side panel); otherwise the matrix fits the window's height.
 */

export const TITLE_PX = 18; // axis title band
export const MIN_SIDE_PX = 160;
export const MIN_GUTTER_PX = 24;
// Label band cap: about 30 characters; a longer name is shortened, its full text on hover.
export const MAX_GUTTER_PX = 200;
export const READABLE_CLASSES = 40;
export const READABLE_CELL_PX = 19;
export const MIN_READABLE_CELL_PX = 18;
export const MAX_FIT_CELL_PX = 44; // a few classes do not fill a wide panel
export const WINDOW_MARGIN_PX = 200; // the toolbar and the column labels
export const MAX_SIDE_PX = 800;
export const SIDE_PANEL_MIN_PX = 220; // below this beside the matrix, the side panel goes under it
export const GAP_PX = 20;
export const OVERVIEW_CELL_PX = 3; // below this, the overview image (strongest cell per pixel)
export const ZOOM_STEP = 1.5;

/**
 * Where the stage's parts go for `classes` classes.
 * @param {{classes: number, gutter: number, mainWidth: number, windowHeight: number, sidePanelPx: number}} space
 * @returns {{left: number, side: number, stacked: boolean, size: {width: number, height: number}}}
 */
export function stageLayout({ classes, gutter, mainWidth, windowHeight, sidePanelPx }) {
  const left = TITLE_PX + gutter;
  const readable = classes > 0 && classes <= READABLE_CLASSES;
  const needed = left + (readable ? classes * MIN_READABLE_CELL_PX : 2 * MIN_SIDE_PX);
  const stacked = mainWidth < needed + GAP_PX + SIDE_PANEL_MIN_PX;
  const available = (stacked ? mainWidth : mainWidth - GAP_PX - sidePanelPx) - left;
  const windowSide = Math.min(MAX_SIDE_PX, Math.max(MIN_SIDE_PX, (windowHeight || 0) - WINDOW_MARGIN_PX));
  const cap = Math.min(classes * MAX_FIT_CELL_PX, Math.max(windowSide, readable ? classes * READABLE_CELL_PX : 0));
  const side = Math.round(Math.max(MIN_SIDE_PX, Math.min(available, cap)));
  return { left, side, stacked, size: { width: left + side, height: side + gutter + TITLE_PX } };
}

/** Places the stage's elements for `layout` (from `stageLayout`). */
export function placeStage({ stage, cellsCanvas, labelsCanvas, titleX, titleY }, { left, side, size }, gutter) {
  Object.assign(stage.style, { width: `${size.width}px`, height: `${size.height}px` });
  Object.assign(cellsCanvas.style, { left: `${left}px`, top: '0px' });
  Object.assign(labelsCanvas.style, { left: '0px', top: '0px' });
  Object.assign(titleY.style, { left: '0px', top: '0px', width: `${TITLE_PX}px`, height: `${side}px` });
  Object.assign(titleX.style, { left: `${left}px`, top: `${side + gutter}px`, width: `${side}px`, height: `${TITLE_PX}px` });
}
