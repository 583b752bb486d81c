import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { drawPoints } from '../src/lib/scatter-draw.js';

const RED = [200, 0, 0];
const BLUE = [0, 0, 200];

function draw({ u, v, colorOf, highlight = null, radius = 2, dpr = 1, zoom = { scale: 1, tx: 0, ty: 0 }, side = 20, dimAlpha }) {
  const width = side * dpr;
  const rgba = new Uint8ClampedArray(width * width * 4);
  const result = drawPoints(rgba, {
    width,
    height: width,
    u: Float32Array.from(u),
    v: Float32Array.from(v),
    order: Int32Array.from(u.map((_, i) => i)),
    colorOf: Uint16Array.from(colorOf),
    palette: Uint8Array.from([...RED, ...BLUE]),
    zoom,
    side,
    dpr,
    radius,
    highlight: highlight && Uint8Array.from(highlight),
    dimAlpha,
  });
  const at = (x, y) => [...rgba.slice((y * width + x) * 4, (y * width + x) * 4 + 4)];
  return { result, at, rgba };
}

describe('drawPoints', () => {
  it('draws an opaque disc at the point, transparent away from it, anti-aliased at the edge', () => {
    const { result, at } = draw({ u: [0.5], v: [0.5], colorOf: [0] });
    assert.deepEqual(result, { drawn: 1, highlighted: 0 });
    assert.deepEqual(at(10, 10), [...RED, 255]);
    assert.deepEqual(at(9, 9), [...RED, 255]);
    assert.equal(at(2, 2)[3], 0);
    const edge = at(11, 8); // its centre (11.5, 8.5) is 2.1 px from (10, 10): partly covered
    assert.ok(edge[3] > 60 && edge[3] < 200, `edge alpha ${edge[3]}`);
  });
  it('later points cover earlier ones; scales with the device pixel ratio', () => {
    const { at } = draw({ u: [0.5, 0.5], v: [0.5, 0.5], colorOf: [0, 1], dpr: 2 });
    assert.deepEqual(at(20, 20), [...BLUE, 255]);
    assert.deepEqual(at(17, 20), [...BLUE, 255], 'radius 2 CSS px = 4 device px');
  });
  it('dims the points outside the highlight and draws the highlighted ones on top', () => {
    const { result, at } = draw({ u: [0.5, 0.5], v: [0.5, 0.5], colorOf: [1, 0], highlight: [1, 0], dimAlpha: 0.2 });
    assert.deepEqual(result, { drawn: 2, highlighted: 1 });
    assert.deepEqual(at(10, 10), [...BLUE, 255], 'point 0 is highlighted: on top although drawn first');
    const alone = draw({ u: [0.2], v: [0.2], colorOf: [0], highlight: [0], dimAlpha: 0.2 }).at(4, 4);
    assert.deepEqual(alone.slice(0, 3), RED);
    assert.equal(alone[3], 51);
  });
  it('composites a dimmed point over a drawn one ("over")', () => {
    const { at } = draw({ u: [0.5, 0.5], v: [0.5, 0.5], colorOf: [1, 0], highlight: [1, 0], dimAlpha: 0.5 });
    assert.deepEqual(at(10, 10), [...BLUE, 255], 'highlighted on top stays opaque blue');
    const under = draw({ u: [0.5, 0.5], v: [0.5, 0.5], colorOf: [0, 1], highlight: [0, 0], dimAlpha: 0.5 }).at(10, 10);
    // red at 0.5, then blue at 0.5 over it: alpha 0.75, blue 2/3 of the colour
    assert.ok(Math.abs(under[3] - 191) <= 1, String(under)); // 8-bit rounding of the first layer
    assert.ok(Math.abs(under[2] - (200 * 0.5) / 0.75) <= 1 && Math.abs(under[0] - (200 * 0.25) / 0.75) <= 1, String(under));
  });
  it('skips points outside the buffer and NaN points, clips those at the edge', () => {
    const { result, at } = draw({ u: [0, 2, NaN, 0.5], v: [0, 0.5, 0.5, 0.5], colorOf: [0, 0, 0, 1], zoom: { scale: 2, tx: -10, ty: -10 } });
    assert.equal(result.drawn, 1);
    assert.deepEqual(at(10, 10), [...BLUE, 255], 'point 3 at (0.5, 0.5) is at the view centre zoomed 2x about the corner');
  });
});
