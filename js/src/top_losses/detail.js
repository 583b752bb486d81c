/**
 * Detail panel of the top-loss browser: one image (with the saliency map over it when there is
 * one, and its colour bar), the item's facts, navigation, and (when saliency methods exist) the
 * saliency controls, choices that cannot be shown disabled with the reason.
 * Pure DOM: the view decides what to show and handles requests.
 */
import { el, setText } from '../lib/text.js';
import { imageOrPlaceholder } from './cards.js';
import { INFERNO } from '../lib/images.js';
import { SALIENCY_TARGETS, TARGET_LABELS } from './saliency.js';
import { createTrustBadge } from './trust.js';

/**
 * @param {{onClose: () => void, onStep: (step: number) => void,
 *          onSaliency: (change: {method?: string, target?: string, opacity?: number}) => void,
 *          triage?: HTMLElement, model?: object}} handlers triage: the decision buttons (fixes.js),
 *   under the facts; model: the view's model, whose `saliency_checks` give the map's trust badge
 */
export function createDetail({ onClose, onStep, onSaliency, triage = null, model = null }) {
  const title = el('h4');
  const position = el('span');
  const prev = el('button', { type: 'button', text: '‹', title: 'Previous item (←)', 'aria-label': 'Previous item', on: { click: () => onStep(-1) } });
  const next = el('button', { type: 'button', text: '›', title: 'Next item (→)', 'aria-label': 'Next item', on: { click: () => onStep(1) } });
  const close = el('button', { type: 'button', text: '×', title: 'Close (Esc)', 'aria-label': 'Close the details', on: { click: onClose } });
  const picture = el('span', { className: 'petlens-picture' });
  const heat = el('canvas', { className: 'petlens-heat', 'aria-hidden': 'true', hidden: true });
  const figure = el('figure', { className: 'petlens-figure' }, [picture, heat]);
  const figureNote = el('div', { className: 'petlens-figure-note petlens-muted', hidden: true });
  const legend = createLegend();
  const trust = createTrustBadge(model); // the shown map's checks (trust.js)
  const facts = el('dl', { className: 'petlens-facts' });
  const node = el('section', {
    className: 'petlens-detail',
    tabindex: -1,
    hidden: true,
    'aria-label': 'Item details. Keys: arrows move between items, Escape closes.',
  });
  // After the slider is let go, keys go back to the panel (arrows move between items again).
  const saliency = createSaliency(onSaliency, () => node.focus?.({ preventScroll: true }));
  node.append(
    el('div', { className: 'petlens-detail-head' }, [title, el('span', { className: 'petlens-detail-nav' }, [prev, position, next, close])]),
    el('div', { className: 'petlens-detail-body' }, [
      el('div', { className: 'petlens-figure-box' }, [figure, figureNote, legend.node, trust.node]),
      el('div', { className: 'petlens-facts-box' }, [
        facts,
        triage,
        saliency.node,
        el('p', { className: 'petlens-hint petlens-muted', text: '← → move between items · Esc closes · k r d u 0 decide' }),
      ]),
    ]),
  );
  let name = '';
  let heatKey = null;
  let shownItem = null; // {index, correct} of the item shown, for the trust badge

  /** Matches the figure to the image's aspect ratio, so the map covers exactly the image. */
  function fitTo(img) {
    figure.style.aspectRatio = img.naturalWidth > 0 && img.naturalHeight > 0 ? `${img.naturalWidth} / ${img.naturalHeight}` : '';
  }

  return {
    node,
    /**
     * Shows an item.
     * @param {ReturnType<import('./describe.js').describeItem>} info
     * @param {{position: number, total: number}} where position in the filtered list (-1: not in it)
     * @param {{label?: ReturnType<import('./describe.js').describeLabel>, decision?: string}} [triageFacts]
     *   what cleanlab says about the label, the decision in the fix queue (text)
     */
    show(info, where, { label = null, decision = null } = {}) {
      name = info.name;
      shownItem = { index: info.index, correct: info.correct };
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
        ...fact('p(predicted)', info.probPred),
        ...fact('p(actual)', info.probActual),
        ...fact('Item', `#${info.index}`),
        ...(label ? fact(label.flagged ? 'Possible label issue' : 'Label check', label.text, label.flagged ? 'petlens-issue-text' : undefined) : []),
        ...(decision !== null ? fact('Decision', decision || 'none yet', 'petlens-decision-text') : []),
      );
    },
    hide() {
      node.hidden = true;
    },
    /** The image to show (blob URL or undefined for a placeholder), and an optional note under it. */
    setImage(url, note) {
      const img = imageOrPlaceholder(url, name, { note: 'no image' });
      if (url) img.addEventListener('load', () => fitTo(img));
      else fitTo({});
      picture.replaceChildren(img);
      setText(figureNote, note);
      figureNote.hidden = !note;
    },
    /**
     * @param {{methods: [string, string|null][], method: string|null, targets: [string, string|null][],
     *          target: string, opacity: number, message: string|null, explains: string|null,
     *          heat: {key: string, rgba: Uint8ClampedArray, width: number, height: number}|null}} state
     *   methods / targets: each with the reason it is disabled (null: enabled); explains: the class the map shows
     */
    setSaliency(state) {
      const shown = state.methods.length > 0 && state.heat !== null;
      saliency.update(state, shown);
      legend.update(shown ? state.explains : null);
      trust.update(shownItem?.index ?? null, state.method, shownItem?.correct && state.target === 'actual' ? 'pred' : state.target, shown);
      heat.style.opacity = String(state.opacity);
      if (!shown) {
        heat.hidden = true;
        heatKey = null;
        delete heat.dataset.map;
      } else if (state.heat.key !== heatKey) {
        heatKey = state.heat.key;
        heat.width = state.heat.width;
        heat.height = state.heat.height;
        heat.getContext('2d').putImageData(new ImageData(state.heat.rgba, state.heat.width, state.heat.height), 0, 0);
        heat.hidden = false;
        heat.dataset.map = `${shownItem?.index} ${state.method} ${state.target}`; // what is drawn
      }
    },
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

/** The colour bar of the heat map (inferno, weak to strong) and the class the map explains. */
function createLegend() {
  const bar = el('canvas', { className: 'petlens-colorbar', width: 256, height: 1, 'aria-hidden': 'true' });
  const context = bar.getContext?.('2d');
  if (context) {
    const pixels = new Uint8ClampedArray(256 * 4);
    for (let v = 0; v < 256; v++) pixels.set([...INFERNO.subarray(v * 3, v * 3 + 3), 255], v * 4);
    context.putImageData(new ImageData(pixels, 256, 1), 0, 0);
  }
  const explains = el('div', { className: 'petlens-legend-title' });
  const node = el('div', { className: 'petlens-legend', hidden: true }, [
    explains,
    bar,
    el('div', { className: 'petlens-legend-ends petlens-muted' }, [
      el('span', { text: 'no attribution' }),
      el('span', { text: 'strongest (top 2 %)' }),
    ]),
  ]);
  return {
    node,
    /** Shows the bar with its title (text), or hides it (null). */
    update(text) {
      node.hidden = text === null;
      setText(explains, text);
    },
  };
}

/** Saliency controls and status line. Hidden until methods exist. */
function createSaliency(onChange, onSettled) {
  const method = el('select', { 'aria-label': 'Saliency method', on: { change: () => onChange({ method: method.value }) } });
  const targets = SALIENCY_TARGETS.map((target) =>
    el('button', { type: 'button', text: TARGET_LABELS[target], 'aria-pressed': 'false', 'data-target': target, on: { click: () => onChange({ target }) } }),
  );
  const opacity = el('input', {
    type: 'range',
    min: 0,
    max: 100,
    step: 5,
    'aria-label': 'Overlay opacity',
    on: { input: () => onChange({ opacity: Number(opacity.value) / 100 }), pointerup: onSettled },
  });
  const opacityText = el('span', { className: 'petlens-nums petlens-opacity-value' });
  const status = el('div', { className: 'petlens-saliency-status petlens-muted', role: 'status', hidden: true });
  const node = el('div', { className: 'petlens-saliency', hidden: true }, [
    el('strong', { text: 'Saliency' }),
    el('label', {}, ['Method', method]),
    el('span', { className: 'petlens-toggle-row' }, [
      'Explain',
      el('span', { className: 'petlens-toggle', role: 'group', 'aria-label': 'Explain the class' }, targets),
    ]),
    el('label', {}, ['Opacity', opacity, opacityText]),
    status,
  ]);
  let methodsKey = null;

  return {
    node,
    /** `shown`: whether a map is drawn (the opacity slider is disabled otherwise). */
    update(state, shown) {
      node.hidden = state.methods.length === 0;
      if (node.hidden) return;
      const key = JSON.stringify(state.methods);
      if (key !== methodsKey) {
        methodsKey = key;
        method.replaceChildren(
          ...state.methods.map(([m, reason]) => el('option', { value: m, text: reason ? `${m} (not stored)` : m, disabled: reason !== null, title: reason ?? '' })),
        );
      }
      method.value = state.method ?? '';
      method.disabled = state.methods.every(([, reason]) => reason !== null);
      const reasons = new Map(state.targets);
      for (const button of targets) {
        const target = button.getAttribute('data-target');
        const reason = reasons.get(target) ?? null;
        button.setAttribute('aria-pressed', String(target === state.target));
        button.disabled = reason !== null;
        button.title = reason ? `${TARGET_LABELS[target]}: ${reason}` : `Explain the ${TARGET_LABELS[target]} class`;
      }
      opacity.disabled = !shown;
      opacity.value = String(Math.round(state.opacity * 100));
      setText(opacityText, `${Math.round(state.opacity * 100)}%`);
      setText(status, state.message);
      status.hidden = !state.message;
    },
  };
}
