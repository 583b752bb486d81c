/**
 * The compare view (two runs, item by item): the header with the counts, the notices and the
 * header diff; the difference matrix B − A; the per-class table; the item browser with the
 * change chips and the side-by-side detail; the LR-finder overlay and the aligned timelines.
 * Traits are read through lib/compare.js (js/docs/compare.md); trait changes are applied once per
 * animation frame, the first paint happens during `render`. The root reports what was drawn as
 * data- attributes: `data-cell-px`, `data-row-labels`, `data-col-labels`, `data-labels-cut`,
 * `data-changed-cells`, `data-values-drawn`, `data-zoom`, `data-overview-pool`, `data-items`
 * (items the filters select).
 */
import {
  cellClickTraits,
  changeChipTraits,
  changeCounts,
  classClickTraits,
  describeItem,
  filterItems,
  pageWindow,
  readChangeFilter,
  readCompare,
  readCounts,
  readDiffNormalize,
  readHeaderRows,
  readIndex,
  readLrFinds,
  readMatrices,
  readNotices,
  readOrders,
  readPageSize,
  readRuns,
  readTimelines,
  sortItems,
} from '../lib/compare.js';
import { readSelection } from '../lib/confusion-state.js';
import { isMissing, readNotice } from '../lib/notice.js';
import { createFrameScheduler } from '../lib/schedule.js';
import { el, setText } from '../lib/text.js';
import { createBrowser, createCard } from './browser.js';
import { createCharts } from './charts.js';
import { createDetail } from './detail.js';
import { createHeader } from './header.js';
import { createMatrix } from './matrix.js';
import { createUrlStore, readSaliency, readThumbs } from './media.js';
import { COMPARE_CSS } from './styles.js';
import { createTable } from './table.js';

/** Shown in place of the views when there are no common predictions and the `notice` trait is empty. */
export const NO_DATA_MESSAGE = 'Nothing to compare yet: no common predictions were sent.';

const DATA_TRAITS = [
  'vocab', 'counts_a', 'counts_b', 'items', 'actual_a', 'actual_b', 'pred_a', 'pred_b', 'loss_a', 'loss_b', 'change',
  'error_a', 'error_b', 'precision_a', 'precision_b', 'recall_a', 'recall_b', 'support_a', 'support_b', 'notice',
];
const HEADER_TRAITS = ['runs', 'header', 'counts', 'notices'];
const DISPLAY_TRAITS = ['orders', 'order', 'order_info', 'normalize'];
const MEDIA_TRAITS = ['thumbs', 'saliency'];
const CHART_TRAITS = ['lr_finds', 'timelines'];
const STATE_TRAITS = ['selection', 'selected_class', 'change_filter', 'page', 'page_size', 'selected_item'];

/**
 * Renders the compare widget into `host`.
 * @param {object} model anywidget model or createModel() stand-in
 * @param {HTMLElement} host
 * @returns {() => void} cleanup
 */
export function mountCompare(model, host) {
  const notice = el('div', { className: 'petlens-notice petlens-muted', role: 'status', hidden: true });
  const message = el('div', { className: 'petlens-error', role: 'alert', hidden: true });
  const header = createHeader({ onChange: (change) => commit(changeChipTraits(change === readChangeFilter(model.get('change_filter')) ? 'all' : change)) });
  const matrix = createMatrix({
    onCell: (actual, predicted, show) => {
      commit(cellClickTraits(readSelection(model.get('selection'), data ? data.C : 0), actual, predicted));
      if (show) matrix.reveal(actual, predicted);
    },
    onClear: () => commit({ selection: null, page: 0, selected_item: null }),
    onOrder: (name) => commit({ order: name }),
    onNormalize: (mode) => commit({ normalize: mode }),
  });
  const table = createTable({ onClass: (c) => commit(classClickTraits(readIndex(model.get('selected_class'), data ? data.C : 0), c)) });
  const browser = createBrowser({
    onChange: (change) => commit(changeChipTraits(change)),
    onClearFilter: () => commit({ selection: null, selected_class: null, page: 0, selected_item: null }),
    onPage: (page) => commit({ page, selected_item: null }),
  });
  const detail = createDetail({ onClose: () => commit({ selected_item: null }), onStep: step });
  const charts = createCharts();
  const content = el('div', { className: 'petlens-cmp-content' }, [
    matrix.node,
    table.node,
    browser.node,
    detail.node,
    charts.node,
  ]);
  content.style.display = 'contents';
  const root = el('div', { className: 'petlens petlens-compare' }, [
    el('style', { text: COMPARE_CSS }),
    header.node,
    notice,
    message,
    content,
  ]);
  host.appendChild(root);

  const urls = createUrlStore();
  let matrices = null; // readMatrices result
  let data = null; // readCompare result
  let runs = readRuns(null);
  let thumbs = new Map();
  let saliency = new Map();
  let listKey = null;
  let base = new Int32Array(0); // items of the cell / class
  let list = new Int32Array(0); // of them, those of the change filter, in browse order
  let focusDetail = false;
  let shownPick = null; // the selection and class last drawn
  const dirty = { data: true, header: true, display: true, media: true, charts: true };
  const frame = createFrameScheduler(update);

  function commit(values) {
    for (const [name, value] of Object.entries(values)) model.set(name, value);
    model.save_changes();
  }

  function update() {
    if (dirty.header) loadHeader();
    let drawn = null;
    if (dirty.data) {
      // The difference matrix is drawn as soon as its counts are read, before the items.
      loadMatrices();
      if (dirty.display) loadDisplay();
      if (matrices && matrices.C > 0) drawn = paintMatrix();
      loadItems();
    }
    if (dirty.display) loadDisplay();
    if (dirty.media) loadMedia();
    if (dirty.charts) loadCharts();
    render(drawn);
  }

  function loadMatrices() {
    dirty.data = false;
    dirty.display = true;
    listKey = null;
    matrices = null;
    data = null;
    const why = readNotice(model.get('notice')) || (isMissing(model.get('counts_a')) ? NO_DATA_MESSAGE : '');
    showMessage(null);
    if (!why) {
      try {
        matrices = readMatrices((name) => model.get(name));
        if (matrices.C === 0) showMessage('No classes to compare.');
      } catch (error) {
        showMessage(`Cannot show the comparison: ${error.message}`);
      }
    }
    setText(notice, why);
    notice.hidden = !why;
    content.hidden = !matrices || matrices.C === 0;
    if (matrices) matrix.load(matrices, () => frame.schedule());
  }

  function loadItems() {
    if (!matrices) return;
    try {
      data = readCompare((name) => model.get(name), matrices);
    } catch (error) {
      data = null;
      showMessage(`Cannot show the comparison: ${error.message}`);
      content.hidden = true;
      return;
    }
    matrix.setItems(data);
    table.setData(data);
    dirty.media = true;
  }

  /** Draws the matrix with the current selection; returns what was drawn. */
  function paintMatrix() {
    const C = matrices.C;
    const selection = readSelection(model.get('selection'), C);
    const selectedClass = readIndex(model.get('selected_class'), C);
    // A cell or class picked elsewhere (the table, the kernel) is panned into view when zoomed.
    const key = JSON.stringify([selection, selectedClass]);
    if (shownPick !== null && key !== shownPick) {
      if (selection) matrix.reveal(selection[0], selection[1]);
      else if (selectedClass !== null) matrix.reveal(selectedClass, selectedClass);
    }
    shownPick = key;
    matrix.setState({ selection, selectedClass });
    return matrix.paint(root);
  }

  function loadHeader() {
    dirty.header = false;
    runs = readRuns(model.get('runs'));
    header.update({ runs, counts: readCounts(model.get('counts')), notices: readNotices(model.get('notices')), header: readHeaderRows(model.get('header')) });
    matrix.setRuns(runs);
    dirty.charts = true;
  }

  function loadDisplay() {
    dirty.display = false;
    if (!matrices) return;
    matrix.setDisplay({
      orders: readOrders(model.get('orders')),
      order: model.get('order'),
      orderInfo: model.get('order_info'),
      normalize: readDiffNormalize(model.get('normalize')),
    });
  }

  function loadMedia() {
    dirty.media = false;
    urls.clear();
    const n = data ? data.n : 0;
    thumbs = readThumbs(model.get('thumbs'), n);
    saliency = readSaliency(model.get('saliency'), n);
  }

  function loadCharts() {
    dirty.charts = false;
    charts.update(readLrFinds(model.get('lr_finds')), readTimelines(model.get('timelines')), runs);
  }

  function currentState() {
    const C = data ? data.C : 0;
    return {
      selection: readSelection(model.get('selection'), C),
      selectedClass: readIndex(model.get('selected_class'), C),
      change: readChangeFilter(model.get('change_filter')),
      pageSize: readPageSize(model.get('page_size')),
      selectedItem: readIndex(model.get('selected_item'), data ? data.n : 0),
    };
  }

  /** The browser's items for the current filters (recomputed only when a filter changed). */
  function items(state) {
    const key = JSON.stringify([state.selection, state.selectedClass, state.change]);
    if (key !== listKey) {
      listKey = key;
      base = filterItems(data, { selection: state.selection, selectedClass: state.selectedClass });
      list = sortItems(data, state.change === 'all' ? base : filterItems(data, { selection: state.selection, selectedClass: state.selectedClass, change: state.change }));
    }
    return list;
  }

  function filterLabel({ selection, selectedClass }) {
    if (selection) return `cell: ${data.vocab[selection[0]]} → ${data.vocab[selection[1]]} (in A or B)`;
    if (selectedClass !== null) return `class: ${data.vocab[selectedClass]} (actual in A or B)`;
    return '';
  }

  /** Draws everything but the matrix when it was just drawn (`drawn`: what it drew). */
  function render(drawn) {
    header.setChange(readChangeFilter(model.get('change_filter')));
    if (!data || data.C === 0) return;
    const state = currentState();
    // The matrix first: its layout is read before the page grows by a page of cards.
    if (!drawn) drawn = paintMatrix();
    table.setSelected(state.selectedClass);
    const shown = items(state);
    const win = pageWindow(shown.length, model.get('page'), state.pageSize);
    const cards = [];
    for (let k = win.start; k < win.end; k++) {
      const i = shown[k];
      cards.push(createCard(describeItem(data, i), {
        url: urls.get(i, thumbs.get(i)),
        selected: i === state.selectedItem,
        onClick: () => {
          focusDetail = i !== state.selectedItem;
          commit({ selected_item: i === state.selectedItem ? null : i });
        },
      }));
    }
    browser.update({ change: state.change, counts: changeCounts(data, base), filterLabel: filterLabel(state), total: shown.length, window: win, cards });
    if (state.selectedItem === null) detail.hide();
    else {
      const i = state.selectedItem;
      detail.show(describeItem(data, i), { url: urls.get(i, thumbs.get(i)), maps: saliency.get(i) || [], position: shown.indexOf(i), total: shown.length });
      if (focusDetail) detail.focus();
    }
    focusDetail = false;
    table.render();
    const style = getComputedStyle(root);
    const muted = style.getPropertyValue('--petlens-fg-muted').trim() || '#59636e';
    charts.paint({ fg: style.color, muted, grid: 'rgba(128, 128, 128, 0.2)', bg: style.getPropertyValue('--petlens-bg').trim() || '#fff' }, matrix.width);
    Object.assign(root.dataset, { ...(drawn || {}), items: String(shown.length) });
  }

  function step(delta) {
    const state = currentState();
    const shown = items(state);
    const at = shown.indexOf(state.selectedItem);
    const next = at + delta;
    if (at < 0 || next < 0 || next >= shown.length) return;
    focusDetail = true;
    commit({ selected_item: shown[next], page: Math.floor(next / state.pageSize) });
  }

  function showMessage(text) {
    setText(message, text);
    message.hidden = !text;
  }

  const mark = (part) => () => {
    if (part) dirty[part] = true;
    frame.schedule();
  };
  const subscriptions = [
    ...DATA_TRAITS.map((name) => [`change:${name}`, mark('data')]),
    ...HEADER_TRAITS.map((name) => [`change:${name}`, mark('header')]),
    ...DISPLAY_TRAITS.map((name) => [`change:${name}`, mark('display')]),
    ...MEDIA_TRAITS.map((name) => [`change:${name}`, mark('media')]),
    ...CHART_TRAITS.map((name) => [`change:${name}`, mark('charts')]),
    ...STATE_TRAITS.map((name) => [`change:${name}`, mark(null)]),
  ];
  for (const [event, callback] of subscriptions) model.on(event, callback);
  // Its first call (right after the first frame) reports the width just laid out: no redraw.
  const resizeObserver = new ResizeObserver(() => {
    if (!matrix.resized()) return;
    matrix.relayout();
    frame.schedule();
  });
  resizeObserver.observe(root);
  update(); // first paint now

  return () => {
    for (const [event, callback] of subscriptions) model.off(event, callback);
    resizeObserver.disconnect();
    frame.cancel();
    urls.clear();
    root.remove();
  };
}

