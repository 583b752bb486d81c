/**
 * The run dashboard: a summary header and four linked views of ONE model, each through a
 * scoped model (trait prefixes cm_, tl_, lr_, time_; `vocab`, `selection`, `live` shared).
 * Clicking a confusion cell sets `selection`, which the top-loss grid filters on.
 * The contract is in js/docs/top_losses-dashboard.md.
 */
import { mountConfusion } from '../confusion/view.js';
import { scopeModel } from '../lib/scope.js';
import { el, setText } from '../lib/text.js';
import { mountTopLosses } from '../top_losses/view.js';
import { mountLrFinder } from '../lr_find/view.js';
import { mountTimeline } from '../timeline/view.js';
import { isNarrow, PANELS, readSummary, readTitle, SHARED_TRAITS } from './layout.js';
import { DASHBOARD_CSS } from './styles.js';

const MOUNTS = { confusion: mountConfusion, losses: mountTopLosses, lrfind: mountLrFinder, timeline: mountTimeline };
const HEADER_TRAITS = ['title', 'summary', 'partial'];

/**
 * Renders the dashboard into `host`.
 * @param {object} model anywidget model or createModel() stand-in (all panels' traits, prefixed)
 * @param {HTMLElement} host
 * @param {{mounts?: Record<string, (model: object, el: HTMLElement) => () => void>}} [options]
 *   `mounts` replaces view mount functions by panel key (tests)
 * @returns {() => void} cleanup: every view's cleanup, then unsubscribes and removes the dashboard
 */
export function mountDashboard(model, host, { mounts = {} } = {}) {
  const title = el('h2');
  const badge = el('span', { className: 'petlens-badge', text: 'partial run (interrupted)', hidden: true, title: 'Training stopped before it finished: what was recorded is shown.' });
  const summary = el('dl', { className: 'petlens-summary' });
  const header = el('header', { className: 'petlens-dash-header' }, [el('div', { className: 'petlens-dash-title' }, [title, badge]), summary]);
  const grid = el('div', { className: 'petlens-dash-grid' });
  const root = el('div', { className: 'petlens petlens-dashboard' }, [el('style', { text: DASHBOARD_CSS }), header, grid]);
  host.appendChild(root);

  function renderHeader() {
    const text = readTitle(model.get('title'));
    setText(title, text);
    title.title = text;
    badge.hidden = model.get('partial') !== true;
    const pairs = readSummary(model.get('summary'));
    summary.replaceChildren(...pairs.map(([label, value]) => el('div', {}, [el('dt', { text: label }), el('dd', { text: value })])));
    summary.hidden = pairs.length === 0;
  }
  renderHeader();

  const cleanups = [];
  for (const panel of PANELS) {
    const body = el('div', { className: 'petlens-panel-body' });
    const section = el('section', { className: `petlens-panel petlens-panel-${panel.key}`, 'aria-label': panel.heading }, [
      el('div', { className: 'petlens-panel-head' }, [
        el('h3', { text: panel.heading }),
        panel.hint && el('span', { className: 'petlens-panel-hint petlens-muted', text: panel.hint }),
      ]),
      body,
    ]);
    grid.appendChild(section);
    const mount = mounts[panel.key] || MOUNTS[panel.key];
    try {
      const cleanup = mount(scopeModel(model, panel.prefix, SHARED_TRAITS), body);
      if (typeof cleanup === 'function') cleanups.push(cleanup);
    } catch (error) {
      // One broken view must not take the others down.
      body.replaceChildren(el('div', { className: 'petlens-error', role: 'alert', text: `Cannot show this view: ${error && error.message ? error.message : error}` }));
    }
  }

  function layout() {
    const narrow = isNarrow(root.clientWidth);
    if (narrow) root.classList.add('petlens-narrow');
    else root.classList.remove('petlens-narrow');
  }
  layout();
  const resizeObserver = new ResizeObserver(layout);
  resizeObserver.observe(root);

  const subscriptions = HEADER_TRAITS.map((name) => [`change:${name}`, renderHeader]);
  for (const [event, callback] of subscriptions) model.on(event, callback);

  return () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        cleanup();
      } catch {
        // keep cleaning up the others
      }
    }
    for (const [event, callback] of subscriptions) model.off(event, callback);
    resizeObserver.disconnect();
    root.remove();
  };
}
