import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildGrid,
  frameOn,
  insidePolygon,
  MARGIN,
  nearestPoint,
  pointRadius,
  pointsInPolygon,
  pointsInRect,
  scatterLimits,
  toScreen,
  toUnit,
  unitCoords,
} from '../src/lib/scatter-geometry.js';
import { pan, zoomAt } from '../src/lib/zoom.js';

/** A seeded cloud of n points in [0, w] x [0, h]. */
function cloud(n, w = 10, h = 4, seed = 7) {
  let s = seed;
  const random = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const xy = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    xy[2 * i] = random() * w;
    xy[2 * i + 1] = random() * h;
  }
  return xy;
}

describe('unitCoords', () => {
  it('fits the larger extent in the margins, centres the smaller, y up, keeps the aspect', () => {
    const { u, v } = unitCoords(Float32Array.from([0, 0, 10, 0, 10, 4, 5, 2]));
    const close = (a, b) => assert.ok(Math.abs(a - b) < 1e-6, `${a} != ${b}`);
    close(u[0], MARGIN);
    close(u[1], 1 - MARGIN);
    close(u[3], 0.5);
    close(v[3], 0.5);
    close(v[0] - v[2], (4 / 10) * (1 - 2 * MARGIN)); // y = 0 is below y = 4
    assert.ok(v[0] > v[2]);
  });
  it('gives NaN to non-finite points and survives a single point', () => {
    const { u, v } = unitCoords(Float32Array.from([NaN, 1, 2, 3, 2, Infinity]));
    assert.ok(Number.isNaN(u[0]) && Number.isNaN(v[2]));
    assert.deepEqual([u[1], v[1]], [0.5, 0.5]);
  });
});

describe('screen <-> unit', () => {
  it('round trips through zoom and pan states of lib/zoom.js', () => {
    const limits = scatterLimits(500);
    const zoom = pan(zoomAt({ scale: 1, tx: 0, ty: 0 }, 3, 120, 300, limits), -40, 25, limits);
    const [x, y] = toScreen(zoom, 500, 0.3, 0.7);
    const [u, v] = toUnit(zoom, 500, x, y);
    assert.ok(Math.abs(u - 0.3) < 1e-12 && Math.abs(v - 0.7) < 1e-12);
    assert.deepEqual(toScreen({ scale: 1, tx: 0, ty: 0 }, 500, 1, 0.5), [500, 250]);
  });
  it('zoom limits: whole scatter to 64 times', () => {
    assert.deepEqual(scatterLimits(300), { minScale: 1, maxScale: 64, width: 300, height: 300 });
  });
});

describe('nearestPoint', () => {
  it('equals a brute-force search, radius respected, ties to the lower index', () => {
    const { u, v } = unitCoords(cloud(3000));
    const grid = buildGrid(u, v);
    let s = 3;
    const random = () => ((s = (s * 48271) % 2147483647) / 2147483647);
    for (let q = 0; q < 200; q++) {
      const [pu, pv, radius] = [random(), random(), 0.002 + random() * 0.03];
      let best = -1;
      let bestD = radius * radius;
      for (let i = 0; i < u.length; i++) {
        const d = (u[i] - pu) ** 2 + (v[i] - pv) ** 2;
        if (d < bestD || (d === bestD && best >= 0 && i < best)) {
          best = i;
          bestD = d;
        }
      }
      assert.equal(nearestPoint(grid, u, v, pu, pv, radius), best);
    }
  });
  it('searches only the accepted points when asked', () => {
    const u = Float32Array.from([0.5, 0.52]);
    const v = Float32Array.from([0.5, 0.5]);
    const grid = buildGrid(u, v);
    assert.equal(nearestPoint(grid, u, v, 0.5, 0.5, 0.1), 0);
    assert.equal(nearestPoint(grid, u, v, 0.5, 0.5, 0.1, (i) => i === 1), 1);
    assert.equal(nearestPoint(grid, u, v, 0.9, 0.9, 0.1), -1);
  });
  it('leaves NaN points out of the grid', () => {
    const u = Float32Array.from([NaN, 0.2]);
    const v = Float32Array.from([0.1, 0.2]);
    const grid = buildGrid(u, v);
    assert.equal(grid.items.length, 1);
  });
});

describe('box and lasso', () => {
  const u = Float32Array.from([0.1, 0.2, 0.3, 0.5, 0.9, NaN]);
  const v = Float32Array.from([0.1, 0.2, 0.3, 0.5, 0.9, 0.5]);
  it('pointsInRect takes the corners in any order', () => {
    assert.deepEqual(pointsInRect(u, v, 0.15, 0.15, 0.6, 0.6), [1, 2, 3]);
    assert.deepEqual(pointsInRect(u, v, 0.6, 0.6, 0.15, 0.15), [1, 2, 3]);
    assert.deepEqual(pointsInRect(u, v, 0.6, 0.1, 0.7, 0.2), []);
  });
  it('insidePolygon: even-odd rule on a concave polygon', () => {
    const c = [[0, 0], [4, 0], [4, 4], [3, 4], [3, 1], [1, 1], [1, 4], [0, 4]]; // a "U"
    assert.equal(insidePolygon(c, 0.5, 3), true);
    assert.equal(insidePolygon(c, 2, 3), false, 'inside the U\'s gap');
    assert.equal(insidePolygon(c, 2, 0.5), true);
    assert.equal(insidePolygon(c, 5, 1), false);
  });
  it('pointsInPolygon equals the box for a rectangle, and needs three vertices', () => {
    const square = [[0.15, 0.15], [0.6, 0.15], [0.6, 0.6], [0.15, 0.6]];
    assert.deepEqual(pointsInPolygon(u, v, square), [1, 2, 3]);
    assert.deepEqual(pointsInPolygon(u, v, square.slice(0, 2)), []);
    const triangle = [[0, 0], [1, 0], [0, 1]]; // below the anti-diagonal
    assert.deepEqual(pointsInPolygon(u, v, triangle), [0, 1, 2]);
  });
});

describe('pointRadius', () => {
  it('shrinks with more points, grows with zoom, capped', () => {
    assert.ok(pointRadius(40, 1) > pointRadius(5000, 1));
    assert.ok(pointRadius(5000, 1) > pointRadius(50000, 1));
    assert.ok(pointRadius(50000, 8) > pointRadius(50000, 1));
    assert.equal(pointRadius(40, 64), 7);
  });
});

describe('frameOn', () => {
  const u = Float32Array.from([0.1, 0.3, 0.2, 0.9, NaN]);
  const v = Float32Array.from([0.5, 0.6, 0.4, 0.9, 0.1]);
  it('centres the marked points and fills 80 % of the side with their larger extent', () => {
    const state = frameOn(u, v, Uint8Array.from([1, 1, 1, 0, 1]), 100);
    assert.ok(Math.abs(state.scale - 0.8 / 0.2) < 1e-6);
    const [x, y] = toScreen(state, 100, 0.2, 0.5); // the box's centre
    assert.ok(Math.abs(x - 50) < 1e-4 && Math.abs(y - 50) < 1e-4);
    const [x0] = toScreen(state, 100, u[0], v[0]);
    assert.ok(Math.abs(x0 - 10) < 1e-4, 'the box spans 10..90 px');
  });
  it('a single point: the deepest zoom; nothing marked: null; never below scale 1', () => {
    assert.equal(frameOn(u, v, Uint8Array.from([0, 0, 0, 1, 0]), 100, { maxScale: 64 }).scale, 64);
    assert.equal(frameOn(u, v, new Uint8Array(5), 100), null);
    assert.ok(Math.abs(frameOn(u, v, null, 100).scale - 1) < 1e-6, 'every point: 0.8 / 0.8');
    assert.equal(frameOn(Float32Array.from([0, 1]), Float32Array.from([0, 1]), null, 100).scale, 1, 'never below 1');
  });
});
