/**
 * The overlapping classes cleanlab finds, beside the most-confused list: the logic
 * (lib/confusion-overlap.js), the zoom that shows both cells (lib/zoom.js showCells) and the list
 * in the confusion widget (happy-dom): short list, "N more", a click selects a cell and marks the
 * other direction, runs without label issues say why, names stay text.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  describeOverlap,
  describePair,
  isPairCell,
  pairCell,
  readOverlap,
  shortList,
  SHORT_LIST,
} from '../src/lib/confusion-overlap.js';
import { createModel } from '../src/lib/model.js';
import { scopeModel } from '../src/lib/scope.js';
import { reset, showCells, visibleRange, zoomAt, zoomLimits } from '../src/lib/zoom.js';
import widget from '../src/widgets/confusion.js';
import { mountConfusion } from '../src/confusion/view.js';
import { dispatch, findAll, installDom } from '../test-support/dom.js';
import { petsCounts, VOCAB, wireInt32 } from '../test-support/pets.js';

const EVIL = '<img src=x onerror=alert(1)>';
const C = VOCAB.length;
const INFO = { available: true, reason: '', approximate: false, top_k: null, n_pairs: 3 };
const at = (name) => VOCAB.indexOf(name);
const PIT = at('american_pit_bull_terrier');
const STAFF = at('staffordshire_bull_terrier');
// cleanlab's pairs: a < b, most overlapping first
const PAIRS = [
  { a: PIT, b: STAFF, joint: 0.012, examples: 9 },
  { a: at('Birman'), b: at('Ragdoll'), joint: 0.0068, examples: 5 },
  { a: at('basset_hound'), b: at('beagle'), joint: 0.001, examples: 1 },
];

describe('readOverlap', () => {
  it('keeps well-formed pairs in order and drops the others', () => {
    const bad = [{ a: 0, b: 0, joint: 0.1, examples: 1 }, { a: 0, b: C, joint: 0.1, examples: 1 }, { a: 0, b: 1, joint: 2, examples: 1 }, { a: 0, b: 1, joint: 0.1, examples: 1.5 }, null];
    const overlap = readOverlap([...PAIRS, ...bad], INFO, C);
    assert.equal(overlap.available, true);
    assert.deepEqual(overlap.pairs, PAIRS);
    assert.equal(overlap.dropped, bad.length);
  });

  it('says why a run has none', () => {
    const reason = `label issues need at least two classes and one validation item ${EVIL}`;
    const overlap = readOverlap(null, { available: false, reason }, C);
    assert.deepEqual([overlap.available, overlap.pairs], [false, []]);
    assert.equal(describeOverlap(overlap), `Not available: ${reason}`);
    assert.equal(describeOverlap(readOverlap(undefined, undefined, C)), 'Not available: not computed for this view');
    assert.equal(describeOverlap(readOverlap([], INFO, C)), 'cleanlab finds no overlapping pair.');
  });

  it('describes the list, approximate with top-k storage', () => {
    assert.equal(describeOverlap(readOverlap(PAIRS, INFO, C)), '3 pairs (overlapping items, joint probability), most overlapping first. Consider merging or checking these two classes.');
    assert.match(describeOverlap(readOverlap(PAIRS, { ...INFO, approximate: true, top_k: 10 }, C)), /Approximate: this run kept the 10 largest probabilities per item\.$/);
  });
});

describe('pairs', () => {
  it('a click selects the direction confused more often, a -> b on a tie', () => {
    const counts = new Int32Array(9);
    counts[0 * 3 + 2] = 1;
    counts[2 * 3 + 0] = 4;
    assert.deepEqual(pairCell({ C: 3, counts }, 0, 2), [2, 0]);
    assert.deepEqual(pairCell({ C: 3, counts }, 0, 1), [0, 1]);
    assert.ok(isPairCell([2, 0], 0, 2) && isPairCell([0, 2], 0, 2));
    assert.ok(!isPairCell([0, 1], 0, 2) && !isPairCell(null, 0, 2));
  });

  it('the tooltip names both classes as text, the overlap and both confusions', () => {
    const counts = petsCounts();
    const vocab = VOCAB.map((name, i) => (i === STAFF ? EVIL : name));
    assert.equal(
      describePair(vocab, PAIRS[0], { C, counts }),
      `american_pit_bull_terrier and ${EVIL}: cleanlab estimates 9 validation items overlapping (joint probability 1.2%).\n` +
        'Consider merging or checking these two classes.\n' +
        `Confused: american_pit_bull_terrier → ${EVIL} 9, ${EVIL} → american_pit_bull_terrier ${counts[STAFF * C + PIT]}. Click to select both cells.`,
    );
  });

  it('the short list holds ten, then "N more"', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ a: i, b: i + 1, joint: 0.01, examples: 1 }));
    assert.equal(SHORT_LIST, 10);
    assert.deepEqual([shortList(many, false).shown.length, shortList(many, false).more], [10, 15]);
    assert.deepEqual([shortList(many, true).shown.length, shortList(many, true).more], [25, 0]);
  });
});

describe('showCells', () => {
  const size = { width: 400, height: 400 };
  it('keeps the view when both cells are in it, else centres on them, zooming out until both fit', () => {
    const limits = zoomLimits(1000, size);
    const whole = reset();
    assert.deepEqual(showCells(whole, [[10, 900], [900, 10]], 1000, limits), whole);
    const deep = zoomAt(whole, 20, 0, 0, limits); // rows / columns 0..49 in view
    assert.equal(showCells(deep, [[3, 4], [4, 3]], 1000, limits), deep);
    const moved = showCells(deep, [[500, 503], [503, 500]], 1000, limits);
    assert.equal(moved.scale, deep.scale, 'near cells: panned, not zoomed');
    const range = visibleRange(moved, 1000, limits);
    for (const p of [500, 503]) assert.ok(p >= range.rowStart && p <= range.rowEnd && p >= range.colStart && p <= range.colEnd);
    const far = showCells(deep, [[100, 700], [700, 100]], 1000, limits);
    assert.ok(far.scale < deep.scale, 'far cells: zoomed out');
    const farRange = visibleRange(far, 1000, limits);
    for (const p of [100, 700]) assert.ok(p >= farRange.rowStart && p <= farRange.rowEnd && p >= farRange.colStart && p <= farRange.colEnd);
  });
});

describe('the overlapping classes in the confusion widget', () => {
  let dom;
  let host;
  beforeEach(() => {
    dom = installDom();
    host = document.createElement('div');
  });
  afterEach(() => dom.uninstall());

  function traits(overrides = {}) {
    const order = VOCAB.map((_, i) => i);
    return {
      vocab: VOCAB,
      counts: wireInt32(petsCounts(), [C, C]),
      orders: { alphabetical: order },
      order: 'alphabetical',
      normalize: null,
      color_scale: 'linear',
      hide_diagonal: false,
      min_val: 2,
      order_info: {},
      selection: null,
      filter_actual: null,
      filter_predicted: null,
      overlapping_pairs: PAIRS,
      label_issues_info: INFO,
      ...overrides,
    };
  }

  function mount(state = traits()) {
    const model = createModel(state);
    widget.initialize({ model });
    widget.render({ model, el: host });
    const root = host.children[0];
    const region = root.querySelector('.petlens-overlap');
    const buttons = () => [...region.querySelectorAll('.petlens-overlap-list button')];
    return { model, root, region, buttons };
  }

  it('lists each pair with its overlapping items and joint probability, after the most-confused list', () => {
    const { root, region, buttons } = mount();
    const side = root.querySelector('.petlens-side');
    const children = [...side.children];
    assert.ok(children.indexOf(region) === children.indexOf(side.querySelector('.petlens-confused')) + 1, 'right under the most-confused list');
    assert.equal(region.querySelector('h4').textContent, 'Overlapping classes (cleanlab)');
    assert.deepEqual(
      buttons().map((b) => [...b.children].map((c) => c.textContent)),
      [
        ['american_pit_bull_terrier ↔ staffordshire_bull_terrier', '9', '1.2%'],
        ['Birman ↔ Ragdoll', '5', '0.68%'],
        ['basset_hound ↔ beagle', '1', '0.10%'],
      ],
    );
    assert.match(region.querySelector('.petlens-overlap-summary').textContent, /Consider merging or checking these two classes/);
    assert.equal(region.querySelector('.petlens-overlap-more').hidden, true);
  });

  it('a click selects the cell confused more often and marks the other; again clears', () => {
    const { model, root, buttons } = mount();
    dispatch(buttons()[0], 'click');
    assert.deepEqual(model.get('selection'), [PIT, STAFF], 'pit bull -> staffordshire: 9 confusions');
    dom.flushFrames();
    assert.equal(root.dataset.mirror, `${STAFF},${PIT}`);
    assert.equal(buttons()[0].getAttribute('aria-pressed'), 'true');
    dispatch(buttons()[0], 'click');
    assert.equal(model.get('selection'), null);
    dom.flushFrames();
    assert.equal(root.dataset.mirror, '');
    // A most-confused pick of a cell that is no overlapping pair's: no mirror.
    model.set('selection', [0, 1]);
    dom.flushFrames();
    assert.equal(root.dataset.mirror, '');
  });

  it('tints the pairs holding the filtered classes, as the most-confused entries', () => {
    const { model, buttons } = mount();
    const tinted = () => buttons().map((b) => b.classList.contains('petlens-overlap-match'));
    assert.deepEqual(tinted(), [false, false, false]);
    model.set('filter_actual', STAFF);
    dom.flushFrames();
    assert.deepEqual(tinted(), [true, false, false]);
    model.set('filter_predicted', PIT);
    dom.flushFrames();
    assert.deepEqual(tinted(), [true, false, false]);
    model.set('filter_predicted', at('Birman'));
    dom.flushFrames();
    assert.deepEqual(tinted(), [false, false, false], 'both classes must be in the pair');
    model.set('filter_actual', null);
    dom.flushFrames();
    assert.deepEqual(tinted(), [false, true, false]);
  });

  it('keeps ten, and "N more" shows the rest', () => {
    const many = Array.from({ length: 24 }, (_, i) => ({ a: i, b: i + 1, joint: 0.001, examples: 1 }));
    const { region, buttons } = mount(traits({ overlapping_pairs: many }));
    assert.equal(buttons().length, 10);
    const more = region.querySelector('.petlens-overlap-more');
    assert.equal(more.textContent, '14 more');
    dispatch(more, 'click');
    assert.equal(buttons().length, 24);
    assert.equal(more.textContent, 'Show the first 10');
  });

  it('says why when the run has none; class names stay text', () => {
    const vocab = VOCAB.map((name, i) => (i === STAFF ? EVIL : name));
    const reason = `cleanlab could not compute them (ValueError: ${EVIL})`;
    const { model, region, buttons, root } = mount(traits({ vocab, overlapping_pairs: [], label_issues_info: { available: false, reason } }));
    assert.equal(buttons().length, 0);
    assert.equal(region.querySelector('.petlens-overlap-summary').textContent, `Not available: ${reason}`);
    model.set('overlapping_pairs', PAIRS);
    model.set('label_issues_info', INFO);
    assert.equal(buttons()[0].querySelector('.petlens-pair').textContent, `american_pit_bull_terrier ↔ ${EVIL}`);
    assert.equal(findAll(root, (e) => e.tagName === 'IMG').length, 0);
  });

  it('on a dashboard scope: prefixed pairs, the shared selection', () => {
    const own = traits();
    const state = { vocab: own.vocab, selection: null, filter_actual: null, filter_predicted: null };
    for (const [name, value] of Object.entries(own)) if (!(name in state)) state[`cm_${name}`] = value;
    const model = createModel(state);
    mountConfusion(scopeModel(model, 'cm_', ['vocab', 'selection', 'filter_actual', 'filter_predicted']), host);
    const button = host.querySelector('.petlens-overlap-list button');
    dispatch(button, 'click');
    assert.deepEqual(model.get('selection'), [PIT, STAFF]);
  });
});
