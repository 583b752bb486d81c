/**
 * The trust badge of the saliency map shown in the top-loss detail panel (issue 17): pass /
 * warn / fail / n/a from the map's checks (the view's `saliency_checks` trait: one entry per
 * checked map, {index, method, target, verdict, reason, verdicts, reasons, numbers}), with every
 * check's verdict and numbers on hover and one line on what the checks mean. Hidden when the map
 * was not checked (checks off, pending, or an older run). Text only, through textContent.
 */
import { badgeFor, indexBadges } from '../lib/saliency_checks.js';
import { el, setText } from '../lib/text.js';
import { VERDICT_CSS } from '../saliency_checks/styles.js';

/**
 * @param {{get: (name: string) => unknown}} model the top-loss view's model (or scoped proxy)
 * @returns {{node: HTMLElement, update: (index: number|null, method: string|null, target: string|null, shown: boolean) => void}}
 */
export function createTrustBadge(model) {
  const chip = el('span', { className: 'petlens-verdict petlens-trust-chip', role: 'img' });
  const line = el('span', { className: 'petlens-trust-line petlens-muted' });
  const node = el('div', { className: 'petlens-trust', hidden: true }, [el('style', { text: VERDICT_CSS + TRUST_CSS }), chip, line]);
  let source = null;
  let index = new Map();
  return {
    node,
    update(item, method, target, shown) { // item: its index in the predictions
      const entries = model?.get?.('saliency_checks');
      if (entries !== source) {
        source = entries;
        index = indexBadges(entries);
      }
      const badge = shown && item !== null ? badgeFor(index, item, method, target) : null;
      node.hidden = badge === null;
      if (badge === null) return;
      chip.className = `petlens-verdict petlens-verdict-${badge.verdict} petlens-trust-chip`;
      setText(chip, badge.label);
      chip.title = badge.title;
      chip.setAttribute('aria-label', badge.title);
      setText(line, badge.summary);
      line.title = badge.title;
    },
  };
}

const TRUST_CSS = `
.petlens .petlens-trust { margin: 4px 0 0; display: flex; gap: 6px; align-items: baseline; flex-wrap: wrap; font-size: 0.92em; }
.petlens .petlens-trust-chip { cursor: help; }
`;
