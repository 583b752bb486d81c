/** CSS of the per-class table, injected once per view into its root; colours from the theme variables. */
import { THEME_CSS } from '../ui/theme.js';

/** Height of one row, px (fixed: the scrolled window is computed from it). */
export const ROW_PX = 26;
/** Rows visible before the table scrolls. */
export const VISIBLE_ROWS = 14;

export const PER_CLASS_CSS = `${THEME_CSS}
.petlens-per-class { display: flex; flex-direction: column; gap: 6px; padding: 4px 0; }
.petlens-notice {
  padding: 24px 12px; text-align: center; overflow-wrap: anywhere; white-space: pre-line;
  border: 1px dashed var(--petlens-border); border-radius: 4px;
}
.petlens-pc-content { display: flex; flex-direction: column; gap: 4px; min-width: 0; }
.petlens-pc-table { border: 1px solid var(--petlens-border); border-radius: 4px; min-width: 0; max-width: 1040px; }
.petlens-pc-caption { font-size: 0.92em; max-width: 1040px; }
.petlens-pc-head, .petlens-pc-foot { overflow: hidden; scrollbar-gutter: stable; }
.petlens-pc-head { border-bottom: 1px solid var(--petlens-border); background: var(--petlens-bg-raised); }
.petlens-pc-foot { border-top: 1px solid var(--petlens-border); background: var(--petlens-bg-raised); }
.petlens-pc-body {
  position: relative; overflow-y: auto; overflow-x: hidden; scrollbar-gutter: stable;
  max-height: ${ROW_PX * VISIBLE_ROWS}px;
}
.petlens-pc-spacer { position: relative; }
.petlens-pc-row {
  display: grid; align-items: center; column-gap: 10px; padding: 0 8px;
  grid-template-columns: minmax(96px, 1.3fr) repeat(3, minmax(72px, 1fr)) 64px 118px;
  height: ${ROW_PX}px;
}
.petlens-pc-classrow { position: absolute; left: 0; right: 0; cursor: pointer; border-left: 3px solid transparent; padding-left: 5px; }
.petlens-pc-classrow:hover { background: var(--petlens-bg-raised); }
.petlens-pc-classrow:focus-visible { outline-offset: -2px; }
.petlens-pc-classrow.petlens-pc-active {
  border-left-color: var(--petlens-highlight);
  background: color-mix(in srgb, var(--petlens-highlight) 16%, transparent);
  font-weight: 600;
}
.petlens-pc-headrow, .petlens-pc-sumrow { padding-left: 8px; }
.petlens-pc-cell { min-width: 0; display: flex; align-items: center; gap: 6px; }
.petlens-pc-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; display: block; }
.petlens-pc-support { justify-content: flex-end; font-variant-numeric: tabular-nums; }
.petlens-pc-headrow .petlens-pc-cell { justify-content: flex-start; }
.petlens-pc-headrow .petlens-pc-support { justify-content: flex-end; }
.petlens .petlens-pc-headrow button {
  border: none; background: none; padding: 0; font-weight: 600; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; max-width: 100%;
}
.petlens .petlens-pc-headrow button:hover { color: var(--petlens-accent); }
.petlens-pc-headrow [aria-sort="ascending"] button, .petlens-pc-headrow [aria-sort="descending"] button { color: var(--petlens-accent); }
.petlens-pc-value { flex: none; width: 2.6em; text-align: right; font-variant-numeric: tabular-nums; }
.petlens-pc-bar {
  flex: 1 1 auto; min-width: 12px; height: 6px; border-radius: 3px; overflow: hidden;
  background: var(--petlens-bg-raised); box-shadow: inset 0 0 0 1px var(--petlens-border);
}
.petlens-pc-fill { display: block; height: 100%; background: var(--petlens-accent); }
.petlens-pc-issues { justify-content: flex-end; align-items: baseline; font-variant-numeric: tabular-nums; }
.petlens-pc-headrow .petlens-pc-issues { justify-content: flex-end; }
.petlens-pc-issue-count { min-width: 2.2em; text-align: right; }
.petlens-pc-share { width: 3.6em; text-align: right; font-size: 0.92em; }
.petlens .petlens-pc-classrow button.petlens-pc-issue-count {
  font: inherit; font-weight: 600; color: var(--petlens-accent); background: none; padding: 0 3px;
  border: 1px solid transparent; border-radius: 3px; cursor: pointer; text-decoration: underline dotted;
}
.petlens .petlens-pc-classrow button.petlens-pc-issue-count:hover { border-color: var(--petlens-accent); text-decoration: none; }
.petlens-pc-issues-note { font-size: 0.92em; max-width: 1040px; overflow-wrap: anywhere; }
.petlens-pc-sumrow { color: var(--petlens-fg-muted); }
.petlens-pc-sumrow .petlens-pc-name { color: var(--petlens-fg); }
`;
