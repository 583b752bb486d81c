/**
 * Canvas drawing of the LR-finder chart: grid and axes, every curve (the active one on top,
 * the others faded), the active curve's suggestion markers, the selected rate and the hover
 * crosshair. Redraws everything from a scene.
 */
import { clampNumber, polylines } from '../lib/chart.js';
import { formatDecade, formatLr, formatTick } from '../lib/format.js';
import { SUGGESTION_STYLES } from '../lib/lr_find.js';
import { logTicks, niceTicks, tickStep } from '../lib/scale.js';
import { CANVAS_FONT_FAMILY } from '../ui/theme.js';

/** Font size of tick labels, px. */
export const TICK_FONT_PX = 11;
const TICK_FONT = `${TICK_FONT_PX}px ${CANVAS_FONT_FAMILY}`;
const TITLE_FONT = `600 ${TICK_FONT_PX}px ${CANVAS_FONT_FAMILY}`;
const MARKER_RADIUS = 5.5;
const FADED_ALPHA = 0.35;
const RAW_ALPHA = 0.35;

/** Space around the plot for tick labels and axis titles, px. */
export const CHART_MARGIN = Object.freeze({ top: 14, right: 16, bottom: 40, left: 58 });

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {{size: {width: number, height: number}, dpr: number,
 *          box: {left: number, top: number, width: number, height: number, right: number, bottom: number},
 *          x: {map: Function, invert: Function, domain: number[]}, y: {map: Function, domain: number[]},
 *          curves: object[], active: number, colors: string[], showRaw: boolean, yTitle: string,
 *          markers: {key: string, lr: number, loss: number}[], selectedLr: number | null,
 *          hover: {lr: number, loss: number} | null,
 *          theme: {fg: string, muted: string, grid: string, bg: string}}} scene
 */
export function drawChart(ctx, scene) {
  const { size, dpr, box } = scene;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size.width, size.height);
  drawGridAndAxes(ctx, scene);

  ctx.save();
  ctx.beginPath();
  ctx.rect(box.left, box.top, box.width, box.height);
  ctx.clip();
  scene.curves.forEach((curve, i) => {
    if (i !== scene.active) strokeSeries(ctx, scene, curve.lrs, curve.losses, scene.colors[i], 1.25, FADED_ALPHA);
  });
  const active = scene.curves[scene.active];
  if (active) {
    if (scene.showRaw && active.rawLosses) {
      strokeSeries(ctx, scene, active.lrs, active.rawLosses, scene.colors[scene.active], 1, RAW_ALPHA);
    }
    strokeSeries(ctx, scene, active.lrs, active.losses, scene.colors[scene.active], 2, 1);
  }
  if (scene.hover) drawCrosshair(ctx, scene);
  ctx.restore();

  for (const marker of scene.markers) drawMarker(ctx, scene, marker);
  if (scene.selectedLr !== null) drawSelected(ctx, scene);
}

function drawGridAndAxes(ctx, { box, x, y, theme, yTitle }) {
  const { major, minor } = logTicks(x.domain[0], x.domain[1]);
  const yTicks = niceTicks(y.domain[0], y.domain[1], Math.max(2, Math.round(box.height / 50)));
  const yStep = tickStep(y.domain[0], y.domain[1], Math.max(2, Math.round(box.height / 50)));

  ctx.lineWidth = 1;
  ctx.strokeStyle = theme.grid;
  ctx.beginPath();
  for (const v of major) vertical(ctx, Math.round(x.map(v)) + 0.5, box.top, box.bottom);
  for (const v of yTicks) horizontal(ctx, Math.round(y.map(v)) + 0.5, box.left, box.right);
  ctx.stroke();

  // Frame, then minor ticks along the bottom edge.
  ctx.strokeStyle = theme.muted;
  ctx.strokeRect(box.left + 0.5, box.top + 0.5, box.width - 1, box.height - 1);
  ctx.beginPath();
  for (const v of minor) vertical(ctx, Math.round(x.map(v)) + 0.5, box.bottom - 3, box.bottom);
  for (const v of major) vertical(ctx, Math.round(x.map(v)) + 0.5, box.bottom, box.bottom + 4);
  ctx.stroke();

  ctx.font = TICK_FONT;
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const v of major) ctx.fillText(formatDecade(v), x.map(v), box.bottom + 6);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of yTicks) ctx.fillText(formatTick(v, yStep), box.left - 6, y.map(v));

  ctx.font = TITLE_FONT;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText('Learning rate (log scale)', box.left + box.width / 2, box.bottom + 38);
  ctx.save();
  ctx.translate(14, box.top + box.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText(yTitle, 0, 0);
  ctx.restore();
}

function vertical(ctx, px, top, bottom) {
  ctx.moveTo(px, top);
  ctx.lineTo(px, bottom);
}

function horizontal(ctx, py, left, right) {
  ctx.moveTo(left, py);
  ctx.lineTo(right, py);
}

/** Keeps far-off values (a diverging loss) at a finite distance outside the plot. */
function yOf(scene, value) {
  const { box } = scene;
  return clampNumber(scene.y.map(value), box.top - box.height, box.bottom + box.height);
}

function strokeSeries(ctx, scene, lrs, values, color, width, alpha) {
  const lines = polylines(
    lrs.length,
    (i) => (lrs[i] > 0 ? scene.x.map(lrs[i]) : NaN),
    (i) => (Number.isFinite(values[i]) ? yOf(scene, values[i]) : NaN),
  );
  ctx.globalAlpha = alpha;
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.lineJoin = 'round';
  ctx.beginPath();
  for (const line of lines) {
    ctx.moveTo(line[0], line[1]);
    for (let k = 2; k < line.length; k += 2) ctx.lineTo(line[k], line[k + 1]);
  }
  ctx.stroke();
  ctx.globalAlpha = 1;
}

function drawMarker(ctx, scene, { key, lr, loss }) {
  const { box } = scene;
  const style = SUGGESTION_STYLES[key];
  const px = scene.x.map(lr);
  const py = Number.isFinite(loss) ? clampNumber(scene.y.map(loss), box.top, box.bottom) : box.bottom;
  if (px < box.left - 1 || px > box.right + 1) return;
  const r = MARKER_RADIUS;
  ctx.beginPath();
  if (style.shape === 'circle') ctx.arc(px, py, r, 0, 2 * Math.PI);
  else if (style.shape === 'square') ctx.rect(px - r * 0.85, py - r * 0.85, r * 1.7, r * 1.7);
  else {
    const d = style.shape === 'triangle-up' ? -1 : 1; // apex up or down
    ctx.moveTo(px, py + d * r * 1.1);
    ctx.lineTo(px - r, py - d * r * 0.75);
    ctx.lineTo(px + r, py - d * r * 0.75);
    ctx.closePath();
  }
  ctx.fillStyle = style.color;
  ctx.fill();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = scene.theme.bg;
  ctx.stroke();
}

function drawSelected(ctx, scene) {
  const { box, theme } = scene;
  const px = Math.round(scene.x.map(scene.selectedLr)) + 0.5;
  if (px < box.left || px > box.right) return;
  ctx.save();
  ctx.setLineDash([5, 3]);
  ctx.strokeStyle = theme.fg;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  vertical(ctx, px, box.top, box.bottom);
  ctx.stroke();
  ctx.restore();
  const text = formatLr(scene.selectedLr);
  ctx.font = TITLE_FONT;
  const width = ctx.measureText(text).width + 8;
  const left = clampNumber(px - width / 2, box.left + 1, box.right - width - 1);
  ctx.fillStyle = theme.fg;
  ctx.fillRect(left, box.top + 1, width, 16);
  ctx.fillStyle = theme.bg;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, left + width / 2, box.top + 9);
}

function drawCrosshair(ctx, scene) {
  const { box, hover, theme } = scene;
  const px = Math.round(scene.x.map(hover.lr)) + 0.5;
  ctx.save();
  ctx.setLineDash([2, 3]);
  ctx.strokeStyle = theme.muted;
  ctx.lineWidth = 1;
  ctx.beginPath();
  vertical(ctx, px, box.top, box.bottom);
  if (Number.isFinite(hover.loss)) horizontal(ctx, Math.round(scene.y.map(hover.loss)) + 0.5, box.left, box.right);
  ctx.stroke();
  ctx.restore();
  if (Number.isFinite(hover.loss)) {
    ctx.beginPath();
    ctx.arc(px, scene.y.map(hover.loss), 3.5, 0, 2 * Math.PI);
    ctx.fillStyle = scene.colors[scene.active];
    ctx.fill();
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = theme.bg;
    ctx.stroke();
  }
}
