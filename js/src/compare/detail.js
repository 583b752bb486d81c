/**
 * The detail panel of the compare browser: one item, A and B side by side (image with that
 * run's saliency map over it where one is stored, actual, predicted, loss), the saliency method
 * and target, navigation. Pure DOM; decoding a map is asynchronous and only draws when the
 * same map is still wanted.
 */
import { el, setText } from '../lib/text.js';
import { changeTag, imageOrPlaceholder } from './browser.js';
import { heatToRgba } from '../lib/images.js';
import { decodeMapJpeg, pickMap, TARGET_LABELS, TARGETS } from './media.js';

/**
 * @param {{onClose: () => void, onStep: (step: number) => void}} handlers
 */
export function createDetail({ onClose, onStep }) {
  const title = el('h4');
  const tag = el('span');
  const position = el('span');
  const prev = el('button', { type: 'button', text: '‹', title: 'Previous item (←)', 'aria-label': 'Previous item', on: { click: () => onStep(-1) } });
  const next = el('button', { type: 'button', text: '›', title: 'Next item (→)', 'aria-label': 'Next item', on: { click: () => onStep(1) } });
  const close = el('button', { type: 'button', text: '×', title: 'Close (Esc)', 'aria-label': 'Close the details', on: { click: onClose } });
  const method = el('select', { 'aria-label': 'Saliency method', on: { change: () => { choice.method = method.value; drawMaps(); } } });
  const targetButtons = TARGETS.map((target) => el('button', {
    type: 'button',
    text: TARGET_LABELS[target],
    'data-target': target,
    'aria-pressed': 'false',
    on: { click: () => { choice.target = target; drawMaps(); } },
  }));
  const saliency = el('div', { className: 'petlens-cmp-saliency', hidden: true }, [
    el('strong', { text: 'Saliency' }),
    el('label', {}, ['Method', method]),
    el('span', {}, ['Explain the ', ...targetButtons, ' class']),
  ]);
  const sides = { a: createSide('A'), b: createSide('B') };
  const node = el('section', {
    className: 'petlens-cmp-detail',
    tabindex: -1,
    hidden: true,
    'aria-label': 'Item in both runs. Keys: arrows move between items, Escape closes.',
    on: {
      keydown: (event) => {
        const keys = { ArrowLeft: () => onStep(-1), ArrowRight: () => onStep(1), Escape: onClose };
        if (!keys[event.key]) return;
        event.preventDefault();
        keys[event.key]();
      },
    },
  }, [
    el('div', { className: 'petlens-cmp-detail-head' }, [title, tag, el('span', { className: 'petlens-cmp-detail-nav' }, [prev, position, next, close])]),
    saliency,
    el('div', { className: 'petlens-cmp-sides' }, [sides.a.node, sides.b.node]),
  ]);
  const choice = { method: null, target: 'pred' };
  let current = null; // {info, maps}
  let drawToken = 0;

  function drawMaps() {
    if (!current) return;
    const { info, maps } = current;
    const methods = [...new Set(maps.map((m) => m.method))];
    saliency.hidden = methods.length === 0;
    if (!methods.includes(choice.method)) choice.method = methods[0] ?? null;
    method.replaceChildren(...methods.map((m) => el('option', { value: m, text: m })));
    method.value = choice.method ?? '';
    for (const button of targetButtons) button.setAttribute('aria-pressed', String(button.dataset.target === choice.target));
    const token = ++drawToken;
    for (const run of ['a', 'b']) {
      const map = choice.method ? pickMap(maps, run, choice.method, choice.target, info[run].correct) : null;
      sides[run].setMap(null, map ? 'loading the map…' : methods.length ? `no ${choice.method} map of the ${TARGET_LABELS[choice.target]} class stored for ${run.toUpperCase()}` : 'no saliency map stored');
      if (!map) continue;
      decodeMapJpeg(map.payload).then(
        (heat) => {
          if (token === drawToken) sides[run].setMap(heat, `${choice.method}: why ${run.toUpperCase()} ${choice.target === 'pred' ? `predicted ${info[run].predicted}` : `sees ${info[run].actual}`}`);
        },
        () => {
          if (token === drawToken) sides[run].setMap(null, 'the stored map could not be read');
        },
      );
    }
  }

  return {
    node,
    /**
     * @param {ReturnType<import('../lib/compare.js').describeItem>} info
     * @param {{url: string|undefined, maps: object[], position: number, total: number}} extra
     */
    show(info, { url, maps, position: at, total }) {
      node.hidden = false;
      setText(title, info.name);
      title.title = info.name;
      tag.replaceChildren(changeTag(info.change));
      setText(position, at >= 0 ? `${at + 1} / ${total}` : 'not in the filter');
      prev.disabled = at <= 0;
      next.disabled = at < 0 || at >= total - 1;
      for (const run of ['a', 'b']) sides[run].show(info[run], url, info.name, info.lossDelta);
      current = { info, maps };
      drawMaps();
    },
    hide() {
      node.hidden = true;
      current = null;
      drawToken++;
    },
    focus() {
      node.focus?.({ preventScroll: true });
      node.scrollIntoView?.({ block: 'nearest' });
    },
  };
}

function createSide(label) {
  const picture = el('span');
  const heat = el('canvas', { 'aria-hidden': 'true', hidden: true });
  const figure = el('figure', { className: 'petlens-cmp-figure' }, [picture, heat]);
  const note = el('div', { className: 'petlens-muted petlens-cmp-hint' });
  const facts = el('dl', { className: 'petlens-cmp-facts' });
  const node = el('div', { className: 'petlens-cmp-sidecol', 'data-run': label.toLowerCase() }, [
    el('div', {}, [el('span', { className: `petlens-cmp-badge petlens-cmp-badge-${label.toLowerCase()}`, text: label })]),
    figure,
    note,
    facts,
  ]);
  return {
    node,
    show(side, url, name, lossDelta) {
      picture.replaceChildren(imageOrPlaceholder(url, name, 'no image'));
      const fact = (term, value, className) => [el('dt', { text: term }), el('dd', { className, text: value })];
      facts.replaceChildren(
        ...fact('Actual', side.actual),
        ...fact('Predicted', `${side.predicted} (${side.correct ? 'right' : 'wrong'})`, side.correct ? 'petlens-cmp-right' : 'petlens-cmp-wrong'),
        ...fact('Loss', label === 'B' ? `${side.loss} (${lossDelta})` : side.loss),
      );
    },
    /** Draws a decoded map over the image (null: none) and the note under it. */
    setMap(map, text) {
      setText(note, text);
      if (!map) {
        heat.hidden = true;
        return;
      }
      heat.width = map.width;
      heat.height = map.height;
      heat.getContext('2d').putImageData(new ImageData(heatToRgba(map.data), map.width, map.height), 0, 0);
      heat.hidden = false;
    },
  };
}
