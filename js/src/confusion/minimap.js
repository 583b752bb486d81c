/**
 * Overview map of a zoomed confusion matrix: the whole matrix small, the part in view framed;
 * a click or a drag on it moves the view there.
 */
import { el } from '../lib/text.js';
import { sizeCanvas } from '../ui/canvas.js';

/** Side of the map, CSS px. */
export const MINIMAP_PX = 150;
const DIM = 'rgba(0, 0, 0, 0.15)'; // over the part out of view

/**
 * @param {{onNavigate: (fx: number, fy: number) => void}} handlers `onNavigate` gets the point
 *   to centre on, as fractions of the matrix side
 * @returns {{node: HTMLElement, update: Function, hide: Function}}
 */
export function createMinimap({ onNavigate }) {
  const canvas = el('canvas', { className: 'petlens-minimap-map', 'aria-label': 'Overview: the framed part is in view; click or drag to move' });
  const node = el('div', { className: 'petlens-minimap', hidden: true }, [el('div', { className: 'petlens-muted', text: 'Where you are (click or drag to move)' }), canvas]);
  const ctx = canvas.getContext('2d');
  let dragging = false;

  const navigate = (event) => {
    const box = canvas.getBoundingClientRect();
    if (box.width > 0) onNavigate((event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height);
  };
  canvas.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    dragging = true;
    canvas.setPointerCapture?.(event.pointerId);
    navigate(event);
  });
  canvas.addEventListener('pointermove', (event) => dragging && navigate(event));
  const stop = () => {
    dragging = false;
  };
  canvas.addEventListener('pointerup', stop);
  canvas.addEventListener('pointercancel', stop);

  return {
    node,
    /**
     * Draws `source` (the whole matrix, crisp) with the part in view framed.
     * @param {CanvasImageSource} source
     * @param {{x0: number, x1: number, y0: number, y1: number}} view fractions of the side (zoom.js viewFraction)
     * @param {string} color frame colour
     */
    update(source, view, color) {
      node.hidden = false;
      const dpr = sizeCanvas(canvas, MINIMAP_PX, MINIMAP_PX);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(source, 0, 0, MINIMAP_PX, MINIMAP_PX);
      const [x, y] = [view.x0 * MINIMAP_PX, view.y0 * MINIMAP_PX];
      const [w, h] = [(view.x1 - view.x0) * MINIMAP_PX, (view.y1 - view.y0) * MINIMAP_PX];
      ctx.fillStyle = DIM;
      ctx.beginPath();
      ctx.rect(0, 0, MINIMAP_PX, MINIMAP_PX);
      ctx.rect(x, y, w, h);
      ctx.fill('evenodd');
      ctx.strokeStyle = color;
      ctx.lineWidth = 2;
      ctx.strokeRect(x, y, Math.max(w, 2), Math.max(h, 2));
    },
    hide() {
      node.hidden = true;
    },
  };
}
