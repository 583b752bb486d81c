/** CSS of the dashboard frame (each panel's view brings its own). */
import { THEME_CSS } from '../ui/theme.js';

export const DASHBOARD_CSS = `${THEME_CSS}
.petlens-dashboard { display: flex; flex-direction: column; gap: 12px; padding: 4px 0; }
.petlens-dash-header {
  display: flex; flex-direction: column; gap: 6px; padding: 10px 14px;
  border: 1px solid var(--petlens-border); border-radius: 6px; background: var(--petlens-bg-raised);
}
.petlens-dash-title { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; }
.petlens-dash-title h2 { margin: 0; font-size: 1.35em; line-height: 1.25; overflow-wrap: anywhere; }
.petlens-badge {
  display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 0.85em; font-weight: 600;
  color: #fff; background: var(--petlens-highlight);
}
.petlens-summary { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 0; }
.petlens-summary div { display: flex; gap: 6px; min-width: 0; }
.petlens-summary dt { color: var(--petlens-fg-muted); }
.petlens-summary dt::after { content: ":"; }
.petlens-summary dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
.petlens-dash-grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 12px; align-items: start; }
.petlens-dashboard.petlens-narrow .petlens-dash-grid { grid-template-columns: minmax(0, 1fr); }
.petlens-panel {
  min-width: 0; padding: 8px 12px 10px; border: 1px solid var(--petlens-border); border-radius: 6px;
  background: var(--petlens-bg);
}
.petlens-panel-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 10px; margin-bottom: 4px; }
.petlens-panel-head h3 { margin: 0; font-size: 1.1em; }
.petlens-panel-hint { font-size: 0.9em; }
`;
