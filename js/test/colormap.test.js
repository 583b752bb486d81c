import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BLUES,
  contrastText,
  FROZEN_GREY,
  LUT_SIZE,
  lutFromStops,
  lutIndex,
  lutRgb,
  normalizer,
  VIRIDIS,
} from '../src/lib/colormap.js';

describe('lookup tables', () => {
  it('have 256 RGB entries', () => {
    assert.equal(LUT_SIZE, 256);
    assert.equal(VIRIDIS.length, 768);
    assert.equal(BLUES.length, 768);
  });
  // Expected colours from matplotlib 3.x: colormaps[name](i), rounded to bytes.
  it('viridis matches matplotlib', () => {
    assert.deepEqual(lutRgb(VIRIDIS, 0), [68, 1, 84]);
    assert.deepEqual(lutRgb(VIRIDIS, 0.5), [33, 145, 140]);
    assert.deepEqual(lutRgb(VIRIDIS, 1), [253, 231, 37]);
  });
  it('Blues matches matplotlib (fastai confusion matrix)', () => {
    assert.deepEqual(lutRgb(BLUES, 0), [247, 251, 255]);
    assert.deepEqual(lutRgb(BLUES, 26 / 256), [227, 238, 248]);
    assert.deepEqual(lutRgb(BLUES, 76 / 256), [183, 212, 234]);
    assert.deepEqual(lutRgb(BLUES, 196 / 256), [29, 108, 177]);
    assert.deepEqual(lutRgb(BLUES, 1), [8, 48, 107]);
  });
  it('viridis gets lighter monotonically (perceptual ordering)', () => {
    const lightness = (i) => 0.2126 * VIRIDIS[i * 3] + 0.7152 * VIRIDIS[i * 3 + 1] + 0.0722 * VIRIDIS[i * 3 + 2];
    for (let i = 1; i < 256; i++) assert.ok(lightness(i) >= lightness(i - 1) - 0.5, `entry ${i}`);
  });
  it('lutFromStops interpolates between evenly spaced stops', () => {
    const lut = lutFromStops(['000000', 'ff0000', 'ffffff']);
    assert.deepEqual([...lut.slice(0, 3)], [0, 0, 0]);
    assert.deepEqual([...lut.slice(255 * 3)], [255, 255, 255]);
    assert.equal(lut[128 * 3], 255);
    assert.equal(lut[64 * 3], Math.round((64 / 255) * 2 * 255));
  });
  it('lutIndex clamps like matplotlib and sends NaN to 0', () => {
    assert.equal(lutIndex(-1), 0);
    assert.equal(lutIndex(NaN), 0);
    assert.equal(lutIndex(0.5), 128);
    assert.equal(lutIndex(1), 255);
    assert.equal(lutIndex(7), 255);
  });
});

describe('colour helpers', () => {
  it('frozen grey is a fixed neutral grey', () => {
    assert.deepEqual([...FROZEN_GREY], [189, 189, 189]);
    assert.ok(Object.isFrozen(FROZEN_GREY));
  });
  it('contrastText picks readable text', () => {
    assert.equal(contrastText(lutRgb(BLUES, 0)), '#000');
    assert.equal(contrastText(lutRgb(BLUES, 1)), '#fff');
    assert.equal(contrastText(lutRgb(VIRIDIS, 0)), '#fff');
    assert.equal(contrastText(lutRgb(VIRIDIS, 1)), '#000');
  });
});

describe('normalizer', () => {
  it('linear maps [0, max] to [0, 1]', () => {
    const norm = normalizer([0, 5, 10, 2]);
    assert.equal(norm.max, 10);
    assert.equal(norm(5), 0.5);
    assert.equal(norm(10), 1);
    assert.equal(norm(0), 0);
    assert.equal(norm(-3), 0);
    assert.equal(norm(NaN), 0);
    assert.equal(norm(20), 1);
  });
  it('log uses log1p for counts', () => {
    const norm = normalizer(Int32Array.from([0, 1, 9, 99]), { scale: 'log' });
    assert.equal(norm(99), 1);
    assert.equal(norm(9), Math.log1p(9) / Math.log1p(99));
    assert.equal(norm(0), 0);
  });
  it('log gives fractions the contrast of counts', () => {
    const counts = normalizer([1, 3, 30], { scale: 'log' });
    const fractions = normalizer([0.01, 0.03, 0.3], { scale: 'log' });
    assert.ok(Math.abs(fractions(0.03) - counts(3)) < 1e-12);
  });
  it('exclude skips indices when finding the extent', () => {
    const norm = normalizer([50, 4, 2, 50], { exclude: (i) => i % 3 === 0 });
    assert.equal(norm.max, 4);
    assert.equal(norm(2), 0.5);
  });
  it('all-zero input maps to 0; unknown scale throws', () => {
    assert.equal(normalizer([0, 0])(0), 0);
    assert.equal(normalizer([])(3), 0);
    assert.throws(() => normalizer([1], { scale: 'sqrt' }), /unknown colour scale "sqrt"/);
  });
});
