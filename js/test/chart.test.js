import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CATEGORICAL,
  clampNumber,
  finiteExtent,
  insideBox,
  padLogRange,
  padRange,
  plotBox,
  polylines,
  quantile,
  seriesColor,
} from '../src/lib/chart.js';

describe('chart helpers', () => {
  it('seriesColor cycles the tab10 palette', () => {
    assert.equal(CATEGORICAL.length, 10);
    assert.equal(seriesColor(0), '#1f77b4');
    assert.equal(seriesColor(10), '#1f77b4');
    assert.equal(seriesColor(-1), '#17becf');
  });
  it('quantile interpolates between finite order statistics', () => {
    assert.equal(quantile([3, 1, 2, NaN], 0.5), 2);
    assert.equal(quantile([0, 10], 0.25), 2.5);
    assert.equal(quantile([5], 0.9), 5);
    assert.ok(Number.isNaN(quantile([NaN], 0.5)));
  });
  it('finiteExtent skips non-finite (and non-positive on request)', () => {
    assert.deepEqual(finiteExtent([3, NaN, -1, Infinity, 2]), [-1, 3]);
    assert.deepEqual(finiteExtent([3, 0, -1, 2], { positive: true }), [2, 3]);
    assert.equal(finiteExtent([NaN]), null);
  });
  it('padRange / padLogRange', () => {
    assert.deepEqual(padRange(0, 10, 0.1), [-1, 11]);
    assert.deepEqual(padRange(2, 2), [1.8, 2.2]);
    assert.deepEqual(padRange(0, 0), [-1, 1]);
    const [a, b] = padLogRange(1e-4, 1e-2, 0.5);
    assert.ok(Math.abs(Math.log10(a) + 5) < 1e-9 && Math.abs(Math.log10(b) + 1) < 1e-9);
    const [c, d] = padLogRange(1e-3, 1e-3);
    assert.ok(Math.abs(Math.log10(d / c) - 1) < 1e-9);
  });
  it('plotBox and insideBox', () => {
    const box = plotBox({ width: 300, height: 200 }, { top: 10, right: 20, bottom: 30, left: 40 });
    assert.deepEqual(box, { left: 40, top: 10, width: 240, height: 160, right: 280, bottom: 170 });
    assert.ok(insideBox(box, 40, 10));
    assert.ok(!insideBox(box, 39, 50));
    assert.deepEqual(plotBox({ width: 10, height: 10 }, { top: 10, right: 20, bottom: 30, left: 40 }).width, 0);
  });
  it('polylines break at non-finite points', () => {
    const ys = [1, 2, NaN, 4, 5, Infinity];
    assert.deepEqual(polylines(6, (i) => i * 10, (i) => ys[i]), [[0, 1, 10, 2], [30, 4, 40, 5]]);
    assert.deepEqual(polylines(0, () => 0, () => 0), []);
  });
  it('clampNumber', () => {
    assert.equal(clampNumber(5, 0, 3), 3);
    assert.equal(clampNumber(-5, 0, 3), 0);
    assert.equal(clampNumber(2, 0, 3), 2);
  });
});
