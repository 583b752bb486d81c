import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Window } from 'happy-dom';

import { hideStaticPicture } from '../src/lib/picture.js';

function page(html) {
  const window = new Window();
  window.document.body.innerHTML = html; // test fixture markup, not run data
  return window.document;
}

const model = (id) => ({ get: (name) => (name === 'picture_id' ? id : undefined) });

test('a rendered widget hides its own static picture with the output row around it', () => {
  const doc = page(`
    <div class="jp-OutputArea-child" id="mine"><img data-petlens-picture="ab12"></div>
    <div class="jp-OutputArea-child" id="other"><img data-petlens-picture="cd34"></div>`);
  assert.equal(hideStaticPicture(model('ab12'), doc), 1);
  assert.equal(doc.getElementById('mine').style.display, 'none');
  assert.equal(doc.getElementById('other').style.display, '');
});

test('without an output row the picture itself is hidden; a bad or missing id hides nothing', () => {
  const doc = page('<p><img id="pic" data-petlens-picture="ab12"></p>');
  assert.equal(hideStaticPicture(model('ab12'), doc), 1);
  assert.equal(doc.getElementById('pic').style.display, 'none');
  assert.equal(hideStaticPicture(model('"], img, x["'), doc), 0);
  assert.equal(hideStaticPicture(model(undefined), doc), 0);
});
