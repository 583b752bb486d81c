/** The saliency-quality panel and the top-loss trust badge through the model stand-in and a DOM. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createModel } from '../src/lib/model.js';
import { createTrustBadge } from '../src/top_losses/trust.js';
import widget from '../src/widgets/saliency_checks.js';
import { installDom } from '../test-support/dom.js';

const EVIL = '<img src=x onerror=alert(1)>';
const METHODS = [
  { method: 'gradcam', name: EVIL, state: 'done', verdict: 'fail', verdicts: { randomisation: 'fail', deletion: 'pass', insertion: 'pass', localisation: 'na' }, reasons: { randomisation: 'Spearman 0.91 after randomisation: the map barely changes' }, spearman: 0.91, ssim: 0.8, deletion_auc: 0.1, random_deletion_auc: 0.2, insertion_auc: 0.5, random_insertion_auc: 0.3 },
  { method: 'integrated_gradients', name: 'Integrated Gradients', state: 'pending' },
];

let dom;
let host;
beforeEach(() => {
  dom = installDom();
  host = document.createElement('div');
});
afterEach(() => dom.uninstall());

function mount(state) {
  const model = createModel({ status: 'complete', message: '', methods: [], checks: [], done: 0, total: 0, has_masks: false, ...state });
  widget.initialize({ model });
  const cleanup = widget.render({ model, el: host });
  return { model, cleanup, root: host.children[0] };
}

describe('saliency-quality widget', () => {
  it('shows one row per method with a chip per check, its numbers and its meaning on hover', () => {
    const { root } = mount({ methods: METHODS });
    const rows = [...root.querySelectorAll('tbody tr')];
    assert.deepEqual(rows.map((r) => r.dataset.method), ['gradcam', 'integrated_gradients']);
    assert.equal(rows[0].querySelector('th').textContent, EVIL); // text, never HTML
    assert.equal(root.querySelectorAll('img').length, 0);
    const cell = rows[0].querySelector('[data-check="randomisation"] .petlens-sc-cell');
    assert.equal(cell.querySelector('.petlens-verdict').textContent, 'fail');
    assert.ok(cell.querySelector('.petlens-verdict').classList.contains('petlens-verdict-fail'));
    assert.match(cell.title, /Spearman 0.91.*\nPasses when the map changes/);
    assert.equal(rows[1].querySelector('[data-check="deletion"] .petlens-sc-numbers').textContent, 'pending');
    assert.equal(rows[1].querySelector('[data-check="overall"] .petlens-verdict').textContent, 'n/a');
    const lines = [...root.querySelectorAll('.petlens-sc-meaning li')].map((li) => li.textContent);
    assert.equal(lines.length, 5);
    assert.match(lines[3], /No object masks/);
  });

  it('says when checks are off, pending or absent, and follows trait changes', () => {
    const { model, root, cleanup } = mount({ status: 'off', message: 'Saliency checks are off (PetLens(saliency_checks=False)).' });
    const notice = root.querySelector('.petlens-sc-notice');
    assert.equal(notice.hidden, false);
    assert.match(notice.textContent, /off/);
    assert.equal(root.querySelector('table').hidden, true);
    model.set('status', 'none');
    model.set('message', '');
    assert.match(notice.textContent, /No saliency checks/);
    model.set('methods', METHODS);
    assert.equal(notice.hidden, true);
    assert.equal(root.querySelectorAll('tbody tr').length, 2);
    cleanup();
    assert.equal(host.children.length, 0);
  });
});

describe('top-loss trust badge', () => {
  it('shows the verdict of the map shown, its numbers on hover, and hides when unchecked', () => {
    const model = createModel({ saliency_checks: [{ index: 7, method: 'gradcam', target: 'pred', verdict: 'warn', verdicts: { randomisation: 'warn' }, reasons: { randomisation: 'Spearman 0.42 after randomisation: the map changes in part' }, numbers: {} }] });
    const badge = createTrustBadge(model);
    badge.update(7, 'gradcam', 'pred', true);
    assert.equal(badge.node.hidden, false);
    const chip = badge.node.querySelector('.petlens-trust-chip');
    assert.equal(chip.textContent, 'trust: warn');
    assert.ok(chip.classList.contains('petlens-verdict-warn'));
    assert.match(chip.title, /Spearman 0.42/);
    assert.equal(badge.node.querySelector('.petlens-trust-line').textContent, 'weak on randomisation (hover for the numbers)');
    badge.update(7, 'gradcam', 'actual', true);
    assert.equal(badge.node.hidden, true);
    badge.update(7, 'gradcam', 'pred', false); // no map drawn
    assert.equal(badge.node.hidden, true);
    model.set('saliency_checks', [{ index: 7, method: 'gradcam', target: 'pred', verdict: 'pass' }]);
    badge.update(7, 'gradcam', 'pred', true);
    assert.equal(badge.node.querySelector('.petlens-trust-chip').textContent, 'trust: pass');
  });
});
