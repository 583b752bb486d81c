/**
 * Cursor animation maths of the timeline, with time passed in (no clock, no DOM):
 * a fractional play position advanced by elapsed milliseconds, and a throttle for
 * writing the cursor back to the model.
 */

/** Seconds the whole timeline takes at speed 1. */
export const PLAY_SECONDS = 10;

/** Speeds offered by the speed select. */
export const SPEEDS = Object.freeze([0.5, 1, 2, 4]);

/** Minimum time between two cursor writes to the model while playing or scrubbing, ms (~10 per second). */
export const WRITE_INTERVAL_MS = 100;

/** Longest step of one frame, ms: a frame after a stall (hidden tab) does not jump ahead. */
export const MAX_FRAME_MS = 100;

/** The `speed` trait: a positive finite number as is, anything else the slowest speed offered (SPEEDS[0]). */
export function readSpeed(value) {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : SPEEDS[0];
}

/** The `cursor` trait as an iteration in 0..T-1 (0 when T = 0). */
export function readCursor(value, T) {
  if (!(T > 0)) return 0;
  const i = typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : T - 1;
  return Math.min(T - 1, Math.max(0, i));
}

/** Iterations per millisecond: T iterations in PLAY_SECONDS / speed. */
export function iterationsPerMs(T, speed) {
  return (T / (PLAY_SECONDS * 1000)) * readSpeed(speed);
}

/** Where playing starts: from 0 when the cursor is at the end, otherwise from the cursor. */
export function playStart(cursor, T) {
  return cursor >= T - 1 ? 0 : Math.max(0, cursor);
}

/**
 * Advances a fractional play position by `elapsedMs` (clamped to 0..MAX_FRAME_MS).
 * @returns {{position: number, cursor: number, done: boolean}} `done` at the last iteration
 */
export function advance(position, elapsedMs, T, speed) {
  const last = Math.max(0, T - 1);
  const dt = Math.min(MAX_FRAME_MS, Math.max(0, Number.isFinite(elapsedMs) ? elapsedMs : 0));
  const next = position + dt * iterationsPerMs(T, speed);
  if (next >= last) return { position: last, cursor: last, done: true };
  return { position: next, cursor: Math.floor(next), done: false };
}

/**
 * A throttle: `due(now)` is true on the first call and then when `intervalMs` have passed since
 * the last true; `reset()` makes the next call due.
 * @returns {{due: (now: number) => boolean, reset: () => void}}
 */
export function createThrottle(intervalMs = WRITE_INTERVAL_MS) {
  let last = -Infinity;
  return {
    due(now) {
      if (now - last < intervalMs) return false;
      last = now;
      return true;
    },
    reset() {
      last = -Infinity;
    },
  };
}

/** Label of a speed: 0.5 -> "0.5×", 2 -> "2×". */
export function speedLabel(speed) {
  return `${Number(speed.toPrecision(3))}×`;
}
