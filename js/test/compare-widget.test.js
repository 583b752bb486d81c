/**
 * Wiring of the compare widget through the model stand-in and a DOM (happy-dom): a cell click
 * selects and filters the browser, a class row sets `selected_class`, change chips set
 * `change_filter`, the detail shows both runs, hostile names stay text, and the notices.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { readOrders } from '../src/lib/compare.js';
import { createModel } from '../src/lib/model.js';
import { NO_DATA_MESSAGE } from '../src/compare/view.js';
import widget, { createModel as exportedCreateModel } from '../src/widgets/compare.js';
import { dispatch, drawCalls, installDom, setWidth } from '../test-support/dom.js';
import { EVIL, largeTraits, SMALL_ITEMS, SMALL_ROWS, smallTraits } from '../test-support/compare.js';

let dom;
let host;
beforeEach(() => {
  dom = installDom();
  host = document.createElement('div');
});
afterEach(() => dom.uninstall());

function mount(state = smallTraits(), width = 1200) {
  const model = createModel(state);
  const saves = [];
  model.save_changes = () => saves.push(Object.fromEntries(['selection', 'selected_class', 'change_filter', 'page', 'selected_item', 'order', 'normalize'].map((n) => [n, model.get(n)])));
  widget.initialize({ model });
  const cleanup = widget.render({ model, el: host });
  const root = host.children[0];
  setWidth(root, width);
  setWidth(root.querySelector('.petlens-cmp-main'), width);
  for (const observer of dom.resizeObservers) observer.callback();
  dom.flushFrames();
  const cells = root.querySelector('.petlens-cells');
  const C = model.get('vocab').length;
  const order = readOrders(model.get('orders'))[model.get('order')];
  /** Clicks the cell of class indices (actual, predicted). */
  const clickCell = (actual, predicted) => {
    const side = parseFloat(cells.style.width);
    const cell = side / C;
    const at = { clientX: (order.indexOf(predicted) + 0.5) * cell, clientY: (order.indexOf(actual) + 0.5) * cell, button: 0, pointerId: 1 };
    dispatch(cells, 'pointerdown', at);
    dispatch(cells, 'pointerup', at);
  };
  return { model, saves, cleanup, root, clickCell };
}

/** Item indices of the cards shown, in order. */
const cardItems = (root) => [...root.querySelectorAll('.petlens-cmp-card')].map((card) => Number(card.dataset.index));
const chip = (root, change) => root.querySelector(`.petlens-cmp-chip[data-change="${change}"]`);

describe('compare widget', () => {
  it('exports createModel for the offline page', () => {
    assert.equal(exportedCreateModel, createModel);
  });

  it('shows the counts, the header diff with changed rows marked, and every item', () => {
    const { root } = mount();
    const tile = (kind) => root.querySelector(`.petlens-cmp-count[data-kind="${kind}"] .petlens-cmp-count-value`).textContent;
    assert.deepEqual(['fixed', 'broken', 'still_wrong', 'still_right', 'relabelled', 'only_a', 'only_b'].map(tile), ['5', '5', '6', '10', '4', '3', '1']);
    const rows = () => [...root.querySelectorAll('.petlens-cmp-diff tbody tr')];
    // What differs first; every field on demand.
    assert.deepEqual(rows().map((r) => r.dataset.field), ['architecture', 'parameters', EVIL]);
    assert.equal(root.querySelector('.petlens-cmp-headdiff-line').textContent, 'What differs: 3 of 4 fieldsShow all 4 fields');
    dispatch(root.querySelector('.petlens-cmp-headdiff-line button'), 'click');
    assert.deepEqual(rows().map((r) => r.classList.contains('petlens-cmp-changed')), [true, true, false, true]);
    assert.equal(rows()[3].children[0].textContent, EVIL);
    assert.equal(root.querySelector('.petlens-cmp-notices').hidden, true);
    assert.equal(root.dataset.items, '30');
    assert.equal(cardItems(root).length, 24, 'one page of 24');
    // Broken first.
    assert.deepEqual(cardItems(root).slice(0, 5).sort((a, b) => a - b), [15, 16, 17, 18, 19]);
  });

  it('a cell click selects it, filters the browser to the items of that cell in A or B, and a second click clears it', () => {
    const { root, saves, clickCell } = mount();
    clickCell(0, 2);
    assert.deepEqual(saves.at(-1).selection, [0, 2]);
    assert.equal(saves.at(-1).selected_class, null);
    dom.flushFrames();
    assert.deepEqual(cardItems(root).sort((a, b) => a - b), [10, 11, 15, 20, 27]);
    assert.match(root.querySelector('.petlens-cmp-filter-text').textContent, /^cell: abyssinian → bengal/);
    assert.equal(chip(root, 'fixed').querySelector('.petlens-cmp-value').textContent, '2');
    assert.equal(chip(root, 'relabelled').querySelector('.petlens-cmp-value').textContent, '1');
    clickCell(0, 2);
    assert.equal(saves.at(-1).selection, null);
    dom.flushFrames();
    assert.equal(cardItems(root).length, 24);
  });

  it('a per-class row sets selected_class (clearing the cell) and filters to that class in A or B', () => {
    const { root, model, saves } = mount(smallTraits({ selection: [0, 2] }));
    const row = root.querySelector('.petlens-cmp-classrow[data-class="3"]');
    assert.ok(row, 'the row of class 3 is rendered');
    dispatch(row.children[1], 'click');
    assert.equal(saves.at(-1).selected_class, 3);
    assert.equal(saves.at(-1).selection, null);
    dom.flushFrames();
    const expected = SMALL_ROWS.map((r, i) => (r[0] === 3 || r[2] === 3 ? i : -1)).filter((i) => i >= 0);
    assert.deepEqual(cardItems(root).sort((a, b) => a - b), expected);
    assert.ok(root.querySelector('.petlens-cmp-classrow[data-class="3"]').classList.contains('petlens-cmp-active'));
    assert.equal(model.get('selected_class'), 3);
    // The matrix tints that class's row and column: its labels are drawn bold.
    const labels = drawCalls(root.querySelector('.petlens-labels'));
    assert.ok(labels.length > 0);
  });

  it('change chips set change_filter and filter the cards; the count tiles do the same', () => {
    const { root, saves } = mount();
    dispatch(chip(root, 'broken'), 'click');
    assert.equal(saves.at(-1).change_filter, 'broken');
    assert.equal(saves.at(-1).page, 0);
    dom.flushFrames();
    assert.deepEqual(cardItems(root).sort((a, b) => a - b), [15, 16, 17, 18, 19]);
    assert.equal(chip(root, 'broken').getAttribute('aria-pressed'), 'true');
    assert.ok(cardItems(root).every((i) => root.querySelector(`.petlens-cmp-card[data-index="${i}"]`).dataset.change === 'broken'));
    dispatch(root.querySelector('.petlens-cmp-count[data-change="relabelled"]'), 'click');
    assert.equal(saves.at(-1).change_filter, 'relabelled');
    dom.flushFrames();
    assert.deepEqual(cardItems(root).sort((a, b) => a - b), [26, 27, 28, 29]);
    // A relabelled card says both labels.
    const card = root.querySelector('.petlens-cmp-card[data-index="27"]');
    assert.ok(card.textContent.includes('bengal → abyssinian'));
    dispatch(chip(root, 'all'), 'click');
    assert.equal(saves.at(-1).change_filter, 'all');
  });

  it('a card opens both runs side by side; arrows step; Escape closes', () => {
    const { root, model, saves } = mount(smallTraits({ change_filter: 'fixed' }));
    dispatch(root.querySelector('.petlens-cmp-card[data-index="12"]'), 'click');
    assert.equal(saves.at(-1).selected_item, 12);
    dom.flushFrames();
    const detail = root.querySelector('.petlens-cmp-detail');
    assert.equal(detail.hidden, false);
    const facts = (run) => [...detail.querySelectorAll(`[data-run="${run}"] dd`)].map((d) => d.textContent);
    assert.deepEqual(facts('a').slice(0, 2), ['beagle', 'pug (wrong)']);
    assert.deepEqual(facts('b').slice(0, 2), ['beagle', 'beagle (right)']);
    const position = model.get('selected_item');
    dispatch(detail, 'keydown', { key: 'ArrowRight' });
    assert.notEqual(model.get('selected_item'), position);
    dispatch(detail, 'keydown', { key: 'Escape' });
    assert.equal(saves.at(-1).selected_item, null);
  });

  it('hostile class, item and run names appear as text', () => {
    const { root } = mount(smallTraits({ change_filter: 'all', page_size: 30, selected_item: 7 }));
    dom.flushFrames();
    assert.equal(root.querySelector('img'), null);
    assert.ok(root.textContent.includes(`resnet34 ${EVIL}`));
    const card = root.querySelector('.petlens-cmp-card[data-index="7"]');
    assert.equal(card.querySelector('.petlens-cmp-name').textContent, `${EVIL}.jpg`);
    assert.equal(root.querySelector('.petlens-cmp-detail h4').textContent, SMALL_ITEMS[7]);
    const names = [...root.querySelectorAll('.petlens-cmp-classrow [role=rowheader]')].map((c) => c.textContent);
    assert.ok(names.includes(EVIL));
  });

  it('thumbnails come from bytes or base64 text, and only the shown cards\' are decoded', () => {
    const made = [];
    const saved = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
    URL.createObjectURL = (blob) => {
      made.push(blob.size);
      return `blob:thumb-${made.length}`;
    };
    URL.revokeObjectURL = () => {};
    try {
      const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xd9]);
      const thumbs = [
        { index: 15, jpeg: new DataView(jpeg.buffer) },
        { index: 16, jpeg: btoa(String.fromCharCode(...jpeg)) },
        { index: 0, jpeg: btoa('not shown on the broken page') },
        { index: 99, jpeg: 'out of range' },
        { index: 17, jpeg: '' },
      ];
      const { root } = mount(smallTraits({ thumbs, change_filter: 'broken' }));
      const src = (i) => root.querySelector(`.petlens-cmp-card[data-index="${i}"] img`)?.getAttribute('src');
      assert.match(src(15), /^blob:thumb-/);
      assert.match(src(16), /^blob:thumb-/);
      assert.equal(src(17), undefined, 'an empty payload shows the placeholder');
      assert.equal(root.querySelector('.petlens-cmp-card[data-index="17"] .petlens-placeholder-name').textContent, 'item_17.jpg');
      assert.deepEqual(made, [4, 4], 'item 0 (not on the page) was not decoded');
    } finally {
      URL.createObjectURL = saved.create;
      URL.revokeObjectURL = saved.revoke;
    }
  });

  it('an empty notice shows the views; a set one replaces them with its text', () => {
    const { root, model } = mount(smallTraits({ notice: '' }));
    const notice = root.querySelector('.petlens-notice');
    assert.equal(notice.hidden, true);
    assert.equal(root.querySelector('.petlens-cmp-content').hidden, false);
    model.set('notice', `No common items: ${EVIL}`);
    dom.flushFrames();
    assert.equal(notice.hidden, false);
    assert.equal(notice.textContent, `No common items: ${EVIL}`);
    assert.equal(root.querySelector('.petlens-cmp-content').hidden, true);
    model.set('notice', '');
    dom.flushFrames();
    assert.equal(notice.hidden, true);
    assert.equal(root.querySelector('.petlens-cmp-content').hidden, false);
  });

  it('notices list what is and is not compared', () => {
    const { root } = mount(smallTraits({ notices: ['3 items only in A.', EVIL, '  '] }));
    const items = [...root.querySelectorAll('.petlens-cmp-notices li')].map((li) => li.textContent);
    assert.deepEqual(items, ['3 items only in A.', EVIL]);
  });

  it('without counts and without a notice says so; malformed traits show an error naming them', () => {
    const missing = mount(smallTraits({ counts_a: {} }));
    assert.equal(missing.root.querySelector('.petlens-notice').textContent, NO_DATA_MESSAGE);
    missing.cleanup();
    const bad = mount(smallTraits({ pred_b: { dtype: 'int32', shape: [2], buffer: new DataView(new ArrayBuffer(8)) } }));
    assert.match(bad.root.querySelector('.petlens-error').textContent, /pred_b has shape \[2\]/);
  });

  it('the pager writes page and shows the rest of the items', () => {
    const { root, saves } = mount();
    const next = [...root.querySelectorAll('.petlens-cmp-pager button')].find((b) => b.textContent.startsWith('Next'));
    dispatch(next, 'click');
    assert.equal(saves.at(-1).page, 1);
    dom.flushFrames();
    assert.equal(cardItems(root).length, 6);
    assert.equal(root.querySelector('.petlens-cmp-status').firstChild.textContent, '25–30 of 30 items');
    assert.equal(next.disabled, true);
  });

  it('the per-class table sorts on a header click (view-local) and cycles the change column', () => {
    const { root } = mount();
    const order = () => [...root.querySelectorAll('.petlens-cmp-classrow')]
      .sort((a, b) => Number(a.dataset.position) - Number(b.dataset.position))
      .map((row) => row.querySelector('[role=rowheader]').textContent);
    const header = (label) => [...root.querySelectorAll('[role=columnheader] button')].find((b) => b.textContent === label);
    dispatch(header('Class'), 'click');
    assert.deepEqual(order(), [EVIL, 'abyssinian', 'beagle', 'bengal', 'pug']);
    dispatch(header('Change'), 'click'); // change, either way
    const caption = () => root.querySelector('.petlens-cmp-classes .petlens-cmp-hint').textContent;
    assert.match(caption(), /largest change of error first/);
    dispatch(header('Change'), 'click');
    assert.match(caption(), /error rose most first/);
    // pug's error rose most (33.3 % -> 57.1 %), beagle's did not change.
    assert.equal(order()[0], 'pug');
    dispatch(header('Change'), 'click');
    assert.match(caption(), /error fell most first/);
  });

  it('order and normalisation controls write their traits', () => {
    const { root, saves } = mount();
    const [normalize, order] = root.querySelectorAll('.petlens-cmp-matrix select');
    assert.equal(order.value, 'clustered');
    assert.deepEqual([...order.options].map((o) => o.textContent), ['Vocab', 'Clustered', 'Largest change']);
    normalize.value = '';
    dispatch(normalize, 'change');
    assert.equal(saves.at(-1).normalize, null);
    order.value = 'change';
    dispatch(order, 'change');
    assert.equal(saves.at(-1).order, 'change');
  });

  it('paints 37 classes with every label and the changed cells\' values', () => {
    const vocab = Array.from({ length: 37 }, (_, i) => `breed_${i}`);
    const rows = Array.from({ length: 600 }, (_, i) => {
      const actual = i % 37;
      const wrongA = i % 5 === 0;
      const wrongB = i % 7 === 0;
      return [actual, wrongA ? (actual + 1) % 37 : actual, actual, wrongB ? (actual + 2) % 37 : actual];
    });
    const traits = smallTraits();
    const { compareTraits } = awaitImport;
    const { root } = mount(compareTraits({ vocab, rows, overrides: { lr_finds: traits.lr_finds, timelines: traits.timelines } }), 1200);
    dom.flushFrames();
    assert.equal(root.dataset.rowLabels, '37');
    assert.equal(root.dataset.colLabels, '37');
    assert.equal(root.dataset.cellPx, '19.00');
    assert.ok(Number(root.dataset.changedCells) > 37);
  });

  it('at 1000 classes paints the overview and filters by cell', () => {
    const { root, saves, clickCell } = mount(largeTraits(1000, 20000), 1200);
    dom.flushFrames();
    assert.ok(Number(root.dataset.overviewPool) >= 1);
    clickCell(5, 6);
    assert.deepEqual(saves.at(-1).selection, [5, 6]);
    dom.flushFrames();
    assert.ok(Number(root.dataset.items) >= 1);
  });
});

const awaitImport = await import('../test-support/compare.js');
