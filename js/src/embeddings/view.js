/**
 * The embeddings view: every validation item as a point of the 2-D projection on ONE canvas
 * (pixels written into an ImageData, lib/scatter-draw.js), an overlay canvas for the hover ring,
 * the clicked item and a box / lasso in progress, a legend, and the neighbours strip. Wheel
 * zooms about the cursor, drag pans (lib/zoom.js), shift-drag selects a box and alt-drag a lasso
 * (or the Box / Lasso tools), writing the shared `item_selection`; a click on a point sets
 * `selected_item` and shows it with its nearest training images (the clicked item's image and
 * its neighbours' without a stored thumbnail asked of the kernel, 'item_image' /
 * 'neighbour_image', when `neighbour_images` says it reads them; a hover that rests on a point
 * HOVER_IMAGE_MS asks for its image too, and shows it when it comes). The shared `selection` (a
 * confusion cell), `filter_actual` / `filter_predicted` and `item_selection` highlight their
 * points (the others dimmed). The root reports what it drew as data- attributes: `data-points`,
 * `data-drawn`, `data-highlighted`, `data-color-by`, `data-zoom`, `data-paint-ms`.
 * The contract is js/docs/embeddings.md; logic lives in lib/scatter*.js.
 */
import { isMissing, readNotice } from '../lib/notice.js';
import {
  colorChoices,
  describeView,
  highlightPoints,
  legendClickTraits,
  neighboursOf,
  readCell,
  readClass,
  readColorBy,
  readEmbedding,
  readItem,
  readItemSelection,
  readNeighbours,
  readThumbPayloads,
  selectionTraits,
  tooltipLines,
} from '../lib/scatter.js';
import { colorPoints, PALETTE_SIZE } from '../lib/scatter-color.js';
import { drawPoints } from '../lib/scatter-draw.js';
import {
  buildGrid,
  frameOn,
  nearestPoint,
  pointRadius,
  pointsInPolygon,
  pointsInRect,
  scatterLimits,
  toUnit,
  unitCoords,
} from '../lib/scatter-geometry.js';
import { createFrameScheduler } from '../lib/schedule.js';
import { el, setText } from '../lib/text.js';
import { canZoom, clamp, pan, reset, wheelZoomFactor, zoomAt } from '../lib/zoom.js';
import { createUrlStore, imageBytes } from '../lib/images.js';
import { createRequester } from '../lib/requests.js';
import { sizeCanvas } from '../ui/canvas.js';
import { createTooltip } from '../ui/tooltip.js';
import { createLegend } from './legend.js';
import { createNeighbours } from './neighbours.js';
import { drawOverlay } from './overlay.js';
import { EMBEDDINGS_CSS, GAP_PX, SIDE_PX } from './styles.js';
import { createToolbar } from './toolbar.js';

/** Shown in place of the scatter when there is no projection and the `notice` trait is empty. */
export const NO_POINTS_MESSAGE = 'No embeddings to show: the run has no projected features.';
const DATA_TRAITS = ['vocab', 'xy', 'items', 'targets', 'decoded', 'losses', 'label_quality', 'notice', 'projection_info'];
const NEIGHBOUR_TRAITS = ['neighbour_index', 'neighbour_distance', 'neighbour_items', 'neighbour_labels', 'neighbour_source', 'neighbour_thumbs', 'neighbour_images'];
const HIGHLIGHT_TRAITS = ['selection', 'filter_actual', 'filter_predicted', 'item_selection'];
const MIN_SIDE_PX = 240;
const MAX_SIDE_PX = 760;
const WINDOW_MARGIN_PX = 230; // toolbar, caption and help under the window's height
const HOVER_PX = 8; // hover and click find the nearest point within this distance
const DRAG_PX = 4;
const ZOOM_STEP = 1.5;
const TWO_COLUMN_CLASSES = 20;
const BESIDE_MIN_PX = 420;
const IMAGE_REQUESTS = 8; // strip images asked of the kernel at once (the strip's k)
const HOVER_IMAGE_MS = 150; // a hover resting this long on a point asks the kernel for its image

/**
 * Renders the view into `host`.
 * @param {object} model anywidget model, a createModel() stand-in, or a dashboard's scoped proxy
 * @param {HTMLElement} host
 * @returns {() => void} cleanup: unsubscribes, revokes thumbnail URLs, removes the view
 */
export function mountEmbeddings(model, host) {
  const notice = el('div', { className: 'petlens-notice petlens-muted', role: 'status', hidden: true });
  const message = el('div', { className: 'petlens-error', role: 'alert', hidden: true });
  const toolbar = createToolbar({
    onColorBy: (value) => commit({ color_by: value }),
    onTool: (value) => setTool(value),
    onZoomIn: () => zoomBy(ZOOM_STEP),
    onZoomOut: () => zoomBy(1 / ZOOM_STEP),
    onReset: () => setZoom(reset()),
    onFrame: () => frameHighlighted(),
    onClear: () => commit({ item_selection: null }),
  });
  const caption = el('div', { className: 'petlens-emb-caption petlens-muted' });
  const pointsCanvas = el('canvas', { className: 'petlens-emb-points', 'aria-hidden': 'true' });
  const overlay = el('canvas', {
    className: 'petlens-emb-overlay',
    tabindex: 0,
    role: 'img',
    'aria-label': 'Embeddings scatter. Keys: + - 0 zoom, Escape clears the selection.',
  });
  const tooltip = createTooltip();
  const stage = el('div', { className: 'petlens-emb-stage', 'data-tool': 'pan' }, [pointsCanvas, overlay, tooltip.node]);
  const legend = createLegend({ onPick: pickClass });
  const main = el('div', { className: 'petlens-emb-main' }, [stage, legend.node]);
  const help = el('div', {
    className: 'petlens-emb-help petlens-muted',
    text: 'Wheel: zoom · drag: pan · shift-drag: box · alt-drag: lasso · click a point: its nearest images · Escape: clear the selection',
  });
  const neighboursStrip = createNeighbours({ onClose: () => commit({ selected_item: null }), onPickItem: (i) => commit({ selected_item: i }) });
  const content = el('div', { className: 'petlens-emb-content', hidden: true }, [toolbar.node, caption, main, help, neighboursStrip.node]);
  const root = el('div', { className: 'petlens petlens-embeddings' }, [el('style', { text: EMBEDDINGS_CSS }), notice, message, content]);
  host.appendChild(root);

  const pointsCtx = pointsCanvas.getContext('2d');
  const overlayCtx = overlay.getContext('2d');
  const urls = createUrlStore({ limit: 400 });
  const requester = createRequester(model);
  // the strip's images the kernel read, by picture key: `i<index>` an item, `n<index>` a neighbour
  const kernelImages = createUrlStore({ limit: 400 }); // key -> image the kernel read
  const imageFailures = new Map(); // key -> why the kernel could not read it
  const imageLoading = new Set(); // keys asked of the kernel, not yet answered
  let imageGeneration = 0; // +1 when the data or the neighbours change: older answers are dropped
  let wantedImages = []; // shown keys waiting for a free request, the clicked item's first
  let inFlight = 0;
  let closed = false;
  let hoverTimer = null; // a hover's pending image request
  let hoverAt = [0, 0]; // where the tooltip was placed (px)

  let data = null; // readEmbedding result
  let coords = null; // {u, v} unit coordinates
  let grid = null;
  let colors = null; // colorPoints result
  let colorBy = 'actual';
  let highlight = { mask: null, count: 0, conditions: [] };
  let neighbours = null;
  let neighbourError = '';
  let itemThumbs = new Map();
  let neighbourThumbs = new Map();
  let itemIndexByName = null; // built on first use (validation neighbours)
  let side = 0; // scatter side, CSS px
  let dpr = 1;
  let image = null; // ImageData reused between paints
  let zoom = reset();
  let tool = 'pan';
  let hover = -1;
  let drag = null; // {kind, x0, y0, x, y, zoom, path, moved}
  let laidOutWidth = null;
  const dirty = { data: true, colors: true, highlight: true, neighbours: true, layout: true, points: true, strip: true };
  const frame = createFrameScheduler(update);

  function commit(values) {
    for (const [name, value] of Object.entries(values)) model.set(name, value);
    model.save_changes();
  }

  function mark(...names) {
    return () => {
      for (const name of names) dirty[name] = true;
      frame.schedule();
    };
  }

  // --- model -> view ---

  function update() {
    if (dirty.data) loadData();
    if (dirty.neighbours && data && readItem(model.get('selected_item'), data.n) !== null) loadNeighbours();
    if (dirty.colors) loadColors();
    if (dirty.highlight) loadHighlight();
    if (dirty.layout || root.clientWidth !== laidOutWidth || (window.devicePixelRatio || 1) !== dpr) layout();
    if (dirty.points) paintPoints();
    paintOverlay();
    showNeighbours();
  }

  function loadData() {
    dirty.data = false;
    dirty.colors = true;
    dirty.highlight = true;
    dirty.layout = true;
    dirty.neighbours = true;
    dirty.strip = true;
    const xy = model.get('xy');
    const why = readNotice(model.get('notice')) || (isMissing(xy) || (Array.isArray(xy?.shape) && xy.shape[0] === 0) ? NO_POINTS_MESSAGE : '');
    data = null;
    coords = null;
    grid = null;
    hover = -1;
    itemIndexByName = null;
    neighbours = null;
    tooltip.hide();
    showMessage('');
    if (!why) {
      try {
        data = readEmbedding({
          vocab: model.get('vocab'),
          xy,
          items: model.get('items'),
          targets: model.get('targets'),
          decoded: model.get('decoded'),
          losses: model.get('losses'),
          label_quality: model.get('label_quality'),
        });
        coords = unitCoords(data.xy);
        grid = null; // built at the first hover
      } catch (error) {
        data = null;
        showMessage(`Cannot show the embeddings: ${error.message}`);
      }
    }
    setText(notice, why);
    notice.hidden = !why;
    content.hidden = !data;
    urls.clear();
    forgetImages();
    itemThumbs = data ? readThumbPayloads(model.get('thumbs')) : new Map();
  }

  /** Forgets the images the kernel read and the answers still to come (new items or neighbours). */
  function forgetImages() {
    kernelImages.clear();
    imageFailures.clear();
    imageLoading.clear();
    wantedImages = [];
    imageGeneration += 1;
  }

  /** Decodes the neighbour traits (only once an item is selected: they are the largest arrays). */
  function loadNeighbours() {
    dirty.neighbours = false;
    dirty.strip = true;
    neighbours = null;
    neighbourError = '';
    neighbourThumbs = new Map();
    forgetImages();
    if (!data) return;
    try {
      neighbours = readNeighbours({
        neighbour_index: model.get('neighbour_index'),
        neighbour_distance: model.get('neighbour_distance'),
        neighbour_items: model.get('neighbour_items'),
        neighbour_labels: model.get('neighbour_labels'),
        neighbour_source: model.get('neighbour_source'),
      }, data.n);
      neighbourThumbs = readThumbPayloads(model.get('neighbour_thumbs'));
    } catch (error) {
      neighbourError = error.message;
    }
  }

  function loadColors() {
    dirty.colors = false;
    dirty.points = true;
    if (!data) return;
    colorBy = readColorBy(model.get('color_by'), Boolean(data.labelQuality));
    toolbar.setColorBy(colorChoices(Boolean(data.labelQuality)), colorBy);
    colors = colorPoints(data, colorBy);
    root.dataset.colorBy = colorBy;
  }

  function currentFilters() {
    const C = data ? data.C : 0;
    return { filterActual: readClass(model.get('filter_actual'), C), filterPredicted: readClass(model.get('filter_predicted'), C) };
  }

  function loadHighlight() {
    dirty.highlight = false;
    dirty.points = true;
    if (!data) return;
    const itemSelection = readItemSelection(model.get('item_selection'), data.n);
    const { filterActual, filterPredicted } = currentFilters();
    highlight = highlightPoints(data, { cell: readCell(model.get('selection'), data.C), filterActual, filterPredicted, itemSelection });
    toolbar.setCanClear(Boolean(itemSelection));
    toolbar.setCanFrame(Boolean(highlight.mask && highlight.count > 0));
    setText(caption, describeView(data, model.get('projection_info'), highlight));
    const active = colorBy === 'predicted' ? filterPredicted : filterActual;
    legend.show(colors.legend, colorBy, active);
  }

  function layout() {
    dirty.layout = false;
    dirty.points = true;
    laidOutWidth = root.clientWidth;
    if (!data) return;
    const width = main.clientWidth || laidOutWidth || 600;
    const tall = Math.max(MIN_SIDE_PX, (window.innerHeight || 800) - WINDOW_MARGIN_PX);
    // the legend beside the scatter unless that leaves it small: then below it
    const beside = width - SIDE_PX - GAP_PX >= Math.min(tall, BESIDE_MIN_PX);
    // 21..40 classes: the legend in two columns (every class in view) where that leaves the
    // scatter its full size
    const twoColumns = beside && data.C > TWO_COLUMN_CLASSES && data.C <= PALETTE_SIZE &&
      width - 2 * SIDE_PX - GAP_PX >= Math.min(tall, MAX_SIDE_PX) + 2;
    main.classList.toggle('petlens-emb-stacked', !beside);
    main.classList.toggle('petlens-emb-two', twoColumns);
    const room = beside ? width - (twoColumns ? 2 : 1) * SIDE_PX - GAP_PX : width;
    const next = Math.max(120, Math.floor(Math.min(room - 2, tall, MAX_SIDE_PX)));
    if (side > 0 && next !== side) zoom = clamp({ scale: zoom.scale, tx: (zoom.tx * next) / side, ty: (zoom.ty * next) / side }, scatterLimits(next));
    side = next;
    stage.style.width = `${side + 2}px`;
    stage.style.height = `${side + 2}px`;
    legend.node.style.maxHeight = beside ? `${side + 2}px` : '';
    dpr = sizeCanvas(pointsCanvas, side, side);
    sizeCanvas(overlay, side, side);
    image = null;
  }

  function paintPoints() {
    dirty.points = false;
    if (!data || side === 0) return;
    const start = performance.now();
    const width = pointsCanvas.width;
    const height = pointsCanvas.height;
    if (!image || image.width !== width || image.height !== height) image = new ImageData(new Uint8ClampedArray(width * height * 4), width, height);
    else image.data.fill(0);
    const radius = pointRadius(data.n, zoom.scale);
    const { drawn, highlighted } = drawPoints(image.data, {
      width,
      height,
      u: coords.u,
      v: coords.v,
      order: colors.order,
      colorOf: colors.colorOf,
      palette: colors.palette,
      zoom,
      side,
      dpr,
      radius,
      highlight: highlight.mask,
    });
    pointsCtx.putImageData(image, 0, 0);
    Object.assign(root.dataset, {
      points: String(data.n),
      drawn: String(drawn),
      highlighted: String(highlighted),
      zoom: zoom.scale.toFixed(2),
      paintMs: (performance.now() - start).toFixed(1),
    });
    toolbar.setZoom(canZoom(zoom, scatterLimits(side)));
  }

  function themeColor(name, fallback) {
    return getComputedStyle(root).getPropertyValue(name).trim() || fallback;
  }

  function paintOverlay() {
    if (!data) {
      overlayCtx.setTransform(dpr, 0, 0, dpr, 0, 0);
      overlayCtx.clearRect(0, 0, side, side);
      return;
    }
    const selected = readItem(model.get('selected_item'), data.n);
    drawOverlay(overlayCtx, {
      dpr,
      side,
      zoom,
      u: coords.u,
      v: coords.v,
      radius: pointRadius(data.n, zoom.scale),
      selected,
      neighbours: selected !== null && neighbours?.source === 'valid' ? neighboursOf(neighbours, selected).map(({ item }) => itemIndex(item)).filter((i) => i !== undefined) : [],
      hover,
      drag,
      colors: { fg: themeColor('--petlens-fg', '#1f2328'), accent: themeColor('--petlens-highlight', '#ff7f0e') },
    });
  }

  function itemIndex(name) {
    if (!itemIndexByName) {
      itemIndexByName = new Map();
      data.items.forEach((item, i) => {
        if (!itemIndexByName.has(item)) itemIndexByName.set(item, i);
      });
    }
    return itemIndexByName.get(name);
  }

  let shownItem = null;
  function showNeighbours() {
    const selected = data ? readItem(model.get('selected_item'), data.n) : null;
    const key = selected;
    if (key === shownItem && !dirty.strip) return;
    dirty.strip = false;
    shownItem = key;
    if (selected === null) {
      neighboursStrip.hide();
      return;
    }
    const wanted = []; // in the strip's order: the clicked item first
    neighboursStrip.show(data, neighbours, selected, {
      pictureOf: (key) => {
        const picture = pictureOf(key);
        if (picture.state === 'loading') wanted.push(key);
        return picture;
      },
      itemIndex,
      error: neighbourError,
    });
    wantedImages = wanted;
    requestImages();
  }

  /**
   * The picture of `key` (`i<index>`: validation item, `n<index>`: neighbour): its stored
   * thumbnail, else an image the kernel read, else (kernel reading them) how asking went.
   */
  function pictureOf(key) {
    const index = Number(key.slice(1));
    const url = thumbUrl(key, (key[0] === 'i' ? itemThumbs : neighbourThumbs).get(index)) ?? kernelImages.get(key);
    if (url) return { url };
    if (model.get('neighbour_images') !== true) return { state: 'none' };
    if (imageFailures.has(key)) return { state: 'failed', error: imageFailures.get(key) };
    return { state: 'loading' };
  }

  /** Asks the kernel for the wanted images, in order, at most IMAGE_REQUESTS at once. */
  function requestImages() {
    while (inFlight < IMAGE_REQUESTS && wantedImages.length > 0) {
      const key = wantedImages.shift();
      if (!imageLoading.has(key) && !kernelImages.has(key) && !imageFailures.has(key)) requestImage(key);
    }
  }

  /** One request: 'item_image' for `i<index>` (data.items), 'neighbour_image' for `n<index>`. */
  function requestImage(key) {
    const index = Number(key.slice(1));
    const [kind, item] = key[0] === 'i' ? ['item_image', data.items[index]] : ['neighbour_image', neighbours.items[index]];
    const generation = imageGeneration;
    const current = () => !closed && generation === imageGeneration;
    let busy = false; // the kernel did not answer in time (a cell running): asked again later
    imageLoading.add(key);
    inFlight += 1;
    requester
      .request(kind, { index, item })
      .then(({ buffers }) => {
        const bytes = imageBytes(buffers[0]);
        if (!bytes || bytes.length === 0) throw new Error('the response holds no image');
        if (current()) kernelImages.put(key, bytes);
      })
      .catch((error) => {
        busy = error.timedOut === true;
        if (current()) imageFailures.set(key, error.message);
      })
      .finally(() => {
        inFlight -= 1;
        if (closed) return;
        if (current()) {
          imageLoading.delete(key);
          neighboursStrip.setPicture(key, pictureOf(key));
          if (key === `i${hover}`) showHoverImage(hover);
          if (busy) imageFailures.delete(key); // shown as failed; the next showing asks again
        }
        requestImages();
      });
  }

  /** Blob URL of a thumbnail payload (JPEG bytes or base64), made at its first use. */
  function thumbUrl(key, payload) {
    if (payload === undefined) return undefined;
    const url = urls.get(key);
    if (url) return url;
    const bytes = imageBytes(payload);
    return bytes && bytes.length > 0 ? urls.put(key, bytes) : undefined;
  }

  function showMessage(text) {
    setText(message, text);
    message.hidden = !text;
  }

  // --- view -> model and view state ---

  function setZoom(next) {
    zoom = clamp(next, scatterLimits(side));
    dirty.points = true;
    hover = -1;
    tooltip.hide();
    frame.schedule();
  }

  /** Zooms so that the highlighted points fill most of the view. */
  function frameHighlighted() {
    const target = data && highlight.mask ? frameOn(coords.u, coords.v, highlight.mask, side, { maxScale: scatterLimits(side).maxScale }) : null;
    if (target) setZoom(target);
  }

  function zoomBy(factor) {
    setZoom(zoomAt(zoom, factor, side / 2, side / 2, scatterLimits(side)));
  }

  function setTool(value) {
    tool = value;
    stage.dataset.tool = value;
    toolbar.setTool(value);
  }

  function pickClass(c) {
    const { filterActual, filterPredicted } = currentFilters();
    commit(legendClickTraits(colorBy, colorBy === 'predicted' ? filterPredicted : filterActual, c));
  }

  function position(event) {
    const rect = overlay.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  }

  /** The point under (x, y) px, preferring highlighted points; -1 when none is near. */
  function pointAt(x, y) {
    if (!data) return -1;
    if (!grid) grid = buildGrid(coords.u, coords.v);
    const [pu, pv] = toUnit(zoom, side, x, y);
    const radius = HOVER_PX / (zoom.scale * side);
    const mask = highlight.mask;
    const found = mask ? nearestPoint(grid, coords.u, coords.v, pu, pv, radius, (i) => mask[i] === 1) : -1;
    return found >= 0 ? found : nearestPoint(grid, coords.u, coords.v, pu, pv, radius);
  }

  function showHover(x, y) {
    const i = pointAt(x, y);
    if (i !== hover) {
      hover = i;
      if (i < 0) tooltip.hide();
      else {
        tooltip.show(tooltipLines(data, i));
        if (!showHoverImage(i)) askHoverImage(i);
      }
      frame.schedule();
    }
    if (i >= 0) {
      hoverAt = [x, y];
      tooltip.moveTo(x, y, { width: side, height: side });
    }
  }

  /** Puts item i's thumbnail, or its image read by the kernel, in the tooltip; false: none. */
  function showHoverImage(i) {
    const { url } = pictureOf(`i${i}`);
    if (!url) return false;
    if (!tooltip.node.querySelector('img')) {
      tooltip.node.prepend(el('img', { src: url, alt: '' }));
      tooltip.moveTo(...hoverAt, { width: side, height: side }); // it grew: kept in view
    }
    return true;
  }

  /** Asks the kernel for item i's image once the hover has rested on it HOVER_IMAGE_MS. */
  function askHoverImage(i) {
    clearTimeout(hoverTimer);
    const key = `i${i}`;
    if (model.get('neighbour_images') !== true || imageFailures.has(key) || imageLoading.has(key)) return;
    hoverTimer = setTimeout(() => {
      if (closed || hover !== i) return;
      wantedImages.unshift(key);
      requestImages();
    }, HOVER_IMAGE_MS);
  }

  function onPointerDown(event) {
    if (!data || event.button !== 0) return;
    const [x, y] = position(event);
    const kind = event.shiftKey ? 'box' : event.altKey ? 'lasso' : tool;
    drag = { kind, x0: x, y0: y, x, y, zoom, path: [[x, y]], moved: false };
    overlay.setPointerCapture?.(event.pointerId);
    overlay.focus({ preventScroll: true });
    event.preventDefault();
  }

  function onPointerMove(event) {
    if (!data) return;
    const [x, y] = position(event);
    if (!drag) {
      showHover(x, y);
      return;
    }
    drag.x = x;
    drag.y = y;
    if (!drag.moved && Math.hypot(x - drag.x0, y - drag.y0) < DRAG_PX) return;
    if (!drag.moved) {
      drag.moved = true;
      stage.dataset.dragging = drag.kind;
      hover = -1;
      tooltip.hide();
    }
    if (drag.kind === 'pan') {
      zoom = pan(drag.zoom, x - drag.x0, y - drag.y0, scatterLimits(side));
      dirty.points = true;
    } else if (drag.kind === 'lasso') {
      const last = drag.path[drag.path.length - 1];
      if (Math.hypot(x - last[0], y - last[1]) >= 2) drag.path.push([x, y]);
    }
    frame.schedule();
  }

  function onPointerUp(event) {
    if (!drag) return;
    const done = drag;
    drag = null;
    delete stage.dataset.dragging;
    overlay.releasePointerCapture?.(event.pointerId);
    if (!done.moved) {
      const i = pointAt(done.x0, done.y0);
      if (i >= 0) commit({ selected_item: readItem(model.get('selected_item'), data.n) === i ? null : i });
    } else if (done.kind === 'box') {
      const [a0, b0] = toUnit(zoom, side, done.x0, done.y0);
      const [a1, b1] = toUnit(zoom, side, done.x, done.y);
      commit(selectionTraits(pointsInRect(coords.u, coords.v, a0, b0, a1, b1)));
    } else if (done.kind === 'lasso') {
      commit(selectionTraits(pointsInPolygon(coords.u, coords.v, done.path.map(([x, y]) => toUnit(zoom, side, x, y)))));
    }
    frame.schedule();
  }

  function onPointerLeave() {
    if (drag) return;
    hover = -1;
    tooltip.hide();
    frame.schedule();
  }

  function onWheel(event) {
    if (!data) return;
    event.preventDefault();
    const [x, y] = position(event);
    setZoom(zoomAt(zoom, wheelZoomFactor(event.deltaY, event.deltaMode), x, y, scatterLimits(side)));
  }

  function onKey(event) {
    if (event.key === 'Escape') {
      if (drag) {
        drag = null;
        delete stage.dataset.dragging;
        frame.schedule();
      } else if (Array.isArray(model.get('item_selection'))) commit({ item_selection: null });
      else if (model.get('selected_item') !== null && model.get('selected_item') !== undefined) commit({ selected_item: null });
      else return;
    } else if (event.key === '+' || event.key === '=') zoomBy(ZOOM_STEP);
    else if (event.key === '-') zoomBy(1 / ZOOM_STEP);
    else if (event.key === '0') setZoom(reset());
    else return;
    event.preventDefault();
  }

  overlay.addEventListener('pointerdown', onPointerDown);
  overlay.addEventListener('pointermove', onPointerMove);
  overlay.addEventListener('pointerup', onPointerUp);
  overlay.addEventListener('pointercancel', onPointerUp);
  overlay.addEventListener('pointerleave', onPointerLeave);
  overlay.addEventListener('wheel', onWheel, { passive: false });
  overlay.addEventListener('keydown', onKey);
  const resizeObserver = typeof ResizeObserver === 'function' ? new ResizeObserver(() => frame.schedule()) : null;
  resizeObserver?.observe(root);

  const subscriptions = [
    ...DATA_TRAITS.map((name) => [`change:${name}`, mark('data')]),
    ...NEIGHBOUR_TRAITS.map((name) => [`change:${name}`, mark('neighbours', 'strip')]),
    ...HIGHLIGHT_TRAITS.map((name) => [`change:${name}`, mark('highlight')]),
    ['change:color_by', mark('colors', 'highlight')],
    ['change:thumbs', mark('data')],
    ['change:selected_item', () => frame.schedule()],
  ];
  for (const [event, callback] of subscriptions) model.on(event, callback);
  update();

  return () => {
    closed = true;
    clearTimeout(hoverTimer);
    for (const [event, callback] of subscriptions) model.off(event, callback);
    resizeObserver?.disconnect();
    frame.cancel();
    requester.dispose();
    urls.clear();
    kernelImages.clear();
    root.remove();
  };
}
