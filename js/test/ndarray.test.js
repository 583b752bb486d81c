import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeNdarray, halfToFloat, SUPPORTED_DTYPES } from '../src/lib/ndarray.js';

/** Little-endian bytes of `values` written with a DataView setter. */
function bytes(setter, size, values) {
  const view = new DataView(new ArrayBuffer(values.length * size));
  values.forEach((v, i) => view[setter](i * size, v, true));
  return new Uint8Array(view.buffer);
}
const b64 = (u8) => Buffer.from(u8).toString('base64');

describe('decodeNdarray', () => {
  it('supports the documented dtypes', () => {
    assert.deepEqual([...SUPPORTED_DTYPES].sort(), ['float16', 'float32', 'int16', 'int32', 'int64', 'uint8']);
  });

  it('decodes int32 from a DataView (anywidget binary buffer)', () => {
    const u8 = bytes('setInt32', 4, [1, -2, 3, 400000, 5, 6]);
    const { data, shape } = decodeNdarray({ dtype: 'int32', shape: [2, 3], buffer: new DataView(u8.buffer) });
    assert.ok(data instanceof Int32Array);
    assert.deepEqual([...data], [1, -2, 3, 400000, 5, 6]);
    assert.deepEqual(shape, [2, 3]);
  });

  it('accepts ArrayBuffer, Uint8Array and an offset view into a larger buffer', () => {
    const u8 = bytes('setInt16', 2, [7, -8]);
    assert.deepEqual([...decodeNdarray({ dtype: 'int16', shape: [2], buffer: u8.buffer }).data], [7, -8]);
    assert.deepEqual([...decodeNdarray({ dtype: 'int16', shape: [2], buffer: u8 }).data], [7, -8]);
    const padded = new Uint8Array(7);
    padded.set(u8, 3); // odd offset: not aligned for an Int16Array view
    const view = new DataView(padded.buffer, 3, 4);
    assert.deepEqual([...decodeNdarray({ dtype: 'int16', shape: [2], buffer: view }).data], [7, -8]);
  });

  it('takes the bytes of `buffer: i` from a custom message\'s binary buffers', () => {
    const u8 = bytes('setInt32', 4, [9, -9]);
    const wire = { dtype: 'int32', shape: [2], buffer: 1 };
    assert.deepEqual([...decodeNdarray(wire, [new DataView(new ArrayBuffer(0)), new DataView(u8.buffer)]).data], [9, -9]);
    assert.throws(() => decodeNdarray(wire, []), /buffer index 1 but the message has 0 binary buffers/);
  });

  it('decodes base64 (offline report)', () => {
    const u8 = bytes('setFloat32', 4, [0.5, -1.25, 3]);
    const { data } = decodeNdarray({ dtype: 'float32', shape: [3], b64: b64(u8) });
    assert.ok(data instanceof Float32Array);
    assert.deepEqual([...data], [0.5, -1.25, 3]);
    assert.deepEqual([...decodeNdarray({ dtype: 'uint8', shape: [2, 2], b64: 'AAH/gA==' }).data], [0, 1, 255, 128]);
  });

  it('decodes float16 to Float32Array', () => {
    const halves = [0x3c00, 0xc000, 0x3555, 0x0000, 0x8000, 0x7bff, 0x0001, 0x7c00, 0xfc00];
    const { data } = decodeNdarray({ dtype: 'float16', shape: [halves.length], buffer: bytes('setUint16', 2, halves) });
    assert.ok(data instanceof Float32Array);
    assert.deepEqual([...data], [1, -2, Math.fround(0.333251953125), 0, -0, 65504, Math.fround(2 ** -24), Infinity, -Infinity]);
  });

  it('decodes int64 to Float64Array', () => {
    const u8 = bytes('setBigInt64', 8, [3n, -4n, 2n ** 40n]);
    const { data } = decodeNdarray({ dtype: 'int64', shape: [3], buffer: u8 });
    assert.ok(data instanceof Float64Array);
    assert.deepEqual([...data], [3, -4, 2 ** 40]);
  });

  it('handles zero-size and scalar shapes', () => {
    assert.equal(decodeNdarray({ dtype: 'int32', shape: [0, 0], buffer: new ArrayBuffer(0) }).data.length, 0);
    assert.deepEqual([...decodeNdarray({ dtype: 'uint8', shape: [], buffer: new Uint8Array([9]) }).data], [9]);
  });

  it('decodes the sparse form (report) and gives the positions it lists', () => {
    const wire = {
      dtype: 'int16',
      shape: [2, 3],
      sparse: { indices: { dtype: 'int32', shape: [2], b64: b64(bytes('setInt32', 4, [1, 5])) }, values: { dtype: 'int16', shape: [2], b64: b64(bytes('setInt16', 2, [-7, 300])) } },
    };
    const { data, shape, nonzero } = decodeNdarray(wire);
    assert.ok(data instanceof Int16Array);
    assert.deepEqual([...data], [0, -7, 0, 0, 0, 300]);
    assert.deepEqual(shape, [2, 3]);
    assert.deepEqual([...nonzero], [1, 5]);
    assert.equal(decodeNdarray({ dtype: 'int16', shape: [2], buffer: new Uint8Array(4) }).nonzero, undefined, 'dense forms list nothing');
  });

  it('decodes an unaligned view and copies what it decodes', () => {
    const u8 = new Uint8Array([9, ...bytes('setInt32', 4, [7, -1])]);
    const { data } = decodeNdarray({ dtype: 'int32', shape: [2], buffer: u8.subarray(1) });
    assert.deepEqual([...data], [7, -1]);
    u8[1] = 0;
    assert.equal(data[0], 7, 'not a view of the wire bytes');
  });

  it('refuses malformed sparse forms', () => {
    const int32 = (values) => ({ dtype: 'int32', shape: [values.length], b64: b64(bytes('setInt32', 4, values)) });
    const sparse = (indices, values) => ({ dtype: 'int32', shape: [4], sparse: { indices: int32(indices), values: int32(values) } });
    assert.throws(() => decodeNdarray(sparse([1, 4], [1, 2])), /sparse index 4 is out of order or outside shape \[4\]/);
    assert.throws(() => decodeNdarray(sparse([2, 1], [1, 2])), /sparse index 1 is out of order/);
    assert.throws(() => decodeNdarray(sparse([-1], [1])), /sparse index -1/);
    assert.throws(() => decodeNdarray(sparse([1, 2], [1])), /2 sparse indices but 1 values/);
    assert.throws(() => decodeNdarray({ dtype: 'uint8', shape: [4], sparse: { indices: int32([1]), values: int32([1]) } }), /sparse form needs int32 "indices" and "values" of uint8/);
    assert.throws(() => decodeNdarray({ dtype: 'uint8', shape: [4], sparse: null }), /sparse form needs/);
  });

  it('throws errors naming the problem', () => {
    const buffer = new ArrayBuffer(8);
    assert.throws(() => decodeNdarray({ dtype: 'int32', shape: [3], buffer }), /8 bytes do not match shape \[3\] of int32 \(expected 12\)/);
    assert.throws(() => decodeNdarray({ dtype: 'float64', shape: [1], buffer }), /unsupported dtype "float64"/);
    assert.throws(() => decodeNdarray({ dtype: 'toString', shape: [1], buffer }), /unsupported dtype/);
    assert.throws(() => decodeNdarray({ dtype: 'int32', shape: [2, -1], buffer }), /shape must be an array of non-negative integers/);
    assert.throws(() => decodeNdarray({ dtype: 'int32', shape: [2] }), /missing payload/);
    assert.throws(() => decodeNdarray({ dtype: 'int32', shape: [2], b64: '@@@' }), /not valid base64/);
    assert.throws(() => decodeNdarray(null), /expected an object/);
  });
});

describe('halfToFloat', () => {
  it('converts normals, subnormals, zeros, infinities and NaN', () => {
    assert.equal(halfToFloat(0x3c00), 1);
    assert.equal(halfToFloat(0x3800), 0.5);
    assert.equal(halfToFloat(0x0400), 2 ** -14); // smallest normal
    assert.equal(halfToFloat(0x03ff), 1023 * 2 ** -24); // largest subnormal
    assert.ok(Object.is(halfToFloat(0x8000), -0));
    assert.equal(halfToFloat(0x7c00), Infinity);
    assert.ok(Number.isNaN(halfToFloat(0x7e00)));
  });
});
