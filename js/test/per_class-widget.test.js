/**
 * Wiring of the per-class widget through the model stand-in and a DOM (happy-dom): traits in,
 * clicks and keys out, the highlighted row, the notice, errors, and the scrolled window.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { scopeModel } from '../src/lib/scope.js';
import { createModel } from '../src/lib/model.js';
import { mountPerClass, NO_METRICS_MESSAGE } from '../src/per_class/view.js';
import { ROW_PX, VISIBLE_ROWS } from '../src/per_class/styles.js';
import widget, { createModel as exportedCreateModel } from '../src/widgets/per_class.js';
import { dispatch, installDom } from '../test-support/dom.js';
import { perClassTraits, wire } from '../test-support/per_class.js';

const EVIL = '<img src=x onerror=alert(1)>';
const VOCAB = ['a', 'b', 'c', EVIL];
// f1 (as in per_class.test.js): a 0.67, b 0.80, c 0.67, d 0.67; support 3, 2, 4, 1.
const TARGETS = [0, 0, 0, 1, 1, 2, 2, 2, 2, 3];
const DECODED = [0, 0, 1, 1, 1, 2, 2, 0, 3, 3];

let dom;
let host;
beforeEach(() => {
  dom = installDom();
  host = document.createElement('div');
});
afterEach(() => dom.uninstall());

function mount(state = perClassTraits(VOCAB, TARGETS, DECODED)) {
  const model = createModel(state);
  const saves = [];
  model.save_changes = () => saves.push(['sort', 'descending', 'filter_actual', 'filter_predicted', 'selection'].map((name) => model.get(name)));
  widget.initialize({ model });
  const cleanup = widget.render({ model, el: host });
  const root = host.children[0];
  return { model, saves, cleanup, root };
}

/** The rendered class rows, top to bottom, as [class index, cell texts]. */
function rows(root) {
  return [...root.querySelectorAll('.petlens-pc-classrow')]
    .sort((a, b) => Number(a.dataset.position) - Number(b.dataset.position))
    .map((row) => [Number(row.dataset.class), [...row.children].map((cell) => cell.textContent)]);
}

const header = (root, label) => [...root.querySelectorAll('[role=columnheader] button')].find((b) => b.textContent.startsWith(label));
const rowOf = (root, c) => root.querySelector(`.petlens-pc-classrow[data-class="${c}"]`);
const highlighted = (root) => [...root.querySelectorAll('.petlens-pc-active')].map((row) => Number(row.dataset.class));

describe('per-class widget', () => {
  it('exports createModel for the offline report', () => {
    assert.equal(exportedCreateModel, createModel);
  });

  it('shows each class with its scores as scikit-learn prints them, worst F1 first, and the summary rows', () => {
    const { root } = mount();
    // No label issues in these traits: a dash in their column.
    assert.deepEqual(rows(root), [
      [0, ['a', '0.67', '0.67', '0.67', '3', '—']],
      [2, ['c', '1.00', '0.50', '0.67', '4', '—']],
      [3, [EVIL, '0.50', '1.00', '0.67', '1', '—']],
      [1, ['b', '0.67', '1.00', '0.80', '2', '—']],
    ]);
    const summary = [...root.querySelectorAll('.petlens-pc-sumrow')].map((row) => [...row.children].map((cell) => cell.textContent));
    assert.deepEqual(summary, [
      ['accuracy', '', '', '0.70', '10', ''],
      ['macro avg', '0.71', '0.79', '0.70', '10', ''],
      ['weighted avg', '0.78', '0.70', '0.69', '10', ''],
    ]);
    assert.equal(root.querySelector('.petlens-pc-caption').textContent, '4 classes · sorted by F1, lowest first');
    // Bars as long as the scores; the class name is text, never HTML.
    assert.equal(rowOf(root, 2).querySelector('.petlens-pc-precision .petlens-pc-fill').style.width, '100.0%');
    assert.equal(rowOf(root, 3).querySelector('.petlens-pc-name').textContent, EVIL);
    assert.equal(root.querySelector('img'), null);
  });

  it('sorts by a clicked header, flips on a second click, and writes sort / descending', () => {
    const { root, model, saves } = mount();
    dispatch(header(root, 'Support'), 'click');
    assert.deepEqual(saves.at(-1).slice(0, 2), ['support', false]);
    dom.flushFrames();
    assert.deepEqual(rows(root).map(([c]) => c), [3, 1, 0, 2]);
    assert.equal(header(root, 'Support').parentElement.getAttribute('aria-sort'), 'ascending');
    dispatch(header(root, 'Support'), 'click');
    assert.equal(model.get('descending'), true);
    dom.flushFrames();
    assert.deepEqual(rows(root).map(([c]) => c), [2, 0, 1, 3]);
    assert.equal(header(root, 'Support').parentElement.getAttribute('aria-sort'), 'descending');
    assert.equal(header(root, 'F1').parentElement.getAttribute('aria-sort'), 'none');
    dispatch(header(root, 'Class'), 'click');
    dom.flushFrames();
    assert.deepEqual([model.get('sort'), model.get('descending')], ['name', false]);
    assert.deepEqual(rows(root).map(([c]) => c), [3, 0, 1, 2]); // '<' sorts before letters
  });

  it('follows sort / descending set from Python, reading unknown values as f1 / ascending', () => {
    const { root, model } = mount();
    model.set('sort', 'recall');
    model.set('descending', true);
    dom.flushFrames();
    assert.deepEqual(rows(root).map(([c]) => c), [1, 3, 0, 2]);
    model.set('sort', 'loss');
    model.set('descending', 'yes');
    dom.flushFrames();
    assert.deepEqual(rows(root).map(([c]) => c), [0, 2, 3, 1]);
    assert.equal(root.querySelector('.petlens-pc-caption').textContent, '4 classes · sorted by F1, lowest first');
  });

  it('a row click filters the linked views on its class; clicking it again clears the filter', () => {
    const { root, model, saves } = mount(perClassTraits(VOCAB, TARGETS, DECODED, { filter_predicted: 1, selection: [0, 1] }));
    dispatch(rowOf(root, 2).querySelector('.petlens-pc-recall'), 'click');
    assert.deepEqual(saves, [['f1', false, 2, null, null]]);
    dom.flushFrames();
    assert.deepEqual(highlighted(root), [2]);
    assert.equal(rowOf(root, 2).getAttribute('aria-selected'), 'true');
    dispatch(rowOf(root, 2), 'click');
    assert.equal(model.get('filter_actual'), null);
    dom.flushFrames();
    assert.deepEqual(highlighted(root), []);
  });

  it('Enter or Space on a focused row picks it; arrows move the focus; Escape clears the filter', () => {
    const { root, model, saves } = mount();
    document.body.appendChild(host);
    rowOf(root, 0).focus();
    dispatch(rowOf(root, 0), 'keydown', { key: 'ArrowDown' });
    assert.equal(document.activeElement, rowOf(root, 2));
    dispatch(rowOf(root, 2), 'keydown', { key: 'Enter' });
    assert.equal(model.get('filter_actual'), 2);
    dom.flushFrames();
    assert.equal(document.activeElement, rowOf(root, 2), 'the re-rendered row keeps the focus');
    dispatch(rowOf(root, 2), 'keydown', { key: 'End' });
    dispatch(document.activeElement, 'keydown', { key: ' ' });
    assert.equal(model.get('filter_actual'), 1);
    dispatch(document.activeElement, 'keydown', { key: 'Escape' });
    assert.equal(model.get('filter_actual'), null);
    assert.equal(saves.length, 3);
    host.remove();
  });

  it('highlights the class of filter_actual when another view sets it, and ignores invalid values', () => {
    const { root, model } = mount();
    model.set('filter_actual', 1);
    dom.flushFrames();
    assert.deepEqual(highlighted(root), [1]);
    model.set('filter_actual', 7);
    dom.flushFrames();
    assert.deepEqual(highlighted(root), []);
  });

  it('renders only the rows in view at 1000 classes, and scrolls the filtered class into view', () => {
    const C = 1000;
    const vocab = Array.from({ length: C }, (_, i) => `class_${String(i).padStart(4, '0')}`);
    const targets = Array.from({ length: 20 * C }, (_, i) => i % C);
    const decoded = targets.map((t, i) => (i % 7 === 0 ? (t + 1) % C : t));
    const start = performance.now();
    const { root, model } = mount(perClassTraits(vocab, targets, decoded, { sort: 'name' }));
    const elapsed = performance.now() - start;
    assert.ok(elapsed < 200, `first render took ${elapsed.toFixed(0)} ms`); // < 50 ms in Chromium (tests/test_browser_per_class.py)
    const shown = rows(root);
    assert.ok(shown.length > VISIBLE_ROWS && shown.length < 40, `${shown.length} rows in the DOM`);
    assert.equal(root.querySelector('.petlens-pc-spacer').style.height, `${C * ROW_PX}px`);
    const body = root.querySelector('.petlens-pc-body');
    model.set('filter_actual', 500);
    dom.flushFrames();
    assert.deepEqual(highlighted(root), [500]);
    assert.equal(body.scrollTop, 500 * ROW_PX + ROW_PX - VISIBLE_ROWS * ROW_PX);
    body.scrollTop = 0;
    dispatch(body, 'scroll');
    assert.equal(rows(root)[0][0], 0, 'rows follow the scroll at once');
  });

  it('shows the notice as text in place of the table, and the built-in one while there are no metrics', () => {
    const { root, model } = mount(perClassTraits(VOCAB, TARGETS, DECODED, { notice: `No predictions: ${EVIL}` }));
    const notice = root.querySelector('.petlens-notice');
    assert.equal(notice.hidden, false);
    assert.equal(notice.textContent, `No predictions: ${EVIL}`);
    assert.equal(root.querySelector('.petlens-pc-content').hidden, true);
    model.set('notice', '');
    model.set('f1', {});
    dom.flushFrames();
    assert.equal(notice.textContent, NO_METRICS_MESSAGE);
    model.set('f1', perClassTraits(VOCAB, TARGETS, DECODED).f1);
    dom.flushFrames();
    assert.equal(notice.hidden, true);
    assert.equal(root.querySelector('.petlens-pc-content').hidden, false);
    assert.equal(rows(root).length, 4);
  });

  it('shows an error naming the malformed trait instead of the table', () => {
    const { root, model } = mount(perClassTraits(VOCAB, TARGETS, DECODED, { support: wire('int32', [1, 2]) }));
    const message = root.querySelector('.petlens-error');
    assert.equal(message.hidden, false);
    assert.equal(message.textContent, 'Cannot show the per-class metrics: support has shape [2] but vocab has 4 classes (expected [4])');
    assert.equal(root.querySelector('.petlens-pc-content').hidden, true);
    model.set('support', wire('int32', [3, 2, 4, 1]));
    dom.flushFrames();
    assert.equal(message.hidden, true);
    assert.equal(rows(root).length, 4);
  });

  it('works on a dashboard scope: prefixed traits, shared filters', () => {
    const own = perClassTraits(VOCAB, TARGETS, DECODED);
    const state = { vocab: own.vocab, filter_actual: null, filter_predicted: 3, selection: [1, 2] };
    for (const [name, value] of Object.entries(own)) if (!(name in state)) state[`pc_${name}`] = value;
    const model = createModel(state);
    const cleanup = mountPerClass(scopeModel(model, 'pc_', ['vocab', 'selection', 'filter_actual', 'filter_predicted']), host);
    const root = host.children[0];
    dispatch(rowOf(root, 1), 'click');
    assert.deepEqual([model.get('filter_actual'), model.get('filter_predicted'), model.get('selection')], [1, null, null]);
    dispatch(header(root, 'Recall'), 'click');
    assert.equal(model.get('pc_sort'), 'recall');
    cleanup();
    assert.equal(host.children.length, 0);
    model.set('filter_actual', 2); // no listener left
    assert.equal(dom.pendingFrames(), 0);
  });
});
