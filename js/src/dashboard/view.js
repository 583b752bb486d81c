/**
 * The run dashboard: a summary header, a navigation bar and linked views of ONE model, one
 * full-width panel per row. The `panels` trait lists the panels (from Python); each view gets
 * a scoped model (its trait prefix, e.g. cm_, tl_; the `shared_traits`, e.g. `vocab`,
 * `selection`, `live`, unprefixed). Clicking a confusion cell sets `selection`, which the
 * top-loss grid filters on. The contract is in js/docs/top_losses-dashboard.md.
 */
import { mountConfusion } from '../confusion/view.js';
import { mountEmbeddings } from '../embeddings/view.js';
import { scopeModel } from '../lib/scope.js';
import { el, setText } from '../lib/text.js';
import { mountLrFinder } from '../lr_find/view.js';
import { mountPerClass } from '../per_class/view.js';
import { mountSaliencyChecks } from '../saliency_checks/view.js';
import { mountTimeline } from '../timeline/view.js';
import { mountTopLosses } from '../top_losses/view.js';
import { readPanels, readProgress, readSharedTraits, readSummary, readTitle } from './layout.js';
import { createNav } from './nav.js';
import { DASHBOARD_CSS } from './styles.js';

/** Mount function of each view, by panel key (the Python view name, also its bundle's name). */
export const VIEWS = new Map([
  ['confusion', mountConfusion],
  ['top_losses', mountTopLosses],
  ['lr_find', mountLrFinder],
  ['timeline', mountTimeline],
  ['per_class', mountPerClass],
  ['embeddings', mountEmbeddings],
  ['saliency_checks', mountSaliencyChecks],
]);
const HEADER_TRAITS = ['title', 'summary', 'partial'];
const PANEL_TRAITS = ['panels', 'shared_traits'];

/**
 * Renders the dashboard into `host`.
 * @param {object} model anywidget model or createModel() stand-in (all panels' traits, prefixed)
 * @param {HTMLElement} host
 * @param {{mounts?: Record<string, (model: object, el: HTMLElement) => () => void>}} [options]
 *   `mounts` adds or replaces view mount functions by panel key (tests)
 * @returns {() => void} cleanup: every view's cleanup, then unsubscribes and removes the dashboard
 */
export function mountDashboard(model, host, { mounts = {} } = {}) {
  const views = new Map([...VIEWS, ...Object.entries(mounts)]);
  const title = el('h2', { className: 'petlens-dash-h2' });
  const badge = el('span', { className: 'petlens-badge', text: 'partial run (interrupted)', hidden: true, title: 'Training stopped before it finished: what was recorded is shown.' });
  const status = el('span', { className: 'petlens-badge petlens-status', hidden: true });
  const summary = el('dl', { className: 'petlens-summary' });
  const header = el('header', { className: 'petlens-dash-header' }, [el('div', { className: 'petlens-dash-title' }, [title, badge, status]), summary]);
  const nav = createNav();
  const grid = el('div', { className: 'petlens-dash-grid' });
  const root = el('div', { className: 'petlens petlens-dashboard' }, [el('style', { text: DASHBOARD_CSS }), header, nav.node, grid]);
  host.appendChild(root);

  function renderHeader() {
    const text = readTitle(model.get('title'));
    setText(title, text);
    title.title = text;
    renderStatus();
    const pairs = readSummary(model.get('summary'));
    summary.replaceChildren(...pairs.map(([label, value]) => el('div', { className: 'petlens-summary-item' }, [el('dt', { text: label }), el('dd', { text: value })])));
    summary.hidden = pairs.length === 0;
  }
  /** The training status badge (`progress`); it replaces the partial-run badge while shown. */
  function renderStatus() {
    const progress = readProgress(model.get('progress'));
    status.hidden = progress === null;
    setText(status, progress ? progress.text : '');
    status.title = progress ? progress.title : '';
    header.dataset.status = progress ? progress.status : '';
    header.dataset.epoch = progress && progress.epoch !== null ? String(progress.epoch) : '';
    badge.hidden = progress !== null || model.get('partial') !== true;
  }
  /** Live updates applied so far (`revision`), for scripts and tests. */
  function renderRevision() {
    root.dataset.revision = String(model.get('revision') ?? 0);
  }
  renderHeader();
  renderRevision();

  let cleanups = [];

  /** One section per entry of `panels`, each view mounted on its scoped model; a view that cannot be shown says why in its panel. */
  function renderPanels() {
    unmountPanels();
    const shared = readSharedTraits(model.get('shared_traits'));
    const panels = readPanels(model.get('panels'));
    const sections = [];
    for (const panel of panels) {
      const body = el('div', { className: 'petlens-panel-body' });
      const className = `petlens-panel petlens-panel-${panel.key}`;
      const head = el('div', { className: 'petlens-panel-head' }, [
        el('h3', { text: panel.heading }),
        panel.hint && el('span', { className: 'petlens-panel-hint petlens-muted', text: panel.hint }),
      ]);
      const section = el('section', { className, 'data-panel': panel.key, 'aria-label': panel.heading, tabindex: '-1' }, [head, body]);
      grid.appendChild(section);
      sections.push(section);
      try {
        const mount = views.get(panel.key);
        if (!mount) throw new Error(panel.key ? `no view called "${panel.key}"` : 'the panel names no view');
        if (!panel.prefix) throw new Error(`no trait prefix for the view "${panel.key}"`);
        const cleanup = mount(scopeModel(model, panel.prefix, shared), body);
        if (typeof cleanup === 'function') cleanups.push(cleanup);
      } catch (error) {
        // One broken view must not take the others down.
        body.replaceChildren(el('div', { className: 'petlens-error', role: 'alert', text: `Cannot show this view: ${error && error.message ? error.message : error}` }));
      }
    }
    nav.setPanels(panels.map((panel, index) => ({ heading: panel.heading, section: sections[index] })));
  }

  function unmountPanels() {
    for (const cleanup of cleanups.reverse()) {
      try {
        cleanup();
      } catch {
        // keep cleaning up the others
      }
    }
    cleanups = [];
    grid.replaceChildren();
  }
  renderPanels();

  const subscriptions = [
    ...HEADER_TRAITS.map((name) => [`change:${name}`, renderHeader]),
    ...PANEL_TRAITS.map((name) => [`change:${name}`, renderPanels]),
    ['change:progress', renderStatus],
    ['change:revision', renderRevision],
  ];
  for (const [event, callback] of subscriptions) model.on(event, callback);

  return () => {
    unmountPanels();
    for (const [event, callback] of subscriptions) model.off(event, callback);
    nav.destroy();
    root.remove();
  };
}
