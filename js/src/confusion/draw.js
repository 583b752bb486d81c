/**
 * Canvas drawing of the confusion matrix: `drawCells` paints the cell canvas (only the
 * visible range), `drawLabels` the axis labels around it. Both redraw everything from a scene.
 */
import { contrastText } from '../lib/colormap.js';
import { formatCell } from '../lib/format.js';
import { visibleLabels } from '../lib/labels.js';
import { cellRect, cellSize, visibleRange } from '../lib/zoom.js';
import { CANVAS_FONT_FAMILY } from '../ui/theme.js';

/** Font size of axis labels, px. */
export const LABEL_FONT_PX = 11;
/** Font of axis labels. */
export const LABEL_FONT = `${LABEL_FONT_PX}px ${CANVAS_FONT_FAMILY}`;
/** Space between a label and the matrix, px. */
export const LABEL_PAD_PX = 4;

const GRID_MIN_CELL_PX = 8; // grid lines from this cell size
const VALUE_MIN_CELL_PX = 22; // values written in cells from this size
const OUTLINE_MIN_PX = 8; // outlines of smaller cells are drawn this big
const GRID_COLOR = 'rgba(128, 128, 128, 0.3)';
const ZERO_TEXT_ALPHA = 0.35; // zeros recede so the confusions stand out

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {{size: {width: number, height: number}, dpr: number, zoom: {scale: number, tx: number, ty: number},
 *          C: number, image: CanvasImageSource | null, display: object | null,
 *          hover: {row: number, col: number} | null, selected: {row: number, col: number} | null,
 *          colors: {hover: string, selection: string}}} scene
 *   `image` holds one pixel per cell in display order; `display` comes from buildDisplay
 */
export function drawCells(ctx, scene) {
  const { size, dpr, zoom, C, image } = scene;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size.width, size.height);
  const range = image && visibleRange(zoom, C, size);
  if (!range) return;
  const cell = cellSize(zoom, C, size);
  const { rowStart, rowEnd, colStart, colEnd } = range;
  const rows = rowEnd - rowStart + 1;
  const cols = colEnd - colStart + 1;
  // Crisp cells; averaged when several cells share a device pixel, so no cell is dropped.
  ctx.imageSmoothingEnabled = cell * dpr < 1;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, colStart, rowStart, cols, rows, zoom.tx + colStart * cell, zoom.ty + rowStart * cell, cols * cell, rows * cell);
  if (cell >= GRID_MIN_CELL_PX) drawGrid(ctx, range, zoom, cell);
  if (cell >= VALUE_MIN_CELL_PX) drawValues(ctx, range, zoom, cell, scene);
  if (scene.hover) outlineCell(ctx, scene, scene.hover, scene.colors.hover, 1);
  if (scene.selected) outlineCell(ctx, scene, scene.selected, scene.colors.selection, 2);
}

function drawGrid(ctx, { rowStart, rowEnd, colStart, colEnd }, zoom, cell) {
  const left = zoom.tx + colStart * cell;
  const right = zoom.tx + (colEnd + 1) * cell;
  const top = zoom.ty + rowStart * cell;
  const bottom = zoom.ty + (rowEnd + 1) * cell;
  ctx.beginPath();
  for (let c = colStart; c <= colEnd + 1; c++) {
    ctx.moveTo(zoom.tx + c * cell, top);
    ctx.lineTo(zoom.tx + c * cell, bottom);
  }
  for (let r = rowStart; r <= rowEnd + 1; r++) {
    ctx.moveTo(left, zoom.ty + r * cell);
    ctx.lineTo(right, zoom.ty + r * cell);
  }
  ctx.strokeStyle = GRID_COLOR;
  ctx.lineWidth = 1;
  ctx.stroke();
}

/** Writes each visible value in its cell, in black or white for contrast (zeros faint), when it fits. */
function drawValues(ctx, { rowStart, rowEnd, colStart, colEnd }, zoom, cell, { C, display }) {
  const fontPx = Math.min(14, Math.max(10, Math.round(cell * 0.35)));
  ctx.font = `${fontPx}px ${CANVAS_FONT_FAMILY}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const { valueAt, rgba, normalize, hideDiagonal } = display;
  for (let r = rowStart; r <= rowEnd; r++) {
    for (let c = colStart; c <= colEnd; c++) {
      if (hideDiagonal && r === c) continue;
      const i = r * C + c;
      const value = valueAt(r, c);
      const text = formatCell(value, normalize);
      if (ctx.measureText(text).width > cell - 4) continue;
      ctx.fillStyle = contrastText([rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2]]);
      ctx.globalAlpha = value === 0 ? ZERO_TEXT_ALPHA : 1;
      ctx.fillText(text, zoom.tx + (c + 0.5) * cell, zoom.ty + (r + 0.5) * cell);
    }
  }
  ctx.globalAlpha = 1;
}

function outlineCell(ctx, { zoom, C, size }, { row, col }, color, lineWidth) {
  const rect = cellRect(zoom, row, col, C, size);
  const side = Math.max(rect.width, OUTLINE_MIN_PX);
  const x = rect.x + (rect.width - side) / 2;
  const y = rect.y + (rect.height - side) / 2;
  ctx.strokeStyle = color;
  ctx.lineWidth = lineWidth;
  ctx.strokeRect(x + lineWidth / 2, y + lineWidth / 2, side - lineWidth, side - lineWidth);
}

/**
 * Row labels left of the matrix, column labels below it (rotated, reading upwards);
 * every k-th label when cells are smaller than a line, names shortened to the gutter.
 * @param {CanvasRenderingContext2D} ctx canvas covering the whole stage
 * @param {{stage: {width: number, height: number}, dpr: number, plot: {left: number, top: number, width: number, height: number},
 *          gutter: number, zoom: object, C: number, names: string[], color: string,
 *          truncate: (text: string, maxWidth: number) => string}} scene
 *   `plot` is the cell canvas's box inside the stage, `names` are in display order
 */
export function drawLabels(ctx, scene) {
  const { stage, dpr, plot, gutter, zoom, C, names, truncate } = scene;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, stage.width, stage.height);
  const range = visibleRange(zoom, C, plot);
  const maxWidth = gutter - 2 * LABEL_PAD_PX;
  if (!range || maxWidth <= 0) return;
  const cell = cellSize(zoom, C, plot);
  const layout = (start, end) => visibleLabels({ cellPx: cell, fontPx: LABEL_FONT_PX, count: C, start, end }).indices;
  ctx.font = LABEL_FONT;
  ctx.fillStyle = scene.color;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';

  clipTo(ctx, plot.left - gutter, plot.top, gutter, plot.height, () => {
    for (const r of layout(range.rowStart, range.rowEnd)) {
      ctx.fillText(truncate(names[r], maxWidth), plot.left - LABEL_PAD_PX, plot.top + zoom.ty + (r + 0.5) * cell);
    }
  });
  clipTo(ctx, plot.left, plot.top + plot.height, plot.width, gutter, () => {
    for (const c of layout(range.colStart, range.colEnd)) {
      ctx.save();
      ctx.translate(plot.left + zoom.tx + (c + 0.5) * cell, plot.top + plot.height + LABEL_PAD_PX);
      ctx.rotate(-Math.PI / 2);
      ctx.fillText(truncate(names[c], maxWidth), 0, 0);
      ctx.restore();
    }
  });
}

function clipTo(ctx, x, y, width, height, paint) {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, width, height);
  ctx.clip();
  paint();
  ctx.restore();
}
