/**
 * A timeline growing from `petlens:append` messages: decoding (binary buffers by index),
 * appending in order, messages that do not follow ignored, the cursor following the end.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeAppend, createGrowingTimeline, traitLength } from '../src/lib/timeline-live.js';
import { decodeNdarray } from '../src/lib/ndarray.js';

const TYPES = { float32: Float32Array, int32: Int32Array, uint8: Uint8Array };
const G = 2;

/** Timeline traits of `T` iterations (wire form, as the model holds them). */
function traits(T, cursor = T - 1) {
  const arrays = rows(0, T);
  const out = { cursor };
  for (const [name, { dtype, data, shape }] of Object.entries(arrays)) out[name] = { dtype, shape, buffer: new DataView(data.buffer) };
  return out;
}

/** Iterations start..start+n: loss = iteration number, lrs = iteration + group / 10. */
function rows(start, n) {
  const range = (f, width = 1) => Array.from({ length: n * width }, (_, k) => f(start + Math.floor(k / width), k % width));
  const make = (dtype, values, shape) => ({ dtype, data: TYPES[dtype].from(values), shape });
  return {
    phase: make('int32', range(() => 0), [n]),
    epoch: make('int32', range((i) => Math.floor(i / 10)), [n]),
    loss: make('float32', range((i) => i), [n]),
    lrs: make('float32', range((i, g) => i + g / 10, G), [n, G]),
    moms: make('float32', range(() => 0.9, G), [n, G]),
    trainable: make('uint8', range((_, g) => g, G), [n, G]),
  };
}

/** An append message as the Python side sends it: arrays with `buffer: i`, bytes in `buffers`. */
function message(start, n) {
  const arrays = {};
  const buffers = [];
  for (const [name, { dtype, data, shape }] of Object.entries(rows(start, n))) {
    arrays[name] = { dtype, shape, buffer: buffers.length };
    buffers.push(new DataView(data.buffer));
  }
  return [{ type: 'petlens:append', view: 'time_', start, arrays }, buffers];
}

const values = (wire) => [...decodeNdarray(wire).data];

describe('decodeAppend', () => {
  it('reads every array from the binary buffer its index names', () => {
    const decoded = decodeAppend(...message(5, 3));
    assert.equal(decoded.start, 5);
    assert.equal(decoded.n, 3);
    assert.deepEqual([...decoded.arrays.loss.data], [5, 6, 7]);
    assert.equal(decoded.arrays.lrs.width, G);
    assert.ok(decoded.arrays.lrs.data[1] - 5.1 < 1e-6);
  });
  it('refuses a message that is incomplete or does not agree with itself', () => {
    const [content, buffers] = message(0, 3);
    assert.throws(() => decodeAppend({ ...content, start: -1 }, buffers), /start/);
    assert.throws(() => decodeAppend({ ...content, arrays: { ...content.arrays, moms: undefined } }, buffers), /no "moms"/);
    assert.throws(() => decodeAppend(content, buffers.slice(0, 2)), /buffer index 2 but the message has 2/);
    const short = { ...content.arrays, epoch: { dtype: 'int32', shape: [2], buffer: 1 } };
    assert.throws(() => decodeAppend({ ...content, arrays: short }, buffers), /bytes do not match|iterations/);
    const flat = { ...content.arrays, lrs: { dtype: 'float32', shape: [6], buffer: 3 } };
    assert.throws(() => decodeAppend({ ...content, arrays: flat }, buffers), /lrs must be 2-d/);
  });
});

describe('createGrowingTimeline', () => {
  it('appends after the traits, in order, and hands the whole timeline out as traits', () => {
    const state = traits(4);
    const get = (name) => state[name];
    const timeline = createGrowingTimeline();
    assert.equal(timeline.T, null);
    assert.equal(timeline.wire('loss'), undefined, 'nothing appended: the traits are the timeline');
    for (const [start, n] of [[4, 3], [7, 40], [47, 1]]) assert.ok(timeline.append(get, decodeAppend(...message(start, n))));
    assert.equal(timeline.T, 48);
    assert.deepEqual(values(timeline.wire('loss')), Array.from({ length: 48 }, (_, i) => i));
    const lrs = timeline.wire('lrs');
    assert.deepEqual(lrs.shape, [48, G]);
    assert.deepEqual(values(lrs).filter((_, k) => k % G === 0), Array.from({ length: 48 }, (_, i) => i));
    assert.deepEqual(values(timeline.wire('trainable')).slice(-4), [0, 1, 0, 1]);
    assert.equal(timeline.wire('phases'), undefined, 'not a per-iteration trait');
  });
  it('ignores a message that does not start where it ends, and one of another width or kind', () => {
    const state = traits(4);
    const get = (name) => state[name];
    const timeline = createGrowingTimeline();
    assert.equal(timeline.append(get, decodeAppend(...message(6, 2))), false, 'a gap');
    assert.equal(timeline.T, null);
    assert.ok(timeline.append(get, decodeAppend(...message(4, 2))));
    assert.equal(timeline.append(get, decodeAppend(...message(4, 2))), false, 'a repeat');
    const [content, buffers] = message(6, 1);
    const wider = { ...content.arrays, lrs: { dtype: 'float32', shape: [1, 1], buffer: buffers.length } };
    const widerBuffers = [...buffers, new DataView(new Float32Array([1]).buffer)];
    assert.equal(timeline.append(get, decodeAppend({ ...content, arrays: wider }, widerBuffers)), false, 'another number of layer groups');
    assert.equal(timeline.T, 6);
  });
  it('grows from no iterations at all (the first fit), taking the message\'s layer groups', () => {
    const empty = { loss: { dtype: 'float32', shape: [0], buffer: new DataView(new ArrayBuffer(0)) }, cursor: 0 };
    const timeline = createGrowingTimeline();
    assert.equal(traitLength((name) => empty[name]), 0);
    assert.equal(traitLength(() => ({})), 0, 'no timeline traits yet');
    assert.ok(timeline.append((name) => empty[name], decodeAppend(...message(0, 5))));
    assert.deepEqual(timeline.wire('moms').shape, [5, G]);
  });
  it('follows the end when the traits\' cursor was at their end; reset goes back to the traits', () => {
    const atEnd = traits(4);
    const scrolled = traits(4, 1);
    const grown = (state) => {
      const timeline = createGrowingTimeline();
      timeline.append((name) => state[name], decodeAppend(...message(4, 2)));
      return timeline;
    };
    assert.equal(grown(atEnd).following, true);
    assert.equal(grown(scrolled).following, false);
    const timeline = grown(atEnd);
    timeline.reset();
    assert.equal(timeline.T, null);
    assert.equal(timeline.wire('loss'), undefined);
  });
});
