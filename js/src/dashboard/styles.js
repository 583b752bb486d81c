/**
 * CSS of the dashboard frame (each panel's view brings its own): a compact header (title and
 * summary pairs flow as one wrapped text), a sticky navigation bar, one full-width panel per
 * row (no column leaves a hole beside a tall neighbour), and the top-loss card grid bounded
 * to about a screen, scrolling inside.
 *
 * Host pages style bare elements (Jupyter's rendered-HTML rules on dl, dt, dd, h2, h3,
 * section...): every frame element first reverts to the browser's defaults (`all: revert`)
 * under a selector more specific than such rules, then gets its own style below, with the
 * same prefix `D`. Views inside the panels are left alone.
 */
import { THEME_CSS } from '../ui/theme.js';

const D = '.petlens.petlens-dashboard';
const FRAME = [
  '.petlens-dash-header', '.petlens-dash-header *', '.petlens-dash-nav', '.petlens-dash-nav *',
  '.petlens-dash-grid', '.petlens-panel', '.petlens-panel-head', '.petlens-panel-head *', '.petlens-panel-body',
];
/** Height of the navigation bar plus a gap: where a panel stops when it is scrolled to. */
const NAV_CLEARANCE_PX = 44;

export const DASHBOARD_CSS = `${THEME_CSS}
${D} :is(${FRAME.join(', ')}) { all: revert; box-sizing: border-box; }
${D} { display: flex; flex-direction: column; gap: 8px; padding: 4px 0; }
${D} .petlens-dash-header {
  display: block; margin: 0; padding: 5px 12px; line-height: 1.5;
  border: 1px solid var(--petlens-border); border-radius: 6px; background: var(--petlens-bg-raised);
}
${D} .petlens-dash-title { display: inline; margin: 0 16px 0 0; }
${D} .petlens-dash-h2 { display: inline; margin: 0 8px 0 0; padding: 0; font-size: 1.2em; font-weight: 700; overflow-wrap: anywhere; }
${D} .petlens-badge {
  display: inline-block; margin: 0 8px 0 0; padding: 0 8px; border-radius: 10px; font-size: 0.85em; font-weight: 600;
  line-height: 1.4; color: #fff; background: var(--petlens-highlight);
}
${D} .petlens-status { background: var(--petlens-accent); font-variant-numeric: tabular-nums; }
${D} .petlens-dash-header[data-status="finished"] .petlens-status { background: var(--petlens-success); }
${D} .petlens-dash-header:is([data-status="interrupted"], [data-status="cancelled"]) .petlens-status { background: var(--petlens-highlight); }
${D} .petlens-summary { display: inline; margin: 0; padding: 0; }
${D} .petlens-summary-item { display: inline-block; max-width: 100%; margin: 0 16px 0 0; vertical-align: baseline; }
${D} .petlens-summary dt { display: inline; margin: 0 5px 0 0; padding: 0; color: var(--petlens-fg-muted); }
${D} .petlens-summary dt::after { content: ":"; }
${D} .petlens-summary dd { display: inline; margin: 0; padding: 0; font-weight: 600; overflow-wrap: anywhere; }
${D} .petlens-dash-nav {
  position: sticky; top: 0; z-index: 3; display: block; margin: 0; padding: 4px 0;
  background: var(--petlens-bg); border-bottom: 1px solid var(--petlens-border);
}
${D} .petlens-dash-nav-list { display: flex; gap: 6px; overflow-x: auto; white-space: nowrap; scrollbar-width: thin; }
${D} .petlens-dash-nav-link {
  flex: none; margin: 0; padding: 2px 12px; font: inherit; line-height: 1.4; color: var(--petlens-fg); cursor: pointer;
  background: var(--petlens-bg-raised); border: 1px solid var(--petlens-border); border-radius: 12px;
}
${D} .petlens-dash-nav-link:hover { border-color: var(--petlens-accent); }
${D} .petlens-dash-nav-link[aria-current="true"] { color: var(--petlens-accent); border-color: var(--petlens-accent); font-weight: 600; }
${D} .petlens-dash-nav-link:focus-visible { outline: 2px solid var(--petlens-accent); outline-offset: 1px; }
${D} .petlens-dash-grid { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; margin: 0; padding: 0; }
${D} .petlens-panel {
  display: block; min-width: 0; margin: 0; padding: 8px 12px 10px; scroll-margin-top: ${NAV_CLEARANCE_PX}px;
  border: 1px solid var(--petlens-border); border-radius: 6px; background: var(--petlens-bg);
}
${D} .petlens-panel:focus { outline: none; }
${D} .petlens-panel-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 10px; margin: 0 0 4px; padding: 0; }
${D} .petlens-panel-head h3 { display: block; margin: 0; padding: 0; font-size: 1.1em; font-weight: 700; line-height: 1.3; }
${D} .petlens-panel-hint { font-size: 0.9em; color: var(--petlens-fg-muted); }
${D} .petlens-panel-body { display: block; min-width: 0; }
${D} .petlens-panel-top_losses .petlens-grid { max-height: max(320px, calc(100vh - 170px)); overflow-y: auto; padding: 3px; }
@media print {
  ${D} .petlens-dash-nav { display: none; }
  ${D} .petlens-panel-top_losses .petlens-grid { max-height: none; overflow: visible; }
}
`;
