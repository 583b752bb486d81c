/**
 * Colour lookup tables (LUTs) and value normalisation.
 * A LUT is a Uint8Array of 256 RGB triples (768 bytes), indexed like matplotlib:
 * value t in [0, 1] -> entry min(255, floor(t * 256)).
 */

/** Number of entries in every LUT. */
export const LUT_SIZE = 256;

/** Grey for inactive entries (frozen layers, masked cells). */
export const FROZEN_GREY = Object.freeze([189, 189, 189]);

// matplotlib's viridis (CC0), 256 entries as 6 hex digits each.
const VIRIDIS_HEX =
  '44015444025645045745055946075a46085c460a5d460b5e470d60470e6147106347116447136548146748166848176948186a481a6c481b6d481c6e481d6f481f70482071482173482374482475482576482677482878482979472a7a472c7a472d7b472e7c472f7d46307e46327e46337f463480453581453781453882443983443a83443b84433d84433e85423f854240864241864142874144874045884046883f47883f48893e49893e4a893e4c8a3d4d8a3d4e8a3c4f8a3c508b3b518b3b528b3a538b3a548c39558c39568c38588c38598c375a8c375b8d365c8d365d8d355e8d355f8d34608d34618d33628d33638d32648e32658e31668e31678e31688e30698e306a8e2f6b8e2f6c8e2e6d8e2e6e8e2e6f8e2d708e2d718e2c718e2c728e2c738e2b748e2b758e2a768e2a778e2a788e29798e297a8e297b8e287c8e287d8e277e8e277f8e27808e26818e26828e26828e25838e25848e25858e24868e24878e23888e23898e238a8d228b8d228c8d228d8d218e8d218f8d21908d21918c20928c20928c20938c1f948c1f958b1f968b1f978b1f988b1f998a1f9a8a1e9b8a1e9c891e9d891f9e891f9f881fa0881fa1881fa1871fa28720a38620a48621a58521a68522a78522a88423a98324aa8325ab8225ac8226ad8127ad8128ae8029af7f2ab07f2cb17e2db27d2eb37c2fb47c31b57b32b67a34b67935b77937b87838b9773aba763bbb753dbc743fbc7340bd7242be7144bf7046c06f48c16e4ac16d4cc26c4ec36b50c46a52c56954c56856c66758c7655ac8645cc8635ec96260ca6063cb5f65cb5e67cc5c69cd5b6ccd5a6ece5870cf5773d05675d05477d1537ad1517cd2507fd34e81d34d84d44b86d54989d5488bd6468ed64590d74393d74195d84098d83e9bd93c9dd93ba0da39a2da37a5db36a8db34aadc32addc30b0dd2fb2dd2db5de2bb8de29bade28bddf26c0df25c2df23c5e021c8e020cae11fcde11dd0e11cd2e21bd5e21ad8e219dae319dde318dfe318e2e418e5e419e7e419eae51aece51befe51cf1e51df4e61ef6e620f8e621fbe723fde725';

// ColorBrewer "Blues" control points, as matplotlib's `Blues` (fastai's confusion matrix).
const BLUES_STOPS = ['f7fbff', 'deebf7', 'c6dbef', '9ecae1', '6baed6', '4292c6', '2171b5', '08519c', '08306b'];

/** Decodes a string of 6-digit hex colours into RGB bytes. */
function hexToBytes(hex) {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** A LUT interpolated linearly between evenly spaced hex colour stops. */
export function lutFromStops(stops) {
  const points = hexToBytes(stops.join(''));
  const segments = stops.length - 1;
  const lut = new Uint8Array(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; i++) {
    const x = (i / (LUT_SIZE - 1)) * segments;
    const k = Math.min(segments - 1, Math.floor(x));
    const f = x - k;
    for (let c = 0; c < 3; c++) {
      lut[i * 3 + c] = Math.round(points[k * 3 + c] * (1 - f) + points[(k + 1) * 3 + c] * f);
    }
  }
  return lut;
}

/** Perceptually uniform sequential map (dark purple -> yellow). */
export const VIRIDIS = /* @__PURE__ */ hexToBytes(VIRIDIS_HEX);

/** White -> dark blue sequential map. */
export const BLUES = /* @__PURE__ */ lutFromStops(BLUES_STOPS);

/** LUT entry for t in [0, 1] (clamped; NaN -> 0). */
export function lutIndex(t) {
  if (!(t > 0)) return 0;
  return Math.min(LUT_SIZE - 1, Math.floor(t * LUT_SIZE));
}

/** RGB triple of `lut` at t in [0, 1]. */
export function lutRgb(lut, t) {
  const i = lutIndex(t) * 3;
  return [lut[i], lut[i + 1], lut[i + 2]];
}

/** Black or white, whichever reads better on the RGB background (WCAG relative luminance). */
export function contrastText(rgb) {
  const [r, g, b] = rgb.map((v) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.179 ? '#000' : '#fff';
}

/**
 * Function mapping values (e.g. counts) to [0, 1] for a LUT, over [0, max of `values`].
 * 'log' maps log1p(v / unit) / log1p(max / unit), with `unit` the smallest positive value
 * (1 for counts, so plain log1p(v) / log1p(max); fractions get the same contrast).
 * @param {ArrayLike<number>} values
 * @param {{scale?: 'linear'|'log', exclude?: (index: number) => boolean}} [options]
 *   `exclude` skips indices when finding the extent (e.g. a hidden diagonal)
 * @returns {((v: number) => number) & {max: number}} negative and NaN values map to 0
 */
export function normalizer(values, { scale = 'linear', exclude } = {}) {
  if (scale !== 'linear' && scale !== 'log') throw new Error(`unknown colour scale "${scale}"`);
  let max = 0;
  let unit = Infinity;
  for (let i = 0; i < values.length; i++) {
    if (exclude && exclude(i)) continue;
    const v = values[i];
    if (v > max) max = v;
    if (v > 0 && v < unit) unit = v;
  }
  let map;
  if (!(max > 0) || !Number.isFinite(max)) map = () => 0;
  else if (scale === 'linear') map = (v) => (v > 0 ? Math.min(1, v / max) : 0);
  else {
    const top = Math.log1p(max / unit);
    map = (v) => (v > 0 ? Math.min(1, Math.log1p(v / unit) / top) : 0);
  }
  return Object.assign(map, { max });
}

// Diverging maps for a difference (B − A): blue below zero, a neutral middle at zero, red above.
// Light: ColorBrewer "RdBu" reversed, as matplotlib's `RdBu_r` (the middle is near white).
const RDBU_R_STOPS = ['053061', '2166ac', '4393c3', '92c5de', 'd1e5f0', 'f7f7f7', 'fddbc7', 'f4a582', 'd6604d', 'b2182b', '67001f'];
// Dark backgrounds: the same hues with a dark middle, so zero stays quiet and the ends are the brightest.
const RDBU_DARK_STOPS = ['c6dbef', '6baed6', '3182bd', '1f5a8c', '243b55', '2a2f36', '5c2a2a', '9e2a2b', 'd6604d', 'f4a582', 'fddbc7'];

/** Diverging map for light backgrounds: dark blue -> near white (0.5) -> dark red (matplotlib's RdBu_r). */
export const DIVERGING = /* @__PURE__ */ lutFromStops(RDBU_R_STOPS);

/** Diverging map for dark backgrounds: pale blue -> dark grey (0.5) -> pale red. */
export const DIVERGING_DARK = /* @__PURE__ */ lutFromStops(RDBU_DARK_STOPS);

/**
 * Function mapping signed values (a difference) to [0, 1] for a diverging LUT: 0 -> 0.5 (the
 * neutral middle), -max -> 0, +max -> 1, with max the largest |value|. A nonzero value is at
 * least `floor` of the half-range away from the middle, and `gamma` < 1 lifts small changes
 * (t = 0.5 ± 0.5 · (floor + (1 − floor) · (|v| / max)^gamma)), so every change shows and the
 * largest are the strongest. NaN maps to 0.5.
 * @param {ArrayLike<number>} values
 * @param {{floor?: number, gamma?: number}} [options]
 * @returns {((v: number) => number) & {max: number, invert: (t: number) => number}}
 *   `invert` maps a position of the LUT back to a value (0 inside the floor), for legends
 */
export function divergingNormalizer(values, { floor = 0, gamma = 1 } = {}) {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const m = Math.abs(values[i]);
    if (m > max && Number.isFinite(m)) max = m;
  }
  const map = (v) => {
    if (!(v !== 0 && max > 0) || Number.isNaN(v)) return 0.5;
    const share = Math.min(1, Math.abs(v) / max) ** gamma;
    return 0.5 + Math.sign(v) * 0.5 * (floor + (1 - floor) * share);
  };
  const invert = (t) => {
    const d = Math.abs(t - 0.5) * 2;
    if (!(max > 0) || d <= floor) return 0;
    return Math.sign(t - 0.5) * max * ((d - floor) / (1 - floor)) ** (1 / gamma);
  };
  return Object.assign(map, { max, invert });
}
