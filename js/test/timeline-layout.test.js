import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AXIS_PX,
  clampWindow,
  columnX,
  edgeAtX,
  edgeX,
  fullWindow,
  isFull,
  iterAtX,
  iterX,
  LR_PANEL_PX,
  MAX_GUTTER_PX,
  MIN_GUTTER_PX,
  MIN_SPAN,
  MOM_PANEL_PX,
  overAxis,
  overPanels,
  panWindow,
  stripRowSize,
  stripRowTop,
  timelineLayout,
  windowBetween,
  windowShowing,
  zoomWindow,
} from '../src/lib/timeline-layout.js';

describe('timelineLayout', () => {
  const layout = timelineLayout({ width: 900, G: 3, labelWidth: 100 });
  it('stacks labels, strips, rates and losses without overlap', () => {
    assert.ok(layout.labels.top < layout.strips.top);
    assert.equal(layout.strips.bottom, layout.strips.top + 3 * 20 + 2 * 3);
    assert.ok(layout.lr.top > layout.strips.bottom);
    assert.equal(layout.lr.bottom - layout.lr.top, LR_PANEL_PX);
    assert.ok(layout.loss.top > layout.lr.bottom);
    assert.equal(layout.height, layout.loss.bottom + AXIS_PX);
    assert.equal(layout.mom, null, 'no momentum panel unless asked');
  });
  it('puts the momentum panel between the rates and the losses', () => {
    const withMom = timelineLayout({ width: 900, G: 3, labelWidth: 100, mom: true });
    assert.ok(withMom.mom.top > withMom.lr.bottom && withMom.mom.bottom < withMom.loss.top);
    assert.equal(withMom.mom.height, MOM_PANEL_PX);
    assert.equal(withMom.height - layout.height, withMom.loss.top - layout.loss.top);
  });
  it('sizes the gutter to the labels, within bounds', () => {
    assert.equal(layout.left, 132);
    assert.equal(layout.right, 900 - 14);
    assert.equal(layout.plotWidth, layout.right - layout.left);
    assert.equal(timelineLayout({ width: 900, G: 3, labelWidth: 0 }).left, MIN_GUTTER_PX);
    assert.equal(timelineLayout({ width: 900, G: 3, labelWidth: 900 }).left, MAX_GUTTER_PX);
  });
  it('grows for more label rows and more groups', () => {
    const twoRows = timelineLayout({ width: 900, G: 3, labelWidth: 100, labelRows: 2 });
    assert.equal(twoRows.strips.top - layout.strips.top, 15);
    const ten = timelineLayout({ width: 900, G: 10, labelWidth: 100 });
    assert.deepEqual(stripRowSize(10), { rowHeight: 13, rowGap: 2 });
    assert.equal(ten.strips.bottom - ten.strips.top, 10 * 13 + 9 * 2);
    assert.equal(stripRowTop(ten, 2), ten.strips.top + 30);
  });
});

describe('x mapping', () => {
  const layout = timelineLayout({ width: 700, G: 3, labelWidth: 70 }); // plot 100..686
  const T = 600;
  const all = fullWindow(T);
  it('edges span the plot; iterations sit mid-way', () => {
    assert.equal(edgeX(layout, all, 0), layout.left);
    assert.equal(edgeX(layout, all, T), layout.right);
    assert.equal(iterX(layout, all, 0), layout.left + layout.plotWidth / T / 2);
  });
  it('a window spans the plot with its own iterations', () => {
    const win = { start: 100, end: 118 };
    assert.equal(edgeX(layout, win, 100), layout.left);
    assert.equal(edgeX(layout, win, 118), layout.right);
    assert.equal(iterAtX(layout, win, iterX(layout, win, 109)), 109);
    assert.equal(iterAtX(layout, win, 0), 100, 'clamped to the window');
    assert.equal(iterAtX(layout, win, 5000), 117);
    assert.equal(edgeAtX(layout, win, layout.left + layout.plotWidth / 2), 109);
  });
  it('iterAtX inverts iterX and clamps outside the plot', () => {
    for (const i of [0, 1, 299, 599]) assert.equal(iterAtX(layout, all, iterX(layout, all, i)), i);
    assert.equal(iterAtX(layout, all, 0), 0);
    assert.equal(iterAtX(layout, all, 5000), T - 1);
    assert.equal(iterAtX(layout, fullWindow(0), 200), 0);
  });
  it('columns: n equal bins over the plot, same as iterations when n = T', () => {
    assert.equal(columnX(layout, T, 10), iterX(layout, all, 10));
    assert.equal(columnX(layout, 2, 0), layout.left + layout.plotWidth / 4);
  });
  it('overAxis is the band under the panels (where a drag brushes a range)', () => {
    assert.ok(overAxis(layout, layout.left + 10, layout.axis.top + 10));
    assert.ok(!overAxis(layout, layout.left + 10, layout.loss.bottom - 10));
  });
  it('overPanels covers the plot from the labels to the axis', () => {
    assert.ok(overPanels(layout, layout.left + 10, layout.strips.top + 1));
    assert.ok(overPanels(layout, layout.right, layout.axis.top + 10));
    assert.ok(!overPanels(layout, 10, layout.strips.top + 1), 'gutter');
    assert.ok(!overPanels(layout, layout.left + 10, layout.axis.top + AXIS_PX + 5));
  });
});

describe('the window in view', () => {
  const T = 306;
  it('clampWindow keeps integer edges inside the run, at least MIN_SPAN wide', () => {
    assert.deepEqual(clampWindow({ start: -5, end: 20.4 }, T), { start: 0, end: 25 });
    assert.deepEqual(clampWindow({ start: 300, end: 330 }, T), { start: 276, end: 306 });
    assert.deepEqual(clampWindow({ start: 50, end: 51 }, T), { start: 50, end: 50 + MIN_SPAN });
    assert.deepEqual(clampWindow({ start: 0, end: 100 }, 3), { start: 0, end: 3 }, 'a run shorter than MIN_SPAN');
    assert.deepEqual(clampWindow({ start: 1, end: 2 }, 3), { start: 0, end: 3 });
    assert.deepEqual(clampWindow({ start: 20, end: 10 }, T), { start: 10, end: 20 });
    assert.deepEqual(clampWindow({ start: 0, end: 9 }, 0), { start: 0, end: 0 });
  });
  it('zoomWindow keeps the anchor in place, down to MIN_SPAN and out to the whole run', () => {
    const all = fullWindow(T);
    assert.deepEqual(zoomWindow(all, T, 2, 0), { start: 0, end: 153 });
    assert.deepEqual(zoomWindow(all, T, 2, 153), { start: 77, end: 230 });
    assert.deepEqual(zoomWindow(all, T, 1000, 9), { start: 9, end: 13 }, 'the anchor stays 3% from the left');
    assert.deepEqual(zoomWindow({ start: 100, end: 118 }, T, 0.001, 109), all);
    assert.ok(isFull(zoomWindow({ start: 0, end: 153 }, T, 0.5, 0), T));
  });
  it('panWindow moves without leaving the run', () => {
    assert.deepEqual(panWindow({ start: 10, end: 28 }, T, 5), { start: 15, end: 33 });
    assert.deepEqual(panWindow({ start: 10, end: 28 }, T, -50), { start: 0, end: 18 });
    assert.deepEqual(panWindow({ start: 280, end: 298 }, T, 50), { start: 288, end: 306 });
  });
  it('windowBetween brushes a range in either direction', () => {
    assert.deepEqual(windowBetween(17.6, 0.2, T), { start: 0, end: 18 });
    assert.deepEqual(windowBetween(100, 101, T), { start: 99, end: 103 }, 'at least MIN_SPAN, centred');
  });
  it('windowShowing pages to keep an iteration in view', () => {
    const win = { start: 0, end: 18 };
    assert.equal(windowShowing(win, T, 17), win);
    assert.deepEqual(windowShowing(win, T, 18), { start: 18, end: 36 });
    assert.deepEqual(windowShowing(win, T, 300), { start: 288, end: 306 });
    assert.deepEqual(windowShowing({ start: 100, end: 118 }, T, 0), { start: 0, end: 18 });
  });
});
