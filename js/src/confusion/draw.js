/**
 * Canvas drawing of the confusion matrix: `drawCells` paints the cell canvas (only the
 * visible range), `drawLabels` the axis labels around it. Both redraw everything from a
 * scene and return what they drew (the view exposes it as data- attributes).
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
const VALUE_MIN_CELL_PX = 14; // values written in cells from this size
const VALUE_MARGIN_PX = 3; // free space a value leaves in its cell
const OUTLINE_MIN_PX = 8; // outlines of smaller cells are drawn this big
const GRID_COLOR = 'rgba(128, 128, 128, 0.3)';
const ZERO_TEXT_ALPHA = 0.2; // zeros recede so the confusions stand out
const FILTER_FILL_ALPHA = 0.14; // tint of a filtered row / column
const SEPARATOR_PX = 2; // line between groups of an order (cats | dogs)

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {{size: {width: number, height: number}, dpr: number, zoom: {scale: number, tx: number, ty: number},
 *          C: number, image: {source: CanvasImageSource, pool: number} | null, display: object | null,
 *          hover: {row: number, col: number} | null, selected: {row: number, col: number} | null,
 *          mirror?: {row: number, col: number} | null,
 *          filter: {row: number | null, col: number | null}, separators: number[],
 *          colors: {hover: string, selection: string, separator: string}}} scene
 *   `image` holds one pixel per `pool` x `pool` cells in display order; `display` comes from
 *   buildDisplay; `filter` is the display row / column of the class filters; `separators` are
 *   display positions where a group of the order starts; `mirror` (dashed) is the other direction
 *   of an overlapping pair whose cell is selected
 * @returns {{values: number, nonzero: number}} nonzero cells wholly in view, and how many of them show their value
 */
export function drawCells(ctx, scene) {
  const { size, dpr, zoom, C, image } = scene;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size.width, size.height);
  const range = image && visibleRange(zoom, C, size);
  if (!range) return { values: 0, nonzero: 0 };
  const cell = cellSize(zoom, C, size);
  drawImage(ctx, image, range, zoom, cell, C);
  if (cell >= GRID_MIN_CELL_PX) drawGrid(ctx, range, zoom, cell);
  const drawn = cell >= VALUE_MIN_CELL_PX ? drawValues(ctx, range, zoom, cell, scene) : countNonzero(range, zoom, cell, scene);
  drawSeparators(ctx, scene.separators, zoom, cell, C, scene.colors.separator);
  drawFilter(ctx, scene, cell);
  if (scene.hover) outlineCell(ctx, scene, scene.hover, scene.colors.hover, 1);
  if (scene.selected) outlineCell(ctx, scene, scene.selected, scene.colors.selection, 2);
  if (scene.mirror) outlineCell(ctx, scene, scene.mirror, scene.colors.selection, 2, [4, 3]);
  return drawn;
}

/** The visible part of the image, one source pixel per `pool` x `pool` cells, crisp, clipped to the matrix. */
export function drawImage(ctx, { source, pool }, { rowStart, rowEnd, colStart, colEnd }, zoom, cell, C) {
  const block = pool * cell;
  const [r0, r1, c0, c1] = [rowStart, rowEnd, colStart, colEnd].map((i) => Math.floor(i / pool));
  ctx.save();
  ctx.beginPath();
  ctx.rect(zoom.tx, zoom.ty, C * cell, C * cell);
  ctx.clip();
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(source, c0, r0, c1 - c0 + 1, r1 - r0 + 1, zoom.tx + c0 * block, zoom.ty + r0 * block, (c1 - c0 + 1) * block, (r1 - r0 + 1) * block);
  ctx.restore();
}

/** Grid lines around the range's cells (in `color`). */
export function drawGrid(ctx, { rowStart, rowEnd, colStart, colEnd }, zoom, cell, color = GRID_COLOR) {
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
  ctx.strokeStyle = color;
  ctx.lineWidth = 1;
  ctx.stroke();
}

/** Rows and columns of the range whose cells lie wholly inside the viewport. */
function wholeRange({ rowStart, rowEnd, colStart, colEnd }, zoom, cell, size) {
  const inside = (start, end, offset, extent) => {
    let a = start;
    let b = end;
    while (a <= b && offset + a * cell < -1e-6) a++;
    while (b >= a && offset + (b + 1) * cell > extent + 1e-6) b--;
    return [a, b];
  };
  const [r0, r1] = inside(rowStart, rowEnd, zoom.ty, size.height);
  const [c0, c1] = inside(colStart, colEnd, zoom.tx, size.width);
  return { r0, r1, c0, c1 };
}

/** Nonzero cells wholly in view (none of their values drawn: cells too small). */
function countNonzero(range, zoom, cell, { size, display, C }) {
  const { r0, r1, c0, c1 } = wholeRange(range, zoom, cell, size);
  let nonzero = 0;
  for (const i of display.cells) {
    const r = Math.floor(i / C);
    const c = i - r * C;
    if (r >= r0 && r <= r1 && c >= c0 && c <= c1 && !(display.hideDiagonal && r === c)) nonzero++;
  }
  return { values: 0, nonzero };
}

/**
 * Writes the value of each cell wholly in view (cells cut by the edge get none, so no partial
 * column of numbers lines up beside the labels), in black or white for contrast, zeros faint.
 */
function drawValues(ctx, range, zoom, cell, { size, display, C }) {
  const { r0, r1, c0, c1 } = wholeRange(range, zoom, cell, size);
  const fontPx = Math.min(13, Math.max(9, Math.round(cell * 0.5)));
  ctx.font = `${fontPx}px ${CANVAS_FONT_FAMILY}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const { valueAt, rgba, normalize, hideDiagonal } = display;
  let values = 0;
  let nonzero = 0;
  for (let r = r0; r <= r1; r++) {
    for (let c = c0; c <= c1; c++) {
      if (hideDiagonal && r === c) continue;
      const value = valueAt(r, c);
      if (value !== 0) nonzero++;
      const text = formatCell(value, normalize);
      if (ctx.measureText(text).width > cell - VALUE_MARGIN_PX) continue;
      const i = r * C + c;
      ctx.fillStyle = contrastText([rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2]]);
      ctx.globalAlpha = value === 0 ? ZERO_TEXT_ALPHA : 1;
      ctx.fillText(text, zoom.tx + (c + 0.5) * cell, zoom.ty + (r + 0.5) * cell);
      if (value !== 0) values++;
    }
  }
  ctx.globalAlpha = 1;
  return { values, nonzero };
}

/** Lines across the matrix where a group of the order starts (cats | dogs). */
function drawSeparators(ctx, separators, zoom, cell, C, color) {
  if (!separators.length) return;
  const extent = C * cell;
  ctx.beginPath();
  for (const p of separators) {
    ctx.moveTo(zoom.tx + p * cell, zoom.ty);
    ctx.lineTo(zoom.tx + p * cell, zoom.ty + extent);
    ctx.moveTo(zoom.tx, zoom.ty + p * cell);
    ctx.lineTo(zoom.tx + extent, zoom.ty + p * cell);
  }
  ctx.strokeStyle = color;
  ctx.lineWidth = SEPARATOR_PX;
  ctx.stroke();
}

/** The filtered row and / or column: tinted and outlined; their crossing cell outlined thicker. */
function drawFilter(ctx, { filter, zoom, C, size, colors }, cell) {
  const { row, col } = filter;
  if (row === null && col === null) return;
  const extent = C * cell;
  const bands = [];
  if (row !== null) bands.push([zoom.tx, zoom.ty + row * cell, extent, cell]);
  if (col !== null) bands.push([zoom.tx + col * cell, zoom.ty, cell, extent]);
  ctx.fillStyle = colors.selection;
  ctx.strokeStyle = colors.selection;
  ctx.lineWidth = 1.5;
  for (const [x, y, w, h] of bands) {
    ctx.globalAlpha = FILTER_FILL_ALPHA;
    ctx.fillRect(x, y, w, h);
    ctx.globalAlpha = 1;
    const grow = Math.max(0, (OUTLINE_MIN_PX - Math.min(w, h)) / 2);
    ctx.strokeRect(x - (w < h ? grow : 0), y - (h < w ? grow : 0), w + (w < h ? 2 * grow : 0), h + (h < w ? 2 * grow : 0));
  }
  if (row !== null && col !== null) outlineCell(ctx, { zoom, C, size }, { row, col }, colors.selection, 3);
}

/** Outline of one cell (at least OUTLINE_MIN_PX), solid or `dash`ed. */
export function outlineCell(ctx, { zoom, C, size }, { row, col }, color, lineWidth, dash = []) {
  const rect = cellRect(zoom, row, col, C, size);
  const side = Math.max(rect.width, OUTLINE_MIN_PX);
  const x = rect.x + (rect.width - side) / 2;
  const y = rect.y + (rect.height - side) / 2;
  ctx.strokeStyle = color;
  ctx.lineWidth = lineWidth;
  ctx.setLineDash(dash);
  ctx.strokeRect(x + lineWidth / 2, y + lineWidth / 2, side - lineWidth, side - lineWidth);
  ctx.setLineDash([]);
}

/**
 * Row labels left of the matrix, column labels below it (rotated, reading upwards);
 * every k-th label when cells are smaller than a line, names shortened to the gutter.
 * The filtered row / column's names are bold, in the highlight colour.
 * @param {CanvasRenderingContext2D} ctx canvas covering the whole stage
 * @param {{stage: {width: number, height: number}, dpr: number, plot: {left: number, top: number, width: number, height: number},
 *          gutter: number, zoom: object, C: number, names: string[], color: string,
 *          filter: {row: number | null, col: number | null}, highlight: string, separators: number[],
 *          truncate: (text: string, maxWidth: number) => string}} scene
 *   `plot` is the cell canvas's box inside the stage, `names` are in display order
 * @returns {{rows: number, cols: number, cut: number}} labels drawn, and how many of them shortened
 */
export function drawLabels(ctx, scene) {
  const { stage, dpr, plot, gutter, zoom, C, names, truncate, filter } = scene;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, stage.width, stage.height);
  const range = visibleRange(zoom, C, plot);
  const maxWidth = gutter - 2 * LABEL_PAD_PX;
  const drawn = { rows: 0, cols: 0, cut: 0 };
  if (!range || maxWidth <= 0) return drawn;
  const cell = cellSize(zoom, C, plot);
  const layout = (start, end) => visibleLabels({ cellPx: cell, fontPx: LABEL_FONT_PX, count: C, start, end }).indices;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const label = (i, highlighted, x, y) => {
    const text = truncate(names[i], maxWidth);
    if (text !== names[i]) drawn.cut++;
    ctx.font = highlighted ? `bold ${LABEL_FONT}` : LABEL_FONT;
    ctx.fillStyle = highlighted ? scene.highlight : scene.color;
    ctx.fillText(text, x, y);
  };

  // Only labels whose line lies wholly beside the matrix in view: none cut by its edge.
  const half = LABEL_FONT_PX / 2;
  const whole = (centre, extent) => centre - half >= -0.5 && centre + half <= extent + 0.5;
  clipTo(ctx, plot.left - gutter, plot.top, gutter, plot.height, () => {
    for (const r of layout(range.rowStart, range.rowEnd)) {
      const y = zoom.ty + (r + 0.5) * cell;
      if (!whole(y, plot.height)) continue;
      label(r, r === filter.row, plot.left - LABEL_PAD_PX, plot.top + y);
      drawn.rows++;
    }
  });
  clipTo(ctx, plot.left, plot.top + plot.height, plot.width, gutter, () => {
    for (const c of layout(range.colStart, range.colEnd)) {
      const x = zoom.tx + (c + 0.5) * cell;
      if (!whole(x, plot.width)) continue;
      ctx.save();
      ctx.translate(plot.left + x, plot.top + plot.height + LABEL_PAD_PX);
      ctx.rotate(-Math.PI / 2);
      label(c, c === filter.col, 0, 0);
      ctx.restore();
      drawn.cols++;
    }
  });
  ctx.beginPath();
  for (const p of scene.separators) {
    const y = plot.top + zoom.ty + p * cell;
    const x = plot.left + zoom.tx + p * cell;
    if (y >= plot.top && y <= plot.top + plot.height) {
      ctx.moveTo(plot.left - gutter, y);
      ctx.lineTo(plot.left, y);
    }
    if (x >= plot.left && x <= plot.left + plot.width) {
      ctx.moveTo(x, plot.top + plot.height);
      ctx.lineTo(x, plot.top + plot.height + gutter);
    }
  }
  ctx.strokeStyle = scene.color;
  ctx.lineWidth = SEPARATOR_PX;
  ctx.stroke();
  return drawn;
}

function clipTo(ctx, x, y, width, height, paint) {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, width, height);
  ctx.clip();
  paint();
  ctx.restore();
}
