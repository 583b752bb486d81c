import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bracket,
  curveColor,
  curveLossRange,
  CURVE_COLORS,
  copyLine,
  curveTraining,
  hoverText,
  lossAt,
  lossAxisTitle,
  lossDomain,
  lrDomain,
  pickLr,
  pythonLr,
  readCurves,
  readEpochs,
  readLr,
  readSelectedCurve,
  readSliceRatio,
  roundSignificant,
  SLICE_RATIOS,
  SUGGESTION_STYLES,
  suggestionMarkers,
  suggestionRows,
  SUGGESTIONS,
} from '../src/lib/lr_find.js';
import { logScale } from '../src/lib/scale.js';

const close = (actual, expected, eps = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= eps * Math.max(1, Math.abs(expected)), `${actual} != ${expected}`);

function wireF32(values) {
  const data = Float32Array.from(values);
  return { dtype: 'float32', shape: [data.length], buffer: new DataView(data.buffer) };
}

/** 100 rates from 1e-7 to 10 (fastai's defaults) with a plateau, a dip and a divergence. */
function lrFindTrait(overrides = {}) {
  const n = 100;
  const lrs = Array.from({ length: n }, (_, i) => 1e-7 * 1e8 ** (i / (n - 1)));
  const raw = lrs.map((lr) => {
    const x = Math.log10(lr);
    return 2.6 - 1.7 / (1 + Math.exp(-(x + 4.5) * 2.2)) + (x > -2 ? 6 * (x + 2) ** 2 : 0);
  });
  let avg = 0;
  const losses = raw.map((v, i) => {
    avg = 0.98 * avg + 0.02 * v;
    return avg / (1 - 0.98 ** (i + 1));
  });
  return {
    label: 'lr_find #1 (frozen)',
    iter: 0,
    frozen_idx: 2,
    lrs: wireF32(lrs),
    losses: wireF32(losses),
    raw_losses: wireF32(raw),
    suggestions: { valley: 1e-3, slide: 2e-3, minimum: 4e-3, steep: 5e-5 },
    points: { valley: [1e-3, 1.0], slide: [2e-3, 0.95], minimum: [4e-2, 0.9], steep: [5e-5, null] },
    ...overrides,
  };
}

describe('readCurves', () => {
  it('decodes arrays and keeps suggestions and points', () => {
    const [curve] = readCurves([lrFindTrait()]);
    assert.equal(curve.label, 'lr_find #1 (frozen)');
    assert.equal(curve.frozenIdx, 2);
    assert.equal(curve.lrs.length, 100);
    assert.ok(curve.lrs instanceof Float32Array);
    assert.equal(curve.rawLosses.length, 100);
    assert.deepEqual(curve.suggestions, { valley: 1e-3, slide: 2e-3, minimum: 4e-3, steep: 5e-5 });
    assert.deepEqual(curve.points.steep, [5e-5, null]);
  });
  it('tolerates missing optional fields and bad suggestion values', () => {
    const [curve] = readCurves([
      lrFindTrait({ label: undefined, raw_losses: undefined, suggestions: { valley: null, slide: NaN, steep: -1 }, points: { valley: 'x' } }),
    ]);
    assert.equal(curve.label, 'lr_find #1');
    assert.equal(curve.rawLosses, null);
    assert.deepEqual(curve.suggestions, { valley: null, slide: null, minimum: null, steep: null });
    assert.equal(curve.points.valley, null);
  });
  it('drops raw losses of another length', () => {
    const [curve] = readCurves([lrFindTrait({ raw_losses: wireF32([1, 2]) })]);
    assert.equal(curve.rawLosses, null);
  });
  it('null / undefined is no curve; malformed input throws naming the curve', () => {
    assert.deepEqual(readCurves(null), []);
    assert.throws(() => readCurves({}), /curves must be a list/);
    assert.throws(() => readCurves([lrFindTrait({ losses: wireF32([1, 2, 3]) })]), /curve 0: 3 losses for 100 learning rates/);
    assert.throws(() => readCurves([lrFindTrait({ lrs: { dtype: 'float32', shape: [2, 2], buffer: new ArrayBuffer(16) } })]), /must be 1-d/);
  });
});

describe('selection traits', () => {
  it('readSelectedCurve falls back to the last curve', () => {
    assert.equal(readSelectedCurve(0, 2), 0);
    assert.equal(readSelectedCurve(5, 2), 1);
    assert.equal(readSelectedCurve(null, 2), 1);
    assert.equal(readSelectedCurve(1.5, 3), 2);
    assert.equal(readSelectedCurve(0, 0), -1);
  });
  it('readLr accepts positive finite numbers only', () => {
    assert.equal(readLr(2e-3), 2e-3);
    for (const bad of [null, undefined, 0, -1, NaN, Infinity, '1e-3']) assert.equal(readLr(bad), null);
  });
  it('readEpochs rounds to a count of at least 1; not a number is 1', () => {
    assert.equal(readEpochs(3), 3);
    assert.equal(readEpochs(0), 1);
    assert.equal(readEpochs(-2), 1);
    assert.equal(readEpochs(2.4), 2);
    assert.equal(readEpochs(undefined), 1);
    assert.equal(readEpochs('3'), 1);
  });
});

describe('ranges', () => {
  const curves = readCurves([lrFindTrait()]);
  it('x domain spans every rate, slightly padded', () => {
    const [lo, hi] = lrDomain(curves);
    assert.ok(lo < 1e-7 && lo > 0.5e-7, `${lo}`);
    assert.ok(hi > 10 && hi < 20, `${hi}`);
    assert.equal(lrDomain([]), null);
  });
  it('y range ignores the diverging tail: tops out at the starting plateau', () => {
    const losses = curves[0].losses;
    const [lo, hi] = curveLossRange(losses);
    const max = Math.max(...losses);
    assert.ok(max > 4, `the tail diverges far above (${max})`);
    assert.equal(hi, losses[0], 'the curve falls until its minimum: the top is its first loss');
    assert.equal(lo, Math.min(...losses));
  });
  it('y range handles NaN, a rising curve and no data', () => {
    assert.deepEqual(curveLossRange([NaN, 2, 1, NaN, 3]), [1, 2]);
    assert.deepEqual(curveLossRange([1, 2, 3, 4]), [1, 2], 'only rising: the first half');
    assert.equal(curveLossRange([NaN, NaN]), null);
    const earlyDip = [1, 3, 3.1, 3, 2.9, 2.8, 2.5, 2.2, 2, 1.8, 1.6, 1.5, 1.4, 1.3, 1.2, 1.1, 5, 6, 7, 8, 9];
    assert.deepEqual(curveLossRange(earlyDip), [1, 3.1], 'an early minimum does not collapse the range');
    assert.deepEqual(curveLossRange(Float32Array.from([5, 4, 3, 2, 1, 0.5, 9, 9, 9, 9, 9, -5])), [0.5, 5], 'last 5 skipped');
  });
  it('lossDomain pads the union of the curves', () => {
    const [a, b] = lossDomain([{ losses: [2, 1, 3] }, { losses: [4, 0, 1] }]);
    close(a, 0 - 0.2);
    close(b, 4 + 0.48);
    assert.equal(lossDomain([{ losses: [NaN] }]), null);
  });
});

describe('lossAt', () => {
  const lrs = [1e-4, 1e-3, 1e-2];
  const losses = [3, 1, NaN];
  it('brackets ascending rates', () => {
    assert.equal(bracket(lrs, 5e-5), -1);
    assert.equal(bracket(lrs, 1e-4), 0);
    assert.equal(bracket(lrs, 5e-4), 0);
    assert.equal(bracket(lrs, 1e-3), 1);
    assert.equal(bracket(lrs, 1e-2), 2);
    assert.equal(bracket(lrs, 1), 2);
    assert.equal(bracket([], 1), -1);
  });
  it('interpolates in log-lr space', () => {
    close(lossAt(lrs, losses, 10 ** -3.5), 2);
    close(lossAt(lrs, losses, 10 ** -3.75), 2.5);
    assert.equal(lossAt(lrs, losses, 1e-3), 1);
  });
  it('is NaN outside the rates and next to NaN', () => {
    assert.ok(Number.isNaN(lossAt(lrs, losses, 1e-5)));
    assert.ok(Number.isNaN(lossAt(lrs, losses, 0.1)));
    assert.ok(Number.isNaN(lossAt(lrs, losses, 3e-3)));
    assert.ok(Number.isNaN(lossAt(lrs, losses, 0)));
    assert.ok(Number.isNaN(lossAt(lrs, losses, 1e-2)));
    assert.equal(lossAt([1e-3], [2], 1e-3), 2);
  });
});

describe('pickLr', () => {
  const x = logScale([1e-6, 1], [0, 600], { clamp: true }); // 100 px per decade
  it('rounds the rate under the cursor to 2 significant digits', () => {
    assert.deepEqual(pickLr(300, x), { lr: 1e-3, snapped: null });
    assert.deepEqual(pickLr(332, x), { lr: 2.1e-3, snapped: null });
    assert.deepEqual(pickLr(-50, x), { lr: 1e-6, snapped: null }, 'clamped to the axis');
  });
  it('snaps to the nearest suggestion within 6 px', () => {
    const targets = [{ key: 'valley', lr: 1.23456e-3 }, { key: 'slide', lr: 1.4e-3 }];
    const valleyX = x.map(1.23456e-3);
    assert.deepEqual(pickLr(valleyX + 2, x, targets), { lr: 1.23456e-3, snapped: 'valley' });
    assert.deepEqual(pickLr(x.map(1.4e-3) - 1, x, targets), { lr: 1.4e-3, snapped: 'slide' });
    assert.equal(pickLr(valleyX - 30, x, targets).snapped, null);
  });
  it('roundSignificant', () => {
    assert.equal(roundSignificant(0.0021345), 0.0021);
    assert.equal(roundSignificant(0.000995), 0.001);
    assert.equal(roundSignificant(123456, 3), 123000);
  });
});

describe('copyable line', () => {
  it('formats the rate as a Python float with 2 significant digits', () => {
    assert.equal(pythonLr(0.0021345), '2.1e-3');
    assert.equal(pythonLr(1e-3), '1.0e-3');
    assert.equal(pythonLr(0.5), '5.0e-1');
    assert.equal(pythonLr(12), '1.2e1');
    for (const lr of [0.000995, 3.14159e-5, 0.0875]) assert.equal(Number(pythonLr(lr)), roundSignificant(lr), 'same rate as a click picks');
    assert.equal(Number(pythonLr(0.0021345)), 0.0021);
    for (const bad of [null, 0, -1, NaN, Infinity]) assert.equal(pythonLr(bad), null);
  });
  it('a curve recorded while frozen offers fine_tune with the epochs given', () => {
    const line = (epochs, lr) => copyLine({ epochs, lr, training: 'frozen' }).code;
    assert.equal(line(3, 0.0021345), 'learn.fine_tune(3, base_lr=2.1e-3)');
    assert.equal(line(7, 0.0021345), 'learn.fine_tune(7, base_lr=2.1e-3)');
    assert.equal(line(undefined, 1e-2), 'learn.fine_tune(1, base_lr=1.0e-2)');
    assert.deepEqual(copyLine({ epochs: 3, lr: null, training: 'frozen' }), { code: null, note: '' });
  });
  it('a curve recorded after unfreeze offers fit_one_cycle with a slice, lo = hi / ratio', () => {
    const pick = (ratio) => copyLine({ epochs: 12, lr: 1e-4, training: 'unfrozen', ratio });
    assert.equal(pick(100).code, 'learn.fit_one_cycle(12, lr_max=slice(1.0e-6, 1.0e-4))', "chapter 5's line");
    assert.equal(pick(10).code, 'learn.fit_one_cycle(12, lr_max=slice(1.0e-5, 1.0e-4))');
    assert.equal(pick('x').code, pick(SLICE_RATIOS[0]).code, 'an invalid ratio reads as the first offered');
    assert.equal(copyLine({ epochs: 2, lr: 0.0021345, training: 'unfrozen', ratio: 100 }).code, 'learn.fit_one_cycle(2, lr_max=slice(2.1e-5, 2.1e-3))');
    assert.match(pick(100).note, /after unfreeze/);
  });
  it('a running lr_find offers no line until it ends, and says so', () => {
    const { code, note } = copyLine({ epochs: 3, lr: 1e-3, training: 'frozen', running: true });
    assert.equal(code, null);
    assert.match(note, /still running/);
  });
  it('an unknown frozen state offers no line and says so, naming both calls', () => {
    const { code, note } = copyLine({ epochs: 3, lr: 1e-3, training: 'unknown', ratio: 100 });
    assert.equal(code, null);
    assert.match(note, /does not record whether the layer groups were frozen/);
    assert.match(note, /fine_tune\(3, base_lr=1\.0e-3\).*fit_one_cycle\(3, lr_max=slice\(lo, 1\.0e-3\)\)/);
  });
  it('a curve is frozen when frozen_idx > 0, unfrozen at 0, unknown without it', () => {
    const [frozen, unfrozen, unknown] = readCurves([lrFindTrait({ frozen_idx: 2 }), lrFindTrait({ frozen_idx: 0 }), lrFindTrait({ frozen_idx: undefined })]);
    assert.deepEqual([frozen, unfrozen, unknown, undefined].map(curveTraining), ['frozen', 'unfrozen', 'unknown', 'unknown']);
  });
  it('readSliceRatio: a number above 1 as is, anything else the first ratio offered', () => {
    assert.equal(readSliceRatio(100), 100);
    assert.equal(readSliceRatio(50), 50);
    for (const bad of [1, 0, -10, NaN, '100', null]) assert.equal(readSliceRatio(bad), SLICE_RATIOS[0]);
  });
  it('the loss axis title says when raw losses are drawn', () => {
    const [curve] = readCurves([lrFindTrait()]);
    assert.equal(lossAxisTitle(false, curve), 'Loss (smoothed)');
    assert.equal(lossAxisTitle(true, curve), 'Loss (smoothed; raw faint)');
    assert.equal(lossAxisTitle(true, { ...curve, rawLosses: null }), 'Loss (smoothed)', 'nothing raw to draw');
  });
});

describe('suggestions', () => {
  const [curve] = readCurves([lrFindTrait()]);
  it('markers sit at the suggested rates, on fastai points when they match', () => {
    const markers = suggestionMarkers(curve);
    assert.deepEqual(markers.map((m) => m.key), SUGGESTIONS);
    assert.deepEqual(markers[0], { key: 'valley', lr: 1e-3, loss: 1.0 });
    const minimum = markers[2];
    assert.equal(minimum.lr, 4e-3, 'minimum: the suggestion (a tenth of the point)');
    close(minimum.loss, lossAt(curve.lrs, curve.losses, 4e-3));
    close(markers[3].loss, lossAt(curve.lrs, curve.losses, 5e-5), 1e-6, 'no loss in the point: interpolated');
  });
  it('leaves out suggestions without a rate', () => {
    const [partial] = readCurves([lrFindTrait({ suggestions: { valley: 1e-3 }, points: {} })]);
    assert.deepEqual(suggestionMarkers(partial).map((m) => m.key), ['valley']);
  });
  it('list rows have every suggestion, explanation text and the formatted rate', () => {
    const rows = suggestionRows(curve, { valley: 'safe', steep: '<b>x</b>' });
    assert.deepEqual(rows.map((r) => r.key), ['valley', 'slide', 'minimum', 'steep']);
    assert.deepEqual(
      { label: rows[0].label, lrText: rows[0].lrText, text: rows[0].text, color: rows[0].color },
      { label: 'Valley', lrText: '1.0e-3', text: 'safe', color: SUGGESTION_STYLES.valley.color },
    );
    assert.equal(rows[1].text, '');
    assert.equal(rows[3].text, '<b>x</b>', 'kept as text; the view renders it with textContent');
    const none = suggestionRows(undefined, null);
    assert.ok(none.every((r) => r.lr === null && r.lrText === '—'));
  });
  it('marker and curve colours differ', () => {
    const markerColors = Object.values(SUGGESTION_STYLES).map((s) => s.color);
    assert.ok(CURVE_COLORS.every((c) => !markerColors.includes(c)));
    assert.equal(curveColor(CURVE_COLORS.length), CURVE_COLORS[0]);
  });
});

describe('hoverText', () => {
  it('reads the active curve at the rate', () => {
    const curve = { label: 'lr_find #2', lrs: [1e-4, 1e-3], losses: [3, 1] };
    assert.equal(hoverText(10 ** -3.5, curve), 'lr 3.2e-4 · loss 2.000 (lr_find #2)');
    assert.equal(hoverText(1, curve), 'lr 1.0e0 · loss — (lr_find #2)');
    assert.equal(hoverText(1e-3, undefined), 'lr 1.0e-3 · loss —');
  });
});
