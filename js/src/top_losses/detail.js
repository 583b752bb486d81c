/**
 * Detail panel of the top-loss browser: the large image, the item's facts, navigation, and
 * (when saliency methods exist) the saliency controls with original + overlay side by side.
 * Pure DOM: the view decides what to show and handles requests.
 */
import { el, setText } from '../lib/text.js';
import { imageOrPlaceholder } from './cards.js';
import { SALIENCY_TARGETS, TARGET_LABELS } from './saliency.js';

/**
 * @param {{onClose: () => void, onStep: (step: number) => void,
 *          onSaliency: (change: {method?: string, target?: string, opacity?: number}) => void}} handlers
 */
export function createDetail({ onClose, onStep, onSaliency }) {
  const title = el('h4');
  const position = el('span');
  const prev = el('button', { type: 'button', text: '‹', title: 'Previous item (←)', 'aria-label': 'Previous item', on: { click: () => onStep(-1) } });
  const next = el('button', { type: 'button', text: '›', title: 'Next item (→)', 'aria-label': 'Next item', on: { click: () => onStep(1) } });
  const close = el('button', { type: 'button', text: '×', title: 'Close (Esc)', 'aria-label': 'Close the details', on: { click: onClose } });
  const figure = el('figure', { className: 'petlens-figure' });
  const figureNote = el('div', { className: 'petlens-figure-note petlens-muted', hidden: true });
  const facts = el('dl', { className: 'petlens-facts' });
  const saliency = createSaliency(onSaliency);
  const node = el(
    'section',
    { className: 'petlens-detail', tabindex: -1, hidden: true, 'aria-label': 'Item details. Keys: arrows move between items, Escape closes.' },
    [
      el('div', { className: 'petlens-detail-head' }, [title, el('span', { className: 'petlens-detail-nav' }, [prev, position, next, close])]),
      el('div', { className: 'petlens-detail-body' }, [
        el('div', { className: 'petlens-figure-box' }, [figure, figureNote]),
        el('div', { className: 'petlens-facts-box' }, [
          facts,
          el('p', { className: 'petlens-hint petlens-muted', text: '← → move between items · Esc closes' }),
        ]),
      ]),
      saliency.node,
    ],
  );
  let name = '';

  return {
    node,
    /**
     * Shows an item.
     * @param {ReturnType<import('./describe.js').describeItem>} info
     * @param {{position: number, total: number}} where position in the filtered list (-1: not in it)
     */
    show(info, where) {
      name = info.name;
      node.hidden = false;
      node.className = `petlens-detail petlens-${info.correct ? 'correct' : 'wrong'}`;
      setText(title, info.name);
      title.title = info.name;
      setText(position, where.position >= 0 ? `${where.position + 1} / ${where.total}` : 'not in the filter');
      prev.disabled = where.position <= 0;
      next.disabled = where.position < 0 ? where.total === 0 : where.position >= where.total - 1;
      const verdict = info.correct ? 'petlens-right-text' : 'petlens-wrong-text';
      facts.replaceChildren(
        ...fact('Actual', info.actual),
        ...fact('Predicted', `${info.predicted}${info.correct ? ' (correct)' : ' (wrong)'}`, verdict),
        ...fact('Loss', info.loss),
        ...fact('p(actual)', info.probActual),
        ...fact('p(predicted)', info.probPred),
        ...fact('Item', `#${info.index}`),
      );
    },
    hide() {
      node.hidden = true;
    },
    /** The image to show (blob URL or undefined for a placeholder), and an optional note under it. */
    setImage(url, note) {
      figure.replaceChildren(imageOrPlaceholder(url, name, { note: 'no image' }));
      setText(figureNote, note);
      figureNote.hidden = !note;
      saliency.setImage(url, name);
    },
    setSaliency: saliency.update,
    /** Moves keyboard focus into the panel and scrolls it into view. */
    focus() {
      node.focus?.({ preventScroll: true });
      node.scrollIntoView?.({ block: 'nearest' });
    },
  };
}

function fact(label, value, className) {
  return [el('dt', { text: label }), el('dd', { className, text: value })];
}

/** Saliency controls and the two panes (original, overlay). Hidden until methods exist. */
function createSaliency(onChange) {
  const method = el('select', { on: { change: () => onChange({ method: method.value }) } });
  const targets = SALIENCY_TARGETS.map((target) =>
    el('button', { type: 'button', text: TARGET_LABELS[target], 'aria-pressed': 'false', 'data-target': target, on: { click: () => onChange({ target }) } }),
  );
  const opacity = el('input', {
    type: 'range',
    min: 0,
    max: 100,
    step: 5,
    'aria-label': 'Overlay opacity',
    on: { input: () => onChange({ opacity: Number(opacity.value) / 100 }) },
  });
  const opacityText = el('span', { className: 'petlens-nums' });
  const status = el('div', { className: 'petlens-muted', role: 'status', hidden: true });
  const panes = el('div', { className: 'petlens-saliency-panes', hidden: true });
  const original = el('figure', { className: 'petlens-figure' });
  const heat = el('canvas', { className: 'petlens-heat', 'aria-hidden': 'true', hidden: true });
  const overlayImage = el('span', { className: 'petlens-overlay-image' });
  const overlay = el('figure', { className: 'petlens-figure' }, [overlayImage, heat]);
  const node = el('div', { className: 'petlens-saliency', hidden: true }, [
    el('div', { className: 'petlens-saliency-controls' }, [
      el('strong', { text: 'Saliency' }),
      el('label', {}, ['Method', method]),
      el('span', { className: 'petlens-toggle', role: 'group', 'aria-label': 'Explain the class' }, targets),
      el('label', {}, ['Opacity', opacity, opacityText]),
    ]),
    status,
    panes,
  ]);
  panes.append(
    el('div', { className: 'petlens-pane' }, [original, el('span', { className: 'petlens-muted', text: 'original' })]),
    el('div', { className: 'petlens-pane' }, [overlay, el('span', { className: 'petlens-muted', text: 'overlay' })]),
  );
  let methodsKey = null;
  let heatKey = null;

  /** Matches both figures to the image's aspect ratio, so the map covers exactly the image. */
  function fitTo(img) {
    const ratio = img.naturalWidth > 0 && img.naturalHeight > 0 ? `${img.naturalWidth} / ${img.naturalHeight}` : '';
    original.style.aspectRatio = ratio;
    overlay.style.aspectRatio = ratio;
  }

  return {
    node,
    setImage(url, name) {
      const a = imageOrPlaceholder(url, name, { note: 'no image' });
      const b = imageOrPlaceholder(url, name, { note: 'no image' });
      if (url) a.addEventListener('load', () => fitTo(a));
      original.replaceChildren(a);
      overlayImage.replaceChildren(b);
      if (!url) fitTo({});
    },
    /**
     * @param {{methods: string[], method: string, target: string, opacity: number,
     *          message: string|null, heat: {key: string, rgba: Uint8ClampedArray, width: number, height: number}|null}} state
     */
    update(state) {
      node.hidden = state.methods.length === 0;
      if (node.hidden) return;
      const key = state.methods.join('\u0000');
      if (key !== methodsKey) {
        methodsKey = key;
        method.replaceChildren(...state.methods.map((m) => el('option', { value: m, text: m })));
      }
      method.value = state.method;
      for (const button of targets) button.setAttribute('aria-pressed', String(button.getAttribute('data-target') === state.target));
      opacity.value = String(Math.round(state.opacity * 100));
      setText(opacityText, `${Math.round(state.opacity * 100)}%`);
      heat.style.opacity = String(state.opacity);
      setText(status, state.message);
      status.hidden = !state.message;
      // The two panes only when there is a map to compare with (else just the status line).
      panes.hidden = !state.heat;
      if (!state.heat) {
        heat.hidden = true;
        heatKey = null;
      } else if (state.heat.key !== heatKey) {
        heatKey = state.heat.key;
        heat.width = state.heat.width;
        heat.height = state.heat.height;
        heat.getContext('2d').putImageData(new ImageData(state.heat.rgba, state.heat.width, state.heat.height), 0, 0);
        heat.hidden = false;
      }
    },
  };
}
