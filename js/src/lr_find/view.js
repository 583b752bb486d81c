/**
 * The LR-finder explorer view: every lr_find curve of the session on a log-lr axis, the active
 * curve's four suggestions (markers and a list with explanations), a hover readout, and a
 * click-to-pick rate with a copyable line: `learn.fine_tune(...)` for a curve recorded while
 * frozen, `learn.fit_one_cycle(..., lr_max=slice(lo, hi))` for one recorded after `unfreeze`.
 * All computation lives in lib/lr_find.js; trait changes are applied once per animation frame.
 */
import { insideBox, plotBox } from '../lib/chart.js';
import {
  copyLine,
  curveColor,
  curveTraining,
  hoverText,
  lossAt,
  lossAxisTitle,
  lossDomain,
  lrDomain,
  pickLr,
  readCurves,
  readEpochs,
  readLr,
  readSelectedCurve,
  readSliceRatio,
  SLICE_RATIOS,
  suggestionMarkers,
  suggestionRows,
} from '../lib/lr_find.js';
import { formatLr, MISSING } from '../lib/format.js';
import { linearScale, logScale } from '../lib/scale.js';
import { createFrameScheduler } from '../lib/schedule.js';
import { el, setText } from '../lib/text.js';
import { sizeCanvas } from '../ui/canvas.js';
import { CHART_MARGIN, drawChart } from './draw.js';
import { LR_FIND_CSS } from './styles.js';

const MIN_WIDTH_PX = 260;
const MAX_WIDTH_PX = 900;
const MIN_HEIGHT_PX = 220;
const MAX_HEIGHT_PX = 420;
const STATUS_MS = 2500;
const HINT = 'Hover the chart to read the loss; click it (or a suggestion) to pick a learning rate.';
const EMPTY = 'No lr_find recorded in this run.';

const DATA_TRAITS = ['curves'];
const LIST_TRAITS = ['explanations', 'selected_curve']; // the suggestion list depends on these
const DISPLAY_TRAITS = ['explanations', 'selected_lr', 'selected_curve', 'show_raw', 'epochs_hint', 'slice_ratio'];

/**
 * Renders the LR-finder explorer into `host`.
 * @param {object} model anywidget model, a createModel() stand-in, or a dashboard's scoped proxy
 *   (only get / set / save_changes / on / off are used)
 * @param {HTMLElement} host
 * @returns {() => void} cleanup: unsubscribes, cancels frames and timers, removes the view
 */
export function mountLrFinder(model, host) {
  const legend = el('div', { className: 'petlens-lrfind-legend', role: 'group', 'aria-label': 'lr_find calls' });
  const rawToggle = el('input', { type: 'checkbox', on: { change: () => commit('show_raw', rawToggle.checked) } });
  // View-only option (not a trait): y range over every curve instead of the active one.
  const yAllToggle = el('input', {
    type: 'checkbox',
    on: {
      change: () => {
        yAll = yAllToggle.checked;
        frame.schedule();
      },
    },
  });
  const canvas = el('canvas', {
    tabindex: 0,
    role: 'img',
  });
  const readout = el('div', { className: 'petlens-lrfind-readout petlens-muted', 'aria-live': 'polite', text: HINT });
  const plot = el('div', { className: 'petlens-lrfind-plot' }, [canvas, readout]);
  const suggestionList = el('ul', { className: 'petlens-suggestions' });
  const side = el('div', { className: 'petlens-lrfind-side' }, [el('h4', { text: 'fastai suggestions' }), suggestionList]);
  const pickValue = el('strong', { className: 'petlens-suggestion-lr' });
  const code = el('input', {
    type: 'text',
    readonly: true,
    spellcheck: 'false',
    className: 'petlens-pick-code',
    'aria-label': 'Line to copy into the notebook',
    on: { focus: () => code.select?.() },
  });
  const copyButton = el('button', { type: 'button', text: 'Copy', on: { click: copy } });
  const status = el('span', { className: 'petlens-pick-status petlens-muted', 'aria-live': 'polite' });
  const ratioSelect = el('select', {
    className: 'petlens-pick-ratio',
    title: 'lo of lr_max=slice(lo, hi): the rate of the earliest layer group; hi (the picked rate) is the head\'s',
    on: { change: () => commit('slice_ratio', Number(ratioSelect.value)) },
  });
  const ratioLabel = el('label', {}, ['lo = hi ÷', ratioSelect]);
  let ratioValues = [];
  const note = el('div', { className: 'petlens-pick-note petlens-muted' });
  const pickRow = el('div', { className: 'petlens-pick' }, [
    el('div', { className: 'petlens-pick-line' }, [el('span', { text: 'Selected rate' }), pickValue, ratioLabel, code, copyButton, status]),
    note,
  ]);
  const main = el('div', { className: 'petlens-lrfind-main' }, [plot, side]);
  const message = el('div', { className: 'petlens-error', role: 'alert', hidden: true });
  const empty = el('div', { className: 'petlens-empty petlens-muted', text: EMPTY, hidden: true });
  // Legend and display options.
  const top = el('div', { className: 'petlens-lrfind-top' }, [
    legend,
    el('label', { title: 'Raw (unsmoothed) losses of the selected curve' }, [rawToggle, 'Raw losses']),
    el('label', { title: 'Fit the loss axis to every curve instead of the selected one' }, [yAllToggle, 'Y range: all curves']),
  ]);
  const root = el('div', { className: 'petlens petlens-lrfind' }, [
    el('style', { text: LR_FIND_CSS }),
    top,
    message,
    empty,
    main,
    pickRow,
  ]);
  host.appendChild(root);
  const ctx = canvas.getContext('2d');

  let curves = []; // readCurves result
  let layout = null; // {size, box, dpr}
  let hover = null; // rate under the pointer
  let yAll = false; // y range over all curves (otherwise the active one)
  let legendButtons = [];
  let legendLabels = null; // what the legend buttons show
  let suggestionRowsShown = []; // [{row, button}]
  let statusTimer = null;
  const dirty = { data: true, layout: true, list: true };
  const frame = createFrameScheduler(update);

  function commit(name, value) {
    model.set(name, value);
    model.save_changes();
  }

  // --- model -> view ---

  function update() {
    if (dirty.data) loadData();
    if (dirty.layout || (layout && layout.dpr !== (window.devicePixelRatio || 1))) layoutChart();
    paint();
  }

  function loadData() {
    dirty.data = false;
    dirty.layout = true;
    dirty.list = true;
    // The hovered rate stays: a running lr_find replaces its curve about 3 times a second.
    try {
      curves = readCurves(model.get('curves'));
      showMessage(null);
    } catch (error) {
      curves = [];
      showMessage(`Cannot show the learning-rate finder: ${error.message}`);
    }
    const labels = curves.map((curve) => `${curve.label}\n${curve.iter}`).join('\n');
    if (labels === legendLabels) return; // the same legend: keep its buttons (focus, hover)
    legendLabels = labels;
    legendButtons = curves.map((curve, i) => {
      const button = el(
        'button',
        {
          type: 'button',
          'aria-pressed': 'false',
          title: curve.iter === null ? curve.label : `${curve.label}, after ${curve.iter} training iterations`,
          on: { click: () => commit('selected_curve', i) },
        },
        [swatch(curveColor(i)), el('span', { className: 'petlens-label', text: curve.label })],
      );
      return button;
    });
    legend.replaceChildren(...legendButtons);
  }

  function layoutChart() {
    dirty.layout = false;
    const width = Math.round(Math.min(MAX_WIDTH_PX, Math.max(MIN_WIDTH_PX, plot.clientWidth || MIN_WIDTH_PX)));
    const height = Math.round(Math.min(MAX_HEIGHT_PX, Math.max(MIN_HEIGHT_PX, width * 0.58)));
    const dpr = sizeCanvas(canvas, width, height);
    layout = { size: { width, height }, box: plotBox({ width, height }, CHART_MARGIN), dpr };
  }

  /** Scales of the current data, or null when nothing can be drawn. */
  function scales() {
    if (!layout || curves.length === 0) return null;
    const active = curves[readSelectedCurve(model.get('selected_curve'), curves.length)];
    const xDomain = lrDomain(curves);
    const yDomain = (!yAll && active && lossDomain([active])) || lossDomain(curves);
    if (!xDomain || !yDomain) return null;
    const { box } = layout;
    return {
      x: logScale(xDomain, [box.left, box.right], { clamp: true }),
      y: linearScale(yDomain, [box.bottom, box.top]),
    };
  }

  function paint() {
    const hasCurves = curves.length > 0;
    empty.hidden = hasCurves || !message.hidden;
    main.hidden = !hasCurves;
    pickRow.hidden = !hasCurves;
    top.hidden = !hasCurves;
    rawToggle.checked = model.get('show_raw') === true;
    const active = readSelectedCurve(model.get('selected_curve'), curves.length);
    const selectedLr = readLr(model.get('selected_lr'));
    legendButtons.forEach((button, i) => button.setAttribute('aria-pressed', String(i === active)));
    renderSuggestions(active, selectedLr);
    renderPick(active, selectedLr);
    renderReadout(active);

    const s = scales();
    if (!s) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      return;
    }
    const style = getComputedStyle(root);
    const css = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
    const curve = curves[active];
    const yTitle = lossAxisTitle(model.get('show_raw') === true, curve);
    canvas.setAttribute('aria-label', `${yTitle} against learning rate (log scale). Click to pick a learning rate.`);
    drawChart(ctx, {
      ...layout,
      ...s,
      curves,
      active,
      colors: curves.map((_, i) => curveColor(i)),
      showRaw: model.get('show_raw') === true,
      yTitle,
      markers: curve ? suggestionMarkers(curve) : [],
      selectedLr,
      hover: hover === null ? null : { lr: hover, loss: curve ? lossAt(curve.lrs, curve.losses, hover) : NaN },
      theme: {
        fg: style.color || '#1f2328',
        muted: css('--petlens-fg-muted', '#59636e'),
        grid: 'rgba(128, 128, 128, 0.22)',
        bg: css('--petlens-bg', '#ffffff'),
      },
    });
  }

  /** Rebuilds the list when the curve or the explanations changed; marks the selected rate. */
  function renderSuggestions(active, selectedLr) {
    if (dirty.list) {
      dirty.list = false;
      suggestionRowsShown = suggestionRows(curves[active], model.get('explanations')).map((row) => ({
        row,
        button: suggestionButton(row, curves[active]?.running === true),
      }));
      suggestionList.replaceChildren(...suggestionRowsShown.map(({ button }) => el('li', {}, [button])));
    }
    for (const { row, button } of suggestionRowsShown) {
      button.setAttribute('aria-pressed', String(row.lr !== null && row.lr === selectedLr));
    }
  }

  function suggestionButton(row, running) {
    return el(
      'button',
      {
        type: 'button',
        disabled: row.lr === null,
        title: row.lr !== null ? `Use ${row.lrText}` : running ? 'fastai suggests rates when lr_find ends' : 'fastai could not compute this suggestion for this curve',
        on: { click: () => row.lr !== null && commit('selected_lr', row.lr) },
      },
      [
        glyph(row.glyph, row.color),
        el('span', { className: 'petlens-suggestion-name', text: row.label }),
        el('span', { className: 'petlens-suggestion-lr', text: row.lrText }),
        row.text ? el('span', { className: 'petlens-suggestion-text', text: row.text }) : null,
      ],
    );
  }

  function renderPick(active, selectedLr) {
    const training = curveTraining(curves[active]);
    const ratio = readSliceRatio(model.get('slice_ratio'));
    const running = curves[active]?.running === true;
    const { code: line, note: text } = copyLine({ epochs: model.get('epochs_hint'), lr: selectedLr, training, ratio, running });
    setText(pickValue, selectedLr === null ? MISSING : formatLr(selectedLr));
    ratioLabel.hidden = training !== 'unfrozen';
    setRatios(ratio);
    code.value = line ?? '';
    code.placeholder = training === 'unknown' && selectedLr !== null ? 'Frozen state unknown: see below' : 'Click the chart or a suggestion to pick a rate';
    copyButton.disabled = line === null;
    setText(note, text);
    note.hidden = !text;
  }

  /** The ratio select: the offered ratios plus a ratio set from Python that is not among them. */
  function setRatios(ratio) {
    const values = SLICE_RATIOS.includes(ratio) ? [...SLICE_RATIOS] : [...SLICE_RATIOS, ratio].sort((a, b) => a - b);
    if (values.join() !== ratioValues.join()) {
      ratioValues = values;
      ratioSelect.replaceChildren(...values.map((v) => el('option', { value: String(v), text: String(v) })));
    }
    ratioSelect.value = String(ratio);
  }

  function renderReadout(active) {
    if (hover === null) {
      readout.classList.add('petlens-muted');
      setText(readout, HINT);
    } else {
      readout.classList.remove('petlens-muted');
      setText(readout, hoverText(hover, curves[active]));
    }
  }

  function showMessage(text) {
    setText(message, text);
    message.hidden = !text;
  }

  // --- copy ---

  function copy() {
    const text = code.value;
    if (!text) return;
    const clipboard = typeof navigator !== 'undefined' ? navigator.clipboard : undefined;
    const fallback = () => {
      code.focus?.();
      code.select?.();
      showStatus('Selected: press Ctrl+C (⌘C) to copy');
    };
    if (!clipboard || typeof clipboard.writeText !== 'function') return fallback();
    clipboard.writeText(text).then(() => showStatus('Copied'), fallback);
  }

  function showStatus(text) {
    setText(status, text);
    clearTimeout(statusTimer);
    statusTimer = setTimeout(() => setText(status, ''), STATUS_MS);
  }

  // --- pointer ---

  function pointIn(event) {
    const rect = canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  function onPointerMove(event) {
    const s = !dirty.data && scales();
    const point = pointIn(event);
    const next = s && insideBox(layout.box, point.x, point.y) ? s.x.invert(point.x) : null;
    if (next === hover) return;
    hover = next;
    frame.schedule();
  }

  function onPointerLeave() {
    if (hover === null) return;
    hover = null;
    frame.schedule();
  }

  function onClick(event) {
    const s = !dirty.data && scales();
    const point = pointIn(event);
    if (!s || !insideBox(layout.box, point.x, point.y)) return;
    const curve = curves[readSelectedCurve(model.get('selected_curve'), curves.length)];
    const { lr } = pickLr(point.x, s.x, curve ? suggestionMarkers(curve) : []);
    commit('selected_lr', lr);
  }

  canvas.addEventListener('pointermove', onPointerMove);
  canvas.addEventListener('pointerleave', onPointerLeave);
  canvas.addEventListener('click', onClick);

  // --- subscriptions ---

  const markDirty = (part) => () => {
    if (part) dirty[part] = true;
    frame.schedule();
  };
  const subscriptions = [
    ...DATA_TRAITS.map((name) => [`change:${name}`, markDirty('data')]),
    ...DISPLAY_TRAITS.map((name) => [`change:${name}`, markDirty(LIST_TRAITS.includes(name) ? 'list' : null)]),
  ];
  for (const [event, callback] of subscriptions) model.on(event, callback);
  const resizeObserver = new ResizeObserver(markDirty('layout'));
  resizeObserver.observe(plot);

  update(); // first paint now, so the view has its size before the first frame

  return () => {
    for (const [event, callback] of subscriptions) model.off(event, callback);
    resizeObserver.disconnect();
    frame.cancel();
    clearTimeout(statusTimer);
    root.remove();
  };
}

function swatch(color) {
  const node = el('span', { className: 'petlens-swatch', 'aria-hidden': 'true' });
  node.style.background = color;
  return node;
}

function glyph(text, color) {
  const node = el('span', { className: 'petlens-glyph', 'aria-hidden': 'true', text });
  node.style.color = color;
  return node;
}
