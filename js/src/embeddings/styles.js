/** CSS of the embeddings view, injected into its root; colours from the theme variables. */
import { THEME_CSS } from '../ui/theme.js';

/** Width of the side panel (legend) beside the scatter, px. */
export const SIDE_PX = 250;
/** Gap between the scatter and the side panel, px. */
export const GAP_PX = 16;

export const EMBEDDINGS_CSS = `${THEME_CSS}
.petlens-embeddings { display: flex; flex-direction: column; gap: 6px; padding: 4px 0; }
.petlens-embeddings .petlens-notice {
  padding: 24px 12px; text-align: center; overflow-wrap: anywhere; white-space: pre-line;
  border: 1px dashed var(--petlens-border); border-radius: 4px;
}
.petlens-emb-content { display: flex; flex-direction: column; gap: 6px; min-width: 0; }
.petlens-emb-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px; }
.petlens-emb-toolbar label { display: inline-flex; align-items: center; gap: 6px; }
.petlens-emb-group { display: inline-flex; align-items: center; gap: 0; }
.petlens .petlens-emb-group button { border-radius: 0; margin-left: -1px; }
.petlens .petlens-emb-group button:first-child { border-radius: 3px 0 0 3px; margin-left: 0; }
.petlens .petlens-emb-group button:last-child { border-radius: 0 3px 3px 0; }
.petlens .petlens-emb-group button[aria-pressed="true"] {
  background: var(--petlens-accent); border-color: var(--petlens-accent); color: var(--petlens-bg);
}
.petlens .petlens-emb-toolbar button:disabled { opacity: 0.45; cursor: default; }
.petlens-emb-caption { font-size: 0.92em; overflow-wrap: anywhere; }
.petlens-emb-main { display: flex; align-items: flex-start; gap: ${GAP_PX}px; }
.petlens-emb-main.petlens-emb-stacked { flex-direction: column; }
.petlens-emb-stage {
  position: relative; flex: none; border: 1px solid var(--petlens-border); border-radius: 4px;
  touch-action: none;
}
.petlens-emb-stage canvas { position: absolute; left: 0; top: 0; display: block; }
.petlens-emb-overlay { cursor: crosshair; }
.petlens-emb-stage[data-tool="pan"] .petlens-emb-overlay { cursor: grab; }
.petlens-emb-stage[data-dragging="pan"] .petlens-emb-overlay { cursor: grabbing; }
.petlens-embeddings .petlens-tooltip {
  position: absolute; z-index: 2; pointer-events: none; font-size: 12px; max-width: 260px;
  background: var(--petlens-bg); border: 1px solid var(--petlens-border); border-radius: 3px;
  padding: 4px 8px; box-shadow: 0 2px 6px rgba(0, 0, 0, 0.25);
}
.petlens-embeddings .petlens-tooltip > div { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
/* a fixed box, so the tooltip is placed at its final size before the image has loaded */
.petlens-embeddings .petlens-tooltip img { display: block; width: 112px; height: 112px; object-fit: contain; margin: 2px 0 4px; border-radius: 2px; }
.petlens-embeddings .petlens-tooltip-key { color: var(--petlens-fg-muted); margin-right: 6px; }
.petlens-embeddings .petlens-tooltip-key::after { content: ":"; }
.petlens-emb-side { flex: 0 0 ${SIDE_PX}px; width: ${SIDE_PX}px; min-width: 0; display: flex; flex-direction: column; gap: 6px; }
.petlens-emb-two .petlens-emb-side { flex-basis: ${2 * SIDE_PX}px; width: ${2 * SIDE_PX}px; }
.petlens-emb-two .petlens-emb-legend { columns: 2; column-gap: 12px; }
.petlens-emb-two .petlens-emb-legend li { break-inside: avoid; }
.petlens-emb-stacked .petlens-emb-side { width: 100%; max-width: 520px; flex: none; }
.petlens-emb-side h4 { margin: 0; font-size: inherit; }
.petlens-emb-note { font-size: 0.92em; }
.petlens-emb-search { width: 100%; padding: 2px 6px; border: 1px solid var(--petlens-border); border-radius: 3px; background: var(--petlens-bg); }
.petlens-emb-legend { list-style: none; margin: 0; padding: 0; flex: 1 1 auto; min-height: 0; overflow-y: auto; }
.petlens-emb-stacked .petlens-emb-legend { max-height: 300px; }
.petlens-emb-legend li { margin: 0; }
.petlens .petlens-emb-legend button, .petlens-emb-legend .petlens-emb-entry {
  display: flex; align-items: center; gap: 6px; width: 100%; text-align: left; border: none;
  background: none; padding: 1px 4px; border-radius: 3px; border-left: 3px solid transparent;
}
.petlens .petlens-emb-legend button:hover { background: var(--petlens-bg-raised); }
.petlens .petlens-emb-legend button[aria-pressed="true"] {
  border-left-color: var(--petlens-highlight); font-weight: 600;
  background: color-mix(in srgb, var(--petlens-highlight) 16%, transparent);
}
.petlens-emb-swatch { flex: none; width: 10px; height: 10px; border-radius: 50%; }
.petlens-emb-name { min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.petlens-emb-side .petlens-emb-name { flex: 1 1 auto; }
.petlens-emb-count { flex: none; color: var(--petlens-fg-muted); font-variant-numeric: tabular-nums; }
.petlens-emb-ramp { height: 10px; border-radius: 2px; border: 1px solid var(--petlens-border); }
.petlens-emb-ramp-ends { display: flex; justify-content: space-between; gap: 8px; font-size: 0.92em; }
.petlens-emb-help { font-size: 0.92em; }
.petlens-emb-neighbours { border: 1px solid var(--petlens-border); border-radius: 4px; padding: 8px; display: flex; flex-direction: column; gap: 6px; }
.petlens-emb-nhead { display: flex; align-items: baseline; justify-content: space-between; gap: 8px; }
.petlens-emb-nhead h4 { margin: 0; font-size: inherit; }
.petlens-emb-sentence { margin: 0; overflow-wrap: anywhere; }
.petlens-emb-cards { display: flex; gap: 8px; overflow-x: auto; padding-bottom: 4px; }
.petlens-emb-card {
  flex: none; width: 128px; display: flex; flex-direction: column; gap: 2px; font-size: 12px;
  border: 1px solid var(--petlens-border); border-radius: 4px; padding: 4px; background: var(--petlens-bg);
}
.petlens-emb-card.petlens-emb-query { border-color: var(--petlens-highlight); border-width: 2px; }
.petlens-emb-card[data-item] { cursor: pointer; }
.petlens-emb-thumb { width: 118px; height: 118px; object-fit: contain; border-radius: 2px; background: var(--petlens-bg-raised); display: block; }
.petlens-emb-nothumb { display: flex; align-items: center; justify-content: center; text-align: center; color: var(--petlens-fg-muted); font-size: 11px; }
.petlens-emb-card .petlens-emb-name { font-weight: 600; }
.petlens-emb-card > span { overflow-wrap: anywhere; } /* a long class name wraps inside its card */
.petlens-emb-file { color: var(--petlens-fg-muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.petlens-emb-agree { color: var(--petlens-fg-muted); }
`;
