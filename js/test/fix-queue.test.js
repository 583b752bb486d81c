/** The fix queue's logic (lib/fix-queue.js): merging, summary, keys, class search, exports. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CLEAR,
  csvField,
  decisionText,
  exportCsv,
  exportDocument,
  exportName,
  liveDecisions,
  mergeDecisions,
  readFixes,
  readStoredDocument,
  searchClasses,
  storedDocument,
  summaryText,
  triageKey,
} from '../src/lib/fix-queue.js';

const d = (item, action, decided, label = null) => ({ item, action, label, decided, by: null });

describe('fix queue', () => {
  it('reads the fixes trait, skipping malformed entries, latest decision per item', () => {
    const fixes = readFixes([
      d('a.jpg', 'keep', '2026-01-01T00:00:00Z'),
      d('a.jpg', 'relabel', '2026-01-01T00:00:01Z', 'Birman'),
      { item: 'b.jpg', action: 'relabel' }, // no label
      { item: 'c.jpg', action: 'explode' },
      { action: 'keep' },
      'nonsense',
    ]);
    assert.deepEqual([...fixes.keys()], ['a.jpg']);
    assert.equal(decisionText(fixes.get('a.jpg')), 'relabel → Birman');
    assert.equal(readFixes(null).size, 0);
  });

  it('merges: the latest decided wins, a later clearing removes, an older one does not', () => {
    const kept = d('x', 'keep', '2026-01-01T10:00:00+00:00');
    const cleared = d('x', CLEAR, '2026-01-01T10:00:01.000Z');
    assert.deepEqual(liveDecisions(mergeDecisions([kept], [cleared])), []);
    assert.deepEqual(liveDecisions(mergeDecisions([cleared], [kept])), []); // order of sources does not matter
    const later = d('x', 'delete', '2026-01-01T10:00:02Z');
    assert.deepEqual(liveDecisions(mergeDecisions([kept, cleared], [later])), [later]);
  });

  it('summarises the queue, largest count first', () => {
    const list = [
      ...Array.from({ length: 7 }, (_, i) => d(`r${i}`, 'relabel', '', 'A')),
      ...Array.from({ length: 3 }, (_, i) => d(`d${i}`, 'delete', '')),
      d('k0', 'keep', ''),
      d('k1', 'keep', ''),
    ];
    assert.equal(summaryText(list), '12 decisions: 7 relabel, 3 delete, 2 keep');
    assert.equal(summaryText([d('u', 'unsure', '')]), '1 decision: 1 unsure');
    assert.equal(summaryText([]), 'No decisions yet');
  });

  it('maps triage keys, leaving modified keys to the browser', () => {
    assert.deepEqual(['k', 'r', 'd', 'u', 'Backspace', '0', 'x'].map((key) => triageKey({ key })), ['keep', 'relabel', 'delete', 'unsure', CLEAR, CLEAR, null]);
    assert.equal(triageKey({ key: 'd', ctrlKey: true }), null);
    assert.equal(triageKey({ key: 'r', metaKey: true }), null);
  });

  it('searches 1000 classes: prefix, then word start, then substring; the suggestion first', () => {
    const vocab = Array.from({ length: 1000 }, (_, i) => `class_${String(i).padStart(4, '0')}`);
    vocab[500] = 'Birman';
    vocab[501] = 'Sacred_birman';
    vocab[502] = 'xbirmanx';
    vocab[7] = 'Élan';
    assert.deepEqual(searchClasses(vocab, 'birm').indices, [500, 501, 502]);
    assert.deepEqual(searchClasses(vocab, 'BIRM', { first: 502 }).indices, [500, 501, 502]);
    assert.deepEqual(searchClasses(vocab, '', { first: 42, limit: 3 }).indices, [42, 0, 1]);
    assert.deepEqual(searchClasses(vocab, 'elan').indices, [7]); // accents folded
    const { indices, total } = searchClasses(vocab, 'class_0', { exclude: 3, limit: 40 });
    assert.equal(indices.length, 40);
    assert.equal(total, 995); // 1000 less the four renamed, less the excluded label
    assert.ok(!indices.includes(3));
    const started = performance.now();
    for (let n = 0; n < 100; n++) searchClasses(vocab, `class_0${n % 10}`);
    assert.ok(performance.now() - started < 500, 'a keystroke searches 1000 classes in well under 5 ms');
  });

  it('exports JSON as fixes.json and CSV as run.fixes.export_csv, strings as data', () => {
    const evil = 'dir/<img src=x onerror=alert(1)>, "q".jpg';
    const list = [d(evil, 'relabel', '2026-01-01T00:00:00.000Z', 'a "quoted", class'), d('b.jpg', 'delete', '2026-01-01T00:00:01.000Z'), d('c.jpg', CLEAR, '2026-01-01T00:00:02.000Z')];
    const doc = exportDocument('run-1', list);
    assert.deepEqual(doc, {
      schema: 'petlens.fixes/1',
      run: 'run-1',
      decisions: [
        { item: evil, action: 'relabel', label: 'a "quoted", class', decided: '2026-01-01T00:00:00.000Z' },
        { item: 'b.jpg', action: 'delete', label: null, decided: '2026-01-01T00:00:01.000Z' },
      ],
    });
    const csv = exportCsv('run-1', list, (item) => (item === evil ? 'Bengal' : 'pug'));
    assert.equal(
      csv,
      'item,old_label,new_label,action,decided,by,run\n' +
        '"dir/<img src=x onerror=alert(1)>, ""q"".jpg",Bengal,"a ""quoted"", class",relabel,2026-01-01T00:00:00.000Z,,run-1\n' +
        'b.jpg,pug,,delete,2026-01-01T00:00:01.000Z,,run-1\n',
    );
    assert.equal(csvField('a\nb'), '"a\nb"');
    assert.equal(exportName('2026/../x y', 'csv'), 'petlens-fixes-2026_.._x_y.csv');
  });

  it('keeps cleared decisions in the stored document, and only for its run', () => {
    const list = [d('a', 'keep', '2026-01-01T00:00:00Z'), d('b', CLEAR, '2026-01-01T00:00:01Z')];
    const doc = JSON.parse(JSON.stringify(storedDocument('r', list)));
    assert.deepEqual(readStoredDocument(doc, 'r').map((x) => [x.item, x.action]), [['a', 'keep'], ['b', CLEAR]]);
    assert.deepEqual(readStoredDocument(doc, 'another run'), []);
    assert.deepEqual(readStoredDocument({ schema: 'x', run: 'r', decisions: [] }, 'r'), []);
  });
});
