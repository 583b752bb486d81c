/** CSS of the LR-finder explorer, injected once per view into its root. */
import { THEME_CSS } from '../ui/theme.js';

export const LR_FIND_CSS = `${THEME_CSS}
.petlens-lrfind { display: flex; flex-direction: column; gap: 8px; padding: 4px 0; }
.petlens-lrfind-top { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 16px; }
.petlens-lrfind-legend { display: flex; flex-wrap: wrap; gap: 4px; flex: 1 1 auto; min-width: 0; }
.petlens-lrfind-legend button {
  display: inline-flex; align-items: center; gap: 6px; max-width: 320px;
  background: none; border: 1px solid transparent; opacity: 0.6;
}
.petlens-lrfind-legend button[aria-pressed="true"] { border-color: var(--petlens-border); background: var(--petlens-bg-raised); opacity: 1; font-weight: 600; }
.petlens-lrfind-legend button:hover { opacity: 1; }
.petlens-swatch { display: inline-block; flex: none; width: 14px; height: 3px; border-radius: 1px; }
.petlens-lrfind-legend .petlens-label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.petlens-lrfind-top label { display: inline-flex; align-items: center; gap: 4px; }
.petlens-lrfind-main { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 12px 20px; }
.petlens-lrfind-plot { flex: 1 1 420px; min-width: 260px; display: flex; flex-direction: column; gap: 2px; }
.petlens-lrfind-plot canvas { display: block; cursor: crosshair; touch-action: none; }
.petlens-lrfind-readout { font-size: 12px; min-height: 1.4em; font-variant-numeric: tabular-nums; }
.petlens-lrfind-side { flex: 0 1 300px; min-width: 220px; display: flex; flex-direction: column; gap: 4px; }
.petlens-lrfind-side h4 { margin: 0; font-size: inherit; }
.petlens-suggestions { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 2px; }
.petlens-suggestions button {
  display: grid; grid-template-columns: 16px 1fr auto; column-gap: 6px; row-gap: 1px; width: 100%;
  text-align: left; background: none; border: 1px solid transparent; padding: 3px 6px;
}
.petlens-suggestions button:disabled { cursor: default; opacity: 0.55; }
.petlens-suggestions button[aria-pressed="true"] { border-color: var(--petlens-highlight); background: var(--petlens-bg-raised); }
.petlens-glyph { text-align: center; }
.petlens-suggestion-name { font-weight: 600; }
.petlens-suggestion-lr { font-variant-numeric: tabular-nums; }
.petlens-suggestion-text { grid-column: 2 / 4; font-size: 12px; color: var(--petlens-fg-muted); }
.petlens-pick { display: flex; flex-direction: column; gap: 4px; }
.petlens-pick-line { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; }
.petlens-pick-line label { display: inline-flex; align-items: center; gap: 4px; }
.petlens-pick-note { font-size: 12px; }
.petlens-pick-code {
  flex: 1 1 300px; min-width: 200px; max-width: 520px; padding: 2px 6px;
  font-family: var(--jp-code-font-family, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
  background: var(--petlens-bg-raised); border: 1px solid var(--petlens-border); border-radius: 3px;
}
.petlens-pick-status { font-size: 12px; }
.petlens-empty { padding: 24px 12px; text-align: center; border: 1px dashed var(--petlens-border); border-radius: 4px; }
`;
