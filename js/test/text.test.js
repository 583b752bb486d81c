import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dispatch, installDom } from '../test-support/dom.js';
import { append, el, setAttribute, setText } from '../src/lib/text.js';

const EVIL = '<img src=x onerror=alert(1)>';
let dom;
before(() => {
  dom = installDom();
});
after(() => dom.uninstall());

describe('el', () => {
  it('sets class, text and title as text, never as HTML', () => {
    const node = el('span', { className: 'petlens-pair', text: EVIL, title: EVIL });
    assert.equal(node.tagName, 'SPAN');
    assert.equal(node.className, 'petlens-pair');
    assert.equal(node.textContent, EVIL);
    assert.equal(node.children.length, 0, 'no element was parsed out of the text');
    assert.equal(node.title, EVIL);
  });
  it('turns other props into attributes', () => {
    const node = el('input', { type: 'checkbox', tabindex: 0, hidden: true, disabled: false, 'aria-label': EVIL });
    assert.equal(node.getAttribute('type'), 'checkbox');
    assert.equal(node.getAttribute('tabindex'), '0');
    assert.equal(node.getAttribute('hidden'), '');
    assert.equal(node.getAttribute('disabled'), null);
    assert.equal(node.getAttribute('aria-label'), EVIL);
  });
  it('refuses event-handler and HTML attributes', () => {
    assert.throws(() => el('img', { onerror: 'alert(1)' }), /refusing to set attribute "onerror"/);
    assert.throws(() => el('div', { onClick: 'x' }), /refusing/);
    assert.throws(() => el('iframe', { srcdoc: EVIL }), /refusing/);
    assert.throws(() => el('div', { innerHTML: EVIL }), /refusing/);
  });
  it('adds listeners from `on`', () => {
    let clicks = 0;
    const node = el('button', { on: { click: () => (clicks += 1) } });
    dispatch(node, 'click');
    assert.equal(clicks, 1);
  });
  it('appends children, strings as text nodes, skipping empty ones', () => {
    const child = el('b', { text: 'bold' });
    const node = el('p', {}, [EVIL, child, null, undefined, false, 3]);
    assert.equal(node.childNodes.length, 3);
    assert.equal(node.textContent, `${EVIL}bold3`);
    assert.equal(node.children.length, 1);
  });
});

describe('setText, setAttribute, append', () => {
  it('setText replaces content with plain text', () => {
    const node = el('div', {}, [el('b'), 'x']);
    setText(node, EVIL);
    assert.equal(node.textContent, EVIL);
    assert.equal(node.children.length, 0);
    setText(node, null);
    assert.equal(node.textContent, '');
  });
  it('setAttribute removes on false / null and refuses handlers', () => {
    const node = el('div', { title: 't' });
    setAttribute(node, 'data-x', 1);
    assert.equal(node.getAttribute('data-x'), '1');
    setAttribute(node, 'data-x', null);
    assert.equal(node.getAttribute('data-x'), null);
    assert.throws(() => setAttribute(node, 'ONLOAD', 'x'), /refusing/);
  });
  it('append returns the parent', () => {
    const node = el('ul');
    assert.equal(append(node, [el('li')]), node);
  });
});
