/**
 * The training side of the comparison: every LR-finder curve of A and B overlaid (log learning
 * rate; fastai's valley marked), and both timelines on one iteration axis aligned by phase
 * (loss above, the last parameter group's learning rate below, phase starts as lines).
 */
import { finiteExtent, padLogRange, padRange, plotBox, polylines, quantile } from '../lib/chart.js';
import { formatDecade, formatLr, formatTick } from '../lib/format.js';
import { linearScale, logScale, logTicks, niceTicks, tickStep } from '../lib/scale.js';
import { el, setText } from '../lib/text.js';
import { sizeCanvas } from '../ui/canvas.js';
import { CANVAS_FONT_FAMILY } from '../ui/theme.js';
import { RUN_COLORS } from './styles.js';

const FONT = `11px ${CANVAS_FONT_FAMILY}`;
const TITLE_FONT = `600 11px ${CANVAS_FONT_FAMILY}`;
const MARGIN = { top: 10, right: 12, bottom: 34, left: 52 };
const LR_SIZE = { width: 380, height: 230 };
const TIMELINE_HEIGHT = 300;
const MIN_TIMELINE_WIDTH = 380;

export function createCharts() {
  const lrCanvas = el('canvas', { role: 'img', 'aria-label': 'LR finder curves of A and B' });
  const lrNote = el('div', { className: 'petlens-muted petlens-cmp-hint' });
  const timeCanvas = el('canvas', { role: 'img', 'aria-label': 'Training loss and learning rate of A and B, aligned by phase' });
  const timeNote = el('div', { className: 'petlens-muted petlens-cmp-hint' });
  const key = (run, text) => {
    const span = el('span', { text });
    span.style.setProperty('--petlens-cmp-line', RUN_COLORS[run]);
    return span;
  };
  const keyA = key('a', 'A');
  const keyB = key('b', 'B');
  const lrBox = el('div', { className: 'petlens-cmp-chart petlens-cmp-lr' }, [el('h4', { text: 'LR finder' }), lrCanvas, lrNote]);
  const timeBox = el('div', { className: 'petlens-cmp-chart petlens-cmp-timeline' }, [el('h4', { text: 'Training, aligned by phase' }), timeCanvas, timeNote]);
  const node = el('section', { className: 'petlens-cmp-section petlens-cmp-training' }, [
    el('h3', { text: 'How they trained' }),
    el('div', { className: 'petlens-cmp-key' }, [keyA, keyB]),
    el('div', { className: 'petlens-cmp-charts' }, [lrBox, timeBox]),
  ]);
  let lr = { curves: [], skipped: 0 };
  let time = { lines: [], skipped: 0 };

  return {
    node,
    /** New curves (readLrFinds / readTimelines results) and run names. */
    update(lrFinds, timelines, runs) {
      lr = lrFinds;
      time = timelines;
      setText(keyA, `A ${runs.a.name}`);
      setText(keyB, `B ${runs.b.name}`);
      const missing = ['a', 'b'].filter((run) => !lr.curves.some((c) => c.run === run)).map((r) => r.toUpperCase());
      lrBox.hidden = lr.curves.length === 0;
      setText(lrNote, [
        missing.length ? `No LR finder in ${missing.join(' or ')}.` : '',
        lr.curves.some((c) => c.valley) ? 'Dots: fastai\'s valley suggestion.' : '',
      ].filter(Boolean).join(' '));
      timeBox.hidden = time.lines.length === 0;
      setText(timeNote, time.lines.length ? 'Each phase (fit) of B starts where the same phase of A starts; dashed lines: phase starts.' : '');
      node.hidden = lr.curves.length === 0 && time.lines.length === 0;
    },
    /** Draws both charts for a view `viewWidth` px wide. */
    paint(theme, viewWidth) {
      if (node.hidden) return;
      if (!lrBox.hidden) drawLrFinds(lrCanvas, lr.curves, theme);
      if (!timeBox.hidden) {
        const width = Math.max(MIN_TIMELINE_WIDTH, Math.min(900, (viewWidth || 900) - (lrBox.hidden ? 0 : LR_SIZE.width + 24)));
        drawTimelines(timeCanvas, time.lines, { width, height: TIMELINE_HEIGHT }, theme);
      }
    },
  };
}

function frame(ctx, box, theme) {
  ctx.strokeStyle = theme.muted;
  ctx.lineWidth = 1;
  ctx.strokeRect(box.left + 0.5, box.top + 0.5, box.width - 1, box.height - 1);
}

function stroke(ctx, lines, color, width, dash = []) {
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.setLineDash(dash);
  ctx.beginPath();
  for (const line of lines) {
    ctx.moveTo(line[0], line[1]);
    for (let i = 2; i < line.length; i += 2) ctx.lineTo(line[i], line[i + 1]);
  }
  ctx.stroke();
  ctx.setLineDash([]);
}

function yAxis(ctx, box, y, theme, title, log = false) {
  ctx.font = FONT;
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  ctx.strokeStyle = theme.grid;
  ctx.beginPath();
  if (log) {
    for (const v of logTicks(y.domain[0], y.domain[1]).major) {
      ctx.moveTo(box.left, Math.round(y.map(v)) + 0.5);
      ctx.lineTo(box.right, Math.round(y.map(v)) + 0.5);
      ctx.fillText(formatDecade(v), box.left - 5, y.map(v));
    }
  } else {
    const count = Math.max(2, Math.round(box.height / 40));
    const step = tickStep(y.domain[0], y.domain[1], count);
    for (const v of niceTicks(y.domain[0], y.domain[1], count)) {
      ctx.moveTo(box.left, Math.round(y.map(v)) + 0.5);
      ctx.lineTo(box.right, Math.round(y.map(v)) + 0.5);
      ctx.fillText(formatTick(v, step), box.left - 5, y.map(v));
    }
  }
  ctx.stroke();
  ctx.save();
  ctx.font = TITLE_FONT;
  ctx.textAlign = 'center';
  ctx.translate(11, box.top + box.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(title, 0, 0);
  ctx.restore();
}

/** The LR-finder curves of both runs on one log-lr axis; y from the lowest loss to a little above the start. */
export function drawLrFinds(canvas, curves, theme) {
  const dpr = sizeCanvas(canvas, LR_SIZE.width, LR_SIZE.height);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, LR_SIZE.width, LR_SIZE.height);
  const box = plotBox(LR_SIZE, MARGIN);
  const xs = finiteExtent(curves.flatMap((c) => Array.from(c.lrs)), { positive: true });
  const all = curves.flatMap((c) => Array.from(c.losses));
  const low = finiteExtent(all);
  if (!xs || !low) return;
  const starts = curves.map((c) => Array.from(c.losses).find(Number.isFinite)).filter(Number.isFinite);
  const top = Math.min(low[1], Math.max(...starts) * 1.3);
  const x = logScale(padLogRange(xs[0], xs[1], 0.02), [box.left, box.right]);
  const y = linearScale(padRange(low[0], top, 0.05), [box.bottom, box.top]);
  yAxis(ctx, box, y, theme, 'Loss');
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.font = FONT;
  for (const v of logTicks(x.domain[0], x.domain[1]).major) ctx.fillText(formatDecade(v), x.map(v), box.bottom + 4);
  ctx.font = TITLE_FONT;
  ctx.fillText('Learning rate (log scale)', box.left + box.width / 2, box.bottom + 19);
  frame(ctx, box, theme);
  ctx.save();
  ctx.beginPath();
  ctx.rect(box.left, box.top, box.width, box.height);
  ctx.clip();
  curves.forEach((curve) => {
    const lines = polylines(curve.lrs.length, (i) => (curve.lrs[i] > 0 ? x.map(curve.lrs[i]) : NaN), (i) => y.map(Math.min(curve.losses[i], top * 2)));
    stroke(ctx, lines, RUN_COLORS[curve.run], 1.75);
  });
  ctx.restore();
  for (const curve of curves) {
    if (!curve.valley) continue;
    let nearest = 0;
    for (let i = 1; i < curve.lrs.length; i++) if (Math.abs(Math.log(curve.lrs[i] / curve.valley)) < Math.abs(Math.log(curve.lrs[nearest] / curve.valley))) nearest = i;
    const px = x.map(curve.valley);
    const py = y.map(curve.losses[nearest]);
    ctx.fillStyle = RUN_COLORS[curve.run];
    ctx.strokeStyle = theme.bg;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.arc(px, py, 4.5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
    // A's label above its dot, B's below: close valleys do not overwrite each other.
    ctx.font = FONT;
    ctx.textAlign = 'left';
    ctx.textBaseline = curve.run === 'a' ? 'bottom' : 'top';
    ctx.fillText(`${curve.run.toUpperCase()} ${formatLr(curve.valley)}`, px + 6, curve.run === 'a' ? py - 4 : py + 4);
  }
}

/** Both timelines on one aligned iteration axis: loss above, learning rate (log) below. */
export function drawTimelines(canvas, lines, size, theme) {
  const dpr = sizeCanvas(canvas, size.width, size.height);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size.width, size.height);
  const xs = finiteExtent(lines.flatMap((l) => [l.x[0], l.x[l.x.length - 1]]));
  if (!xs) return;
  const split = Math.round(size.height * 0.58);
  const lossBox = plotBox({ width: size.width, height: split }, { ...MARGIN, bottom: 6 });
  const lrBox = plotBox({ width: size.width, height: size.height - split }, { ...MARGIN, top: 6 });
  lrBox.top += split;
  lrBox.bottom += split;
  const x = linearScale(padRange(xs[0], xs[1], 0.01), [lossBox.left, lossBox.right]);
  const losses = lines.flatMap((l) => Array.from(l.loss)).filter(Number.isFinite);
  const lossLow = finiteExtent(losses);
  const lossHigh = quantile(losses, 0.99);
  const lrs = finiteExtent(lines.flatMap((l) => Array.from(l.lr)), { positive: true });
  if (lossLow) {
    const y = linearScale(padRange(Math.min(0, lossLow[0]), lossHigh, 0.05), [lossBox.bottom, lossBox.top]);
    yAxis(ctx, lossBox, y, theme, 'Loss');
    frame(ctx, lossBox, theme);
    plotLines(ctx, lossBox, lines, x, (l) => l.loss, y);
  }
  if (lrs) {
    const y = logScale(padLogRange(lrs[0], lrs[1], 0.05), [lrBox.bottom, lrBox.top]);
    yAxis(ctx, lrBox, y, theme, 'LR', true);
    frame(ctx, lrBox, theme);
    plotLines(ctx, lrBox, lines, x, (l) => l.lr, y, (v) => v > 0);
  }
  // Phase starts (A's; B's are aligned to them) across both panels, and the x axis.
  const starts = [...new Set(lines.flatMap((l) => l.phaseStarts))].filter((s) => s > xs[0]);
  ctx.strokeStyle = theme.muted;
  ctx.lineWidth = 1;
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  for (const s of starts) {
    const px = Math.round(x.map(s)) + 0.5;
    ctx.moveTo(px, lossBox.top);
    ctx.lineTo(px, lrBox.bottom);
  }
  ctx.stroke();
  ctx.setLineDash([]);
  const count = Math.max(2, Math.round(lrBox.width / 90));
  const step = tickStep(x.domain[0], x.domain[1], count);
  ctx.font = FONT;
  ctx.fillStyle = theme.muted;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const v of niceTicks(x.domain[0], x.domain[1], count)) ctx.fillText(formatTick(v, step), x.map(v), lrBox.bottom + 4);
  ctx.font = TITLE_FONT;
  ctx.fillText('Iteration (phases aligned)', lrBox.left + lrBox.width / 2, lrBox.bottom + 19);
}

function plotLines(ctx, box, lines, x, values, y, valid = Number.isFinite) {
  ctx.save();
  ctx.beginPath();
  ctx.rect(box.left, box.top, box.width, box.height);
  ctx.clip();
  for (const line of lines) {
    const v = values(line);
    const paths = polylines(line.x.length, (i) => x.map(line.x[i]), (i) => (valid(v[i]) ? y.map(v[i]) : NaN));
    stroke(ctx, paths, RUN_COLORS[line.run], 1.25);
  }
  ctx.restore();
}
