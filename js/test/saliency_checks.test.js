/** The saliency-quality panel's logic (lib/saliency_checks.js): reading traits, cell and badge texts. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  badgeFor,
  indexBadges,
  methodCellText,
  methodCellTitle,
  readMethods,
  readStatus,
  readVerdict,
  verdictLabel,
} from '../src/lib/saliency_checks.js';

const IG = {
  method: 'integrated_gradients', name: 'Integrated Gradients', state: 'done', verdict: 'warn',
  verdicts: { randomisation: 'pass', deletion: 'warn', insertion: 'pass', localisation: 'bogus' },
  reasons: { randomisation: 'Spearman 0.05 after randomisation', deletion: 'deletion AUC 0.300 vs random 0.320' },
  spearman: 0.05, ssim: 0.1, deletion_auc: 0.3, random_deletion_auc: 0.32, insertion_auc: 0.6, random_insertion_auc: 0.4,
  pointing: null, mass: null, area: null,
};

describe('saliency checks logic', () => {
  it('reads verdicts and statuses, unknown values as not computable / none', () => {
    assert.equal(readVerdict('fail'), 'fail');
    assert.equal(readVerdict('great'), 'na');
    assert.equal(verdictLabel('na'), 'n/a');
    assert.equal(readStatus('pending'), 'pending');
    assert.equal(readStatus(42), 'none');
  });

  it('reads method rows, dropping malformed entries', () => {
    const rows = readMethods([IG, null, { name: 'no method' }, 'x']);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].verdicts.localisation, 'na');
    assert.equal(rows[0].reasons.insertion, '');
    assert.deepEqual(readMethods(undefined), []);
  });

  it('formats each check of a method as the panel shows it', () => {
    const [row] = readMethods([IG]);
    assert.equal(methodCellText(row, 'randomisation'), 'ρ 0.05 · SSIM 0.10');
    assert.equal(methodCellText(row, 'deletion'), 'AUC 0.300 vs 0.320 random');
    assert.equal(methodCellText(row, 'localisation'), 'no masks');
    assert.match(methodCellTitle(row, 'deletion'), /^Deletion: warn \(deletion AUC 0.300 vs random 0.320\)\nPasses when removing/);
    const [pending] = readMethods([{ method: 'gradcam', state: 'pending' }]);
    assert.equal(methodCellText(pending, 'deletion'), 'pending');
    const [skipped] = readMethods([{ method: 'gradcam', state: 'skipped', verdict: 'na' }]);
    assert.equal(methodCellText(skipped, 'randomisation'), 'not computable');
  });

  it('finds the badge of a map by item index, method and target', () => {
    const index = indexBadges([
      { index: 3, method: 'gradcam', target: 'pred', verdict: 'fail', verdicts: { randomisation: 'fail' }, reasons: { randomisation: 'Spearman 0.93 after randomisation: the map barely changes' }, numbers: { evidence: 0.5 } },
      { index: 'x', method: 'gradcam', target: 'pred', verdict: 'pass' },
      null,
    ]);
    assert.equal(index.size, 1);
    const badge = badgeFor(index, 3, 'gradcam', 'pred');
    assert.equal(badge.verdict, 'fail');
    assert.equal(badge.label, 'trust: fail');
    assert.match(badge.title, /Randomisation: fail \(Spearman 0.93 after randomisation: the map barely changes\)/);
    assert.match(badge.title, /Deletion: n\/a/);
    assert.equal(badge.summary, 'fails randomisation (hover for the numbers)');
    assert.equal(badgeFor(index, 3, 'gradcam', 'actual'), null);
    assert.equal(badgeFor(index, 4, 'gradcam', 'pred'), null);
  });
});
