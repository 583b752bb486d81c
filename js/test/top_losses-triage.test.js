/**
 * Triage in the top-loss browser through the model stand-in and happy-dom: label-issue badges,
 * the label-quality sort and the issues-only filter, the embedding selection, and the fix queue
 * (keys on a focused card, the relabel picker at 1000 classes, kernel requests and their errors,
 * the offline page's decisions in localStorage).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { createModel } from '../src/lib/model.js';
import { RESPONSE_TYPE } from '../src/lib/requests.js';
import { mountTopLosses } from '../src/top_losses/view.js';
import { dispatch, findAll, installDom } from '../test-support/dom.js';

const EVIL = '<img src=x onerror=alert(1)>';
const N = 40;
const wire = (array, dtype) => ({ dtype, shape: [array.length], buffer: new DataView(array.buffer) });

/** N items of C classes; item i has actual i % C, loss falling with i, every 4th flagged, quality rising with i. */
function traits(C = 12, overrides = {}) {
  const vocab = Array.from({ length: C }, (_, c) => (c === 1 ? EVIL : `class_${c}`));
  const targets = Int32Array.from({ length: N }, (_, i) => i % C);
  const decoded = Int32Array.from(targets, (t) => (t + 1) % C);
  const losses = Float32Array.from({ length: N }, (_, i) => (N - i) / 10);
  const quality = Float32Array.from({ length: N }, (_, i) => (i % 4 === 0 ? 0.01 : 0.5) + i / 1000);
  return {
    vocab,
    items: Array.from({ length: N }, (_, i) => (i === 2 ? `dir/${EVIL}.jpg` : `item_${i}.jpg`)),
    targets: wire(targets, 'int32'),
    decoded: wire(decoded, 'int32'),
    losses: wire(losses, 'float32'),
    prob_actual: wire(Float32Array.from(losses, (l) => Math.exp(-l)), 'float32'),
    prob_pred: wire(Float32Array.from(losses, () => 0.8), 'float32'),
    thumbs: [],
    selection: null,
    filter_actual: null,
    filter_predicted: null,
    sort: 'loss',
    page: 0,
    page_size: 12,
    selected_item: null,
    live: false,
    saliency_methods: [],
    label_quality: wire(quality, 'float32'),
    label_issue: wire(Uint8Array.from({ length: N }, (_, i) => (i % 4 === 0 ? 1 : 0)), 'uint8'),
    suggested_label: wire(decoded, 'int32'),
    label_issues_info: { available: true, reason: '', n_flagged: N / 4 },
    issues_only: false,
    item_selection: null,
    run_id: 'run-1',
    fixes: [],
    fixes_mode: 'kernel',
    fixes_error: '',
    ...overrides,
  };
}

function messageModel(state) {
  const model = createModel(state);
  const { on, off } = model;
  const handlers = new Set();
  model.on = (event, cb) => (event === 'msg:custom' ? handlers.add(cb) : on(event, cb));
  model.off = (event, cb) => (event === 'msg:custom' ? handlers.delete(cb) : off(event, cb));
  model.reply = (content) => [...handlers].forEach((cb) => cb(content, []));
  return model;
}

let dom;
let host;
let mounted = [];
beforeEach(() => {
  dom = installDom();
  host = document.createElement('div');
  document.body.appendChild(host); // attached: focus moves
  globalThis.localStorage = dom.window.localStorage;
  mock.method(URL, 'createObjectURL', () => 'blob:test/1');
  mock.method(URL, 'revokeObjectURL', () => {});
});
afterEach(() => {
  for (const cleanup of mounted) cleanup();
  mounted = [];
  host.remove();
  dom.window.localStorage.clear();
  delete globalThis.localStorage;
  mock.restoreAll();
  dom.uninstall();
});

const tick = () => new Promise((resolve) => setImmediate(resolve));

function mount(state) {
  const model = messageModel(state);
  model.save_changes = () => {};
  mounted.push(mountTopLosses(model, host));
  const root = host.lastElementChild;
  const cards = () => findAll(root.querySelector('.petlens-grid'), (e) => e.classList.contains('petlens-card'));
  const card = (i) => cards().find((c) => c.getAttribute('data-index') === String(i));
  const press = (target, key) => dispatch(target, 'keydown', { key });
  const refresh = () => dom.flushFrames();
  return { model, root, cards, card, press, refresh };
}

const indexOf = (c) => Number(c.getAttribute('data-index'));
const fixRequests = (model) => model.sent.map((s) => s.content).filter((c) => c.kind === 'fix');

describe('top-loss triage', () => {
  it('badges flagged items with cleanlab suggestion, sorts by label quality, filters to issues', () => {
    const { model, root, cards, refresh } = mount(traits());
    const badges = cards().filter((c) => c.querySelector('.petlens-issue-badge'));
    assert.deepEqual(badges.map(indexOf), [0, 4, 8]); // flagged on page 1 (largest loss first)
    const badge = badges[0].querySelector('.petlens-issue-badge');
    assert.equal(badge.textContent, 'label?');
    assert.equal(badge.title, `possible label issue: cleanlab suggests: ${EVIL} (label quality 0.01)`);
    assert.equal(root.querySelectorAll('img').length, 0, 'class names never become elements');
    model.set('sort', 'label_quality');
    refresh();
    assert.deepEqual(cards().slice(0, 4).map(indexOf), [0, 4, 8, 12]); // lowest quality first
    model.set('issues_only', true);
    refresh();
    assert.equal(cards().length, N / 4);
    assert.ok(cards().every((c) => indexOf(c) % 4 === 0));
  });

  it('says why there are no label issues and disables their sort and filter', () => {
    const reason = 'label issues need at least two classes and one validation item (found 1 classes, 40 items)';
    const { root } = mount(traits(12, { label_quality: { dtype: 'float32', shape: [0], b64: '' }, label_issues_info: { available: false, reason } }));
    const box = findAll(root, (e) => e.tagName === 'INPUT' && e.type === 'checkbox')[0];
    assert.equal(box.disabled, true);
    assert.match(box.parentNode.title, /not available: label issues need at least two classes/);
    const option = findAll(root, (e) => e.tagName === 'OPTION' && e.value === 'label_quality')[0];
    assert.equal(option.disabled, true);
  });

  it('lists only the items picked in the embedding, with a chip that clears them', () => {
    const { model, root, cards, refresh } = mount(traits(12, { item_selection: [5, 3, 39, 999] }));
    assert.deepEqual(cards().map(indexOf), [3, 5, 39]);
    const chip = root.querySelector('.petlens-picked-chip');
    assert.equal(chip.hidden, false);
    assert.equal(chip.textContent, '3 items selected in the embedding' + 'clear');
    chip.querySelector('button').click();
    refresh();
    assert.equal(model.get('item_selection'), null);
    assert.equal(cards().length, 12);
  });

  it('keys on a focused card send fix requests; the next card takes the focus; the answer is shown', async () => {
    const { model, root, card, press, refresh } = mount(traits());
    card(0).focus();
    press(card(0), 'k');
    press(document.activeElement, 'd');
    press(document.activeElement, 'u');
    refresh();
    assert.equal(document.activeElement, card(3), 'each decision moves to the next card');
    const sent = fixRequests(model);
    assert.deepEqual(sent.map((c) => [c.item, c.action, c.label]), [[0, 'keep', null], [1, 'delete', null], [2, 'unsure', null]]);
    assert.ok(card(1).querySelector('.petlens-decision.petlens-pending'), 'shown at once, as pending');
    // the kernel sets the trait, then answers
    const stored = [
      { item: 'item_0.jpg', action: 'keep', label: null, decided: '2026-01-01T00:00:00Z' },
      { item: 'item_1.jpg', action: 'delete', label: null, decided: '2026-01-01T00:00:01Z' },
      { item: `dir/${EVIL}.jpg`, action: 'unsure', label: null, decided: '2026-01-01T00:00:02Z' },
    ];
    model.set('fixes', stored);
    for (const c of sent) model.reply({ type: RESPONSE_TYPE, id: c.id, ok: true, fixes: stored });
    await tick();
    refresh();
    assert.equal(card(1).querySelector('.petlens-decision').textContent, 'delete');
    assert.equal(card(1).querySelector('.petlens-pending'), null);
    assert.equal(root.querySelector('.petlens-queue-summary').textContent, '3 decisions: 1 keep, 1 delete, 1 unsure');
    root.querySelector('.petlens-queue-toggle').click();
    const rows = findAll(root.querySelector('.petlens-queue-list'), (e) => e.tagName === 'LI');
    assert.equal(rows[2].querySelector('.petlens-queue-item').textContent, `dir/${EVIL}.jpg`);
    assert.equal(root.querySelectorAll('img').length, 0);
    // the queue survives a sort, a filter and a page change
    model.set('sort', 'confident_mistakes');
    model.set('filter_actual', 1);
    model.set('page', 1);
    refresh();
    assert.equal(root.querySelector('.petlens-queue-summary').textContent, '3 decisions: 1 keep, 1 delete, 1 unsure');
    // clear by key: a 'clear' request
    model.set('filter_actual', null);
    model.set('page', 0);
    refresh();
    card(1).focus();
    press(card(1), 'Backspace');
    assert.deepEqual(fixRequests(model).at(-1).action, 'clear');
  });

  it('a refused decision is undone and its error shown', async () => {
    const { model, root, card, press, refresh } = mount(traits());
    card(0).focus();
    press(card(0), 'k');
    const [request] = fixRequests(model);
    model.reply({ type: RESPONSE_TYPE, id: request.id, ok: false, error: 'PetLensError: decisions cannot be stored: this top-loss browser was not built from a run folder' });
    await tick();
    refresh();
    assert.equal(card(0).querySelector('.petlens-decision'), null);
    const error = root.querySelector('.petlens-queue-error');
    assert.equal(error.hidden, false);
    assert.match(error.textContent, /^Decision on item_0\.jpg not saved: PetLensError: decisions cannot be stored/);
  });

  it('r opens the picker at 1000 classes, suggestion first; typing filters, arrows and Enter pick', async () => {
    const { model, root, card, press, refresh } = mount(traits(1000));
    card(0).focus();
    press(card(0), 'r');
    const picker = root.querySelector('.petlens-picker');
    assert.equal(picker.hidden, false);
    const options = () => findAll(picker, (e) => e.getAttribute?.('role') === 'option');
    assert.equal(options().length, 40, 'at most 40 of 999 classes drawn');
    assert.equal(options()[0].getAttribute('data-class'), '1', 'cleanlab suggestion first');
    assert.ok(!options().some((o) => o.getAttribute('data-class') === '0'), 'not the current label');
    assert.match(picker.querySelector('.petlens-picker-more').textContent, /^959 more: type to narrow$/);
    const input = picker.querySelector('input');
    assert.equal(document.activeElement, input);
    input.value = 'class_99';
    dispatch(input, 'input');
    assert.deepEqual(options().map((o) => o.getAttribute('data-class')), ['99', '990', '991', '992', '993', '994', '995', '996', '997', '998', '999']);
    press(input, 'ArrowDown');
    press(input, 'ArrowDown');
    press(input, 'ArrowUp');
    press(input, 'Enter');
    assert.equal(picker.hidden, true);
    const [request] = fixRequests(model);
    assert.deepEqual([request.item, request.action, request.label], [0, 'relabel', 'class_990']);
    refresh();
    assert.equal(card(0).querySelector('.petlens-decision').textContent, 'relabel → class_990');
    // Escape cancels: no request, focus back on the card
    card(4).focus();
    press(card(4), 'r');
    press(picker.querySelector('input'), 'Escape');
    assert.equal(picker.hidden, true);
    assert.equal(fixRequests(model).length, 1);
    assert.equal(document.activeElement, card(4));
  });

  it('offline (the report) keeps decisions in the page and in localStorage under the run id', () => {
    const first = mount(traits(12, { fixes_mode: 'page' }));
    first.card(0).focus();
    first.press(first.card(0), 'd');
    first.press(document.activeElement, '0'); // clears item 1 (undecided): a tombstone only
    first.refresh();
    first.card(2).focus();
    first.press(first.card(2), 'k');
    first.refresh();
    assert.equal(fixRequests(first.model).length, 0, 'no kernel to ask');
    assert.deepEqual(first.model.get('fixes').map((d) => [d.item, d.action, d.by]), [['item_0.jpg', 'delete', 'report'], [`dir/${EVIL}.jpg`, 'keep', 'report']]);
    const stored = JSON.parse(dom.window.localStorage.getItem('petlens-fixes:run-1'));
    assert.equal(stored.run, 'run-1');
    assert.equal(stored.decisions.length, 2);
    // a reopened page (the same report) shows them again, clearing included
    first.card(0).focus();
    first.press(first.card(0), 'Backspace');
    for (const cleanup of mounted.splice(0)) cleanup();
    host.replaceChildren();
    const second = mount(traits(12, { fixes_mode: 'page', fixes: [{ item: 'item_0.jpg', action: 'delete', label: null, decided: '2020-01-01T00:00:00Z' }] }));
    assert.equal(second.root.querySelector('.petlens-queue-summary').textContent, '1 decision: 1 keep');
    // another run's page does not see them
    for (const cleanup of mounted.splice(0)) cleanup();
    host.replaceChildren();
    const other = mount(traits(12, { fixes_mode: 'page', run_id: 'run-2' }));
    assert.equal(other.root.querySelector('.petlens-queue-summary').textContent, 'No decisions yet');
  });
});
