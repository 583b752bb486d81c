/**
 * The top-loss browser: a filterable, sortable, paged grid of validation items, and a detail
 * panel (detail image with its saliency map, facts), cleanlab's label issues on them, and the
 * fix queue (keep / relabel / delete / unsure, by button or key; stored by the kernel in the
 * run's fixes.json, or kept in the offline page and exported). Trait changes are applied once
 * per animation frame; filtering, sorting and paging are the pure functions of items.js, the
 * queue's logic lib/fix-queue.js. The contract is in js/docs/top_losses-dashboard.md and
 * js/docs/top_losses.md.
 */
import {
  CLEAR,
  decidedNow,
  decisionText,
  exportCsv,
  exportDocument,
  exportName,
  liveDecisions,
  mergeDecisions,
  readFixes,
  readStoredDocument,
  storedDocument,
  summaryText,
  triageKey,
} from '../lib/fix-queue.js';
import { createRequester } from '../lib/requests.js';
import { createFrameScheduler } from '../lib/schedule.js';
import { el, setText } from '../lib/text.js';
import { createCard } from './cards.js';
import { createControls } from './controls.js';
import { createDetail } from './detail.js';
import { describeItem, describeLabel } from './describe.js';
import { createDecisionButtons, createQueueBar, downloadText } from './fixes.js';
import { createPicker } from './picker.js';
import {
  applyFilter,
  clampPage,
  detailKeyAction,
  filterKey,
  indexOf,
  matchesFilter,
  NO_PREDICTIONS_MESSAGE,
  neighbour,
  pageCount,
  pageItems,
  pageOf,
  readFilter,
  readItems,
  readLabelIssues,
  readPageSize,
  readSort,
  sortOrder,
} from './items.js';
import { isMissing, readNotice } from '../lib/notice.js';
import {
  awaitedReason,
  decodeMapJpeg,
  mapTarget,
  readMethods,
  readResponseMap,
  readStored,
  SALIENCY_TARGETS,
  saliencyChoices,
  saliencyKey,
  TARGET_LABELS,
} from './saliency.js';
import { TOP_LOSSES_CSS } from './styles.js';
import { readThumbs } from './thumbs.js';
import { createUrlStore, heatToRgba, imageBytes, imageType } from '../lib/images.js';

const DATA_TRAITS = ['vocab', 'items', 'targets', 'decoded', 'losses', 'prob_actual', 'prob_pred'];
const LABEL_TRAITS = ['label_quality', 'label_issue', 'suggested_label', 'label_issues_info'];
// shared with other panels (issues_only and item_selection in the dashboard too)
const FILTER_TRAITS = ['selection', 'filter_actual', 'filter_predicted', 'issues_only', 'item_selection'];
const LIST_TRAITS = [...FILTER_TRAITS, 'sort', 'page', 'page_size'];
const FIXES_TRAITS = ['fixes', 'fixes_mode', 'fixes_error', 'run_id'];
const STORAGE_PREFIX = 'petlens-fixes:'; // + run id: the offline page's decisions in localStorage
const DETAIL_TRAITS = ['selected_item', 'live', 'saliency_methods', 'saliency_progress'];
const LARGE_IMAGES_KEPT = 16;
const HEAT_MAPS_KEPT = 32;
const EDITABLE = new Set(['INPUT', 'SELECT', 'TEXTAREA']);
const OVERLAY_OPACITY = 0.6; // of a saliency map over its image, until the slider moves (view state, not a trait)

/**
 * Renders the browser into `host`.
 * @param {object} model anywidget model, createModel() stand-in, or scoped model
 * @param {HTMLElement} host
 * @param {{decodeMap?: (jpeg: Uint8Array) => Promise<{data: Uint8Array, shape: number[]}>}} [options]
 *   how stored maps are decoded (a browser's image decoder unless given)
 * @returns {() => void} cleanup: unsubscribes, cancels requests, revokes object URLs, removes the view
 */
export function mountTopLosses(model, host, { decodeMap = decodeMapJpeg } = {}) {
  const controls = createControls({
    onFilter: (name, value) => {
      commit({ [name]: value, page: 0 });
      closeIfFilteredOut();
    },
    onClearCell: () => commit({ selection: null, page: 0 }),
    onSort: (sort) => commit({ sort, page: 0 }),
    onPageSize: (size) => {
      // Keep the first item of the current page in view.
      const first = current.pageItems[0];
      commit({ page_size: size, page: first === undefined ? 0 : Math.max(0, pageOf(current.indices, first, size)) });
    },
    onPage: (page) => commit({ page: clampPage(page, current.indices.length, model.get('page_size')) }),
    onIssuesOnly: (value) => {
      commit({ issues_only: value, page: 0 });
      closeIfFilteredOut();
    },
    onClearPicked: () => commit({ item_selection: null, page: 0 }),
  });
  const detailButtons = createDecisionButtons((action, anchor) => {
    const item = selectedItem();
    if (item !== null) triage(item, action, { anchor, from: 'detail' });
  });
  const queue = createQueueBar({
    onExport: exportDecisions,
    onShow: (name) => {
      const item = data ? nameIndex.get(name) : undefined;
      if (item !== undefined) select(item, { focus: true });
    },
    onClear: (name) => {
      const item = data ? nameIndex.get(name) : undefined;
      if (item !== undefined) decide(item, CLEAR);
    },
  });
  const picker = createPicker({
    onPick: (item, c) => {
      decide(item, 'relabel', data.vocab[c]);
      afterDecision(item, pickerFrom);
    },
    onCancel: ({ blurred = false } = {}) => {
      if (!blurred) refocus(pickerFrom, pickerFrom?.item);
    },
  });
  let pickerFrom = null; // {from: 'card'|'detail', item}: where focus goes back after the picker
  const detail = createDetail({
    model, // its saliency_checks: the shown map's trust badge
    triage: detailButtons.node,
    onClose: () => select(null),
    onStep: (step) => step && moveBy(step),
    onSaliency: (change) => {
      Object.assign(saliencyState, change);
      dirty.detail = true;
      frame.schedule();
    },
  });
  const message = el('div', { className: 'petlens-error', role: 'alert', hidden: true });
  // Why there are no items (e.g. no validation predictions): text only, in place of the browser.
  const notice = el('div', { className: 'petlens-notice petlens-muted', role: 'status', hidden: true });
  const grid = el('div', { className: 'petlens-grid', role: 'list' });
  const empty = el('div', { className: 'petlens-empty petlens-muted', hidden: true });
  const root = el('div', { className: 'petlens petlens-losses' }, [
    el('style', { text: TOP_LOSSES_CSS }),
    notice,
    controls.toolbar,
    queue.node,
    picker.node,
    controls.status,
    message,
    detail.node,
    grid,
    empty,
  ]);
  host.appendChild(root);

  const requester = createRequester(model);
  const thumbUrls = createUrlStore();
  const detailUrls = createUrlStore(); // the `details` trait: images at the stored maps' size
  const imageUrls = createUrlStore({ limit: LARGE_IMAGES_KEPT });
  let stored = new Map(); // saliencyKey -> JPEG bytes of a stored map (the `saliency` trait)
  const heatMaps = new Map(); // saliencyKey -> {data, shape}: decoded stored maps and responses (LRU)
  const pendingImages = new Map(); // index -> Promise
  const failedImages = new Map(); // index -> error message
  const pendingHeat = new Set();
  const failedHeat = new Map(); // saliencyKey -> error message
  const saliencyState = { method: null, target: SALIENCY_TARGETS[0], opacity: OVERLAY_OPACITY };

  let data = null; // readItems result, null when missing or invalid
  let labels = readLabelIssues({}, null); // cleanlab's numbers (readLabelIssues), or why none
  let nameIndex = new Map(); // item name -> index
  // The fix queue. Kernel: the `fixes` trait (the run's fixes.json) with the decisions sent and
  // not yet answered over it; page (the offline report): decisions kept here (with cleared
  // ones, dated) and in localStorage under the run id.
  const pending = new Map(); // item name -> decision sent to the kernel, not yet answered
  let answered = null; // the decisions of the latest answer, until the trait follows
  let pageDecisions = null; // page mode: every decision, tombstones too
  let pageRun = null; // the run id pageDecisions belong to
  let storageNote = '';
  let fixError = null;
  let decisions = new Map(); // item name -> decision in effect (as shown)
  let pendingFocus = null; // item whose card takes the focus once its page is drawn
  const orders = new Map(); // sort key -> Uint32Array over all items
  let current = { indices: new Uint32Array(0), key: null, pageItems: new Uint32Array(0), page: 0 };
  let gridKey = null;
  let closed = false;
  let focusDetail = false; // focus the detail panel once it is shown
  const dirty = { data: true, thumbs: true, stored: true, list: true, detail: true, fixes: true };
  const frame = createFrameScheduler(update);

  // --- traits ---

  function commit(changes) {
    for (const [name, value] of Object.entries(changes)) model.set(name, value);
    model.save_changes();
  }

  function filter() {
    return readFilter(
      {
        selection: model.get('selection'),
        filterActual: model.get('filter_actual'),
        filterPredicted: model.get('filter_predicted'),
        issuesOnly: model.get('issues_only') === true,
        issues: labels.available ? labels.issue : null,
        itemSelection: model.get('item_selection') ?? null,
      },
      data ? data.C : 0,
      data ? data.N : 0,
    );
  }

  function selectedItem() {
    const i = model.get('selected_item');
    return data && Number.isInteger(i) && i >= 0 && i < data.N ? i : null;
  }

  function select(item, { focus = false } = {}) {
    const changes = { selected_item: item };
    if (item !== null) {
      const page = pageOf(current.indices, item, model.get('page_size'));
      if (page >= 0 && page !== current.page) changes.page = page;
    }
    const previous = selectedItem();
    commit(changes);
    // The panel is shown on the next frame: move focus into it then.
    if (item !== null && focus) focusDetail = true;
    if (item === null && previous !== null) {
      // Give keyboard focus back to the card of the item that was open.
      const card = [...grid.children].map((cell) => cell.children[0]).find((c) => c.getAttribute('data-index') === String(previous));
      card?.focus?.();
    }
  }

  function moveBy(step) {
    const item = neighbour(current.indices, selectedItem(), step);
    if (item !== null && item !== selectedItem()) select(item);
  }

  /** Closes the detail panel when its item left the filtered set. */
  function closeIfFilteredOut() {
    const item = selectedItem();
    if (item !== null && !matchesFilter(data, item, filter())) commit({ selected_item: null });
  }

  // --- model -> view ---

  function update() {
    if (closed) return;
    if (dirty.data) loadData();
    if (dirty.thumbs) loadThumbs();
    if (dirty.stored) loadStored();
    if (dirty.fixes) loadFixes();
    if (dirty.list) loadList();
    renderGrid();
    if (dirty.detail) renderDetail();
  }

  function loadData() {
    dirty.data = false;
    dirty.list = true;
    dirty.detail = true;
    gridKey = null;
    orders.clear();
    current.key = null; // new data: filter and sort again
    const why = readNotice(model.get('notice')) || (isMissing(model.get('losses')) ? NO_PREDICTIONS_MESSAGE : '');
    showNotice(why);
    dirty.fixes = true;
    if (why) {
      data = null;
      labels = readLabelIssues({}, null);
      showMessage(null);
      return;
    }
    try {
      data = readItems(Object.fromEntries(DATA_TRAITS.map((name) => [name, model.get(name)])));
      showMessage(null);
    } catch (error) {
      data = null;
      showMessage(`Cannot show the top losses: ${error.message}`);
    }
    labels = readLabelIssues(Object.fromEntries(LABEL_TRAITS.map((name) => [name, model.get(name)])), data);
    nameIndex = new Map(data ? data.names.map((name, i) => [name, i]) : []);
  }

  // --- the fix queue ---

  function pageMode() {
    return model.get('fixes_mode') === 'page';
  }

  function runId() {
    const id = model.get('run_id');
    return typeof id === 'string' ? id : '';
  }

  function loadFixes() {
    dirty.fixes = false;
    dirty.detail = true;
    gridKey = null;
    if (pageMode()) {
      if (pageDecisions === null || pageRun !== runId()) loadPageDecisions();
      decisions = new Map(liveDecisions(pageDecisions).map((d) => [d.item, d]));
    } else {
      decisions = readFixes(answered ?? model.get('fixes'));
      for (const [name, d] of pending) {
        if (d.action === CLEAR) decisions.delete(name);
        else decisions.set(name, { ...d, pending: true });
      }
    }
    if (data) for (const name of [...decisions.keys()]) if (!nameIndex.has(name)) decisions.delete(name);
    const stored = model.get('fixes_error');
    queue.sync({
      summary: summaryText(decisions.values()),
      decisions: [...decisions.values()],
      where: pageMode()
        ? storageNote || 'kept in this page and this browser: export them to apply with petlens'
        : runId()
          ? 'saved in the run folder (fixes.json)'
          : '',
      error: fixError || (typeof stored === 'string' && stored ? `Stored decisions cannot be read: ${stored}` : null),
      canExport: Boolean(runId()) && data !== null,
    });
  }

  function storageKey() {
    return STORAGE_PREFIX + runId();
  }

  function loadPageDecisions() {
    pageRun = runId();
    const embedded = [...readFixes(model.get('fixes')).values()];
    let kept = [];
    storageNote = '';
    try {
      const raw = globalThis.localStorage?.getItem(storageKey());
      if (raw) kept = readStoredDocument(JSON.parse(raw), pageRun);
      if (!globalThis.localStorage) throw new Error('no localStorage');
    } catch {
      storageNote = 'kept in this page only (the browser keeps no storage for it): export them before closing';
    }
    pageDecisions = mergeDecisions(embedded, kept);
  }

  function savePageDecisions() {
    try {
      globalThis.localStorage.setItem(storageKey(), JSON.stringify(storedDocument(pageRun, pageDecisions)));
    } catch {
      storageNote = 'kept in this page only (the browser keeps no storage for it): export them before closing';
    }
  }

  /** Decides on item `item` (index): `action` ('clear' removes the decision), `label` for relabel. */
  function decide(item, action, label = null) {
    if (!data) return;
    const name = data.names[item];
    const decision = { item: name, action, label: action === 'relabel' ? label : null, decided: decidedNow() };
    fixError = null;
    if (pageMode()) {
      if (pageDecisions === null) loadPageDecisions();
      pageDecisions = mergeDecisions(pageDecisions, [{ ...decision, by: 'report' }]);
      savePageDecisions();
      model.set('fixes', liveDecisions(pageDecisions)); // in memory (the static model)
    } else {
      pending.set(name, decision);
      requester
        .request('fix', { item, action, label: decision.label })
        .then(({ content }) => {
          if (Array.isArray(content.fixes)) answered = content.fixes;
        })
        .catch((error) => {
          fixError = `Decision on ${name} not saved: ${error.message}`;
        })
        .finally(() => {
          if (pending.get(name) === decision) pending.delete(name);
          if (closed) return;
          dirty.fixes = true;
          frame.schedule();
        });
    }
    dirty.fixes = true;
    frame.schedule();
  }

  /** A decision asked for by key or button on item `item`: relabel opens the picker. */
  function triage(item, action, { anchor = null, from = 'card' } = {}) {
    if (!data) return;
    if (action === 'relabel') {
      pickerFrom = { from, item };
      openPicker(item, anchor);
      return;
    }
    decide(item, action);
    if (action !== CLEAR) afterDecision(item, { from, item });
  }

  /** After deciding by key or button, the next item of the list takes the focus (or opens). */
  function afterDecision(item, where) {
    const next = neighbour(current.indices, item, 1);
    if (where?.from === 'detail') {
      if (next !== null && next !== item && selectedItem() === item) select(next);
      detail.focus();
    } else if (where?.from === 'card') {
      focusItem(next !== null && next !== item ? next : item);
    }
  }

  function refocus(where, item) {
    if (where?.from === 'detail') detail.focus();
    else if (item !== null && item !== undefined) focusItem(item);
  }

  function cardOf(item) {
    for (const cell of grid.children) {
      const card = cell.children[0];
      if (card && card.getAttribute('data-index') === String(item)) return card;
    }
    return null;
  }

  /** Focuses the card of `item`, turning to its page first when needed. */
  function focusItem(item) {
    const card = cardOf(item);
    if (card) {
      card.focus?.();
      return;
    }
    const page = pageOf(current.indices, item, model.get('page_size'));
    if (page < 0) return;
    pendingFocus = item;
    commit({ page });
  }

  function openPicker(item, anchor) {
    const target = data.targets[item];
    const suggested = labels.available ? labels.suggested[item] : data.decoded[item];
    picker.open({ item, name: data.names[item], vocab: data.vocab, suggested: suggested === target ? null : suggested, current: target });
    placePicker(anchor || cardOf(item) || detail.node);
  }

  /** Puts the picker under `anchor` (inside the view, never past its right edge). */
  function placePicker(anchor) {
    const box = root.getBoundingClientRect?.();
    const at = anchor?.getBoundingClientRect?.();
    if (!box || !at) return;
    const width = picker.node.offsetWidth || 300;
    picker.node.style.top = `${Math.max(0, at.bottom - box.top + 4)}px`;
    picker.node.style.left = `${Math.max(0, Math.min(at.left - box.left, box.width - width))}px`;
    picker.node.scrollIntoView?.({ block: 'nearest' });
  }

  function exportDecisions(format) {
    if (!data || !runId()) return;
    const list = [...decisions.values()].filter((d) => !d.pending);
    if (format === 'csv') {
      const oldLabel = (name) => data.vocab[data.targets[nameIndex.get(name)]];
      downloadText(exportCsv(runId(), list, oldLabel), exportName(runId(), 'csv'), 'text/csv');
    } else {
      downloadText(`${JSON.stringify(exportDocument(runId(), list), null, 1)}\n`, exportName(runId(), 'json'), 'application/json');
    }
  }

  function loadThumbs() {
    dirty.thumbs = false;
    dirty.detail = true;
    gridKey = null;
    thumbUrls.clear();
    for (const [index, bytes] of readThumbs(model.get('thumbs'))) thumbUrls.put(index, bytes, 'image/jpeg');
    detailUrls.clear();
    for (const [index, bytes] of readThumbs(model.get('details'))) detailUrls.put(index, bytes, 'image/jpeg');
  }

  function loadStored() {
    dirty.stored = false;
    dirty.detail = true;
    stored = readStored(model.get('saliency'));
    heatMaps.clear();
    failedHeat.clear();
  }

  function loadList() {
    dirty.list = false;
    const f = filter();
    let sort = readSort(model.get('sort'));
    if (sort === 'label_quality' && !labels.available) sort = 'loss'; // says why in the select
    const key = `${sort}|${filterKey(f)}`;
    if (key !== current.key) {
      let order = new Uint32Array(0);
      if (data) {
        if (!orders.has(sort)) orders.set(sort, sortOrder(data, sort, labels.quality));
        order = orders.get(sort);
      }
      current = { ...current, key, indices: data ? applyFilter(order, data, f) : order };
      dirty.detail = true; // position in the list
    }
    const pageSize = readPageSize(model.get('page_size'));
    const page = clampPage(model.get('page'), current.indices.length, pageSize);
    const pages = pageCount(current.indices.length, pageSize);
    current.page = page;
    current.pageItems = pageItems(current.indices, page, pageSize);
    controls.sync({
      vocab: data ? data.vocab : Array.isArray(model.get('vocab')) ? model.get('vocab').map(String) : [],
      filter: f,
      filterActual: f.cell ? null : f.actual,
      filterPredicted: f.cell ? null : f.predicted,
      sort,
      pageSize,
      shown: current.indices.length,
      total: data ? data.N : 0,
      page,
      pages,
      labels: {
        available: labels.available,
        reason: labels.reason,
        flagged: labels.available ? Number(labels.info.n_flagged ?? countFlags()) : 0,
        approximate: labels.info.approximate === true,
        topK: labels.info.top_k,
      },
      issuesOnly: model.get('issues_only') === true,
      picked: f.picked ? f.pickedCount : null,
    });
  }

  function countFlags() {
    let n = 0;
    for (let i = 0; i < data.N; i++) n += labels.issue[i] ? 1 : 0;
    return n;
  }

  function renderGrid() {
    const selected = selectedItem();
    const key = `${current.key}|${current.page}|${current.pageItems.length}|${current.pageItems[0]}`;
    if (key !== gridKey) {
      gridKey = key;
      const focused = grid.contains?.(document.activeElement) ? document.activeElement.closest?.('.petlens-card')?.getAttribute('data-index') : null;
      const cards = [...current.pageItems].map((i) => {
        const decision = decisions.get(data.names[i]) ?? null;
        const buttons = createDecisionButtons((action, anchor) => triage(i, action, { anchor, from: 'card' }), { compact: true });
        buttons.update(decision, { pending: Boolean(decision?.pending) });
        return el('div', { role: 'listitem', className: 'petlens-cell' }, [
          createCard(describeItem(data, i), {
            url: thumbUrls.get(i),
            selected: i === selected,
            onClick: () => onCard(i),
            label: describeLabel(data, labels, i),
            decision,
          }),
          buttons.node,
        ]);
      });
      grid.replaceChildren(...cards);
      const refocusItem = pendingFocus ?? (focused !== null && focused !== undefined ? Number(focused) : null);
      if (refocusItem !== null) cardOf(refocusItem)?.focus?.();
      if (pendingFocus !== null && cardOf(pendingFocus)) pendingFocus = null;
    }
    for (const cell of grid.children) {
      const card = cell.children[0];
      card.setAttribute('aria-pressed', String(card.getAttribute('data-index') === String(selected)));
    }
    let emptyText = null; // without data, the notice or the error says why
    if (data && data.N === 0) emptyText = 'No validation items.';
    else if (data && current.pageItems.length === 0) emptyText = 'No items match the filter.';
    setText(empty, emptyText);
    empty.hidden = !emptyText;
  }

  function onCard(i) {
    if (selectedItem() === i) select(null);
    else select(i, { focus: true });
  }

  function renderDetail() {
    dirty.detail = false;
    const item = selectedItem();
    if (item === null) {
      focusDetail = false;
      detail.hide();
      return;
    }
    const info = describeItem(data, item);
    const decision = decisions.get(data.names[item]) ?? null;
    detail.show(info, { position: indexOf(current.indices, item), total: current.indices.length }, { label: describeLabel(data, labels, item), decision: decisionText(decision) });
    detailButtons.update(decision, { pending: Boolean(decision?.pending) });
    showImage(item);
    showSaliency(item);
    if (focusDetail) {
      focusDetail = false;
      detail.focus();
    }
  }

  // --- large image ---

  function showImage(item) {
    const large = detailUrls.get(item) || imageUrls.get(item);
    const thumb = thumbUrls.get(item);
    const live = model.get('live') === true;
    let note = null;
    if (!large && live) {
      if (failedImages.has(item)) note = `Full-size image unavailable: ${failedImages.get(item)}`;
      else {
        note = 'Loading the full-size image…';
        requestImage(item);
      }
    } else if (!large && !thumb) note = live ? null : 'No thumbnail was recorded for this item.';
    detail.setImage(large || thumb, note);
  }

  function requestImage(item) {
    if (pendingImages.has(item)) return;
    const promise = requester
      .request('image', { index: item })
      .then(({ content, buffers }) => {
        const bytes = imageBytes(buffers[0]);
        if (!bytes || bytes.length === 0) throw new Error('the response holds no image');
        if (!closed) imageUrls.put(item, bytes, imageType(content.mime));
      })
      .catch((error) => failedImages.set(item, error.message))
      .finally(() => {
        pendingImages.delete(item);
        if (!closed && selectedItem() === item) {
          dirty.detail = true;
          frame.schedule();
        }
      });
    pendingImages.set(item, promise);
  }

  // --- saliency ---

  function showSaliency(item) {
    const methods = readMethods(model.get('saliency_methods'));
    const live = model.get('live') === true;
    const correct = data.targets[item] === data.decoded[item];
    const progress = model.get('saliency_progress');
    const choices = saliencyChoices({ methods, stored, index: item, correct, live, progress });
    // Keep the method chosen while it can be shown; else the first that can.
    if (choices.methods.get(saliencyState.method) !== null) {
      const fallback = methods.includes(saliencyState.method) ? saliencyState.method : (methods[0] ?? null);
      saliencyState.method = methods.find((m) => choices.methods.get(m) === null) ?? fallback;
    }
    const { method, target, opacity } = saliencyState;
    const targets = choices.targets(method);
    const state = {
      methods: methods.map((m) => [m, choices.methods.get(m)]),
      method,
      targets: [...targets],
      target,
      opacity,
      message: null,
      explains: null,
      heat: null,
    };
    if (methods.length > 0) {
      const key = saliencyKey(item, method, mapTarget(target, correct));
      const cls = data.vocab[target === 'pred' ? data.decoded[item] : data.targets[item]];
      const map = heatMaps.get(key);
      if (map) {
        state.heat = { key: `${key}|${map.shape}`, rgba: heatToRgba(map.data), width: map.shape[1], height: map.shape[0] };
        state.explains = `Saliency (${method}) for the ${TARGET_LABELS[target]} class: ${cls}${correct && target === 'actual' ? ' (= predicted)' : ''}`;
      } else if (failedHeat.has(key)) state.message = `Saliency failed: ${failedHeat.get(key)}`;
      else if (stored.has(key)) {
        state.message = 'Loading the stored saliency map…';
        decodeStored(item, key);
      } else if (live && progress?.status === 'pending' && awaitedReason(progress, item, method, true)) {
        state.message = awaitedReason(progress, item, method, true); // it comes with the next save
      } else if (live) {
        state.message = `Computing ${method} saliency for the ${TARGET_LABELS[target]} class…`;
        requestHeat(item, method, mapTarget(target, correct));
      } else if (awaitedReason(progress, item, method, false)) {
        state.message = `${awaitedReason(progress, item, method, false)}.`;
      } else if (!choices.stored) {
        state.message = `Saliency is stored for the ${storedItems()} highest-loss items; this one is ${targets.get(target)}.`;
      } else state.message = `${method}, ${TARGET_LABELS[target]} class: ${targets.get(target)}.`;
    }
    detail.setSaliency(state);
  }

  /** How many items have a stored map. */
  function storedItems() {
    return new Set([...stored.keys()].map((key) => key.split('\u0000')[0])).size;
  }

  function keepHeat(key, map) {
    heatMaps.set(key, map);
    while (heatMaps.size > HEAT_MAPS_KEPT) heatMaps.delete(heatMaps.keys().next().value);
  }

  function decodeStored(index, key) {
    if (pendingHeat.has(key)) return;
    pendingHeat.add(key);
    Promise.resolve()
      .then(() => decodeMap(stored.get(key)))
      .then((map) => keepHeat(key, map))
      .catch((error) => failedHeat.set(key, `cannot decode the stored map: ${error.message}`))
      .finally(() => {
        pendingHeat.delete(key);
        if (!closed && selectedItem() === index) {
          dirty.detail = true;
          frame.schedule();
        }
      });
  }

  function requestHeat(index, method, target) {
    const key = saliencyKey(index, method, target);
    if (pendingHeat.has(key)) return;
    pendingHeat.add(key);
    requester
      .request('saliency', { index, method, target })
      .then(({ content, buffers }) => keepHeat(key, readResponseMap(content, buffers)))
      .catch((error) => failedHeat.set(key, error.message))
      .finally(() => {
        pendingHeat.delete(key);
        if (!closed && selectedItem() === index) {
          dirty.detail = true;
          frame.schedule();
        }
      });
  }

  function showMessage(text) {
    setText(message, text);
    message.hidden = !text;
  }

  /** Shows `text` (plain text) instead of the toolbar, the status line and the grid; '' shows them. */
  function showNotice(text) {
    setText(notice, text);
    notice.hidden = !text;
    for (const node of [controls.toolbar, controls.status, grid]) node.hidden = Boolean(text);
  }

  // --- keys ---

  function onKeyDown(event) {
    if (picker.isOpen() || !data) return; // the picker's box has its own keys
    const editable = EDITABLE.has(event.target?.tagName);
    const card = event.target?.closest?.('.petlens-card');
    const cardItem = card ? Number(card.getAttribute('data-index')) : null;
    const decision = editable ? null : triageKey(event);
    if (decision) {
      const item = cardItem ?? (detail.node.contains?.(event.target) || event.target === root ? selectedItem() : null);
      if (item === null || !(item >= 0 && item < data.N)) return;
      event.preventDefault();
      triage(item, decision, { anchor: card ?? detailButtons.node, from: card ? 'card' : 'detail' });
      return;
    }
    if (card && !editable && (selectedItem() === null || !detail.node.contains?.(event.target))) {
      const step = gridStep(event.key);
      if (step) {
        event.preventDefault();
        const next = neighbour(current.indices, cardItem, step);
        if (next !== null) focusItem(next);
        return;
      }
    }
    if (selectedItem() === null) return;
    const action = detailKeyAction(event.key);
    // Escape closes from anywhere in the view; arrows on a control (the opacity slider) are its own.
    if (!action || (action !== 'close' && EDITABLE.has(event.target?.tagName))) return;
    event.preventDefault();
    if (action === 'close') select(null);
    else moveBy(action === 'next' ? 1 : -1);
  }
  root.addEventListener('keydown', onKeyDown);

  /** Arrow keys on a card: ±1 along the row, ± a row's length up and down; 0 for other keys. */
  function gridStep(key) {
    if (key === 'ArrowRight') return 1;
    if (key === 'ArrowLeft') return -1;
    if (key !== 'ArrowDown' && key !== 'ArrowUp') return 0;
    const template = globalThis.getComputedStyle?.(grid)?.gridTemplateColumns ?? '';
    const columns = Math.max(1, template.split(' ').filter(Boolean).length);
    return key === 'ArrowDown' ? columns : -columns;
  }

  // --- subscriptions ---

  const mark = (...parts) => () => {
    for (const part of parts) dirty[part] = true;
    frame.schedule();
  };
  const onFilterChange = () => {
    // A cell or class filter (maybe from another panel): start at its first page; the open
    // item stays open while it passes the filter.
    if (model.get('page')) commit({ page: 0 });
    if (data) closeIfFilteredOut();
    mark('list', 'detail')();
  };
  const subscriptions = [
    ...DATA_TRAITS.map((name) => [`change:${name}`, mark('data')]),
    ...LABEL_TRAITS.map((name) => [`change:${name}`, mark('data')]),
    ...FIXES_TRAITS.map((name) => [
      `change:${name}`,
      () => {
        if (name === 'fixes' && pageMode()) return; // the page's own copy, set by decide()
        if (name === 'fixes') answered = null; // the trait has caught up with the answers
        mark('fixes')();
      },
    ]),
    ['change:notice', mark('data')],
    ['change:thumbs', mark('thumbs')],
    ['change:details', mark('thumbs')],
    ['change:saliency', mark('stored')],
    ...LIST_TRAITS.filter((name) => !FILTER_TRAITS.includes(name)).map((name) => [`change:${name}`, mark('list')]),
    ...FILTER_TRAITS.map((name) => [`change:${name}`, onFilterChange]),
    ...DETAIL_TRAITS.map((name) => [`change:${name}`, mark('detail')]),
    [
      'change:live',
      () => {
        failedImages.clear();
        failedHeat.clear();
      },
    ],
  ];
  for (const [event, callback] of subscriptions) model.on(event, callback);

  update(); // first paint now

  return () => {
    closed = true;
    for (const [event, callback] of subscriptions) model.off(event, callback);
    root.removeEventListener('keydown', onKeyDown);
    frame.cancel();
    requester.dispose();
    thumbUrls.clear();
    detailUrls.clear();
    imageUrls.clear();
    heatMaps.clear();
    root.remove();
  };
}
