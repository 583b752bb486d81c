/**
 * The dashboard's navigation bar: one button per panel that brings it to the top (under the
 * bar, which stays at the top of whatever scrolls: the report page, a notebook), and the
 * panel being read marked with `aria-current` as that scrolls: the panel a button brought up
 * until something moves it, then `currentPanel`.
 */
import { el, setAttribute } from '../lib/text.js';
import { currentPanel } from './layout.js';

/**
 * @returns {{node: HTMLElement, setPanels: (panels: {heading: string, section: HTMLElement}[]) => void, destroy: () => void}}
 */
export function createNav() {
  const list = el('div', { className: 'petlens-dash-nav-list' });
  const node = el('nav', { className: 'petlens-dash-nav', 'aria-label': 'Dashboard panels' }, [list]);
  let entries = [];
  let frame = 0;
  let jumped = null; // {index, top}: the panel a button brought up, and where it stopped

  function jump(index) {
    const { section } = entries[index];
    section.scrollIntoView({ block: 'start' });
    section.focus({ preventScroll: true });
    jumped = { index, top: section.getBoundingClientRect().top };
    mark();
  }

  function mark() {
    frame = 0;
    const boxes = entries.map(({ section }) => section.getBoundingClientRect());
    if (jumped && Math.abs(boxes[jumped.index].top - jumped.top) > 1) jumped = null;
    const current = jumped ? jumped.index : currentPanel(boxes, node.getBoundingClientRect().bottom, window.innerHeight);
    entries.forEach(({ button }, index) => setAttribute(button, 'aria-current', index === current ? 'true' : null));
  }

  function schedule() {
    if (!frame) frame = requestAnimationFrame(mark);
  }
  // Scroll events do not bubble; a capturing listener on the document hears every scroller's.
  document.addEventListener('scroll', schedule, { capture: true, passive: true });
  window.addEventListener('resize', schedule);

  return {
    node,
    /** One button per panel, in reading order (untrusted headings stay text). */
    setPanels(panels) {
      entries = panels.map(({ heading, section }, index) => ({
        section,
        button: el('button', { type: 'button', className: 'petlens-dash-nav-link', text: heading, on: { click: () => jump(index) } }),
      }));
      jumped = null;
      list.replaceChildren(...entries.map(({ button }) => button));
      node.hidden = entries.length < 2;
      mark();
    },
    destroy() {
      document.removeEventListener('scroll', schedule, { capture: true });
      window.removeEventListener('resize', schedule);
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
    },
  };
}
