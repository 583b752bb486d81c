/**
 * The per-class table's label-issue column (cleanlab's flagged items per class): reading the
 * traits, the sort, the tooltip, the click that filters the top losses, and runs without them.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createModel } from '../src/lib/model.js';
import {
  describeIssues,
  describeSort,
  headerClickTraits,
  issueClickTraits,
  readIssues,
  readMetrics,
  sortOrder,
} from '../src/lib/per_class.js';
import { scopeModel } from '../src/lib/scope.js';
import { mountPerClass } from '../src/per_class/view.js';
import { dispatch, installDom } from '../test-support/dom.js';
import { perClassTraits, wire } from '../test-support/per_class.js';

const EVIL = '<img src=x onerror=alert(1)>';
const VOCAB = ['a', 'b', 'c', EVIL];
// support 3, 2, 4, 1 (as in per_class.test.js)
const TARGETS = [0, 0, 0, 1, 1, 2, 2, 2, 2, 3];
const DECODED = [0, 0, 1, 1, 1, 2, 2, 0, 3, 3];
const INFO = { available: true, reason: '', approximate: false, top_k: null, n_flagged: 4, n_items: 10, cleanlab: '2.7.1' };

function traits(overrides = {}) {
  return perClassTraits(VOCAB, TARGETS, DECODED, { class_issues: wire('int32', [1, 0, 2, 1]), label_issues_info: INFO, ...overrides });
}

describe('readIssues', () => {
  it('reads counts and their shares of each class', () => {
    const issues = readMetrics(traits()).issues;
    assert.equal(issues.available, true);
    assert.deepEqual(Array.from(issues.counts), [1, 0, 2, 1]);
    assert.deepEqual(Array.from(issues.shares), [1 / 3, 0, 0.5, 1]);
    assert.equal(issues.nFlagged, 4);
    assert.equal(issues.nItems, 10);
  });

  it('says why when the run has none, and never throws on malformed traits', () => {
    const support = [3, 2, 4, 1];
    const cases = [
      [null, { available: false, reason: 'label issues need at least two classes' }, 'label issues need at least two classes'],
      [undefined, undefined, 'not computed for this view'],
      [{}, { available: true }, 'cannot read them: '],
      [wire('int32', [1, 2]), INFO, 'cannot read them: class_issues has shape [2] but vocab has 4 classes'],
      [wire('int32', [1, 3, 0, 0]), INFO, "cannot read them: class_issues[1] = 3 is not a count within the class's 2 items"],
      [wire('int32', [-1, 0, 0, 0]), INFO, 'cannot read them: class_issues[0] = -1'],
    ];
    for (const [classIssues, info, reason] of cases) {
      const issues = readIssues(classIssues, info, support);
      assert.equal(issues.available, false);
      assert.ok(issues.reason.startsWith(reason), `${issues.reason} should start with ${reason}`);
      assert.equal(issues.counts, null);
    }
  });

  it('the tooltip says what the numbers are, exact, approximate with top-k storage, or why they are missing', () => {
    const exact = describeIssues(readIssues(wire('int32', [0, 0]), INFO, [1, 1]));
    assert.match(exact, /confident learning/);
    assert.match(exact, /out-of-sample validation predictions/);
    assert.match(exact, /Exact: every class probability was recorded/);
    const approximate = describeIssues(readIssues(wire('int32', [0, 0]), { ...INFO, approximate: true, top_k: 10 }, [1, 1]));
    assert.match(approximate, /Approximate: this run kept the 10 largest probabilities per item/);
    assert.match(approximate, /label quality and the per-class thresholds are exact/);
    const missing = describeIssues(readIssues(null, { available: false, reason: `cleanlab failed: ${EVIL}` }, [1, 1]));
    assert.match(missing, /Not available for this run: cleanlab failed: <img/);
  });
});

describe('sort by label issues', () => {
  it('orders by count, then share of the class, then class index; first click most first', () => {
    const m = readMetrics(traits({ class_issues: wire('int32', [1, 1, 2, 1]) }));
    // counts 1, 1, 2, 1; shares 1/3, 1/2, 1/2, 1: ascending a (1/3), b (1/2), d (1), then c (2)
    assert.deepEqual(sortOrder(m, 'issues', false), [0, 1, 3, 2]);
    assert.deepEqual(sortOrder(m, 'issues', true), [2, 3, 1, 0]);
    assert.deepEqual(headerClickTraits('f1', false, 'issues'), { sort: 'issues', descending: true });
    assert.deepEqual(headerClickTraits('issues', true, 'issues'), { sort: 'issues', descending: false });
    assert.deepEqual(headerClickTraits('issues', true, 'recall'), { sort: 'recall', descending: false });
    assert.equal(describeSort('issues', true), 'sorted by label issues, most first');
  });

  it('keeps the class order when the run has no label issues', () => {
    const m = readMetrics(perClassTraits(VOCAB, TARGETS, DECODED));
    assert.deepEqual(sortOrder(m, 'issues', true), [0, 1, 2, 3]);
  });
});

describe('a click on a label-issue count', () => {
  it('filters on the class, and sets issues_only where the model has it; again: both off', () => {
    assert.deepEqual(issueClickTraits(null, false, 2, true), { filter_actual: 2, filter_predicted: null, selection: null, issues_only: true });
    assert.deepEqual(issueClickTraits(2, true, 2, true), { filter_actual: null, issues_only: false });
    // the class filtered by a row click (issues_only still off): the count turns issues_only on
    assert.deepEqual(issueClickTraits(2, false, 2, true), { filter_actual: 2, filter_predicted: null, selection: null, issues_only: true });
    assert.deepEqual(issueClickTraits(null, undefined, 1, false), { filter_actual: 1, filter_predicted: null, selection: null });
    assert.deepEqual(issueClickTraits(1, undefined, 1, false), { filter_actual: null });
  });
});

describe('the label-issue column in the DOM', () => {
  let dom;
  let host;
  beforeEach(() => {
    dom = installDom();
    host = document.createElement('div');
  });
  afterEach(() => dom.uninstall());

  const cells = (root) =>
    Object.fromEntries([...root.querySelectorAll('.petlens-pc-classrow')].map((row) => [row.dataset.class, row.querySelector('.petlens-pc-issues').textContent]));
  const count = (root, c) => root.querySelector(`.petlens-pc-classrow[data-class="${c}"] button[data-issues]`);

  it('shows count and share, the total in the summary, and a header tooltip; names stay text', () => {
    const model = createModel(traits());
    mountPerClass(model, host);
    const root = host.children[0];
    assert.deepEqual(cells(root), { 0: '133.3%', 1: '0', 2: '250.0%', 3: '1100%' });
    assert.equal(count(root, 1), null, 'no button on a zero count');
    assert.equal(count(root, 3).title, `cleanlab flags 1 of the 1 items of ${EVIL} as possible label issues: click to list them in the top losses`);
    assert.equal(root.querySelector('img'), null);
    assert.equal(root.querySelector('.petlens-pc-sumrow .petlens-pc-issues').textContent, '440.0%');
    const headerTitle = root.querySelector('.petlens-pc-headrow .petlens-pc-issues button').title;
    assert.match(headerTitle, /cleanlab's confident learning/);
    assert.match(headerTitle, /Exact/);
    assert.equal(root.querySelector('.petlens-pc-caption').textContent, '4 classes · sorted by F1, lowest first · 4 possible label issues');
    assert.equal(root.querySelector('.petlens-pc-issues-note').hidden, true);
  });

  it('a count click writes the filter (not the row pick), and issues_only when the model has it', () => {
    const plain = createModel(traits());
    mountPerClass(plain, host);
    let root = host.children[0];
    dispatch(count(root, 2), 'click');
    assert.equal(plain.get('filter_actual'), 2);
    assert.equal(plain.get('issues_only'), undefined, 'no issues_only trait is made up');
    host.replaceChildren();
    const withFilter = createModel(traits({ issues_only: false, selection: [0, 1] }));
    mountPerClass(withFilter, host);
    root = host.children[0];
    dispatch(count(root, 2), 'click');
    assert.deepEqual([withFilter.get('filter_actual'), withFilter.get('issues_only'), withFilter.get('selection')], [2, true, null]);
    dom.flushFrames();
    dispatch(count(host.children[0], 2), 'click');
    assert.deepEqual([withFilter.get('filter_actual'), withFilter.get('issues_only')], [null, false]);
  });

  it('Enter on a focused count button is its own click, not the row pick', () => {
    const model = createModel(traits({ issues_only: false }));
    document.body.appendChild(host);
    mountPerClass(model, host);
    const button = count(host.children[0], 0);
    button.focus();
    dispatch(button, 'keydown', { key: 'Enter' });
    assert.equal(model.get('filter_actual'), null, 'the row keydown leaves it to the button');
    host.remove();
  });

  it('on a dashboard scope, sets the shared issues_only of the top losses', () => {
    const own = traits();
    const state = { vocab: own.vocab, filter_actual: null, filter_predicted: null, selection: null, issues_only: false };
    for (const [name, value] of Object.entries(own)) if (!(name in state)) state[`pc_${name}`] = value;
    const model = createModel(state);
    mountPerClass(scopeModel(model, 'pc_', ['vocab', 'selection', 'filter_actual', 'filter_predicted', 'issues_only']), host);
    dispatch(count(host.children[0], 0), 'click');
    assert.deepEqual([model.get('filter_actual'), model.get('issues_only')], [0, true]);
  });

  it('without label issues: a dash whose tooltip says why, and a note above the table', () => {
    const reason = `label issues need at least two classes ${EVIL}`;
    const model = createModel(traits({ class_issues: null, label_issues_info: { available: false, reason } }));
    mountPerClass(model, host);
    const root = host.children[0];
    assert.deepEqual(Object.values(cells(root)), ['—', '—', '—', '—']);
    assert.equal(root.querySelector('.petlens-pc-classrow .petlens-pc-issues').title, `Label issues not available: ${reason}`);
    const note = root.querySelector('.petlens-pc-issues-note');
    assert.equal(note.hidden, false);
    assert.equal(note.textContent, `Label issues (cleanlab): not available: ${reason}`);
    assert.equal(root.querySelector('img'), null);
    // They arrive later (a live refresh): the column fills in.
    model.set('class_issues', wire('int32', [1, 0, 2, 1]));
    model.set('label_issues_info', INFO);
    dom.flushFrames();
    assert.equal(cells(root)[2], '250.0%');
    assert.equal(note.hidden, true);
  });

  it('says so above the table when they are approximate (top-k storage)', () => {
    const model = createModel(traits({ label_issues_info: { ...INFO, approximate: true, top_k: 10 } }));
    mountPerClass(model, host);
    const note = host.children[0].querySelector('.petlens-pc-issues-note');
    assert.equal(note.hidden, false);
    assert.match(note.textContent, /approximate: this run kept the 10 largest probabilities per item/);
  });
});
