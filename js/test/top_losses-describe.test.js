import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cellLabel, describeItem, headerText, pageLabel, shortName } from '../src/top_losses/describe.js';

describe('top-loss texts', () => {
  it('headerText: counts and page (1-based)', () => {
    assert.equal(headerText({ shown: 37, total: 1482, page: 0, pages: 2 }), '37 of 1,482 items · page 1/2');
    assert.equal(headerText({ shown: 1482, total: 1482, page: 61, pages: 62 }), '1,482 items · page 62/62');
    assert.equal(headerText({ shown: 1, total: 1, page: 0, pages: 1 }), '1 item · page 1/1');
    assert.equal(headerText({ shown: 0, total: 1482, page: 0, pages: 1 }), '0 of 1,482 items · page 1/1');
  });
  it('pageLabel and cellLabel', () => {
    assert.equal(pageLabel(1, 7), 'Page 2 of 7');
    assert.equal(cellLabel(['beagle', 'basset_hound'], [0, 1]), 'cell: beagle → basset_hound');
  });
  it('shortName keeps the last path component', () => {
    assert.equal(shortName('images/pug_12.jpg'), 'pug_12.jpg');
    assert.equal(shortName('C:\\pets\\pug_12.jpg'), 'pug_12.jpg');
    assert.equal(shortName('pug.jpg'), 'pug.jpg');
    assert.equal(shortName('dir/'), 'dir/');
  });
  it('describeItem', () => {
    const data = {
      vocab: ['beagle', '<b>pug</b>'],
      names: ['x/beagle_1.jpg'],
      targets: [0],
      decoded: [1],
      losses: [3.456],
      probActual: [0.031],
      probPred: [0.9],
    };
    assert.deepEqual(describeItem(data, 0), {
      index: 0,
      name: 'x/beagle_1.jpg',
      actual: 'beagle',
      predicted: '<b>pug</b>',
      correct: false,
      loss: '3.46',
      probActual: '3.1%',
      probPred: '90.0%',
    });
  });
});
