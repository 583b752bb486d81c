import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linearScale, logScale, logTicks, niceTicks, tickStep } from '../src/lib/scale.js';

const close = (actual, expected, eps = 1e-9) => assert.ok(Math.abs(actual - expected) <= eps * Math.max(1, Math.abs(expected)), `${actual} != ${expected}`);

describe('linearScale', () => {
  const s = linearScale([0, 10], [100, 300]);
  it('maps and inverts', () => {
    assert.equal(s.map(0), 100);
    assert.equal(s.map(2.5), 150);
    assert.equal(s.invert(300), 10);
    assert.equal(s.invert(s.map(7)), 7);
  });
  it('extrapolates unless clamped', () => {
    assert.equal(s.map(20), 500);
    const clamped = linearScale([0, 10], [100, 300], { clamp: true });
    assert.equal(clamped.map(20), 300);
    assert.equal(clamped.map(-5), 100);
    assert.equal(clamped.invert(0), 0);
  });
  it('supports reversed ranges (y axes) and a degenerate domain', () => {
    const y = linearScale([0, 1], [200, 0]);
    assert.equal(y.map(0.25), 150);
    assert.equal(y.invert(50), 0.75);
    assert.equal(linearScale([3, 3], [0, 10]).map(3), 5);
  });
  it('exposes domain and range', () => {
    assert.deepEqual(s.domain, [0, 10]);
    assert.deepEqual(s.range, [100, 300]);
  });
});

describe('logScale', () => {
  const s = logScale([1e-7, 10], [0, 800]);
  it('maps decades to equal distances and inverts', () => {
    assert.equal(s.map(1e-7), 0);
    close(s.map(1e-3), 400);
    close(s.map(10), 800);
    close(s.invert(400), 1e-3);
    close(s.invert(s.map(3e-4)), 3e-4);
  });
  it('clamps, including non-positive inputs', () => {
    const c = logScale([1e-7, 10], [0, 800], { clamp: true });
    assert.equal(c.map(100), 800);
    assert.equal(c.map(0), 0);
    close(c.invert(-50), 1e-7);
  });
  it('rejects a non-positive domain', () => {
    assert.throws(() => logScale([0, 1], [0, 1]), /must be positive/);
  });
});

describe('ticks', () => {
  it('tickStep picks 1, 2 or 5 times a power of ten', () => {
    assert.equal(tickStep(0, 10, 5), 2);
    assert.equal(tickStep(0, 1, 5), 0.2);
    assert.equal(tickStep(0, 100, 10), 10);
    assert.equal(tickStep(0, 7, 2), 5);
    assert.equal(tickStep(1, 1, 5), 0);
  });
  it('niceTicks are round and free of float noise', () => {
    assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(niceTicks(0.13, 0.61, 5), [0.2, 0.3, 0.4, 0.5, 0.6]);
    assert.deepEqual(niceTicks(-3.2, 7.9, 5), [-2, 0, 2, 4, 6]);
    assert.deepEqual(niceTicks(0, 2.5e-3, 5), [0, 0.0005, 0.001, 0.0015, 0.002, 0.0025]);
    assert.deepEqual(niceTicks(10, 0, 2), [0, 5, 10], 'reversed bounds');
    assert.deepEqual(niceTicks(4, 4), [4]);
    assert.deepEqual(niceTicks(0, Infinity), []);
  });
  it('logTicks: decades major, 2x and 5x minor, 1e-7 .. 10', () => {
    const { major, minor } = logTicks(1e-7, 10);
    assert.deepEqual(major, [1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10]);
    assert.equal(minor.length, 16);
    assert.deepEqual(minor.slice(0, 4), [2e-7, 5e-7, 2e-6, 5e-6]);
    assert.deepEqual(minor.slice(-2), [2, 5]);
  });
  it('logTicks keeps to the interval', () => {
    assert.deepEqual(logTicks(3e-4, 0.02), { major: [1e-3, 1e-2], minor: [5e-4, 2e-3, 5e-3, 2e-2] });
    assert.deepEqual(logTicks(0, 1), { major: [], minor: [] });
  });
});
