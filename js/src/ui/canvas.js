/**
 * Sizes a canvas to `width` x `height` CSS px with a backing store at the device pixel
 * ratio, so drawing stays sharp on high-density screens.
 * @returns {number} the device pixel ratio used (draw with ctx.setTransform(dpr, 0, 0, dpr, 0, 0))
 */
export function sizeCanvas(canvas, width, height) {
  const dpr = window.devicePixelRatio || 1;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.width = Math.max(1, Math.round(width * dpr));
  canvas.height = Math.max(1, Math.round(height * dpr));
  return dpr;
}

/** A canvas holding RGBA pixels at one canvas pixel each (a source for scaled drawImage). */
export function pixelCanvas(rgba, width, height) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d').putImageData(new ImageData(rgba, width, height), 0, 0);
  return canvas;
}
