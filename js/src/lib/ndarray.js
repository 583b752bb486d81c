/**
 * Decodes the n-dimensional arrays sent by the Python side:
 * `{dtype, shape, buffer}` (anywidget binary buffer: DataView, ArrayBuffer or Uint8Array)
 * or `{dtype, shape, b64}` (base64 text, in the offline report). Bytes are little-endian, C order.
 */

/** Per dtype: bytes per element, the decoded array type, and a little-endian reader. */
const DTYPES = {
  uint8: { size: 1, Array: Uint8Array, read: (view, offset) => view.getUint8(offset) },
  int16: { size: 2, Array: Int16Array, read: (view, offset) => view.getInt16(offset, true) },
  int32: { size: 4, Array: Int32Array, read: (view, offset) => view.getInt32(offset, true) },
  int64: { size: 8, Array: Float64Array, read: (view, offset) => Number(view.getBigInt64(offset, true)) },
  float16: { size: 2, Array: Float32Array, read: (view, offset) => halfToFloat(view.getUint16(offset, true)) },
  float32: { size: 4, Array: Float32Array, read: (view, offset) => view.getFloat32(offset, true) },
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
 * @param {{dtype: string, shape: number[], buffer?: ArrayBuffer|ArrayBufferView, b64?: string}} wire
 * @returns {{data: Uint8Array|Int16Array|Int32Array|Float32Array|Float64Array, shape: number[]}}
 * @throws {Error} naming the problem (unknown dtype, bad shape, missing or mis-sized bytes)
 */
export function decodeNdarray(wire) {
  if (wire === null || typeof wire !== 'object') throw new Error('ndarray: expected an object {dtype, shape, buffer|b64}');
  const spec = Object.prototype.hasOwnProperty.call(DTYPES, wire.dtype) ? DTYPES[wire.dtype] : undefined;
  if (!spec) throw new Error(`ndarray: unsupported dtype "${wire.dtype}" (expected one of ${SUPPORTED_DTYPES.join(', ')})`);
  const shape = checkShape(wire.shape);
  const length = shape.reduce((n, d) => n * d, 1);
  const view = bytesOf(wire);
  if (view.byteLength !== length * spec.size) {
    throw new Error(
      `ndarray: ${view.byteLength} bytes do not match shape [${shape}] of ${wire.dtype} (expected ${length * spec.size})`,
    );
  }
  const data = new spec.Array(length);
  for (let i = 0; i < length; i++) data[i] = spec.read(view, i * spec.size);
  return { data, shape };
}

function checkShape(shape) {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`ndarray: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return shape.slice();
}

/** A DataView over the payload bytes, whichever form they came in. */
function bytesOf(wire) {
  const { buffer, b64 } = wire;
  if (buffer instanceof ArrayBuffer) return new DataView(buffer);
  if (ArrayBuffer.isView(buffer)) return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (typeof b64 === 'string') return new DataView(base64ToBytes(b64).buffer);
  throw new Error('ndarray: missing payload (expected "buffer" as ArrayBuffer/DataView/Uint8Array or "b64" as a string)');
}

function base64ToBytes(text) {
  let binary;
  try {
    binary = atob(text);
  } catch {
    throw new Error('ndarray: "b64" is not valid base64');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
