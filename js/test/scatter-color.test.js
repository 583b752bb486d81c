import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CATEGORICAL } from '../src/lib/chart.js';
import {
  classPalette,
  colorPoints,
  CORRECT_RGB,
  oklab,
  orderByKey,
  PALETTE_SIZE,
  parseColor,
  RAMP_STEPS,
  rgbHex,
  shuffledOrder,
  WRONG_RGB,
} from '../src/lib/scatter-color.js';

const dist2 = (p, q) => (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 + (p[2] - q[2]) ** 2;

/** Glasbey's greedy palette, as the comment above PALETTE_HEX describes it. */
function glasbey(n) {
  const chosen = CATEGORICAL.filter((hex) => hex !== '#7f7f7f').map((hex) => parseColor(hex));
  const candidates = [];
  for (let r = 0; r < 256; r += 17) {
    for (let g = 0; g < 256; g += 17) {
      for (let b = 0; b < 256; b += 17) {
        const lab = oklab([r, g, b]);
        if (lab[0] >= 0.5 && lab[0] <= 0.85 && Math.hypot(lab[1], lab[2]) >= 0.08) candidates.push({ rgb: [r, g, b], lab });
      }
    }
  }
  const nearest = candidates.map((c) => Math.min(...chosen.map((rgb) => dist2(c.lab, oklab(rgb)))));
  while (chosen.length < n) {
    let best = 0;
    for (let i = 1; i < candidates.length; i++) if (nearest[i] > nearest[best]) best = i;
    chosen.push(candidates[best].rgb);
    candidates.forEach((c, i) => {
      nearest[i] = Math.min(nearest[i], dist2(c.lab, candidates[best].lab));
    });
  }
  return chosen;
}

function data(targets, decoded, losses = targets.map(() => 0), labelQuality = null, C = Math.max(...targets, ...decoded) + 1) {
  return {
    n: targets.length,
    C,
    vocab: Array.from({ length: C }, (_, c) => `class ${c}`),
    targets: Int32Array.from(targets),
    decoded: Int32Array.from(decoded),
    losses: Float32Array.from(losses),
    labelQuality: labelQuality && Float32Array.from(labelQuality),
  };
}

describe('class palette', () => {
  it('is tab10 up to 10 classes, then the stored Glasbey palette (recomputed here)', () => {
    assert.deepEqual(classPalette(10).map(rgbHex), CATEGORICAL);
    assert.deepEqual(classPalette(PALETTE_SIZE), glasbey(PALETTE_SIZE));
    assert.equal(classPalette(1000).length, PALETTE_SIZE);
  });
  it('its colours are distinct: every pair at least 0.07 apart in OKLab, none grey', () => {
    const labs = classPalette(PALETTE_SIZE).map(oklab);
    for (let i = 0; i < labs.length; i++) {
      assert.ok(Math.hypot(labs[i][1], labs[i][2]) >= 0.07, `colour ${i} is greyish`);
      for (let j = 0; j < i; j++) assert.ok(Math.sqrt(dist2(labs[i], labs[j])) >= 0.07, `colours ${j} and ${i}`);
    }
  });
});

describe('colorPoints', () => {
  it('actual / predicted: one colour per class, counts per class, a shuffled drawing order', () => {
    const d = data([0, 1, 1, 2, 2, 2], [0, 1, 2, 2, 2, 0]);
    const actual = colorPoints(d, 'actual');
    assert.deepEqual([...actual.colorOf], [0, 1, 1, 2, 2, 2]);
    assert.deepEqual(actual.legend.classes.map((c) => [c.name, c.count]), [['class 0', 1], ['class 1', 2], ['class 2', 3]]);
    assert.equal(actual.legend.repeats, false);
    assert.deepEqual([...actual.order].sort(), [0, 1, 2, 3, 4, 5]);
    const predicted = colorPoints(d, 'predicted');
    assert.deepEqual([...predicted.colorOf], [0, 1, 2, 2, 2, 0]);
    assert.deepEqual(predicted.legend.classes.map((c) => c.count), [2, 1, 3]);
  });
  it('1000 classes: colours repeat every PALETTE_SIZE classes, and the legend says so', () => {
    const targets = Array.from({ length: 2000 }, (_, i) => i % 1000);
    const { colorOf, palette, legend } = colorPoints(data(targets, targets), 'actual');
    assert.equal(palette.length, PALETTE_SIZE * 3);
    assert.equal(colorOf[999], 999 % PALETTE_SIZE);
    assert.equal(legend.classes.length, 1000);
    assert.equal(legend.repeats, true);
    assert.equal(legend.classes[PALETTE_SIZE + 3].color, legend.classes[3].color);
  });
  it('correct: two colours, the mistakes drawn last', () => {
    const { colorOf, order, palette, legend } = colorPoints(data([0, 1, 1, 2], [0, 0, 1, 1]), 'correct');
    assert.deepEqual([...colorOf], [0, 1, 0, 1]);
    assert.deepEqual([...order], [0, 2, 1, 3]);
    assert.deepEqual([...palette], [...CORRECT_RGB, ...WRONG_RGB]);
    assert.deepEqual(legend.entries.map((e) => [e.name, e.count]), [['correct', 2], ['wrong', 2]]);
  });
  it('loss: viridis by log1p, the highest drawn last; the legend runs from the lowest to the highest', () => {
    const losses = [0, Math.expm1(1), Math.expm1(2), 0.5];
    const { colorOf, order, legend } = colorPoints(data([0, 0, 0, 0], [0, 0, 0, 0], losses), 'loss');
    assert.deepEqual([colorOf[0], colorOf[1], colorOf[2]], [0, RAMP_STEPS / 2, RAMP_STEPS - 1]);
    assert.deepEqual([...order], [0, 3, 1, 2]);
    assert.equal(legend.kind, 'ramp');
    assert.ok(Math.abs(legend.from) < 1e-6 && Math.abs(legend.to - Math.expm1(2)) < 1e-5);
    assert.equal(legend.stops.length, 5);
  });
  it('label quality: low scores (suspect) at the bright end, drawn last; NaN at the low end', () => {
    const { colorOf, order, legend } = colorPoints(data([0, 0, 0, 0], [0, 0, 0, 0], undefined, [1, 0, 0.5, NaN]), 'label_quality');
    assert.deepEqual([...colorOf], [0, RAMP_STEPS - 1, RAMP_STEPS / 2, 0]);
    assert.deepEqual([...order].slice(-1), [1]);
    assert.deepEqual([legend.from, legend.to, legend.high], [1, 0, 'suspect']);
  });
  it('a constant value takes the low end', () => {
    const { colorOf } = colorPoints(data([0, 0], [0, 0], [2, 2]), 'loss');
    assert.deepEqual([...colorOf], [0, 0]);
  });
});

describe('orders and colours', () => {
  it('shuffledOrder is a fixed permutation', () => {
    const a = shuffledOrder(1000);
    assert.deepEqual(a, shuffledOrder(1000));
    assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 1000 }, (_, i) => i));
    assert.notDeepEqual([...a.slice(0, 10)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
  it('orderByKey is a stable counting sort', () => {
    assert.deepEqual([...orderByKey(Uint16Array.from([2, 0, 1, 0, 2]), 3)], [1, 3, 2, 0, 4]);
  });
  it('parseColor reads what canvases and CSS give', () => {
    assert.deepEqual(parseColor('#1f77b4'), [31, 119, 180]);
    assert.deepEqual(parseColor(' #FFF '), [255, 255, 255]);
    assert.deepEqual(parseColor('rgb(13, 17, 23)'), [13, 17, 23]);
    assert.deepEqual(parseColor('rgba(1 2 3 / 0.5)'), [1, 2, 3]);
    assert.equal(parseColor('var(--x)'), null);
    assert.equal(rgbHex([31, 119, 180]), '#1f77b4');
  });
});
