/**
 * Viewport maths for a C x C matrix in a viewport of `{width, height}` px.
 * At scale 1 the matrix is a square of side min(width, height) at the top-left corner;
 * a state `{scale, tx, ty}` draws it with side `scale * side`, its top-left corner at (tx, ty).
 * Rows and columns here are display positions (after any reordering).
 */

/** Largest cell size, in px, that zooming may reach. */
export const MAX_CELL_PX = 80;

function clampNumber(x, lo, hi) {
  return Math.min(hi, Math.max(lo, x));
}

/** Side of the whole matrix at scale 1. */
export function baseSide(size) {
  return Math.max(0, Math.min(size.width, size.height));
}

/** The whole matrix in view. */
export function reset() {
  return { scale: 1, tx: 0, ty: 0 };
}

/**
 * Zoom bounds and viewport for a C x C matrix: from the whole matrix (scale 1)
 * to cells of `maxCellPx`.
 * @returns {{minScale: number, maxScale: number, width: number, height: number}}
 */
export function zoomLimits(C, size, maxCellPx = MAX_CELL_PX) {
  const side = baseSide(size);
  const maxScale = side > 0 ? Math.max(1, (maxCellPx * C) / side) : 1;
  return { minScale: 1, maxScale, width: size.width, height: size.height };
}

/** Size of one cell, in px. */
export function cellSize(state, C, size) {
  return C > 0 ? (baseSide(size) * state.scale) / C : 0;
}

/**
 * Scale within the limits, and offsets such that the matrix cannot leave the view:
 * along an axis where it is larger than the viewport it covers the viewport,
 * where it fits it is pinned to the top / left.
 */
export function clamp(state, limits) {
  const scale = clampNumber(state.scale, limits.minScale, limits.maxScale);
  const extent = baseSide(limits) * scale;
  const axis = (offset, viewport) => (extent <= viewport ? 0 : clampNumber(offset, viewport - extent, 0));
  return { scale, tx: axis(state.tx, limits.width), ty: axis(state.ty, limits.height) };
}

/**
 * Multiplies the scale by `factor` keeping the matrix point under (px, py) fixed
 * (unless clamping has to move it).
 */
export function zoomAt(state, factor, px, py, limits) {
  const scale = clampNumber(state.scale * factor, limits.minScale, limits.maxScale);
  const k = scale / state.scale;
  return clamp({ scale, tx: px - (px - state.tx) * k, ty: py - (py - state.ty) * k }, limits);
}

/** Moves the matrix by (dx, dy) px. */
export function pan(state, dx, dy, limits) {
  return clamp({ scale: state.scale, tx: state.tx + dx, ty: state.ty + dy }, limits);
}

/** Same scale, with the cell (row, col) centred in the viewport as far as clamping allows. */
export function centerOn(state, row, col, C, limits) {
  const cell = cellSize(state, C, limits);
  return clamp(
    { scale: state.scale, tx: limits.width / 2 - (col + 0.5) * cell, ty: limits.height / 2 - (row + 0.5) * cell },
    limits,
  );
}

/** State for a resized viewport: offsets follow the new side so the same part stays in view. */
export function resize(state, previousSize, limits) {
  const before = baseSide(previousSize);
  const k = before > 0 ? baseSide(limits) / before : 1;
  return clamp({ scale: state.scale, tx: state.tx * k, ty: state.ty * k }, limits);
}

/** Whether zooming can go further in (`in`) or out (`out`) from `state`. */
export function canZoom(state, limits) {
  const eps = 1e-9;
  return { in: state.scale < limits.maxScale * (1 - eps), out: state.scale > limits.minScale * (1 + eps) };
}

/**
 * The part of the matrix in view, as fractions of its side: {x0, x1, y0, y1} in [0, 1]
 * (the whole matrix is {0, 1, 0, 1}); for an overview map.
 */
export function viewFraction(state, size) {
  const extent = baseSide(size) * state.scale;
  if (!(extent > 0)) return { x0: 0, x1: 1, y0: 0, y1: 1 };
  const f = (x) => clampNumber(x / extent, 0, 1);
  return { x0: f(-state.tx), x1: f(size.width - state.tx), y0: f(-state.ty), y1: f(size.height - state.ty) };
}

/** Factor for one wheel event: about x1.26 per 100 px notch, up for zoom in. */
export function wheelZoomFactor(deltaY, deltaMode = 0) {
  const px = deltaY * (deltaMode === 1 ? 16 : deltaMode === 2 ? 400 : 1); // lines / pages
  return 2 ** (-px / 300);
}

/**
 * First and last (inclusive) rows and columns at least partly in view.
 * @returns {{rowStart: number, rowEnd: number, colStart: number, colEnd: number} | null} null when none is
 */
export function visibleRange(state, C, size) {
  const cell = cellSize(state, C, size);
  if (!(cell > 0)) return null;
  const axis = (offset, viewport) => [
    Math.max(0, Math.floor(-offset / cell)),
    Math.min(C - 1, Math.ceil((viewport - offset) / cell) - 1),
  ];
  const [rowStart, rowEnd] = axis(state.ty, size.height);
  const [colStart, colEnd] = axis(state.tx, size.width);
  if (rowStart > rowEnd || colStart > colEnd) return null;
  return { rowStart, rowEnd, colStart, colEnd };
}

/**
 * The cell under viewport point (px, py).
 * @returns {{row: number, col: number} | null} null outside the viewport or the matrix
 */
export function cellAt(state, px, py, C, size) {
  if (!(px >= 0 && py >= 0 && px < size.width && py < size.height)) return null;
  const cell = cellSize(state, C, size);
  if (!(cell > 0)) return null;
  const col = Math.floor((px - state.tx) / cell);
  const row = Math.floor((py - state.ty) / cell);
  return row >= 0 && row < C && col >= 0 && col < C ? { row, col } : null;
}

/** Viewport rectangle of the cell (row, col). */
export function cellRect(state, row, col, C, size) {
  const cell = cellSize(state, C, size);
  return { x: state.tx + col * cell, y: state.ty + row * cell, width: cell, height: cell };
}

/**
 * A state that shows every cell of `cells` ([row, col] display positions): `state` itself when
 * they are all in view; else centred on them, zoomed out as far as needed for them to fit
 * (never zoomed in).
 */
export function showCells(state, cells, C, limits) {
  if (cells.length === 0) return state;
  const range = visibleRange(state, C, limits);
  const inView = ([row, col]) => range && row >= range.rowStart && row <= range.rowEnd && col >= range.colStart && col <= range.colEnd;
  if (cells.every(inView)) return state;
  const rows = cells.map(([row]) => row);
  const cols = cells.map(([, col]) => col);
  const span = Math.max(Math.max(...rows) - Math.min(...rows), Math.max(...cols) - Math.min(...cols)) + 2; // a cell of margin
  const side = baseSide(limits);
  const fit = side > 0 && C > 0 ? Math.min(limits.width, limits.height) / ((span * side) / C) : state.scale;
  const scale = clampNumber(Math.min(state.scale, fit), limits.minScale, limits.maxScale);
  const middle = (values) => (Math.min(...values) + Math.max(...values)) / 2;
  return centerOn({ ...state, scale }, middle(rows), middle(cols), C, limits);
}
