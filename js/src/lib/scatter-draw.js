/**
 * Draws scatter points into an RGBA pixel buffer (an ImageData's bytes): each point a disc,
 * anti-aliased by its coverage of each pixel, composited "over" what is there. No canvas
 * path per point: 50,000 points are a few million typed-array writes (about 10 ms), put on
 * the canvas with one putImageData. Pure, no DOM.
 */

/**
 * @param {Uint8ClampedArray} rgba pixels, width x height x 4, non-premultiplied (as ImageData)
 * @param {{width: number, height: number, u: Float32Array, v: Float32Array, order: Int32Array,
 *          colorOf: Uint16Array, palette: Uint8Array, zoom: {scale: number, tx: number, ty: number},
 *          side: number, dpr: number, radius: number, highlight?: Uint8Array|null,
 *          dimAlpha?: number}} options
 *   `side` and `zoom` in CSS px (as lib/scatter-geometry.js), `radius` CSS px; with `highlight`
 *   the points it marks (1) are drawn last at full opacity, the others first at `dimAlpha`
 * @returns {{drawn: number, highlighted: number}} points drawn (inside the buffer), of them highlighted
 */
export function drawPoints(rgba, options) {
  const { highlight = null, dimAlpha = 0.15 } = options;
  if (!highlight) return { drawn: pass(rgba, options, null, 1, 1), highlighted: 0 };
  const dimmed = pass(rgba, options, highlight, 0, dimAlpha);
  const highlighted = pass(rgba, options, highlight, 1, 1);
  return { drawn: dimmed + highlighted, highlighted };
}

/** Sub-pixel steps of a point's centre: discs are stamped from SUB x SUB precomputed masks. */
const SUB = 4;

/**
 * Coverage masks of a disc of radius `r` device px (anti-aliased over one pixel), one per
 * sub-pixel offset of its centre: `masks[sy * SUB + sx]` lists the covered pixels of a
 * size x size square (`dx`, `dy`) with their coverage in (0, 1] (`cover`).
 */
function discMasks(r) {
  const reach = r + 0.5;
  const size = Math.ceil(2 * reach) + 1;
  const masks = [];
  for (let sy = 0; sy < SUB; sy++) {
    for (let sx = 0; sx < SUB; sx++) {
      const cx = Math.ceil(reach) + sx / SUB;
      const cy = Math.ceil(reach) + sy / SUB;
      const dx = [];
      const dy = [];
      const cover = [];
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const coverage = reach - Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
          if (coverage <= 0) continue;
          dx.push(x);
          dy.push(y);
          cover.push(Math.min(1, coverage));
        }
      }
      masks.push({ dx: Int32Array.from(dx), dy: Int32Array.from(dy), cover: Float32Array.from(cover) });
    }
  }
  return { masks, size, offset: Math.ceil(reach) };
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Draws the points of `order` whose highlight value is `want` (all when `highlight` is null) at `alpha`. */
function pass(rgba, { width, height, u, v, order, colorOf, palette, zoom, side, dpr, radius }, highlight, want, alpha) {
  const s = zoom.scale * side * dpr;
  const ox = zoom.tx * dpr;
  const oy = zoom.ty * dpr;
  const { masks, size, offset } = discMasks(Math.max(0.5, radius * dpr));
  const words = littleEndian ? new Uint32Array(rgba.buffer, rgba.byteOffset, width * height) : null;
  const packed = new Uint32Array(palette.length / 3);
  for (let c = 0; c < packed.length; c++) packed[c] = (0xff000000 | (palette[3 * c + 2] << 16) | (palette[3 * c + 1] << 8) | palette[3 * c]) >>> 0;
  let drawn = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (highlight && highlight[i] !== want) continue;
    const cx = ox + s * u[i];
    const cy = oy + s * v[i];
    if (!(cx > -size && cy > -size && cx < width + size && cy < height + size)) continue; // NaN too
    const fx = Math.floor(cx);
    const fy = Math.floor(cy);
    const mask = masks[Math.min(SUB - 1, Math.floor((cy - fy) * SUB)) * SUB + Math.min(SUB - 1, Math.floor((cx - fx) * SUB))];
    const left = fx - offset;
    const top = fy - offset;
    if (left >= width || top >= height || left + size <= 0 || top + size <= 0) continue;
    drawn++;
    const c = colorOf[i];
    const red = palette[3 * c];
    const green = palette[3 * c + 1];
    const blue = palette[3 * c + 2];
    const word = packed[c];
    const inside = left >= 0 && top >= 0 && left + size <= width && top + size <= height;
    const { dx, dy, cover } = mask;
    for (let m = 0; m < cover.length; m++) {
      const x = left + dx[m];
      const y = top + dy[m];
      if (!inside && (x < 0 || y < 0 || x >= width || y >= height)) continue;
      const q = y * width + x;
      const a = cover[m] * alpha;
      if (a >= 1 && words) {
        words[q] = word;
        continue;
      }
      const p = q * 4;
      const below = rgba[p + 3];
      if (a >= 1 || below === 0) {
        rgba[p] = red;
        rgba[p + 1] = green;
        rgba[p + 2] = blue;
        rgba[p + 3] = a * 255;
      } else if (below === 255) {
        const keep = 1 - a;
        rgba[p] = red * a + rgba[p] * keep;
        rgba[p + 1] = green * a + rgba[p + 1] * keep;
        rgba[p + 2] = blue * a + rgba[p + 2] * keep;
      } else {
        const b = below / 255;
        const out = a + b * (1 - a);
        const keep = (b * (1 - a)) / out;
        rgba[p] = red * (a / out) + rgba[p] * keep;
        rgba[p + 1] = green * (a / out) + rgba[p + 1] * keep;
        rgba[p + 2] = blue * (a / out) + rgba[p + 2] * keep;
        rgba[p + 3] = out * 255;
      }
    }
  }
  return drawn;
}
