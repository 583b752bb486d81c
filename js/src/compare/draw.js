/**
 * Canvas drawing of the difference matrix: the cells of the visible range (one image pixel per
 * cell, or per pool x pool cells in the overview), the grid, the diagonal framed (there more is
 * better; elsewhere more is worse), the changed cells' values, the selected class's row and
 * column, the hover and selection outlines. The axis labels are the confusion view's
 * (confusion/draw.js `drawLabels`).
 */
import { contrastText } from '../lib/colormap.js';
import { formatDiffCell } from '../lib/compare.js';
import { cellSize, visibleRange } from '../lib/zoom.js';
import { CANVAS_FONT_FAMILY } from '../ui/theme.js';
import { drawGrid, drawImage, outlineCell } from '../confusion/draw.js';

const GRID_MIN_CELL_PX = 8;
const VALUE_MIN_CELL_PX = 14;
const VALUE_MARGIN_PX = 2;
const MIN_SQUEEZE = 0.7; // narrowest a value may be condensed to
const OUTLINE_MIN_PX = 8;
const DIAGONAL_MIN_CELL_PX = 4;
const GRID_COLOR = 'rgba(128, 128, 128, 0.22)';
const FILTER_FILL_ALPHA = 0.12;

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {{size: {width: number, height: number}, dpr: number, zoom: object, C: number,
 *          image: {source: CanvasImageSource, pool: number} | null, display: object, mode: null|'true',
 *          hover: {row: number, col: number} | null, selected: {row: number, col: number} | null,
 *          band: number | null, colors: {hover: string, selection: string, diagonal: string}}} scene
 *   `band`: display position of the selected class (its row and column are tinted)
 * @returns {{values: number, changed: number}} changed cells wholly in view, and how many show their value
 */
export function drawDiffCells(ctx, scene) {
  const { size, dpr, zoom, C, image } = scene;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size.width, size.height);
  const range = image && visibleRange(zoom, C, size);
  if (!range) return { values: 0, changed: 0 };
  const cell = cellSize(zoom, C, size);
  drawImage(ctx, image, range, zoom, cell, C);
  if (cell >= GRID_MIN_CELL_PX) drawGrid(ctx, range, zoom, cell, GRID_COLOR);
  drawDiagonal(ctx, range, zoom, cell, scene.colors.diagonal);
  const drawn = drawValues(ctx, range, zoom, cell, scene);
  if (scene.band !== null) drawBand(ctx, scene, cell);
  if (scene.hover) outlineCell(ctx, scene, scene.hover, scene.colors.hover, 1);
  if (scene.selected) outlineCell(ctx, scene, scene.selected, scene.colors.selection, 2.5);
  return drawn;
}

/** The diagonal (correct predictions) framed: a staircase line along its cells' edges. */
function drawDiagonal(ctx, { rowStart, rowEnd, colStart, colEnd }, zoom, cell, color) {
  const first = Math.max(rowStart, colStart);
  const last = Math.min(rowEnd, colEnd);
  // Below a few px a line would hide the changes on the diagonal (the overview shows those).
  if (first > last || cell < DIAGONAL_MIN_CELL_PX) return;
  ctx.beginPath();
  if (cell >= GRID_MIN_CELL_PX) {
    for (let d = first; d <= last; d++) ctx.rect(zoom.tx + d * cell + 0.5, zoom.ty + d * cell + 0.5, cell - 1, cell - 1);
  } else {
    ctx.moveTo(zoom.tx + first * cell, zoom.ty + first * cell);
    ctx.lineTo(zoom.tx + (last + 1) * cell, zoom.ty + (last + 1) * cell);
  }
  ctx.strokeStyle = color;
  ctx.lineWidth = 1;
  ctx.stroke();
}

/** Each changed cell wholly in view gets its value when it fits (unchanged cells stay blank). */
function drawValues(ctx, range, zoom, cell, { size, display, C, mode }) {
  const inside = (p, offset, extent) => offset + p * cell >= -1e-6 && offset + (p + 1) * cell <= extent + 1e-6;
  const write = cell >= VALUE_MIN_CELL_PX;
  if (write) {
    ctx.font = `${Math.min(13, Math.max(9, Math.round(cell * 0.48)))}px ${CANVAS_FONT_FAMILY}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
  }
  const { cells, values } = display;
  const rgba = write ? display.rgba : null;
  let changed = 0;
  let written = 0;
  for (let k = 0; k < cells.length; k++) {
    if (values[k] === 0) continue;
    const r = Math.floor(cells[k] / C);
    const c = cells[k] - r * C;
    if (r < range.rowStart || r > range.rowEnd || c < range.colStart || c > range.colEnd) continue;
    if (!inside(r, zoom.ty, size.height) || !inside(c, zoom.tx, size.width)) continue;
    changed++;
    if (!write) continue;
    const text = formatDiffCell(values[k], mode);
    const room = cell - VALUE_MARGIN_PX;
    const width = ctx.measureText(text).width;
    // A value a little too wide ("+24" in a 19 px cell) is condensed rather than left out.
    const squeeze = width > room ? room / width : 1;
    if (squeeze < MIN_SQUEEZE) continue;
    const i = cells[k] * 4;
    ctx.fillStyle = contrastText([rgba[i], rgba[i + 1], rgba[i + 2]]);
    const x = zoom.tx + (c + 0.5) * cell;
    const y = zoom.ty + (r + 0.5) * cell;
    if (squeeze === 1) ctx.fillText(text, x, y);
    else {
      ctx.save();
      ctx.translate(x, y);
      ctx.scale(squeeze, 1);
      ctx.fillText(text, 0, 0);
      ctx.restore();
    }
    written++;
  }
  return { values: written, changed };
}

/** The selected class: its row (actual) and column (predicted) tinted and outlined. */
function drawBand(ctx, { band, zoom, C, colors }, cell) {
  const extent = C * cell;
  ctx.fillStyle = colors.selection;
  ctx.strokeStyle = colors.selection;
  ctx.lineWidth = 1.5;
  for (const [x, y, w, h] of [[zoom.tx, zoom.ty + band * cell, extent, cell], [zoom.tx + band * cell, zoom.ty, cell, extent]]) {
    ctx.globalAlpha = FILTER_FILL_ALPHA;
    ctx.fillRect(x, y, w, h);
    ctx.globalAlpha = 1;
    const grow = Math.max(0, (OUTLINE_MIN_PX - Math.min(w, h)) / 2);
    ctx.strokeRect(x - (w < h ? grow : 0), y - (h < w ? grow : 0), w + (w < h ? 2 * grow : 0), h + (h < w ? 2 * grow : 0));
  }
}

