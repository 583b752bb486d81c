/**
 * Every number shown as text by the views: counts, percentages, losses, learning rates, axis
 * ticks and confusion-matrix cells. One behaviour per function; pure, no DOM, locale-independent.
 */

/** Shown where there is no value (NaN, missing). */
export const MISSING = '—';

/** Integer with thousands separators: 1482 -> "1,482", -1500 -> "-1,500" (rounded first). */
export function formatCount(n) {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Count with three significant digits and K / M / B: 683072 -> "683K", 21285672 -> "21.3M", 950 -> "950"; not finite -> "?". */
export function formatCompactCount(n) {
  if (!Number.isFinite(n)) return '?';
  const magnitude = Math.abs(n);
  for (const [size, suffix] of [[1e9, 'B'], [1e6, 'M'], [1e3, 'K']]) {
    // From 0.9995 of a unit, rounding carries into it (999,999 -> "1M", not "1000K").
    if (magnitude >= size * 0.9995) return `${trimZeros((n / size).toPrecision(3))}${suffix}`;
  }
  return String(Math.round(n));
}

function trimZeros(text) {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/**
 * A share (1 = 100 %) as a percentage: one decimal, two below 1 % (0.031 -> "3.1%",
 * 0.0042 -> "0.42%"). One rule at both ends: a share that rounds to 0 % or 100 % at that
 * precision reads "0%" / "100%" (0.99999 and 1 both "100%", 0.00004 and 0 both "0%"), so no
 * "<" / ">" bounds appear. Not a number -> MISSING.
 */
export function formatPercent(share) {
  if (typeof share !== 'number' || Number.isNaN(share)) return MISSING;
  const percent = share * 100;
  const text = percent.toFixed(Math.abs(percent) < 1 ? 2 : 1);
  const rounded = Number(text);
  if (rounded === 0) return '0%';
  if (rounded === 100) return '100%';
  return `${text}%`;
}

/** Loss of one item with two decimals, as fastai's `plot_top_losses`: 4.1234 -> "4.12"; ±Infinity -> "∞" / "-∞"; NaN -> MISSING. */
export function formatItemLoss(x) {
  if (typeof x !== 'number' || Number.isNaN(x)) return MISSING;
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  return x.toFixed(2);
}

/** Loss with four significant digits: 0.23456 -> "0.2346"; tiny or huge values in scientific notation. */
export function formatLoss(x) {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  const magnitude = Math.abs(x);
  if (magnitude < 1e-3 || magnitude >= 1e4) return x.toExponential(2).replace('e+', 'e');
  return x.toPrecision(4);
}

/** Metric value (or validation loss) with up to four significant digits, trailing zeros dropped: 0.0641234 -> "0.06412", 1.5 -> "1.5". */
export function formatMetric(x) {
  return String(Number(x.toPrecision(4)));
}

/** Learning rate in short scientific notation: 0.003 -> "3.0e-3", 10 -> "1.0e1". */
export function formatLr(x) {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  return x.toExponential(1).replace('e+', 'e');
}

/** Label of a decade tick of a log axis: 1e-5, 1e0, 1e2 (null when `value` is not a power of ten). */
export function formatDecade(value) {
  if (!(value > 0)) return null;
  const exponent = Math.round(Math.log10(value));
  return Math.abs(value / 10 ** exponent - 1) < 1e-9 ? `1e${exponent}` : null;
}

/** Label of a linear tick, with as many decimals as its `step` needs: (0.25, 0.05) -> "0.25". */
export function formatTick(value, step) {
  const decimals = step > 0 && step < 1 ? Math.min(20, Math.ceil(-Math.log10(step) - 1e-9)) : 0;
  const text = value.toFixed(decimals);
  return Number(text) === 0 ? (0).toFixed(decimals) : text;
}

/** Value written in a confusion-matrix cell: the count (`normalize` null), or two decimals when normalised (as fastai's plot). */
export function formatCell(value, normalize) {
  return normalize === null ? String(Math.round(value)) : value.toFixed(2);
}

/**
 * A score (precision, recall, F1, accuracy) with two decimals exactly as Python's `'{:.2f}'`,
 * i.e. as scikit-learn's `classification_report` prints it: the exact binary value rounded to
 * nearest, exact ties (0.125, 0.375, ...: odd multiples of 1/8) to even, where JS's toFixed
 * rounds them up. 0.125 -> "0.12", 0.375 -> "0.38", 0.07 -> "0.07"; not finite -> MISSING.
 */
export function formatScore(x) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return MISSING;
  const eighths = x * 8; // exact
  if (!Number.isInteger(eighths) || eighths % 2 === 0) return x.toFixed(2);
  const down = Math.floor(x * 100); // x * 100 is exact here: an odd multiple of 12.5
  return ((down % 2 === 0 ? down : down + 1) / 100).toFixed(2);
}

/** A duration in seconds as a clock: 5 -> "0:05", 65.4 -> "1:05", 3723 -> "1:02:03"; negative or not finite -> MISSING. */
export function formatDuration(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return MISSING;
  const total = Math.round(seconds);
  const [h, m, s] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  const pad = (n) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}
