import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTruncator, labelStep, LINE_HEIGHT, truncate, visibleLabels, widestLabel } from '../src/lib/labels.js';

const monospace = (text) => Array.from(text).length * 6; // 6 px per character

describe('labelStep', () => {
  it('labels every cell when a line fits', () => {
    assert.equal(LINE_HEIGHT, 1.25);
    assert.equal(labelStep(20, 11), 1);
    assert.equal(labelStep(13.75, 11), 1);
  });
  it('uses the smallest power of two that leaves a line height', () => {
    assert.equal(labelStep(10, 11), 2);
    assert.equal(labelStep(4, 11), 4);
    assert.equal(labelStep(0.4, 11), 64);
  });
  it('is Infinity for empty cells', () => {
    assert.equal(labelStep(0, 11), Infinity);
  });
});

describe('visibleLabels', () => {
  it('never puts two labels closer than a line', () => {
    for (const cellPx of [0.3, 1, 2.5, 7, 13, 40]) {
      const { step, indices } = visibleLabels({ cellPx, fontPx: 11, count: 1000, start: 0, end: 999 });
      for (let i = 1; i < indices.length; i++) assert.ok((indices[i] - indices[i - 1]) * cellPx >= 11 * 1.25);
      assert.ok(step === 1 || (step / 2) * cellPx < 11 * 1.25, 'smallest step that fits');
    }
  });
  it('labels multiples of the step inside the visible range, so they stay put while panning', () => {
    assert.deepEqual(visibleLabels({ cellPx: 5, fontPx: 11, count: 37, start: 5, end: 20 }), { step: 4, indices: [8, 12, 16, 20] });
    assert.deepEqual(visibleLabels({ cellPx: 5, fontPx: 11, count: 37, start: 30, end: 40 }).indices, [32, 36]);
    assert.deepEqual(visibleLabels({ cellPx: 30, fontPx: 11, count: 37, start: 0, end: 3 }).indices, [0, 1, 2, 3]);
  });
  it('gives nothing when cells have no size', () => {
    assert.deepEqual(visibleLabels({ cellPx: 0, fontPx: 11, count: 3, start: 0, end: 2 }).indices, []);
  });
});

describe('truncate', () => {
  it('keeps names that fit', () => {
    assert.equal(truncate('pug', 18, monospace), 'pug');
  });
  it('shortens with an ellipsis to the width', () => {
    const short = truncate('staffordshire_bull_terrier', 60, monospace);
    assert.equal(short, 'staffords…');
    assert.ok(monospace(short) <= 60);
  });
  it('drops trailing spaces before the ellipsis', () => {
    assert.equal(truncate('Bengal cat here', 48, monospace), 'Bengal…');
  });
  it('is empty when not even the ellipsis fits', () => {
    assert.equal(truncate('Persian', 4, monospace), '');
  });
  it('never splits a surrogate pair', () => {
    assert.equal(truncate('🐱🐶🐱🐶', 18, monospace), '🐱🐶…');
  });
  it('works with a proportional measure', () => {
    const measure = (t) => [...t].reduce((w, ch) => w + (ch === 'W' ? 12 : 5), 0);
    const short = truncate('WWWWiiii', 40, measure);
    assert.ok(measure(short) <= 40 && short.endsWith('…'));
    assert.equal(short, 'WW…'); // 'WWW…' is 41 px
  });
  it('createTruncator caches results', () => {
    let calls = 0;
    const t = createTruncator((text) => {
      calls += 1;
      return monospace(text);
    });
    assert.equal(t('american_pit_bull_terrier', 60), 'american_…');
    const first = calls;
    assert.equal(t('american_pit_bull_terrier', 60), 'american_…');
    assert.equal(calls, first);
    assert.equal(t('american_pit_bull_terrier', 30), 'amer…');
  });
});

describe('widestLabel', () => {
  const names = ['cat', 'hippopotamus', 'ox', 'dog'];
  it('measures every name up to the limit', () => {
    const measured = [];
    const measure = (text) => (measured.push(text), monospace(text));
    assert.deepEqual(widestLabel(names, measure), { width: 72, exact: true });
    assert.deepEqual(measured, names);
    assert.deepEqual(widestLabel([], measure), { width: 0, exact: true });
  });
  it('above the limit measures only the widest by estimate, and says so', () => {
    const measured = [];
    const measure = (text) => (measured.push(text), monospace(text));
    assert.deepEqual(widestLabel(names, measure, 1), { width: 72, exact: false });
    assert.deepEqual(measured.filter((text) => text.length > 1), ['hippopotamus'], 'one name measured whole');
  });
  it('is a lower bound when shaping makes the estimate wrong', () => {
    const kerned = (text) => monospace(text) - (text.includes('AV') ? 10 : 0); // "AV" kerned tight
    const tricky = ['AVAVAV', 'abcde'];
    assert.deepEqual(widestLabel(tricky, kerned, 1), { width: 26, exact: false });
    assert.deepEqual(widestLabel(tricky, kerned), { width: 30, exact: true });
  });
});
