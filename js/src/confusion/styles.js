/** CSS of the confusion matrix widget, injected once per view into its root. */
import { THEME_CSS } from '../ui/theme.js';

export const CONFUSION_CSS = `${THEME_CSS}
.petlens-confusion { display: flex; flex-direction: column; gap: 8px; padding: 4px 0; }
.petlens-notice {
  padding: 24px 12px; text-align: center; overflow-wrap: anywhere; white-space: pre-line;
  border: 1px dashed var(--petlens-border); border-radius: 4px;
}
.petlens-toolbar-block { display: flex; flex-direction: column; gap: 4px; }
.petlens-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 16px; }
.petlens-toolbar label { display: inline-flex; align-items: center; gap: 4px; }
.petlens-order-help { font-size: 0.92em; }
.petlens-zoom { display: inline-flex; align-items: center; gap: 2px; }
.petlens-zoom button { min-width: 26px; }
.petlens-zoom button:disabled { opacity: 0.45; cursor: default; }
.petlens-zoom-level { min-width: 3.5em; margin-left: 6px; color: var(--petlens-fg-muted); font-variant-numeric: tabular-nums; }
.petlens-main { display: flex; align-items: flex-start; gap: 12px 20px; }
.petlens-main.petlens-stacked { flex-direction: column; }
.petlens-plot { flex: none; }
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
.petlens-side { flex: 0 1 320px; min-width: 220px; display: flex; flex-direction: column; gap: 6px; }
.petlens-stacked .petlens-side { flex: none; width: 100%; max-width: 520px; }
.petlens-side-head { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 4px 12px; }
.petlens-side h4 { margin: 0; font-size: inherit; }
.petlens-side-head label { display: inline-flex; align-items: center; gap: 4px; color: var(--petlens-fg-muted); }
.petlens-min-val { width: 4.5em; }
.petlens-confused-summary { margin: 0; font-size: 0.92em; }
.petlens-confused { list-style: none; margin: 0; padding: 0; max-height: 420px; overflow-y: auto; }
.petlens .petlens-confused button {
  display: flex; align-items: baseline; gap: 8px; width: 100%; text-align: left; font: inherit; color: inherit;
  background: none; border: 1px solid transparent; border-radius: 3px; padding: 2px 4px; cursor: pointer;
}
.petlens .petlens-confused button:hover { background: var(--petlens-bg-raised); }
.petlens .petlens-confused button[aria-pressed="true"] { border-color: var(--petlens-highlight); }
.petlens .petlens-confused button.petlens-match { background: color-mix(in srgb, var(--petlens-highlight) 16%, transparent); }
.petlens-pair { flex: 1; min-width: 0; overflow-wrap: anywhere; }
.petlens-overlap { display: flex; flex-direction: column; gap: 4px; margin-top: 6px; padding-top: 6px; border-top: 1px solid var(--petlens-border); }
.petlens-overlap-summary { margin: 0; font-size: 0.92em; overflow-wrap: anywhere; }
.petlens-overlap-list { list-style: none; margin: 0; padding: 0; max-height: 300px; overflow-y: auto; }
.petlens .petlens-overlap-list button {
  display: flex; align-items: baseline; gap: 8px; width: 100%; text-align: left; font: inherit; color: inherit;
  background: none; border: 1px solid transparent; border-radius: 3px; padding: 2px 4px; cursor: pointer;
}
.petlens .petlens-overlap-list button:hover { background: var(--petlens-bg-raised); }
.petlens .petlens-overlap-list button[aria-pressed="true"] { border-color: var(--petlens-highlight); }
.petlens .petlens-overlap-list button.petlens-overlap-match { background: color-mix(in srgb, var(--petlens-highlight) 16%, transparent); }
.petlens-overlap-examples { font-variant-numeric: tabular-nums; font-weight: 600; }
.petlens-overlap-joint { font-variant-numeric: tabular-nums; font-size: 0.92em; min-width: 3.4em; text-align: right; }
.petlens .petlens-overlap-more { align-self: flex-start; font-size: 0.92em; }
.petlens-count { font-variant-numeric: tabular-nums; font-weight: 600; }
.petlens-legend-note { font-size: 0.92em; }
.petlens-minimap { display: flex; flex-direction: column; gap: 2px; margin-top: 6px; }
.petlens-minimap-map { border: 1px solid var(--petlens-border); cursor: pointer; touch-action: none; }
.petlens-legend { display: flex; flex-direction: column; gap: 2px; margin-top: 6px; }
.petlens-legend-bar { width: 100%; max-width: 240px; height: 10px; image-rendering: pixelated; border: 1px solid var(--petlens-border); }
.petlens-legend-ticks { display: flex; justify-content: space-between; max-width: 240px; font-size: 11px; }
`;
