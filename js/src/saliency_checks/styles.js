/** CSS of the saliency-quality panel, injected once per view into its root; colours from the theme variables. */
import { THEME_CSS } from '../ui/theme.js';

/** Verdict colours, also used by the top-loss trust badge (top_losses/trust.js). */
export const VERDICT_CSS = `
.petlens .petlens-verdict { display: inline-block; min-width: 3.2em; padding: 0 6px; border-radius: 9px; font-size: 0.85em; font-weight: 600; text-align: center; border: 1px solid transparent; }
.petlens .petlens-verdict-pass { color: #1b5e20; background: #dff0d8; border-color: #a5d6a7; }
.petlens .petlens-verdict-warn { color: #7a4a00; background: #fcf0d2; border-color: #f2c879; }
.petlens .petlens-verdict-fail { color: #8e1b1b; background: #f7d6d6; border-color: #e99a9a; }
.petlens .petlens-verdict-na { color: var(--petlens-fg-muted); background: var(--petlens-bg-raised); border-color: var(--petlens-border); }
`;

export const SALIENCY_CHECKS_CSS = `${THEME_CSS}${VERDICT_CSS}
.petlens-saliency-checks { display: flex; flex-direction: column; gap: 6px; padding: 4px 0; max-width: 1100px; }
.petlens-saliency-checks .petlens-sc-notice {
  padding: 16px 12px; text-align: center; overflow-wrap: anywhere;
  border: 1px dashed var(--petlens-border); border-radius: 4px;
}
.petlens-saliency-checks .petlens-sc-table { border-collapse: collapse; width: 100%; table-layout: fixed; }
.petlens-saliency-checks .petlens-sc-table th, .petlens-saliency-checks .petlens-sc-table td {
  border: 1px solid var(--petlens-border); padding: 4px 8px; text-align: left; vertical-align: top; overflow-wrap: anywhere;
}
.petlens-saliency-checks .petlens-sc-table th { background: var(--petlens-bg-raised); font-weight: 600; }
.petlens-saliency-checks .petlens-sc-table th:first-child { width: 17%; }
.petlens-saliency-checks .petlens-sc-cell { display: flex; flex-direction: column; align-items: flex-start; gap: 2px; cursor: help; }
.petlens-saliency-checks .petlens-sc-numbers { font-variant-numeric: tabular-nums; font-size: 0.92em; }
.petlens-saliency-checks .petlens-sc-meaning { margin: 0; padding-left: 18px; font-size: 0.92em; }
.petlens-saliency-checks .petlens-sc-meaning li { margin: 1px 0; }
`;
