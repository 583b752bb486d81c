/**
 * Linear and log10 scales and axis ticks for charts (tick labels are in format.js).
 * A scale is a plain object: `{domain, range, map(x), invert(y)}`.
 */

/**
 * Linear map from `domain` [d0, d1] to `range` [r0, r1].
 * @param {[number, number]} domain
 * @param {[number, number]} range
 * @param {{clamp?: boolean}} [options] with `clamp`, outputs stay inside the range (and inverted values inside the domain)
 */
export function linearScale(domain, range, { clamp = false } = {}) {
  return affineScale(domain, range, clamp, identity, identity);
}

/**
 * Log10 map from a positive `domain` to `range` (for learning rates).
 * @param {[number, number]} domain both ends > 0
 * @param {[number, number]} range
 * @param {{clamp?: boolean}} [options]
 */
export function logScale(domain, range, { clamp = false } = {}) {
  if (!(domain[0] > 0 && domain[1] > 0)) {
    throw new RangeError(`log scale domain must be positive, got [${domain}]`);
  }
  return affineScale(domain, range, clamp, Math.log10, (y) => 10 ** y);
}

function identity(x) {
  return x;
}

function clamp01(t) {
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

/** A scale that is affine after `forward` (identity or log10). */
function affineScale(domain, range, clamp, forward, backward) {
  const d0 = forward(domain[0]);
  const span = forward(domain[1]) - d0;
  const [r0, r1] = range;
  const fraction = (t) => (clamp ? clamp01(t) : t);
  return {
    domain: [domain[0], domain[1]],
    range: [r0, r1],
    map: (x) => r0 + fraction(span === 0 ? 0.5 : (forward(x) - d0) / span) * (r1 - r0),
    invert: (y) => backward(d0 + fraction(r1 === r0 ? 0.5 : (y - r0) / (r1 - r0)) * span),
  };
}

/**
 * Step between "nice" ticks (1, 2 or 5 times a power of ten) giving about `count` ticks.
 * @returns {number} the step, or 0 when the interval is empty or not finite
 */
export function tickStep(min, max, count = 5) {
  const span = Math.abs(max - min);
  if (!(span > 0) || !Number.isFinite(span) || !(count > 0)) return 0;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  const factor = error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1;
  return factor * power;
}

/**
 * Nice ticks inside [min, max] for a linear axis, free of float noise (0.30000000000000004).
 * @returns {number[]} ascending ticks; `[min]` when min === max
 */
export function niceTicks(min, max, count = 5) {
  if (min === max) return Number.isFinite(min) ? [min] : [];
  const lo = Math.min(min, max);
  const hi = Math.max(min, max);
  const step = tickStep(lo, hi, count);
  if (step === 0) return [];
  // Work in integer multiples; divide by 1/step when step < 1 for exact decimals.
  const inverse = step < 1 ? Math.round(1 / step) : 0;
  const toTick = inverse ? (i) => i / inverse : (i) => i * step;
  const first = inverse ? Math.ceil(lo * inverse) : Math.ceil(lo / step);
  const last = inverse ? Math.floor(hi * inverse) : Math.floor(hi / step);
  const ticks = [];
  for (let i = first; i <= last; i++) ticks.push(toTick(i));
  return ticks;
}

/**
 * Ticks for a log10 axis: decades as major ticks, 2x and 5x each decade as minor ticks.
 * Ticks are exact decimal literals (2e-7, not 2 * 1e-7).
 * @returns {{major: number[], minor: number[]}} ascending, inside [min, max]
 */
export function logTicks(min, max) {
  const lo = Math.min(min, max);
  const hi = Math.max(min, max);
  if (!(lo > 0) || !Number.isFinite(hi)) return { major: [], minor: [] };
  const inside = (v) => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9);
  const major = [];
  const minor = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = Number(`${m}e${e}`);
      if (inside(v)) (m === 1 ? major : minor).push(v);
    }
  }
  return { major, minor };
}
