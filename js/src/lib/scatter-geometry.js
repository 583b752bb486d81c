/**
 * Geometry of the embeddings scatter. Points are first mapped to the unit square (`unitCoords`:
 * aspect kept, centred, y up), then drawn in a square viewport of side `side` px through a
 * lib/zoom.js state `{scale, tx, ty}` (screen = t + scale * side * unit), so zooming about the
 * cursor, panning and clamping are zoom.js's. Hover finds the nearest point through a uniform
 * grid (`buildGrid`, `nearestPoint`); box and lasso selections test every point (`pointsInRect`,
 * `pointsInPolygon`: a few ms at 50,000 points). Pure, no DOM.
 */

/** Share of the side left empty on each edge at scale 1. */
export const MARGIN = 0.03;

/**
 * Unit-square coordinates of the points [x0, y0, x1, y1, ...]: the larger extent fills
 * [MARGIN, 1 - MARGIN], the smaller is centred; y grows upwards (v = 0 at the top).
 * Points with a non-finite coordinate get NaN (never drawn nor found).
 * @param {Float32Array} xy interleaved pairs
 * @returns {{u: Float32Array, v: Float32Array}}
 */
export function unitCoords(xy) {
  const n = xy.length >> 1;
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = xy[2 * i];
    const y = xy[2 * i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  const span = Math.max(x1 - x0, y1 - y0);
  const k = span > 0 ? (1 - 2 * MARGIN) / span : 0;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const u = new Float32Array(n);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = xy[2 * i];
    const y = xy[2 * i + 1];
    const ok = Number.isFinite(x) && Number.isFinite(y);
    u[i] = ok ? 0.5 + (x - cx) * k : NaN;
    v[i] = ok ? 0.5 - (y - cy) * k : NaN;
  }
  return { u, v };
}

/** Screen position of unit point (u, v) for zoom state `zoom` in a viewport of side `side`. */
export function toScreen(zoom, side, u, v) {
  const s = zoom.scale * side;
  return [zoom.tx + s * u, zoom.ty + s * v];
}

/** Unit point under screen position (px, py). */
export function toUnit(zoom, side, px, py) {
  const s = zoom.scale * side;
  return [(px - zoom.tx) / s, (py - zoom.ty) / s];
}

/** Zoom bounds for a square viewport of side `side`: from the whole scatter to 64 times closer. */
export function scatterLimits(side, maxScale = 64) {
  return { minScale: 1, maxScale, width: side, height: side };
}

/**
 * A uniform grid over the unit square (cells sorted CSR: `starts`, `items`), about
 * `perCell` points per cell, for nearest-point queries.
 * @returns {{G: number, starts: Int32Array, items: Int32Array}}
 */
export function buildGrid(u, v, perCell = 2) {
  const n = u.length;
  const G = Math.max(1, Math.min(1024, Math.ceil(Math.sqrt(n / perCell))));
  const cellOf = new Int32Array(n);
  const starts = new Int32Array(G * G + 1);
  for (let i = 0; i < n; i++) {
    const cell = gridCell(G, u[i], v[i]);
    cellOf[i] = cell;
    if (cell >= 0) starts[cell + 1]++;
  }
  for (let c = 0; c < G * G; c++) starts[c + 1] += starts[c];
  const fill = starts.slice(0, G * G);
  const items = new Int32Array(starts[G * G]);
  for (let i = 0; i < n; i++) if (cellOf[i] >= 0) items[fill[cellOf[i]]++] = i;
  return { G, starts, items };
}

function gridCell(G, u, v) {
  if (!(u >= 0 && u <= 1 && v >= 0 && v <= 1)) return -1;
  return Math.min(G - 1, Math.floor(v * G)) * G + Math.min(G - 1, Math.floor(u * G));
}

/**
 * The point nearest to unit position (pu, pv) within `radius` (unit lengths), or -1.
 * `accept(i)`, when given, limits the search to the points it accepts. Ties: the lower index.
 */
export function nearestPoint(grid, u, v, pu, pv, radius, accept = null) {
  const { G, starts, items } = grid;
  const lo = (x) => Math.max(0, Math.floor((x - radius) * G));
  const hi = (x) => Math.min(G - 1, Math.floor((x + radius) * G));
  let best = -1;
  let bestD = radius * radius;
  for (let row = lo(pv); row <= hi(pv); row++) {
    for (let col = lo(pu); col <= hi(pu); col++) {
      const cell = row * G + col;
      for (let k = starts[cell]; k < starts[cell + 1]; k++) {
        const i = items[k];
        const d = (u[i] - pu) ** 2 + (v[i] - pv) ** 2;
        if ((d < bestD || (d === bestD && (best < 0 || i < best))) && (!accept || accept(i))) {
          best = i;
          bestD = d;
        }
      }
    }
  }
  return best;
}

/** Indices (ascending) of the points inside the rectangle between unit corners (a0, b0) and (a1, b1). */
export function pointsInRect(u, v, a0, b0, a1, b1) {
  const [ul, uh] = a0 <= a1 ? [a0, a1] : [a1, a0];
  const [vl, vh] = b0 <= b1 ? [b0, b1] : [b1, b0];
  const found = [];
  for (let i = 0; i < u.length; i++) {
    if (u[i] >= ul && u[i] <= uh && v[i] >= vl && v[i] <= vh) found.push(i);
  }
  return found;
}

/**
 * Whether (x, y) is inside the polygon (even-odd rule; points on an edge may go either way).
 * @param {number[][]} polygon [[x, y], ...], closed implicitly
 */
export function insidePolygon(polygon, x, y) {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Indices (ascending) of the points inside the lasso `polygon` (unit coordinates, at least 3 vertices). */
export function pointsInPolygon(u, v, polygon) {
  if (polygon.length < 3) return [];
  let ul = Infinity;
  let uh = -Infinity;
  let vl = Infinity;
  let vh = -Infinity;
  for (const [x, y] of polygon) {
    ul = Math.min(ul, x);
    uh = Math.max(uh, x);
    vl = Math.min(vl, y);
    vh = Math.max(vh, y);
  }
  const found = [];
  for (let i = 0; i < u.length; i++) {
    if (u[i] >= ul && u[i] <= uh && v[i] >= vl && v[i] <= vh && insidePolygon(polygon, u[i], v[i])) found.push(i);
  }
  return found;
}

/**
 * Radius of a point, CSS px: larger when there are few points and when zoomed in.
 * 50,000 points: 1.6 px at scale 1; 40 points: 4 px.
 */
export function pointRadius(n, scale) {
  const base = n <= 1000 ? 4 : n <= 10000 ? 2.6 : 1.6;
  return Math.min(7, base * Math.max(1, scale) ** 0.35);
}

/**
 * The zoom state (before clamping) that frames the points `mask` marks (all finite points
 * when null): their bounding box centred, filling `fill` of the side, at most `maxScale`.
 * @returns {{scale: number, tx: number, ty: number}|null} null when no point is marked
 */
export function frameOn(u, v, mask, side, { fill = 0.8, maxScale = 64 } = {}) {
  let ul = Infinity;
  let uh = -Infinity;
  let vl = Infinity;
  let vh = -Infinity;
  for (let i = 0; i < u.length; i++) {
    if ((mask && mask[i] !== 1) || !(u[i] === u[i] && v[i] === v[i])) continue;
    if (u[i] < ul) ul = u[i];
    if (u[i] > uh) uh = u[i];
    if (v[i] < vl) vl = v[i];
    if (v[i] > vh) vh = v[i];
  }
  if (!(uh >= ul)) return null;
  const extent = Math.max(uh - ul, vh - vl);
  const scale = Math.max(1, Math.min(maxScale, extent > 0 ? fill / extent : maxScale));
  const s = scale * side;
  return { scale, tx: side / 2 - s * ((ul + uh) / 2), ty: side / 2 - s * ((vl + vh) / 2) };
}
