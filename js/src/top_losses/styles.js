/** CSS of the top-loss browser, injected once per view into its root. */
import { THEME_CSS } from '../ui/theme.js';

export const TOP_LOSSES_CSS = `${THEME_CSS}
.petlens-losses {
  --petlens-wrong: var(--petlens-error);
  --petlens-right: var(--petlens-success);
  display: flex; flex-direction: column; gap: 8px; padding: 4px 0; position: relative;
  --petlens-issue: var(--jp-warn-color1, #b35c00); /* possible label issues (JupyterLab's warning colour) */
}
@media screen and (prefers-color-scheme: dark) { .petlens-losses { --petlens-issue: var(--jp-warn-color1, #f0a040); } }
.petlens-issues-only { white-space: nowrap; }
.petlens-issues-only.petlens-disabled { opacity: 0.55; cursor: not-allowed; }
.petlens-picked-chip { border-color: var(--petlens-accent); }
.petlens .petlens-picked-chip button { text-decoration: underline; }
.petlens-issue-badge {
  position: absolute; top: 4px; left: 4px; padding: 0 5px; border-radius: 3px; font-size: 11px; font-weight: 700;
  color: var(--petlens-bg); background: var(--petlens-issue); box-shadow: 0 0 0 1px rgba(255, 255, 255, 0.6);
}
.petlens .petlens-card.petlens-flagged .petlens-thumb { box-shadow: inset 0 0 0 2px var(--petlens-issue); }
.petlens-decision {
  align-self: flex-start; max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
  margin-top: 2px; padding: 0 6px; border-radius: 8px; font-size: 11px; font-weight: 600;
  border: 1px solid var(--petlens-border); background: var(--petlens-bg-raised);
}
.petlens-decision-keep { color: var(--petlens-right); border-color: var(--petlens-right); }
.petlens-decision-relabel { color: var(--petlens-accent); border-color: var(--petlens-accent); }
.petlens-decision-delete { color: var(--petlens-wrong); border-color: var(--petlens-wrong); }
.petlens-decision-unsure { color: var(--petlens-issue); border-color: var(--petlens-issue); }
.petlens-decision.petlens-pending, .petlens-decisions.petlens-pending { opacity: 0.6; }
.petlens-decisions { display: inline-flex; flex-wrap: wrap; gap: 4px; }
.petlens .petlens-decide[aria-pressed="true"] { background: var(--petlens-accent); border-color: var(--petlens-accent); color: #fff; }
.petlens .petlens-decide:disabled { opacity: 0.45; cursor: default; }
/* a card's buttons: over the bottom of its thumbnail (a square as wide as the cell), on hover or focus */
.petlens-cell { position: relative; }
.petlens-decisions-compact {
  position: absolute; top: 0; left: 0; right: 0; aspect-ratio: 1 / 1; display: flex; align-items: flex-end;
  flex-wrap: nowrap; gap: 2px; padding: 4px; box-sizing: border-box; pointer-events: none; opacity: 0; transition: opacity 0.1s;
}
.petlens-cell:hover .petlens-decisions-compact, .petlens-cell:focus-within .petlens-decisions-compact { opacity: 1; }
.petlens .petlens-decisions-compact .petlens-decide {
  flex: 1; padding: 0 2px; font-size: 12px; line-height: 1.6; min-width: 0; pointer-events: auto;
  background: var(--petlens-bg); box-shadow: 0 1px 3px rgba(0, 0, 0, 0.35);
}
.petlens-cell:not(:hover):not(:focus-within) .petlens-decisions-compact .petlens-decide { pointer-events: none; }
.petlens-queue {
  display: flex; flex-direction: column; gap: 4px; padding: 6px 8px;
  border: 1px solid var(--petlens-border); border-radius: 4px; background: var(--petlens-bg-raised);
}
.petlens-queue-head { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 10px; }
.petlens-queue-summary { font-variant-numeric: tabular-nums; }
.petlens-queue-exports { display: inline-flex; gap: 4px; }
.petlens .petlens-queue-exports button:disabled { opacity: 0.45; cursor: default; }
.petlens-queue-where { font-size: 11px; }
.petlens-queue-error { color: var(--petlens-error); overflow-wrap: anywhere; }
.petlens-queue-list { margin: 0; padding: 0 0 0 1.5em; max-height: 220px; overflow: auto; font-size: 12px; }
.petlens-queue-row { display: flex; align-items: center; gap: 8px; min-width: 0; padding: 1px 0; }
.petlens .petlens-queue-item {
  border: none; background: none; padding: 0; text-align: left; min-width: 0; max-width: 50%;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap; text-decoration: underline; color: inherit;
}
.petlens .petlens-queue-clear { border: none; background: none; padding: 0 4px; }
.petlens-help { font-size: 11px; }
.petlens-picker {
  position: absolute; z-index: 20; width: min(320px, 100%); display: flex; flex-direction: column; gap: 4px; padding: 8px;
  border: 1px solid var(--petlens-accent); border-radius: 4px; background: var(--petlens-bg);
  box-shadow: 0 4px 16px rgba(0, 0, 0, 0.25);
}
.petlens-picker-title { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.petlens-picker-input { width: 100%; box-sizing: border-box; font: inherit; padding: 3px 6px; }
.petlens-picker-list { list-style: none; margin: 0; padding: 0; max-height: 260px; overflow: auto; }
.petlens-picker-option { display: flex; justify-content: space-between; gap: 8px; padding: 2px 6px; cursor: pointer; border-radius: 3px; }
.petlens-picker-option[aria-selected="true"] { background: var(--petlens-accent); color: #fff; }
.petlens-picker-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; }
.petlens-picker-tag { flex: none; font-size: 11px; opacity: 0.8; }
.petlens-picker-more, .petlens-picker-help, .petlens-picker-none { font-size: 11px; padding: 2px 6px; }
.petlens-facts dd.petlens-issue-text { color: var(--petlens-issue); font-weight: 600; }
.petlens-facts dd.petlens-decision-text { font-weight: 600; }
.petlens-losses-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px; }
.petlens-losses-toolbar label { display: inline-flex; align-items: center; gap: 4px; }
.petlens-losses-toolbar select { max-width: 190px; }
.petlens-losses-toolbar select:disabled { opacity: 0.55; cursor: not-allowed; }
.petlens-chip {
  display: inline-flex; align-items: center; gap: 4px; max-width: 100%;
  border: 1px solid var(--petlens-highlight); border-radius: 12px; padding: 0 2px 0 10px;
  background: var(--petlens-bg-raised);
}
.petlens-chip-text { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.petlens .petlens-chip button {
  border: none; background: none; border-radius: 10px; padding: 0 6px; line-height: 1.3;
}
.petlens .petlens-chip button:hover { background: var(--petlens-border); }
.petlens-losses-status { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 4px 12px; }
.petlens-count { font-variant-numeric: tabular-nums; }
.petlens-pager { display: inline-flex; align-items: center; gap: 6px; }
.petlens-pager span { font-variant-numeric: tabular-nums; min-width: 7em; text-align: center; }
.petlens-pager button:disabled { opacity: 0.45; cursor: default; }
.petlens-grid {
  display: grid; gap: 8px; grid-template-columns: repeat(auto-fill, minmax(148px, 1fr));
}
.petlens-cell { min-width: 0; }
.petlens .petlens-card {
  display: flex; flex-direction: column; width: 100%; min-width: 0; padding: 0; text-align: left;
  background: var(--petlens-bg); border: 1px solid var(--petlens-border);
  border-top: 3px solid var(--petlens-wrong); border-radius: 4px; overflow: hidden;
}
.petlens .petlens-card.petlens-correct { border-top-color: var(--petlens-right); }
.petlens .petlens-card:hover { border-color: var(--petlens-accent); }
.petlens .petlens-card:hover.petlens-wrong { border-top-color: var(--petlens-wrong); }
.petlens .petlens-card:hover.petlens-correct { border-top-color: var(--petlens-right); }
.petlens .petlens-card[aria-pressed="true"] { outline: 2px solid var(--petlens-highlight); outline-offset: 1px; }
.petlens-thumb {
  display: block; position: relative; width: 100%; aspect-ratio: 1 / 1; overflow: hidden; background: var(--petlens-bg-raised);
}
.petlens-thumb img { display: block; width: 100%; height: 100%; object-fit: cover; }
.petlens-loss-badge {
  position: absolute; top: 4px; right: 4px; padding: 0 5px; border-radius: 3px; font-size: 11px; font-weight: 600;
  font-variant-numeric: tabular-nums; color: #fff; background: rgba(0, 0, 0, 0.62);
}
.petlens-loss-badge::before { content: "loss "; font-weight: 400; opacity: 0.8; }
.petlens-placeholder {
  position: absolute; inset: 0; display: flex; flex-direction: column; align-items: center; justify-content: center;
  gap: 4px; padding: 8px; text-align: center; color: var(--petlens-fg-muted); font-size: 11px;
  background: repeating-linear-gradient(135deg, transparent 0 8px, var(--petlens-border) 8px 9px);
}
.petlens-placeholder-name {
  max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
  background: var(--petlens-bg-raised); padding: 1px 4px; border-radius: 3px; color: var(--petlens-fg);
}
.petlens-card-text { display: flex; flex-direction: column; gap: 1px; padding: 4px 6px 6px; font-size: 12px; min-width: 0; }
.petlens-line { display: flex; gap: 4px; min-width: 0; white-space: nowrap; }
.petlens-line-label { color: var(--petlens-fg-muted); flex: none; }
.petlens-line-value { overflow: hidden; text-overflow: ellipsis; }
.petlens-pred { font-weight: 600; }
.petlens-wrong .petlens-pred { color: var(--petlens-wrong); }
.petlens-nums { font-variant-numeric: tabular-nums; }
.petlens-empty { padding: 24px 8px; text-align: center; }
.petlens-notice {
  padding: 24px 12px; text-align: center; overflow-wrap: anywhere; white-space: pre-line;
  border: 1px dashed var(--petlens-border); border-radius: 4px;
}
.petlens-detail {
  display: flex; flex-direction: column; gap: 8px; padding: 10px 12px;
  border: 1px solid var(--petlens-border); border-left: 4px solid var(--petlens-wrong); border-radius: 4px;
  background: var(--petlens-bg-raised);
}
.petlens-detail.petlens-correct { border-left-color: var(--petlens-right); }
.petlens-detail:focus { outline: none; }
.petlens-detail:focus-visible { outline: 2px solid var(--petlens-accent); }
.petlens-detail-head { display: flex; align-items: center; gap: 8px; }
.petlens-detail-head h4 {
  flex: 1; min-width: 0; margin: 0; font-size: inherit; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
}
.petlens-detail-nav { display: inline-flex; align-items: center; gap: 4px; flex: none; }
.petlens-detail-nav span { font-variant-numeric: tabular-nums; margin: 0 4px; }
.petlens-detail-nav button:disabled { opacity: 0.45; cursor: default; }
.petlens-detail-body { display: flex; flex-wrap: wrap; gap: 12px 20px; align-items: flex-start; }
.petlens-figure-box { flex: 0 1 384px; min-width: 180px; display: flex; flex-direction: column; gap: 4px; }
.petlens-figure { position: relative; margin: 0; width: 100%; aspect-ratio: 1 / 1; background: var(--petlens-bg); border-radius: 3px; overflow: hidden; }
.petlens-picture { display: block; position: absolute; inset: 0; }
.petlens-figure img { display: block; width: 100%; height: 100%; object-fit: contain; }
.petlens-figure-note { font-size: 11px; }
.petlens-legend { display: flex; flex-direction: column; gap: 2px; font-size: 11px; }
.petlens-legend-title { overflow-wrap: anywhere; }
.petlens-colorbar { display: block; width: 100%; height: 10px; image-rendering: auto; border-radius: 2px; }
.petlens-legend-ends { display: flex; justify-content: space-between; gap: 8px; }
.petlens-facts-box { flex: 1 1 220px; min-width: 200px; display: flex; flex-direction: column; gap: 8px; }
.petlens-facts { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 0; }
.petlens-facts dt { color: var(--petlens-fg-muted); }
.petlens-facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; font-variant-numeric: tabular-nums; }
.petlens-facts dd.petlens-wrong-text { color: var(--petlens-wrong); font-weight: 600; }
.petlens-facts dd.petlens-right-text { color: var(--petlens-right); font-weight: 600; }
.petlens-hint { font-size: 11px; }
.petlens-saliency { display: flex; flex-direction: column; align-items: flex-start; gap: 6px; border-top: 1px solid var(--petlens-border); padding-top: 8px; }
.petlens-saliency label, .petlens-toggle-row { display: inline-flex; align-items: center; gap: 6px; }
.petlens-saliency select { max-width: 100%; }
.petlens-saliency select:disabled, .petlens-saliency input:disabled, .petlens .petlens-toggle button:disabled { opacity: 0.5; cursor: not-allowed; }
.petlens-opacity-value { min-width: 3em; }
.petlens-saliency-status { font-size: 12px; overflow-wrap: anywhere; }
.petlens-toggle { display: inline-flex; }
.petlens .petlens-toggle button { border-radius: 0; }
.petlens .petlens-toggle button:first-child { border-radius: 3px 0 0 3px; }
.petlens .petlens-toggle button:last-child { border-radius: 0 3px 3px 0; margin-left: -1px; }
.petlens .petlens-toggle button[aria-pressed="true"] { background: var(--petlens-accent); border-color: var(--petlens-accent); color: #fff; }
.petlens-heat { position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; }
`;
