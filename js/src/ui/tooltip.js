/** A floating box of "label: text" lines, positioned inside its (relatively positioned) parent. */
import { el } from '../lib/text.js';

const OFFSET_PX = 14;

export function createTooltip() {
  const node = el('div', { className: 'petlens-tooltip', role: 'tooltip', hidden: true });
  return {
    node,
    /** Replaces the content; `lines` are [label, text] pairs of untrusted strings. */
    show(lines) {
      node.replaceChildren(
        ...lines.map(([label, text]) =>
          el('div', {}, [el('span', { className: 'petlens-tooltip-key', text: label }), el('span', { text })]),
        ),
      );
      node.hidden = false;
    },
    /** Places the box beside (x, y), flipped to the other side where it would leave `bounds`. */
    moveTo(x, y, bounds) {
      const { offsetWidth: width, offsetHeight: height } = node;
      const left = x + OFFSET_PX + width > bounds.width ? Math.max(0, x - OFFSET_PX - width) : x + OFFSET_PX;
      const top = y + OFFSET_PX + height > bounds.height ? Math.max(0, y - OFFSET_PX - height) : y + OFFSET_PX;
      node.style.left = `${left}px`;
      node.style.top = `${top}px`;
    },
    hide() {
      node.hidden = true;
    },
  };
}
