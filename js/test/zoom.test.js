import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  baseSide,
  canZoom,
  cellAt,
  cellRect,
  cellSize,
  centerOn,
  clamp,
  MAX_CELL_PX,
  pan,
  reset,
  resize,
  viewFraction,
  visibleRange,
  wheelZoomFactor,
  zoomAt,
  zoomLimits,
} from '../src/lib/zoom.js';

const SIZE = { width: 400, height: 400 };
const C = 40; // 10 px cells at scale 1

describe('limits and reset', () => {
  it('reset shows the whole matrix', () => {
    assert.deepEqual(reset(), { scale: 1, tx: 0, ty: 0 });
    assert.equal(cellSize(reset(), C, SIZE), 10);
  });
  it('max scale makes cells at most MAX_CELL_PX', () => {
    const limits = zoomLimits(C, SIZE);
    assert.equal(MAX_CELL_PX, 80);
    assert.equal(limits.minScale, 1);
    assert.equal(limits.maxScale, 8);
    assert.equal(zoomLimits(1000, SIZE).maxScale, 200);
    assert.equal(zoomLimits(2, SIZE).maxScale, 1, 'cells already bigger than the max');
    assert.equal(zoomLimits(5, { width: 0, height: 0 }).maxScale, 1);
  });
  it('base side is the smaller viewport dimension', () => {
    assert.equal(baseSide({ width: 500, height: 300 }), 300);
  });
});

describe('zoomAt', () => {
  const limits = zoomLimits(C, SIZE);
  it('keeps the point under the cursor fixed', () => {
    const state = zoomAt(reset(), 2, 100, 300, limits);
    assert.deepEqual(state, { scale: 2, tx: -100, ty: -300 });
    // the matrix point under (100, 300) was (100, 300) at scale 1 and still is
    assert.equal((100 - state.tx) / state.scale, 100);
    assert.equal((300 - state.ty) / state.scale, 300);
    const again = zoomAt(state, 1.5, 250, 120, limits);
    assert.equal((250 - again.tx) / again.scale, (250 - state.tx) / state.scale);
    assert.equal((120 - again.ty) / again.scale, (120 - state.ty) / state.scale);
  });
  it('clamps the scale to the limits', () => {
    assert.equal(zoomAt(reset(), 100, 0, 0, limits).scale, 8);
    assert.deepEqual(zoomAt({ scale: 2, tx: -100, ty: -50 }, 0.1, 200, 200, limits), reset());
  });
});

describe('pan and clamp', () => {
  const limits = zoomLimits(C, SIZE);
  it('pans by the drag distance', () => {
    assert.deepEqual(pan({ scale: 2, tx: -100, ty: -100 }, 30, -20, limits), { scale: 2, tx: -70, ty: -120 });
  });
  it('cannot drag the matrix out of view', () => {
    assert.deepEqual(pan({ scale: 2, tx: -100, ty: -100 }, 500, -900, limits), { scale: 2, tx: 0, ty: -400 });
    assert.deepEqual(pan(reset(), 50, 50, limits), reset(), 'whole matrix in view stays put');
  });
  it('pins a matrix smaller than the viewport to the top-left', () => {
    const wide = zoomLimits(C, { width: 600, height: 400 });
    assert.deepEqual(clamp({ scale: 1, tx: 150, ty: 0 }, wide), reset());
    assert.deepEqual(clamp({ scale: 2, tx: 150, ty: -500 }, wide), { scale: 2, tx: 0, ty: -400 });
  });
  it('clamp also bounds the scale', () => {
    assert.equal(clamp({ scale: 0.5, tx: 0, ty: 0 }, limits).scale, 1);
  });
});

describe('centerOn and resize', () => {
  const limits = zoomLimits(C, SIZE);
  it('centres a cell as far as clamping allows', () => {
    const state = centerOn({ scale: 4, tx: 0, ty: 0 }, 20, 10, C, limits); // 40 px cells
    assert.deepEqual(state, { scale: 4, tx: 200 - 10.5 * 40, ty: 200 - 20.5 * 40 });
    assert.deepEqual(centerOn({ scale: 4, tx: 0, ty: 0 }, 0, 39, C, limits), { scale: 4, tx: -1200, ty: 0 });
  });
  it('resize keeps the same part in view', () => {
    const state = resize({ scale: 2, tx: -100, ty: -200 }, SIZE, zoomLimits(C, { width: 800, height: 800 }));
    assert.deepEqual(state, { scale: 2, tx: -200, ty: -400 });
  });
});

describe('visibleRange, cellAt, cellRect', () => {
  it('whole matrix at scale 1', () => {
    assert.deepEqual(visibleRange(reset(), C, SIZE), { rowStart: 0, rowEnd: 39, colStart: 0, colEnd: 39 });
  });
  it('partial cells count as visible', () => {
    const state = { scale: 4, tx: -405, ty: -20 }; // 40 px cells
    assert.deepEqual(visibleRange(state, C, SIZE), { rowStart: 0, rowEnd: 10, colStart: 10, colEnd: 20 });
  });
  it('1000 classes: only a small range when zoomed', () => {
    const state = { scale: 100, tx: -20000, ty: -10000 }; // 40 px cells
    const r = visibleRange(state, 1000, SIZE);
    assert.deepEqual(r, { rowStart: 250, rowEnd: 259, colStart: 500, colEnd: 509 });
  });
  it('is null when nothing is in view or there are no classes', () => {
    assert.equal(visibleRange({ scale: 1, tx: 500, ty: 0 }, C, SIZE), null);
    assert.equal(visibleRange(reset(), 0, SIZE), null);
  });
  it('cellAt hit-tests cells', () => {
    assert.deepEqual(cellAt(reset(), 0, 0, C, SIZE), { row: 0, col: 0 });
    assert.deepEqual(cellAt(reset(), 399.9, 15, C, SIZE), { row: 1, col: 39 });
    assert.deepEqual(cellAt({ scale: 4, tx: -405, ty: -20 }, 10, 30, C, SIZE), { row: 1, col: 10 });
    assert.equal(cellAt(reset(), -1, 5, C, SIZE), null);
    assert.equal(cellAt(reset(), 5, 400, C, SIZE), null);
    assert.equal(cellAt(reset(), 350, 50, C, { width: 600, height: 300 }), null, 'beside a matrix narrower than the view');
  });
  it('cellRect is the inverse of cellAt', () => {
    const state = { scale: 3, tx: -123, ty: -45 };
    const rect = cellRect(state, 7, 9, C, SIZE);
    assert.equal(rect.width, 30);
    assert.deepEqual(cellAt(state, rect.x + 1, rect.y + 1, C, SIZE), { row: 7, col: 9 });
  });
});

describe('wheelZoomFactor', () => {
  it('zooms in for negative deltas, out for positive, by lines and pages', () => {
    assert.ok(wheelZoomFactor(-100) > 1);
    assert.ok(wheelZoomFactor(100) < 1);
    assert.equal(wheelZoomFactor(100) * wheelZoomFactor(-100), 1);
    assert.equal(wheelZoomFactor(3, 1), wheelZoomFactor(48, 0));
    assert.equal(wheelZoomFactor(1, 2), wheelZoomFactor(400, 0));
  });
});

describe('zoom feedback', () => {
  const limits = zoomLimits(C, SIZE); // max scale 8 (80 px cells)
  it('canZoom: not out at the whole matrix, not in at the deepest zoom', () => {
    assert.deepEqual(canZoom(reset(), limits), { in: true, out: false });
    assert.deepEqual(canZoom(zoomAt(reset(), 100, 0, 0, limits), limits), { in: false, out: true });
    assert.deepEqual(canZoom({ scale: 2, tx: 0, ty: 0 }, limits), { in: true, out: true });
  });
  it('viewFraction: the part of the matrix in view, for the overview map', () => {
    assert.deepEqual(viewFraction(reset(), SIZE), { x0: 0, x1: 1, y0: 0, y1: 1 });
    assert.deepEqual(viewFraction({ scale: 4, tx: -400, ty: -1200 }, SIZE), { x0: 0.25, x1: 0.5, y0: 0.75, y1: 1 });
  });
});
