/**
 * Decodes the n-dimensional arrays sent by the Python side:
 * `{dtype, shape, buffer}` (anywidget binary buffer: DataView, ArrayBuffer or Uint8Array; in a
 * custom message `buffer` is the index of the message's binary buffer holding the bytes),
 * `{dtype, shape, b64}` (base64 text, in the offline report) or, for mostly-zero arrays in the
 * report, `{dtype, shape, sparse: {indices, values}}`. Bytes are little-endian, C order.
 */

/**
 * Per dtype: bytes per element, the decoded array type, a little-endian reader, and
 * whether the decoded type has the same bytes (`same`: decoded by copying the bytes).
 */
const DTYPES = {
  uint8: { size: 1, Array: Uint8Array, same: true, read: (view, offset) => view.getUint8(offset) },
  int16: { size: 2, Array: Int16Array, same: true, read: (view, offset) => view.getInt16(offset, true) },
  int32: { size: 4, Array: Int32Array, same: true, read: (view, offset) => view.getInt32(offset, true) },
  int64: { size: 8, Array: Float64Array, read: (view, offset) => Number(view.getBigInt64(offset, true)) },
  float16: { size: 2, Array: Float32Array, read: (view, offset) => halfToFloat(view.getUint16(offset, true)) },
  float32: { size: 4, Array: Float32Array, same: true, read: (view, offset) => view.getFloat32(offset, true) },
};

/** Names of the supported dtypes. */
export const SUPPORTED_DTYPES = Object.freeze(Object.keys(DTYPES));

/**
 * Converts IEEE 754 half-precision bits to a number.
 * @param {number} bits unsigned 16-bit pattern
 */
export function halfToFloat(bits) {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero and subnormals
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/**
 * Decodes a wire ndarray into a typed array.
 * float16 -> Float32Array, int64 -> Float64Array (exact up to 2**53), others keep their type.
 * The sparse form `{dtype, shape, sparse: {indices, values}}` (two wire ndarrays: int32 flat
 * C-order positions, strictly ascending, and the elements there; all others are 0) also
 * returns those positions as `nonzero`.
 * @param {{dtype: string, shape: number[], buffer?: ArrayBuffer|ArrayBufferView|number, b64?: string,
 *          sparse?: {indices: object, values: object}}} wire
 * @param {(ArrayBuffer|ArrayBufferView)[]} [buffers] a custom message's binary buffers, for
 *   `buffer: i` (the bytes are `buffers[i]`)
 * @returns {{data: Uint8Array|Int16Array|Int32Array|Float32Array|Float64Array, shape: number[], nonzero?: Int32Array}}
 * @throws {Error} naming the problem (unknown dtype, bad shape, missing or mis-sized bytes)
 */
export function decodeNdarray(wire, buffers = []) {
  if (wire === null || typeof wire !== 'object') throw new Error('ndarray: expected an object {dtype, shape, buffer|b64}');
  const spec = Object.prototype.hasOwnProperty.call(DTYPES, wire.dtype) ? DTYPES[wire.dtype] : undefined;
  if (!spec) throw new Error(`ndarray: unsupported dtype "${wire.dtype}" (expected one of ${SUPPORTED_DTYPES.join(', ')})`);
  const shape = checkShape(wire.shape);
  const length = shape.reduce((n, d) => n * d, 1);
  if (wire.sparse !== undefined) return decodeSparse(wire, spec, shape, length);
  const view = bytesOf(wire, buffers);
  if (view.byteLength !== length * spec.size) {
    throw new Error(
      `ndarray: ${view.byteLength} bytes do not match shape [${shape}] of ${wire.dtype} (expected ${length * spec.size})`,
    );
  }
  return { data: decodeBytes(view, spec, length), shape };
}

function decodeSparse(wire, spec, shape, length) {
  const { indices, values } = wire.sparse || {};
  if (indices?.dtype !== 'int32' || values?.dtype !== wire.dtype) {
    throw new Error(`ndarray: sparse form needs int32 "indices" and "values" of ${wire.dtype}`);
  }
  const at = decodeNdarray(indices).data;
  const found = decodeNdarray(values).data;
  if (at.length !== found.length) throw new Error(`ndarray: ${at.length} sparse indices but ${found.length} values`);
  const data = new spec.Array(length);
  let previous = -1;
  for (let k = 0; k < at.length; k++) {
    const i = at[k];
    if (!(i > previous && i < length)) throw new Error(`ndarray: sparse index ${i} is out of order or outside shape [${shape}]`);
    data[i] = found[k];
    previous = i;
  }
  return { data, shape, nonzero: at };
}

/** True on little-endian hosts (all current browsers and Node platforms). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The elements of `view` as a fresh typed array: one byte copy when the host is
 * little-endian and the dtype needs no conversion, element by element otherwise.
 */
function decodeBytes(view, spec, length) {
  const { Array: ArrayType, size } = spec;
  if (spec.same && (LITTLE_ENDIAN || size === 1)) {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
    return new ArrayType(bytes.buffer, 0, length);
  }
  const data = new ArrayType(length);
  for (let i = 0; i < length; i++) data[i] = spec.read(view, i * size);
  return data;
}

function checkShape(shape) {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`ndarray: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return shape.slice();
}

/** A DataView over the payload bytes, whichever form they came in. */
function bytesOf(wire, buffers) {
  const { b64 } = wire;
  let { buffer } = wire;
  if (typeof buffer === 'number') {
    if (!Number.isInteger(buffer) || buffer < 0 || buffer >= buffers.length) {
      throw new Error(`ndarray: buffer index ${buffer} but the message has ${buffers.length} binary buffers`);
    }
    buffer = buffers[buffer];
  }
  if (buffer instanceof ArrayBuffer) return new DataView(buffer);
  if (ArrayBuffer.isView(buffer)) return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (typeof b64 === 'string') return new DataView(base64ToBytes(b64).buffer);
  throw new Error('ndarray: missing payload (expected "buffer" as ArrayBuffer/DataView/Uint8Array or "b64" as a string)');
}

function base64ToBytes(text) {
  try {
    // Native decoder where there is one (Chromium 140+, Firefox 133+, Safari 18.2+): no binary string.
    if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    throw new Error('ndarray: "b64" is not valid base64');
  }
}
