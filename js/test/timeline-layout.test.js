import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AXIS_PX,
  columnX,
  edgeX,
  iterAtX,
  iterX,
  LR_PANEL_PX,
  MAX_GUTTER_PX,
  MIN_GUTTER_PX,
  overPanels,
  stripRowSize,
  stripRowTop,
  timelineLayout,
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
  it('edges span the plot; iterations sit mid-way', () => {
    assert.equal(edgeX(layout, T, 0), layout.left);
    assert.equal(edgeX(layout, T, T), layout.right);
    assert.equal(iterX(layout, T, 0), layout.left + layout.plotWidth / T / 2);
  });
  it('iterAtX inverts iterX and clamps outside the plot', () => {
    for (const i of [0, 1, 299, 599]) assert.equal(iterAtX(layout, T, iterX(layout, T, i)), i);
    assert.equal(iterAtX(layout, T, 0), 0);
    assert.equal(iterAtX(layout, T, 5000), T - 1);
    assert.equal(iterAtX(layout, 0, 200), 0);
  });
  it('columns: n equal bins over the plot, same as iterations when n = T', () => {
    assert.equal(columnX(layout, T, 10), iterX(layout, T, 10));
    assert.equal(columnX(layout, 2, 0), layout.left + layout.plotWidth / 4);
  });
  it('overPanels covers the plot from the labels to the axis', () => {
    assert.ok(overPanels(layout, layout.left + 10, layout.strips.top + 1));
    assert.ok(overPanels(layout, layout.right, layout.axis.top + 10));
    assert.ok(!overPanels(layout, 10, layout.strips.top + 1), 'gutter');
    assert.ok(!overPanels(layout, layout.left + 10, layout.axis.top + AXIS_PX + 5));
  });
});
