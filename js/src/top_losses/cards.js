/** Cards of the top-loss grid and the image placeholder (every string is set as text). */
import { decisionText } from '../lib/fix-queue.js';
import { el } from '../lib/text.js';
import { shortName } from './describe.js';

/**
 * An image, or a placeholder with the item's name when there is no URL.
 * @param {string|undefined} url blob URL
 * @param {string} name item name (untrusted)
 */
export function imageOrPlaceholder(url, name, { note = 'no thumbnail' } = {}) {
  if (url) return el('img', { src: url, alt: name, decoding: 'async', draggable: 'false' });
  return el('span', { className: 'petlens-placeholder', 'aria-label': `${name}: ${note}`, role: 'img' }, [
    el('span', { className: 'petlens-placeholder-name', text: shortName(name) }),
    el('span', { text: note }),
  ]);
}

function line(label, value, className = '') {
  return el('span', { className: `petlens-line ${className}`.trim() }, [
    el('span', { className: 'petlens-line-label', text: label }),
    el('span', { className: 'petlens-line-value', text: value }),
  ]);
}

/**
 * One card, captioned as fastai's `plot_top_losses` (prediction / actual / loss / probability of
 * the prediction): thumbnail with the loss on it, predicted, actual, p(predicted); a "label?"
 * badge when cleanlab flags the item (`label`), the item's decision in the fix queue.
 * @param {ReturnType<import('./describe.js').describeItem>} info
 * @param {{url?: string, selected: boolean, onClick: () => void,
 *          label?: ReturnType<import('./describe.js').describeLabel>, decision?: object|null}} options
 */
export function createCard(info, { url, selected, onClick, label: described = null, decision = null }) {
  const label = described && !described.unavailable ? described : null;
  const verdict = info.correct ? 'correct' : 'wrong';
  const flagged = Boolean(label && label.flagged);
  const lines = [
    `${info.name}\nactual: ${info.actual}\npredicted: ${info.predicted} (${verdict})\nloss ${info.loss} · p(predicted) ${info.probPred} · p(actual) ${info.probActual}`,
  ];
  if (label) lines.push(flagged ? `possible label issue: ${label.text}` : label.text);
  if (decision) lines.push(`decision: ${decisionText(decision)}`);
  return el(
    'button',
    {
      type: 'button',
      className: `petlens-card petlens-${verdict}${flagged ? ' petlens-flagged' : ''}`,
      'aria-pressed': String(selected),
      'data-index': info.index,
      title: lines.join('\n'),
      on: { click: onClick },
    },
    [
      el('span', { className: 'petlens-thumb' }, [
        imageOrPlaceholder(url, info.name),
        el('span', { className: 'petlens-loss-badge', title: 'loss', text: info.loss }),
        flagged ? el('span', { className: 'petlens-issue-badge', title: `possible label issue: ${label.text}`, text: 'label?' }) : null,
      ]),
      el('span', { className: 'petlens-card-text' }, [
        line('pred', info.predicted, 'petlens-pred'),
        line('actual', info.actual),
        line('p(pred)', info.probPred, 'petlens-nums'),
        decision
          ? el('span', { className: `petlens-decision petlens-decision-${decision.action}${decision.pending ? ' petlens-pending' : ''}`, text: decisionText(decision), title: decisionText(decision) })
          : null,
      ]),
    ],
  );
}
