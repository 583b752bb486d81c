/**
 * A timeline that grows while a fit runs, without the DOM. The dashboard's Python side sends
 * the new iterations as `petlens:append` messages (binary buffers) instead of setting the
 * timeline traits again: `{type, view, start, arrays: {phase, epoch, loss, lrs, moms,
 * trainable: {dtype, shape, buffer: i}}}`, `start` being the iterations the front end already
 * has. A growing timeline holds the traits last set whole plus what was appended since, and
 * hands them out in the wire format (so `readTimeline` reads them as traits); a message whose
 * `start` is not its length is ignored: the next full set of traits brings everything.
 */
import { decodeNdarray } from './ndarray.js';

/** The `type` of an append message. */
export const APPEND = 'petlens:append';

/** The per-iteration traits of the timeline and their rank (2: [iterations, layer groups]). */
export const ITERATION_ARRAYS = Object.freeze({ phase: 1, epoch: 1, loss: 1, lrs: 2, moms: 2, trainable: 2 });

/**
 * Decodes an append message.
 * @param {{start: number, arrays: Record<string, object>}} content
 * @param {(ArrayBuffer|ArrayBufferView)[]} buffers the message's binary buffers
 * @returns {{start: number, n: number, arrays: Record<string, {dtype: string, data: ArrayLike<number>, width: number}>}}
 *   `n` new iterations; `width` the columns of a 2-d array (1 for a vector)
 * @throws {Error} naming what is missing or does not agree
 */
export function decodeAppend(content, buffers = []) {
  const start = content?.start;
  if (!Number.isInteger(start) || start < 0) throw new Error(`append: start must be a non-negative integer, got ${start}`);
  const arrays = {};
  let n = null;
  for (const [name, rank] of Object.entries(ITERATION_ARRAYS)) {
    const wire = content.arrays?.[name];
    if (!wire) throw new Error(`append: no "${name}"`);
    const { data, shape } = decodeNdarray(wire, buffers);
    if (shape.length !== rank) throw new Error(`append: ${name} must be ${rank}-d, got shape [${shape}]`);
    if (n === null) n = shape[0];
    if (shape[0] !== n) throw new Error(`append: ${name} has ${shape[0]} iterations, phase has ${n}`);
    arrays[name] = { dtype: wire.dtype, data, width: rank === 2 ? shape[1] : 1 };
  }
  return { start, n, arrays };
}

/** Iterations in the timeline traits as set (the length of `loss`; 0 when there is none). */
export function traitLength(get) {
  const shape = get('loss')?.shape;
  return Array.isArray(shape) && Number.isInteger(shape[0]) ? shape[0] : 0;
}

/**
 * The timeline traits plus the iterations appended since they were set.
 *
 * `T` is null while nothing was appended (the traits are the whole timeline). `following`:
 * whether the cursor sits at the end (it then stays at the end as iterations arrive); it starts
 * true when the traits' cursor is at or past their last iteration (or not a number).
 * @returns {{T: number|null, following: boolean, append: Function, wire: Function, reset: Function}}
 */
export function createGrowingTimeline() {
  let columns = null; // name -> {dtype, width, data (capacity rows), Array}
  const timeline = {
    T: null,
    following: true,
    /**
     * Appends a decoded message to the traits read through `get` (name -> wire value).
     * @returns {boolean} whether it was appended (false: `start` or the shapes do not match)
     */
    append(get, message) {
      const T = timeline.T ?? traitLength(get);
      if (message.start !== T || message.n === 0) return false;
      const base = timeline.T === null ? readBase(get, T) : columns;
      if (!base) return false;
      for (const [name, chunk] of Object.entries(message.arrays)) {
        const column = base[name];
        if (T > 0 && (column.dtype !== chunk.dtype || column.width !== chunk.width)) return false;
      }
      if (timeline.T === null) {
        columns = base;
        const cursor = get('cursor');
        timeline.following = !(typeof cursor === 'number' && Number.isFinite(cursor) && Math.round(cursor) < T - 1);
      }
      for (const [name, chunk] of Object.entries(message.arrays)) columns[name] = grow(columns[name], T, chunk);
      timeline.T = T + message.n;
      return true;
    },
    /** The trait `name` in the wire format (undefined for a trait that is not per iteration, or before any append). */
    wire(name) {
      const column = columns && timeline.T !== null ? columns[name] : undefined;
      if (!column) return undefined;
      const { T } = timeline;
      const shape = ITERATION_ARRAYS[name] === 2 ? [T, column.width] : [T];
      return { dtype: column.dtype, shape, buffer: column.data.subarray(0, T * column.width) };
    },
    /** Back to the traits alone (they were set whole). */
    reset() {
      columns = null;
      timeline.T = null;
      timeline.following = true;
    },
  };
  return timeline;
}

/** The per-iteration traits decoded, as columns to grow (null when one cannot be read). */
function readBase(get, T) {
  const base = {};
  for (const [name, rank] of Object.entries(ITERATION_ARRAYS)) {
    if (T === 0) {
      base[name] = null;
      continue;
    }
    try {
      const { data, shape } = decodeNdarray(get(name));
      if (shape.length !== rank || shape[0] !== T) return null;
      base[name] = { dtype: get(name).dtype, width: rank === 2 ? shape[1] : 1, data };
    } catch {
      return null;
    }
  }
  return base;
}

/** `column` (T rows, or null) with `chunk`'s rows after them; the storage doubles when full. */
function grow(column, T, chunk) {
  const width = chunk.width;
  const needed = (T + chunk.data.length / width) * width;
  let target = column;
  if (!target || target.data.length < needed) {
    const ArrayType = chunk.data.constructor;
    const data = new ArrayType(Math.max(needed, 2 * (target ? target.data.length : 0)));
    if (target) data.set(target.data.subarray(0, T * width));
    target = { dtype: chunk.dtype, width, data };
  }
  target.data.set(chunk.data, T * width);
  return target;
}
