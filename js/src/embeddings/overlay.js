/**
 * The overlay canvas above the points: rings around the selected item (and, for validation
 * neighbours, around them) and the hovered point, and the box or lasso being drawn.
 */
import { toScreen } from '../lib/scatter-geometry.js';

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {{dpr: number, side: number, zoom: object, u: Float32Array, v: Float32Array, radius: number,
 *          selected: number|null, neighbours: number[], hover: number,
 *          drag: {kind: string, x0: number, y0: number, x: number, y: number, path: number[][], moved: boolean}|null,
 *          colors: {fg: string, accent: string}}} scene
 */
export function drawOverlay(ctx, { dpr, side, zoom, u, v, radius, selected, neighbours, hover, drag, colors }) {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, side, side);
  const ring = (i, extra, color, width) => {
    const [x, y] = toScreen(zoom, side, u[i], v[i]);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    ctx.beginPath();
    ctx.arc(x, y, radius + extra, 0, 2 * Math.PI);
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.stroke();
  };
  if (selected !== null) {
    for (const i of neighbours) ring(i, 2.5, colors.fg, 1.5);
    ring(selected, 3, colors.accent, 2.5);
  }
  if (hover >= 0) ring(hover, 2, colors.fg, 1.5);
  if (drag && drag.moved && (drag.kind === 'box' || drag.kind === 'lasso')) {
    ctx.beginPath();
    if (drag.kind === 'box') ctx.rect(Math.min(drag.x0, drag.x), Math.min(drag.y0, drag.y), Math.abs(drag.x - drag.x0), Math.abs(drag.y - drag.y0));
    else {
      drag.path.forEach(([x, y], k) => (k === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
      ctx.closePath();
    }
    ctx.setLineDash([4, 3]);
    ctx.strokeStyle = colors.fg;
    ctx.lineWidth = 1;
    ctx.stroke();
    ctx.setLineDash([]);
  }
}
