/** CSS of the compare view, injected once per view into its root; colours from the theme variables. */
import { THEME_CSS } from '../ui/theme.js';

/** Height of one per-class row, px (the scrolled window is computed from it). */
export const ROW_PX = 26;
/** Per-class rows visible before the table scrolls. */
export const VISIBLE_ROWS = 12;

/** Colours of the two runs in the charts (mid tones: they read on light and dark backgrounds). */
export const RUN_COLORS = Object.freeze({ a: '#a371f7', b: '#f0883e' });

export const COMPARE_CSS = `${THEME_CSS}
.petlens-compare {
  --petlens-cmp-fixed: var(--petlens-success);
  --petlens-cmp-broken: var(--petlens-error);
  --petlens-cmp-still_wrong: #d4a72c;
  --petlens-cmp-relabelled: #bf3989;
  --petlens-cmp-still_right: var(--petlens-fg-muted);
  --petlens-cmp-a: ${RUN_COLORS.a};
  --petlens-cmp-b: ${RUN_COLORS.b};
  display: flex; flex-direction: column; gap: 14px; padding: 4px 0; min-width: 0;
}
.petlens-compare h3 { margin: 0; font-size: 1.08em; }
.petlens-compare h4 { margin: 0; font-size: inherit; }
.petlens-cmp-section { display: flex; flex-direction: column; gap: 6px; min-width: 0; }
.petlens-cmp-hint { font-size: 0.92em; }
.petlens-notice {
  padding: 24px 12px; text-align: center; overflow-wrap: anywhere; white-space: pre-line;
  border: 1px dashed var(--petlens-border); border-radius: 4px;
}
.petlens-cmp-notices {
  margin: 0; padding: 6px 10px 6px 26px; border: 1px solid var(--petlens-border);
  border-left: 4px solid var(--petlens-highlight); border-radius: 4px; background: var(--petlens-bg-raised);
}
.petlens-cmp-notices li { overflow-wrap: anywhere; }
.petlens-cmp-runs { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 10px; font-size: 1.08em; }
.petlens-cmp-run { display: inline-flex; align-items: baseline; gap: 6px; min-width: 0; overflow-wrap: anywhere; }
.petlens-cmp-badge {
  display: inline-block; min-width: 1.5em; text-align: center; border-radius: 3px; padding: 0 4px;
  font-weight: 700; color: #fff; font-size: 0.85em;
}
.petlens-cmp-badge-a { background: var(--petlens-cmp-a); }
.petlens-cmp-badge-b { background: var(--petlens-cmp-b); }
.petlens-cmp-counts { display: flex; flex-wrap: wrap; gap: 6px; }
.petlens .petlens-cmp-count {
  display: flex; flex-direction: column; align-items: flex-start; min-width: 84px; padding: 4px 10px;
  border: 1px solid var(--petlens-border); border-top: 3px solid var(--petlens-cmp-still_right);
  border-radius: 4px; background: var(--petlens-bg-raised); text-align: left; font: inherit; color: inherit;
}
.petlens .petlens-cmp-count[data-change] { cursor: pointer; }
.petlens .petlens-cmp-count[aria-pressed="true"] { outline: 2px solid var(--petlens-highlight); outline-offset: 1px; }
.petlens-cmp-count-value { font-size: 1.35em; font-weight: 700; font-variant-numeric: tabular-nums; line-height: 1.2; }
.petlens-cmp-count-label { color: var(--petlens-fg-muted); font-size: 0.92em; white-space: nowrap; }
${['fixed', 'broken', 'still_wrong', 'relabelled', 'still_right']
  .map((c) => `.petlens .petlens-cmp-count[data-kind="${c}"] { border-top-color: var(--petlens-cmp-${c}); }`)
  .join('\n')}
.petlens-cmp-diff { border-collapse: collapse; font-size: 0.95em; max-width: 100%; }
.petlens-cmp-diff th, .petlens-cmp-diff td {
  text-align: left; padding: 2px 10px 2px 6px; border-bottom: 1px solid var(--petlens-border);
  overflow-wrap: anywhere; vertical-align: top;
}
.petlens-cmp-diff th { color: var(--petlens-fg-muted); font-weight: 600; }
.petlens-cmp-diff td:first-child { color: var(--petlens-fg-muted); white-space: nowrap; }
.petlens-cmp-diff tr.petlens-cmp-changed td { background: color-mix(in srgb, var(--petlens-highlight) 14%, transparent); }
.petlens-cmp-diff tr.petlens-cmp-changed td:first-child { color: var(--petlens-fg); font-weight: 600; }
.petlens-cmp-diff tr.petlens-cmp-changed td:first-child::before { content: "● "; color: var(--petlens-highlight); }
.petlens-cmp-headdiff { display: flex; flex-direction: column; align-items: flex-start; gap: 4px; }
.petlens-cmp-headdiff-line { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 12px; }
.petlens-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 16px; }
.petlens-toolbar label { display: inline-flex; align-items: center; gap: 4px; }
.petlens-zoom { display: inline-flex; align-items: center; gap: 2px; }
.petlens-zoom button { min-width: 26px; }
.petlens-zoom button:disabled { opacity: 0.45; cursor: default; }
.petlens-zoom-level { min-width: 3.5em; margin-left: 6px; color: var(--petlens-fg-muted); font-variant-numeric: tabular-nums; }
.petlens-cmp-main { display: flex; align-items: flex-start; gap: 12px 20px; }
.petlens-cmp-main.petlens-stacked { flex-direction: column; }
.petlens-stage { position: relative; flex: none; }
.petlens-stage canvas { position: absolute; display: block; }
.petlens-cells { cursor: crosshair; touch-action: none; }
.petlens-cells.petlens-dragging { cursor: grabbing; }
.petlens-axis-title {
  position: absolute; display: flex; align-items: center; justify-content: center;
  color: var(--petlens-fg-muted); font-weight: 600; white-space: nowrap;
}
.petlens-axis-title-y { writing-mode: vertical-rl; transform: rotate(180deg); }
.petlens-tooltip {
  position: absolute; z-index: 2; pointer-events: none; white-space: nowrap; font-size: 12px;
  background: var(--petlens-bg); border: 1px solid var(--petlens-border); border-radius: 3px;
  padding: 4px 8px; box-shadow: 0 2px 6px rgba(0, 0, 0, 0.25); max-width: 420px;
}
.petlens-tooltip > div { overflow: hidden; text-overflow: ellipsis; }
.petlens-tooltip-key { color: var(--petlens-fg-muted); margin-right: 6px; }
.petlens-tooltip-key::after { content: ":"; }
.petlens-cmp-side { flex: 0 1 300px; min-width: 220px; display: flex; flex-direction: column; gap: 8px; }
.petlens-stacked .petlens-cmp-side { flex: none; width: 100%; max-width: 520px; }
.petlens-cmp-legend { display: flex; flex-direction: column; gap: 3px; }
.petlens-cmp-legend-bar { width: 100%; max-width: 260px; height: 12px; image-rendering: pixelated; border: 1px solid var(--petlens-border); }
.petlens-cmp-legend-ticks { display: flex; justify-content: space-between; max-width: 260px; font-size: 11px; font-variant-numeric: tabular-nums; }
.petlens-cmp-legend-note { font-size: 0.92em; }
.petlens-cmp-swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 2px; vertical-align: -1px; margin-right: 3px; }
.petlens-cmp-changes { list-style: none; margin: 0; padding: 0; max-height: 300px; overflow-y: auto; }
.petlens .petlens-cmp-changes button {
  display: flex; align-items: baseline; gap: 8px; width: 100%; text-align: left;
  background: none; border: 1px solid transparent; border-radius: 3px; padding: 2px 4px;
}
.petlens .petlens-cmp-changes button:hover { background: var(--petlens-bg-raised); }
.petlens .petlens-cmp-changes button[aria-pressed="true"] { border-color: var(--petlens-highlight); }
.petlens-cmp-pair { flex: 1; min-width: 0; overflow-wrap: anywhere; }
.petlens-cmp-value { font-variant-numeric: tabular-nums; font-weight: 600; white-space: nowrap; }
.petlens-cmp-up { color: var(--petlens-cmp-broken); }
.petlens-cmp-down { color: var(--petlens-cmp-fixed); }
.petlens-minimap { display: flex; flex-direction: column; gap: 2px; }
.petlens-minimap-map { border: 1px solid var(--petlens-border); cursor: pointer; touch-action: none; }
.petlens-cmp-table { border: 1px solid var(--petlens-border); border-radius: 4px; min-width: 0; max-width: 1040px; }
.petlens-cmp-thead { border-bottom: 1px solid var(--petlens-border); background: var(--petlens-bg-raised); overflow: hidden; scrollbar-gutter: stable; }
.petlens-cmp-tbody { position: relative; overflow-y: auto; overflow-x: hidden; scrollbar-gutter: stable; max-height: ${ROW_PX * VISIBLE_ROWS}px; }
.petlens-cmp-spacer { position: relative; }
.petlens-cmp-row {
  display: grid; align-items: center; column-gap: 10px; padding: 0 8px; height: ${ROW_PX}px;
  grid-template-columns: minmax(110px, 1.6fr) repeat(3, minmax(64px, 0.8fr)) repeat(2, minmax(96px, 1fr)) minmax(64px, 0.7fr);
}
.petlens-cmp-classrow { position: absolute; left: 0; right: 0; cursor: pointer; border-left: 3px solid transparent; padding-left: 5px; }
.petlens-cmp-classrow:hover { background: var(--petlens-bg-raised); }
.petlens-cmp-classrow.petlens-cmp-active {
  border-left-color: var(--petlens-highlight); font-weight: 600;
  background: color-mix(in srgb, var(--petlens-highlight) 16%, transparent);
}
.petlens-cmp-cell { min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-variant-numeric: tabular-nums; }
.petlens-cmp-num { text-align: right; }
.petlens .petlens-cmp-headrow button {
  border: none; background: none; padding: 0; font-weight: 600; white-space: nowrap; max-width: 100%;
  overflow: hidden; text-overflow: ellipsis;
}
.petlens .petlens-cmp-headrow button:hover, .petlens .petlens-cmp-headrow [aria-sort="descending"] button,
.petlens .petlens-cmp-headrow [aria-sort="ascending"] button { color: var(--petlens-accent); }
.petlens-cmp-chips { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.petlens .petlens-cmp-chip {
  display: inline-flex; align-items: center; gap: 6px; border-radius: 12px; padding: 1px 10px;
  border: 1px solid var(--petlens-border); background: var(--petlens-bg-raised);
}
.petlens .petlens-cmp-chip[aria-pressed="true"] { border-color: var(--petlens-highlight); box-shadow: inset 0 0 0 1px var(--petlens-highlight); font-weight: 600; }
.petlens .petlens-cmp-chip:disabled { opacity: 0.5; cursor: default; }
.petlens-cmp-dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: var(--petlens-fg-muted); flex: none; }
${['fixed', 'broken', 'still_wrong', 'relabelled', 'still_right']
  .map((c) => `.petlens-cmp-dot[data-kind="${c}"], .petlens-cmp-tag[data-kind="${c}"] { --petlens-cmp-kind: var(--petlens-cmp-${c}); }`)
  .join('\n')}
.petlens-cmp-dot[data-kind] { background: var(--petlens-cmp-kind); }
.petlens-cmp-filter {
  display: inline-flex; align-items: center; gap: 4px; max-width: 100%; border: 1px solid var(--petlens-highlight);
  border-radius: 12px; padding: 0 2px 0 10px; background: var(--petlens-bg-raised);
}
.petlens-cmp-filter-text { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.petlens .petlens-cmp-filter button { border: none; background: none; border-radius: 10px; padding: 0 6px; }
.petlens-cmp-status { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 4px 12px; }
.petlens-cmp-pager { display: inline-flex; align-items: center; gap: 6px; }
.petlens-cmp-pager span { font-variant-numeric: tabular-nums; min-width: 7em; text-align: center; }
.petlens-cmp-pager button:disabled { opacity: 0.45; cursor: default; }
.petlens-cmp-grid { display: grid; gap: 8px; grid-template-columns: repeat(auto-fill, minmax(168px, 1fr)); }
.petlens .petlens-cmp-card {
  display: flex; flex-direction: column; width: 100%; min-width: 0; padding: 0; text-align: left;
  background: var(--petlens-bg); border: 1px solid var(--petlens-border); border-radius: 4px; overflow: hidden;
}
.petlens .petlens-cmp-card:hover { border-color: var(--petlens-accent); }
.petlens .petlens-cmp-card[aria-pressed="true"] { outline: 2px solid var(--petlens-highlight); outline-offset: 1px; }
.petlens-cmp-thumb { display: block; position: relative; width: 100%; aspect-ratio: 4 / 3; overflow: hidden; background: var(--petlens-bg-raised); }
.petlens-cmp-thumb img { display: block; width: 100%; height: 100%; object-fit: cover; }
.petlens-cmp-tag {
  display: inline-flex; align-items: center; gap: 4px; padding: 0 6px; border-radius: 3px; font-size: 11px; font-weight: 600;
  color: var(--petlens-fg); border: 1px solid var(--petlens-cmp-kind, var(--petlens-border));
  background: color-mix(in srgb, var(--petlens-cmp-kind, transparent) 22%, var(--petlens-bg));
}
.petlens-cmp-thumb .petlens-cmp-tag { position: absolute; top: 4px; left: 4px; }
.petlens-placeholder {
  position: absolute; inset: 0; display: flex; flex-direction: column; align-items: center; justify-content: center;
  gap: 4px; padding: 8px; text-align: center; color: var(--petlens-fg-muted); font-size: 11px;
  background: repeating-linear-gradient(135deg, transparent 0 8px, var(--petlens-border) 8px 9px);
}
.petlens-placeholder-name {
  max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
  background: var(--petlens-bg-raised); padding: 1px 4px; border-radius: 3px; color: var(--petlens-fg);
}
.petlens-cmp-card-text { display: flex; flex-direction: column; gap: 1px; padding: 4px 6px 6px; font-size: 12px; min-width: 0; }
.petlens-cmp-line { display: flex; gap: 4px; min-width: 0; white-space: nowrap; align-items: baseline; }
.petlens-cmp-line-label { color: var(--petlens-fg-muted); flex: none; }
.petlens-cmp-line-value { overflow: hidden; text-overflow: ellipsis; min-width: 0; flex: 1; }
.petlens-cmp-loss { flex: none; font-variant-numeric: tabular-nums; color: var(--petlens-fg-muted); }
.petlens-cmp-wrong { color: var(--petlens-cmp-broken); }
.petlens-cmp-right { color: var(--petlens-cmp-fixed); }
.petlens-cmp-name { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.petlens-empty { padding: 24px 8px; text-align: center; }
.petlens-cmp-detail {
  display: flex; flex-direction: column; gap: 8px; padding: 10px 12px;
  border: 1px solid var(--petlens-border); border-left: 4px solid var(--petlens-highlight); border-radius: 4px;
  background: var(--petlens-bg-raised);
}
.petlens-cmp-detail:focus { outline: none; }
.petlens-cmp-detail-head { display: flex; align-items: center; gap: 8px; }
.petlens-cmp-detail-head h4 { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.petlens-cmp-detail-nav { display: inline-flex; align-items: center; gap: 4px; flex: none; }
.petlens-cmp-detail-nav span { font-variant-numeric: tabular-nums; margin: 0 4px; }
.petlens-cmp-sides { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 340px)); gap: 12px 28px; }
.petlens-cmp-sidecol { display: flex; flex-direction: column; gap: 4px; min-width: 0; }
.petlens-cmp-figure { position: relative; margin: 0; width: 100%; max-width: 320px; aspect-ratio: 1 / 1; background: var(--petlens-bg); border-radius: 3px; overflow: hidden; }
.petlens-cmp-figure img { display: block; width: 100%; height: 100%; object-fit: contain; }
.petlens-cmp-figure canvas { position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; opacity: 0.6; }
.petlens-cmp-facts { display: grid; grid-template-columns: auto 1fr; gap: 1px 10px; margin: 0; }
.petlens-cmp-facts dt { color: var(--petlens-fg-muted); }
.petlens-cmp-facts dd { margin: 0; overflow-wrap: anywhere; }
.petlens-cmp-saliency { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px; }
.petlens-cmp-saliency label { display: inline-flex; align-items: center; gap: 4px; }
.petlens-cmp-charts { display: flex; flex-wrap: wrap; gap: 12px 24px; align-items: flex-start; }
.petlens-cmp-chart { display: flex; flex-direction: column; gap: 4px; min-width: 0; }
.petlens-cmp-chart canvas { display: block; }
.petlens-cmp-key { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 0.92em; }
.petlens-cmp-key span::before { content: ""; display: inline-block; width: 14px; height: 3px; margin-right: 5px; vertical-align: middle; background: var(--petlens-cmp-line); }
`;
