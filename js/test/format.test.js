import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatCell,
  formatCompactCount,
  formatCount,
  formatDecade,
  formatItemLoss,
  formatLoss,
  formatLr,
  formatMetric,
  formatPercent,
  formatScore,
  formatTick,
  MISSING,
} from '../src/lib/format.js';

describe('counts', () => {
  it('formatCount adds thousands separators', () => {
    assert.equal(formatCount(0), '0');
    assert.equal(formatCount(37), '37');
    assert.equal(formatCount(1482), '1,482');
    assert.equal(formatCount(50000), '50,000');
    assert.equal(formatCount(1234567), '1,234,567');
    assert.equal(formatCount(-1500), '-1,500');
  });
  it('formatCompactCount uses three significant digits and K / M / B', () => {
    assert.equal(formatCompactCount(683072), '683K');
    assert.equal(formatCompactCount(529000), '529K');
    assert.equal(formatCompactCount(20586240), '20.6M');
    assert.equal(formatCompactCount(1234), '1.23K');
    assert.equal(formatCompactCount(1000), '1K');
    assert.equal(formatCompactCount(999999), '1M');
    assert.equal(formatCompactCount(950), '950');
    assert.equal(formatCompactCount(3.5e9), '3.5B');
    assert.equal(formatCompactCount(NaN), '?');
  });
});

describe('formatPercent', () => {
  it('one decimal, two below 1 %', () => {
    assert.equal(formatPercent(0.0734), '7.3%');
    assert.equal(formatPercent(0.031), '3.1%');
    assert.equal(formatPercent(0.5), '50.0%');
    assert.equal(formatPercent(0.0042), '0.42%');
    assert.equal(formatPercent(0.001), '0.10%');
    assert.equal(formatPercent(0.0099), '0.99%');
    assert.equal(formatPercent(0.01), '1.0%');
    assert.equal(formatPercent(0.9994), '99.9%');
  });
  it('one rule at both ends: what rounds to 0 % or 100 % reads "0%" / "100%"', () => {
    assert.equal(formatPercent(0), '0%');
    assert.equal(formatPercent(0.00004), '0%');
    assert.equal(formatPercent(0.00005), '0.01%');
    assert.equal(formatPercent(1), '100%');
    assert.equal(formatPercent(0.99999), '100%');
    assert.equal(formatPercent(0.9995), '100%');
  });
  it('not a number: the missing-value dash', () => {
    assert.equal(formatPercent(NaN), MISSING);
    assert.equal(formatPercent(undefined), MISSING);
  });
});

describe('losses, rates, metrics', () => {
  it('formatItemLoss: two decimals', () => {
    assert.equal(formatItemLoss(4.1234), '4.12');
    assert.equal(formatItemLoss(0), '0.00');
    assert.equal(formatItemLoss(0.005), '0.01');
    assert.equal(formatItemLoss(NaN), MISSING);
    assert.equal(formatItemLoss(Infinity), '∞');
    assert.equal(formatItemLoss(undefined), MISSING);
  });
  it('formatLoss', () => {
    assert.equal(formatLoss(0.234567), '0.2346');
    assert.equal(formatLoss(1.5), '1.500');
    assert.equal(formatLoss(12.3456), '12.35');
    assert.equal(formatLoss(0.0000123), '1.23e-5');
    assert.equal(formatLoss(123456), '1.23e5');
    assert.equal(formatLoss(0), '0');
    assert.equal(formatLoss(Infinity), 'Infinity');
  });
  it('formatMetric: four significant digits, no trailing zeros', () => {
    assert.equal(formatMetric(0.0641234), '0.06412');
    assert.equal(formatMetric(1.5), '1.5');
  });
  it('formatLr', () => {
    assert.equal(formatLr(3e-3), '3.0e-3');
    assert.equal(formatLr(0.0012345), '1.2e-3');
    assert.equal(formatLr(10), '1.0e1');
    assert.equal(formatLr(1), '1.0e0');
    assert.equal(formatLr(0), '0');
    assert.equal(formatLr(NaN), 'NaN');
  });
});

describe('axis ticks and cells', () => {
  it('formatDecade labels powers of ten only', () => {
    assert.equal(formatDecade(1e-5), '1e-5');
    assert.equal(formatDecade(1), '1e0');
    assert.equal(formatDecade(100), '1e2');
    assert.equal(formatDecade(2e-5), null);
    assert.equal(formatDecade(0), null);
  });
  it('formatTick uses the decimals of the step', () => {
    assert.equal(formatTick(0.4, 0.2), '0.4');
    assert.equal(formatTick(0.0015, 0.0005), '0.0015');
    assert.equal(formatTick(20, 10), '20');
    assert.equal(formatTick(-1e-17, 0.1), '0.0');
  });
  it('formatCell writes counts (normalize null) as integers and shares with two decimals', () => {
    assert.equal(formatCell(12, null), '12');
    assert.equal(formatCell(2 / 7, 'true'), '0.29');
    assert.equal(formatCell(1, 'pred'), '1.00');
  });
});

describe('scores', () => {
  it('formatScore prints two decimals as Python / scikit-learn do, exact ties to even', () => {
    // Expected strings from Python: f"{x:.2f}".
    const python = [
      [0.125, '0.12'], [0.375, '0.38'], [0.625, '0.62'], [0.875, '0.88'], [-0.125, '-0.12'],
      [3 / 40, '0.07'], [0.07500000298023224, '0.08'], [0.345, '0.34'], [69 / 200, '0.34'],
      [1 / 3, '0.33'], [2 / 3, '0.67'], [0.005, '0.01'], [0, '0.00'], [1, '1.00'],
    ];
    for (const [x, text] of python) assert.equal(formatScore(x), text, `${x}`);
  });
  it('formatScore shows MISSING for what is not a finite number', () => {
    for (const x of [NaN, Infinity, undefined, null, '0.5']) assert.equal(formatScore(x), MISSING);
  });
});
