/** CSS of the confusion matrix widget, injected once per view into its root. */
import { THEME_CSS } from '../ui/theme.js';

export const CONFUSION_CSS = `${THEME_CSS}
.petlens-confusion { display: flex; flex-direction: column; gap: 8px; padding: 4px 0; }
.petlens-notice {
  padding: 24px 12px; text-align: center; overflow-wrap: anywhere; white-space: pre-line;
  border: 1px dashed var(--petlens-border); border-radius: 4px;
}
.petlens-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 16px; }
.petlens-toolbar label { display: inline-flex; align-items: center; gap: 4px; }
.petlens-zoom { display: inline-flex; gap: 2px; }
.petlens-zoom button { min-width: 26px; }
.petlens-main { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 12px 20px; }
.petlens-plot { flex: 1 1 360px; min-width: 240px; }
.petlens-stage { position: relative; }
.petlens-stage canvas { position: absolute; display: block; }
.petlens-cells { cursor: crosshair; touch-action: none; }
.petlens-cells.petlens-dragging { cursor: grabbing; }
.petlens-axis-title {
  position: absolute; display: flex; align-items: center; justify-content: center;
  color: var(--petlens-fg-muted); font-weight: 600; white-space: nowrap;
}
.petlens-axis-title-y { writing-mode: vertical-rl; transform: rotate(180deg); }
.petlens-tooltip {
  position: absolute; z-index: 1; pointer-events: none; white-space: nowrap; font-size: 12px;
  background: var(--petlens-bg); border: 1px solid var(--petlens-border); border-radius: 3px;
  padding: 4px 8px; box-shadow: 0 2px 6px rgba(0, 0, 0, 0.25);
}
.petlens-tooltip-key { color: var(--petlens-fg-muted); margin-right: 6px; }
.petlens-tooltip-key::after { content: ":"; }
.petlens-side { flex: 0 1 280px; min-width: 200px; display: flex; flex-direction: column; gap: 6px; }
.petlens-side h4 { margin: 0; font-size: inherit; }
.petlens-confused { list-style: none; margin: 0; padding: 0; }
.petlens-confused button {
  display: flex; gap: 8px; width: 100%; text-align: left;
  background: none; border: 1px solid transparent; padding: 1px 4px;
}
.petlens-confused button[aria-pressed="true"] { border-color: var(--petlens-highlight); }
.petlens-pair { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.petlens-count { font-variant-numeric: tabular-nums; }
.petlens-legend { display: flex; flex-direction: column; gap: 2px; margin-top: 6px; }
.petlens-legend-bar { width: 100%; max-width: 240px; height: 10px; image-rendering: pixelated; border: 1px solid var(--petlens-border); }
.petlens-legend-ticks { display: flex; justify-content: space-between; max-width: 240px; font-size: 11px; }
`;
