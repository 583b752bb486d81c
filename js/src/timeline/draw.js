/**
 * Canvas drawing of the timeline, in three layers. `drawBack` paints the frame (panel titles,
 * grids, axes, strip labels); `drawData` paints the data (strips, rate, momentum and loss
 * curves, validation losses) from per-column aggregates of the iterations in view, onto a
 * canvas that playback reveals up to the cursor; `drawOverlay` paints the boundaries, the
 * cursor and the brush above them, every frame.
 */
import { formatCount, formatDecade, formatLr, formatTick } from '../lib/format.js';
import { niceTicks, tickStep } from '../lib/scale.js';
import { logAxisTicks, runs } from '../lib/timeline.js';
import { columnX, edgeX, iterX, LABEL_ROW_PX, LABEL_X_PX, SWATCH_PX, stripRowTop } from '../lib/timeline-layout.js';
import { CANVAS_FONT_FAMILY } from '../ui/theme.js';

export const FONT_PX = 11;
export const FONT = `${FONT_PX}px ${CANVAS_FONT_FAMILY}`;
const BOLD_FONT = `600 ${FONT_PX}px ${CANVAS_FONT_FAMILY}`;
const HATCH_COLOR = 'rgba(0, 0, 0, 0.16)';
const HATCH_SPACING = 6;
export const VALID_COLOR = '#c2185b';

/**
 * The frame: everything but the data.
 * @param {CanvasRenderingContext2D} ctx
 * @param {object} scene see view.js `paintBase`
 */
export function drawBack(ctx, scene) {
  const { layout, dpr } = scene;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, layout.width, layout.height);
  drawEpochLines(ctx, scene);
  drawStripLabels(ctx, scene);
  drawLrAxis(ctx, scene);
  if (layout.mom) drawMomAxis(ctx, scene);
  drawLossAxis(ctx, scene);
  drawIterationAxis(ctx, scene);
}

/**
 * The data, clipped to the panels.
 * @param {CanvasRenderingContext2D} ctx
 * @param {object} scene see view.js `paintBase`
 */
export function drawData(ctx, scene) {
  const { layout, dpr } = scene;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, layout.width, layout.height);
  drawStrips(ctx, scene);
  drawLrLines(ctx, scene);
  if (layout.mom) drawMomLines(ctx, scene);
  drawLossLines(ctx, scene);
}

function panelFrame(ctx, layout, panel, theme) {
  ctx.strokeStyle = theme.border;
  ctx.lineWidth = 1;
  ctx.strokeRect(layout.left + 0.5, panel.top + 0.5, layout.plotWidth - 1, panel.height - 1);
}

function panelTitle(ctx, layout, panel, text, theme) {
  ctx.font = BOLD_FONT;
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'bottom';
  ctx.fillText(text, layout.left, panel.top - 2);
}

/** The line panels, top to bottom. */
function linePanels(layout) {
  return [layout.lr, layout.mom, layout.loss].filter(Boolean);
}

function drawEpochLines(ctx, { layout, win, epochEdges, theme }) {
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const e of epochEdges) {
    if (e <= win.start || e >= win.end) continue;
    const x = Math.round(edgeX(layout, win, e)) + 0.5;
    for (const panel of linePanels(layout)) {
      ctx.moveTo(x, panel.top);
      ctx.lineTo(x, panel.bottom);
    }
  }
  ctx.stroke();
}

function drawStripLabels(ctx, { layout, G, groups, groupColors, theme, truncate }) {
  const { rowHeight } = layout.strips;
  const maxLabel = layout.gutter - LABEL_X_PX - 8;
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  for (let g = 0; g < G; g++) {
    const top = stripRowTop(layout, g);
    stripOutline(ctx, layout, top, rowHeight, theme);
    const mid = top + rowHeight / 2;
    ctx.fillStyle = groupColors[g];
    ctx.fillRect(6, mid - SWATCH_PX / 2, SWATCH_PX, SWATCH_PX);
    ctx.fillStyle = theme.fg;
    ctx.fillText(truncate(groups[g].label, maxLabel), LABEL_X_PX, mid + 0.5);
  }
}

function stripOutline(ctx, layout, top, rowHeight, theme) {
  ctx.strokeStyle = theme.border;
  ctx.lineWidth = 1;
  ctx.strokeRect(layout.left + 0.5, top + 0.5, layout.plotWidth - 1, rowHeight - 1);
}

function drawStrips(ctx, { layout, G, strip, theme }) {
  if (!strip.image) return;
  const { rowHeight } = layout.strips;
  for (let g = 0; g < G; g++) {
    const top = stripRowTop(layout, g);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(strip.image, 0, g, strip.n, 1, layout.left, top, layout.plotWidth, rowHeight);
    hatch(ctx, layout, top, rowHeight, runs(strip.frozen, strip.n, g * strip.n), strip.n);
    stripOutline(ctx, layout, top, rowHeight, theme);
  }
}

/** Diagonal hatching over the frozen runs of one strip row. */
function hatch(ctx, layout, top, height, frozenRuns, n) {
  if (frozenRuns.length === 0) return;
  ctx.save();
  ctx.beginPath();
  for (const [a, b] of frozenRuns) {
    const x0 = layout.left + (a / n) * layout.plotWidth;
    const x1 = layout.left + (b / n) * layout.plotWidth;
    ctx.rect(x0, top, x1 - x0, height);
  }
  ctx.clip();
  ctx.beginPath();
  for (let x = layout.left - height; x < layout.right + height; x += HATCH_SPACING) {
    ctx.moveTo(x, top + height);
    ctx.lineTo(x + height, top);
  }
  ctx.strokeStyle = HATCH_COLOR;
  ctx.lineWidth = 1;
  ctx.stroke();
  ctx.restore();
}

/** Horizontal grid lines at `ticks` across the plot, labelled on the left with `format`. */
function drawYGrid(ctx, layout, scale, ticks, format, theme) {
  ctx.strokeStyle = theme.grid;
  ctx.beginPath();
  for (const v of ticks) {
    const y = Math.round(scale.map(v)) + 0.5;
    ctx.moveTo(layout.left, y);
    ctx.lineTo(layout.right, y);
  }
  ctx.stroke();
  ctx.font = FONT;
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of ticks) ctx.fillText(format(v), layout.left - 6, scale.map(v));
}

function drawLrAxis(ctx, { layout, lrY, theme }) {
  const panel = layout.lr;
  panelTitle(ctx, layout, panel, 'Learning rate per group (log scale)', theme);
  const labelled = logAxisTicks(lrY.domain, panel.height);
  drawYGrid(ctx, layout, lrY, labelled, (v) => formatDecade(v) ?? formatLr(v), theme);
  panelFrame(ctx, layout, panel, theme);
}

function drawMomAxis(ctx, { layout, momY, theme }) {
  const panel = layout.mom;
  panelTitle(ctx, layout, panel, 'Momentum per group', theme);
  const count = Math.max(2, Math.round(panel.height / 24));
  const step = tickStep(momY.domain[0], momY.domain[1], count);
  drawYGrid(ctx, layout, momY, niceTicks(momY.domain[0], momY.domain[1], count), (v) => formatTick(v, step), theme);
  panelFrame(ctx, layout, panel, theme);
}

function clipTo(ctx, layout, panel) {
  ctx.save();
  ctx.beginPath();
  ctx.rect(layout.left, panel.top, layout.plotWidth, panel.height);
  ctx.clip();
}

/** One line per group: solid while trainable, dashed and faded while frozen (later groups on top). */
function drawGroupLines(ctx, scene, panel, lines, y) {
  const { layout, strip, groupColors, G } = scene;
  clipTo(ctx, layout, panel);
  for (let g = 0; g < G; g++) {
    const frozen = strip.frozen.subarray(g * strip.n, (g + 1) * strip.n);
    strokeM4(ctx, scene, lines[g], y, groupColors[g], 1.75, (c) => !frozen[c]);
    ctx.setLineDash([3, 3]);
    strokeM4(ctx, scene, lines[g], y, groupColors[g], 1.25, (c) => frozen[c], 0.45);
    ctx.setLineDash([]);
  }
  ctx.restore();
}

function drawLrLines(ctx, scene) {
  drawGroupLines(ctx, scene, scene.layout.lr, scene.lrLines, scene.lrY);
}

function drawMomLines(ctx, scene) {
  drawGroupLines(ctx, scene, scene.layout.mom, scene.momLines, scene.momY);
}

/**
 * Strokes a per-column [first, min, max, last] series: a vertical stroke per column joined to
 * its neighbours, only over the columns where `include(c)` holds.
 */
function strokeM4(ctx, { layout, strip }, m4, y, color, width, include, alpha = 1) {
  const n = strip.n;
  ctx.beginPath();
  let open = false;
  for (let c = 0; c < n; c++) {
    if (!include(c) || Number.isNaN(m4[4 * c])) {
      open = false;
      continue;
    }
    const x = columnX(layout, n, c);
    if (!open) {
      // Start from the previous column's last point, so runs of either style join up.
      if (c > 0 && !Number.isNaN(m4[4 * c - 1])) ctx.moveTo(columnX(layout, n, c - 1), y.map(m4[4 * c - 1]));
      else ctx.moveTo(x, y.map(m4[4 * c]));
      open = true;
    }
    for (let k = 0; k < 4; k++) ctx.lineTo(x, y.map(m4[4 * c + k]));
  }
  ctx.globalAlpha = alpha;
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  ctx.stroke();
  ctx.globalAlpha = 1;
}

function drawLossAxis(ctx, { layout, lossY, theme }) {
  const panel = layout.loss;
  panelTitle(ctx, layout, panel, 'Loss', theme);
  const count = Math.max(2, Math.round(panel.height / 40));
  const ticks = niceTicks(lossY.domain[0], lossY.domain[1], count);
  const step = tickStep(lossY.domain[0], lossY.domain[1], count);
  drawYGrid(ctx, layout, lossY, ticks, (v) => formatTick(v, step), theme);
  panelFrame(ctx, layout, panel, theme);
}

function drawLossLines(ctx, scene) {
  const { layout, lossY, lossLine, smoothLine, valid, theme, win } = scene;
  const panel = layout.loss;
  clipTo(ctx, layout, panel);
  strokeM4(ctx, scene, lossLine, lossY, theme.fg, 1, () => true, 0.22);
  strokeM4(ctx, scene, smoothLine, lossY, theme.fg, 1.75, () => true);
  // Validation losses: dotted line through the epoch ends, then the points.
  if (valid.length > 0) {
    ctx.beginPath();
    valid.forEach((p, k) => {
      const x = edgeX(layout, win, p.iter);
      if (k === 0) ctx.moveTo(x, lossY.map(p.loss));
      else ctx.lineTo(x, lossY.map(p.loss));
    });
    ctx.setLineDash([2, 3]);
    ctx.strokeStyle = VALID_COLOR;
    ctx.lineWidth = 1.25;
    ctx.stroke();
    ctx.setLineDash([]);
  }
  ctx.restore();
  for (const p of valid) {
    const x = edgeX(layout, win, p.iter);
    const y = lossY.map(p.loss);
    if (y < panel.top - 1 || y > panel.bottom + 1 || x < layout.left - 1 || x > layout.right + 1) continue;
    ctx.beginPath();
    ctx.arc(x, y, 4, 0, 2 * Math.PI);
    ctx.fillStyle = VALID_COLOR;
    ctx.fill();
    ctx.strokeStyle = theme.bg;
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }
}

function drawIterationAxis(ctx, { layout, win, theme }) {
  const ticks = niceTicks(win.start, win.end, Math.max(2, Math.round(layout.plotWidth / 90))).filter(Number.isInteger);
  const y = layout.axis.top;
  ctx.strokeStyle = theme.muted;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const v of ticks) {
    const x = Math.round(edgeX(layout, win, v)) + 0.5;
    ctx.moveTo(x, y);
    ctx.lineTo(x, y + 4);
  }
  ctx.stroke();
  ctx.font = FONT;
  ctx.fillStyle = theme.muted;
  ctx.textBaseline = 'top';
  ticks.forEach((v) => {
    const x = edgeX(layout, win, v);
    ctx.textAlign = x > layout.right - 20 ? 'right' : 'center';
    ctx.fillText(formatCount(v), x, y + 6);
  });
  ctx.textAlign = 'right';
  ctx.fillText('iteration', layout.left - 6, y + 6);
}

/** Boundary lines across every panel, with their labels on top (markers outside the window are left out). */
function drawMarkers(ctx, { layout, win, markers, theme }) {
  ctx.font = BOLD_FONT;
  ctx.textBaseline = 'top';
  for (const marker of markers) {
    if (marker.iter < win.start || marker.iter > win.end) continue;
    const x = Math.round(edgeX(layout, win, marker.iter)) + 0.5;
    const labelY = layout.labels.top + marker.row * LABEL_ROW_PX;
    ctx.save();
    ctx.setLineDash(marker.kinds.includes('lr_find') && marker.kinds.length === 1 ? [1, 3] : [4, 3]);
    ctx.strokeStyle = theme.fg;
    ctx.globalAlpha = 0.7;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x, labelY + 12);
    ctx.lineTo(x, layout.loss.bottom);
    ctx.stroke();
    ctx.restore();
    ctx.fillStyle = theme.fg;
    ctx.textAlign = marker.align;
    ctx.fillText(marker.label, marker.align === 'right' ? x - 3 : x + 3, labelY);
  }
}

/**
 * Above the data: the boundaries, the brush being dragged, and the cursor (a line through
 * every panel at the middle of iteration `cursor`, a handle above the strips, the iteration
 * number on the axis and dots where it crosses the curves) when it is in the window.
 * @param {CanvasRenderingContext2D} ctx
 * @param {object} scene see view.js `paintOverlay`
 */
export function drawOverlay(ctx, scene) {
  const { layout, dpr, win, cursor, theme, brush } = scene;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, layout.width, layout.height);
  drawMarkers(ctx, scene);
  if (brush) drawBrush(ctx, layout, brush, theme);
  if (!(cursor >= win.start && cursor < win.end)) return;
  const x = Math.round(iterX(layout, win, cursor)) + 0.5;
  const top = layout.strips.top - 4;
  ctx.strokeStyle = theme.cursor;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(x, top);
  ctx.lineTo(x, layout.axis.top);
  ctx.stroke();
  ctx.fillStyle = theme.cursor;
  ctx.beginPath();
  ctx.moveTo(x - 5, top - 5);
  ctx.lineTo(x + 5, top - 5);
  ctx.lineTo(x, top + 1);
  ctx.closePath();
  ctx.fill();

  for (const dot of scene.dots) {
    if (!Number.isFinite(dot.y) || dot.y < dot.top || dot.y > dot.bottom) continue;
    ctx.beginPath();
    ctx.arc(x, dot.y, 3.5, 0, 2 * Math.PI);
    ctx.fillStyle = dot.color;
    ctx.fill();
    ctx.strokeStyle = theme.bg;
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }

  const text = formatCount(cursor);
  ctx.font = BOLD_FONT;
  const width = ctx.measureText(text).width + 8;
  const left = Math.min(layout.right - width, Math.max(layout.left, x - width / 2));
  ctx.fillStyle = theme.cursor;
  ctx.fillRect(left, layout.axis.top + 3, width, 16);
  ctx.fillStyle = theme.bg;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, left + width / 2, layout.axis.top + 11.5);
}

/** The range being brushed: a translucent band over the panels. */
function drawBrush(ctx, layout, { x0, x1 }, theme) {
  const left = Math.max(layout.left, Math.min(x0, x1));
  const right = Math.min(layout.right, Math.max(x0, x1));
  ctx.globalAlpha = 0.15;
  ctx.fillStyle = theme.highlight;
  ctx.fillRect(left, layout.strips.top, right - left, layout.axis.top - layout.strips.top);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = theme.highlight;
  ctx.lineWidth = 1;
  ctx.strokeRect(Math.round(left) + 0.5, layout.strips.top + 0.5, Math.round(right - left), layout.axis.top - layout.strips.top);
}
