import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LUT_SIZE } from '../src/lib/colormap.js';
import {
  mapTarget,
  NOT_STORED_REASON,
  readMethods,
  readResponseMap,
  readStored,
  saliencyChoices,
  saliencyKey,
  awaitedReason,
} from '../src/top_losses/saliency.js';
import { createUrlStore, heatToRgba, imageBytes, imageType, INFERNO } from '../src/lib/images.js';
import { readThumbs } from '../src/top_losses/thumbs.js';

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);

function fakeUrls() {
  let n = 0;
  const live = new Set();
  const blobs = [];
  return {
    live,
    blobs,
    createObjectURL(blob) {
      blobs.push(blob);
      const url = `blob:fake/${(n += 1)}`;
      live.add(url);
      return url;
    },
    revokeObjectURL(url) {
      live.delete(url);
    },
  };
}

describe('thumbnails', () => {
  it('imageBytes reads DataView, ArrayBuffer, typed arrays and base64', () => {
    const view = new DataView(JPEG.buffer, 2, 3);
    assert.deepEqual([...imageBytes(view)], [0xff, 0xe0, 1]);
    assert.deepEqual([...imageBytes(JPEG.buffer)], [...JPEG]);
    assert.deepEqual([...imageBytes(JPEG)], [...JPEG]);
    assert.deepEqual([...imageBytes(Buffer.from(JPEG).toString('base64'))], [...JPEG]);
    assert.equal(imageBytes('%%%not base64'), null);
    assert.equal(imageBytes(undefined), null);
    assert.equal(imageBytes({}), null);
  });

  it('readThumbs maps index -> bytes from {index, jpeg} or {index, b64}, skipping junk', () => {
    const map = readThumbs([
      { index: 3, jpeg: new DataView(JPEG.buffer) },
      { index: 5, b64: Buffer.from(JPEG).toString('base64') },
      { index: -1, jpeg: JPEG },
      { index: 1.5, jpeg: JPEG },
      { index: 7 },
      { index: 8, jpeg: new Uint8Array(0) },
      null,
      'x',
    ]);
    assert.deepEqual([...map.keys()], [3, 5]);
    assert.equal(map.get(5).length, JPEG.length);
    assert.equal(readThumbs(null).size, 0);
    assert.equal(readThumbs({ index: 1 }).size, 0);
  });

  it('imageType only allows image types', () => {
    assert.equal(imageType('image/png'), 'image/png');
    assert.equal(imageType('text/html'), 'image/jpeg');
    assert.equal(imageType(undefined), 'image/jpeg');
  });

  it('createUrlStore makes each URL once and revokes on delete / replace / clear', () => {
    const urls = fakeUrls();
    const store = createUrlStore({ urls });
    const a = store.put(1, JPEG);
    assert.equal(store.get(1), a);
    assert.equal(urls.blobs[0].type, 'image/jpeg');
    const b = store.put(1, JPEG, 'text/html'); // replaced
    assert.notEqual(a, b);
    assert.ok(!urls.live.has(a));
    assert.equal(urls.blobs[1].type, 'image/jpeg', 'never a type that could run script');
    store.put(2, JPEG);
    assert.equal(store.size, 2);
    store.delete(2);
    store.delete(99);
    assert.equal(urls.live.size, 1);
    store.clear();
    assert.equal(urls.live.size, 0);
    assert.equal(store.get(1), undefined);
  });

  it('createUrlStore with a limit revokes the least recently used', () => {
    const urls = fakeUrls();
    const store = createUrlStore({ urls, limit: 2 });
    const one = store.put(1, JPEG);
    store.put(2, JPEG);
    store.get(1); // 1 is now the most recent
    store.put(3, JPEG);
    assert.ok(store.has(1) && store.has(3) && !store.has(2));
    assert.ok(urls.live.has(one));
    assert.equal(urls.live.size, 2);
  });
});

describe('saliency', () => {
  it('readMethods keeps non-empty unique strings', () => {
    assert.deepEqual(readMethods(['gradcam', '', 'gradcam', 3, 'integrated_gradients']), ['gradcam', 'integrated_gradients']);
    assert.deepEqual(readMethods(undefined), []);
  });

  it('readStored indexes the JPEG bytes of (index, method, target), skipping junk', () => {
    const stored = readStored([
      { index: 4, method: 'gradcam', target: 'pred', jpeg: new DataView(JPEG.buffer) },
      { index: 4, method: 'gradcam', target: 'actual', b64: Buffer.from(JPEG).toString('base64') },
      { index: 4, method: 'gradcam', target: 'predicted', jpeg: JPEG },
      { index: -1.5, method: 'gradcam', target: 'pred', jpeg: JPEG },
      { index: 5, method: 'gradcam', target: 'pred' },
      null,
    ]);
    assert.deepEqual([...stored.keys()], [saliencyKey(4, 'gradcam', 'pred'), saliencyKey(4, 'gradcam', 'actual')]);
    assert.deepEqual([...stored.get(saliencyKey(4, 'gradcam', 'actual'))], [...JPEG]);
    assert.equal(readStored(null).size, 0);
  });

  it("saliencyChoices: offline only what is stored (a right item's actual map is its 'pred' one); live everything", () => {
    const stored = readStored([
      { index: 0, method: 'gradcam', target: 'pred', jpeg: JPEG },
      { index: 0, method: 'gradcam', target: 'actual', jpeg: JPEG },
      { index: 1, method: 'gradcam', target: 'pred', jpeg: JPEG },
    ]);
    const methods = ['gradcam', 'occlusion'];
    const wrong = saliencyChoices({ methods, stored, index: 0, correct: false, live: false });
    assert.deepEqual([...wrong.methods], [['gradcam', null], ['occlusion', NOT_STORED_REASON]]);
    assert.deepEqual([...wrong.targets('gradcam')], [['pred', null], ['actual', null]]);
    assert.deepEqual([...wrong.targets('occlusion')], [['pred', NOT_STORED_REASON], ['actual', NOT_STORED_REASON]]);
    assert.ok(wrong.stored);
    const right = saliencyChoices({ methods, stored, index: 1, correct: true, live: false });
    assert.deepEqual([...right.targets('gradcam')], [['pred', null], ['actual', null]]);
    assert.equal(mapTarget('actual', true), 'pred');
    assert.equal(mapTarget('actual', false), 'actual');
    const other = saliencyChoices({ methods, stored, index: 2, correct: false, live: false });
    assert.ok(!other.stored);
    assert.deepEqual([...other.methods.values()], [NOT_STORED_REASON, NOT_STORED_REASON]);
    const live = saliencyChoices({ methods, stored, index: 2, correct: false, live: true });
    assert.deepEqual([...live.methods.values()], [null, null]);
    assert.deepEqual([...live.targets('occlusion').values()], [null, null]);
  });

  it('awaitedReason: maps of the top losses still being computed, cancelled or failed', () => {
    const progress = { status: 'pending', done: 5, total: 16, methods: ['gradcam', 'integrated_gradients'], indices: [3, 7] };
    assert.equal(awaitedReason(progress, 7, 'gradcam', true), 'saliency 5 / 16: being computed in the background…');
    assert.equal(awaitedReason(progress, 3, 'integrated_gradients', false), 'saliency 5 / 16: the rest was still being computed when the run was saved');
    assert.equal(awaitedReason(progress, 4, 'gradcam', true), null, 'not a top loss: not awaited');
    assert.equal(awaitedReason(progress, 7, 'occlusion', true), null, 'not a method of the job');
    assert.equal(awaitedReason({ ...progress, status: 'cancelled' }, 7, 'gradcam', true), 'saliency 5 / 16: cancelled by a later fit');
    assert.equal(awaitedReason({ ...progress, status: 'failed', done: 'x' }, 7, 'gradcam', false), 'saliency: the computation failed');
    for (const junk of [null, {}, 'pending', { ...progress, indices: 7 }, { ...progress, status: 'complete' }]) {
      assert.equal(awaitedReason(junk, 7, 'gradcam', true), null);
    }
    const choices = saliencyChoices({ methods: ['gradcam', 'occlusion'], stored: new Map(), index: 7, correct: false, live: false, progress });
    assert.deepEqual([...choices.methods], [['gradcam', awaitedReason(progress, 7, 'gradcam', false)], ['occlusion', NOT_STORED_REASON]]);
  });

  it('readResponseMap checks shape and buffer', () => {
    const bytes = new Uint8Array(6).fill(3);
    const ok = readResponseMap({ shape: [2, 3] }, [new DataView(bytes.buffer)]);
    assert.deepEqual(ok.shape, [2, 3]);
    assert.equal(ok.data.length, 6);
    assert.deepEqual(readResponseMap({ shape: [1, 6] }, [bytes.buffer]).shape, [1, 6]);
    assert.throws(() => readResponseMap({ shape: [2, 2] }, [new DataView(bytes.buffer)]), /6 values do not match shape \[2,2\]/);
    assert.throws(() => readResponseMap({ shape: [6] }, [new DataView(bytes.buffer)]), /shape must be \[h, w\]/);
    assert.throws(() => readResponseMap({ shape: [2, 3] }, []), /no map buffer/);
  });

  it('heatToRgba: LUT colours, alpha rising with the value', () => {
    const rgba = heatToRgba(Uint8Array.from([0, 64, 255]));
    assert.equal(rgba.length, 12);
    assert.deepEqual([...rgba.slice(0, 4)], [INFERNO[0], INFERNO[1], INFERNO[2], 0]);
    assert.equal(rgba[7], Math.round(255 * Math.sqrt(64 / 255)));
    const top = (LUT_SIZE - 1) * 3;
    assert.deepEqual([...rgba.slice(8, 12)], [INFERNO[top], INFERNO[top + 1], INFERNO[top + 2], 255]);
    const linear = heatToRgba(Uint8Array.from([128]), { gamma: 1 });
    assert.equal(linear[3], 128);
  });

  it('saliencyKey and the reason for what is not stored', () => {
    assert.notEqual(saliencyKey(1, 'a', 'pred'), saliencyKey(1, 'a', 'actual'));
    assert.equal(NOT_STORED_REASON, 'not stored in this report: run lens.show() in the notebook to compute it');
  });
});
