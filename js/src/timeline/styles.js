/** CSS of the unfreezing timeline, injected once per view into its root. */
import { THEME_CSS } from '../ui/theme.js';

export const TIMELINE_CSS = `${THEME_CSS}
.petlens-timeline { display: flex; flex-direction: column; gap: 8px; padding: 4px 0; }
.petlens-tl-content { display: flex; flex-direction: column; gap: 8px; min-width: 0; }
.petlens-tl-controls { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; }
.petlens-tl-controls button { min-width: 30px; }
.petlens-tl-play { min-width: 74px !important; font-weight: 600; }
.petlens-tl-controls label { display: inline-flex; align-items: center; gap: 4px; }
.petlens-tl-scrubber { flex: 1 1 200px; min-width: 140px; accent-color: var(--petlens-highlight); }
.petlens-tl-position { font-variant-numeric: tabular-nums; min-width: 9ch; text-align: right; font-size: 12px; }
.petlens-tl-zoom { display: inline-flex; align-items: center; gap: 4px; }
.petlens-tl-zoom label { margin-left: 4px; }
.petlens-tl-stage { position: relative; }
.petlens-tl-stage canvas { position: absolute; left: 0; top: 0; display: block; }
.petlens-tl-overlay { cursor: ew-resize; touch-action: none; }
.petlens-tl-legend { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 16px; font-size: 12px; }
.petlens-tl-legend > span { display: inline-flex; align-items: center; gap: 5px; }
.petlens-tl-colorbar { width: 120px; height: 10px; image-rendering: pixelated; border: 1px solid var(--petlens-border); }
.petlens-tl-frozen {
  display: inline-block; width: 22px; height: 10px; border: 1px solid var(--petlens-border);
  background: repeating-linear-gradient(135deg, rgb(189, 189, 189) 0 3px, rgb(160, 160, 160) 3px 4px);
}
.petlens-tl-line { display: inline-block; width: 16px; height: 3px; border-radius: 1px; }
.petlens-tl-dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; }
.petlens-tl-readout {
  display: flex; flex-wrap: wrap; align-items: stretch; gap: 8px 24px; padding: 8px 10px;
  border: 1px solid var(--petlens-border); border-radius: 4px; background: var(--petlens-bg-raised);
}
.petlens-tl-info { display: flex; flex-direction: column; gap: 4px; flex: 1 1 320px; min-width: 0; }
.petlens-tl-where { font-weight: 600; font-variant-numeric: tabular-nums; }
.petlens-tl-losses { font-variant-numeric: tabular-nums; }
.petlens-tl-groups { align-self: flex-start; border-collapse: collapse; font-size: 12px; font-variant-numeric: tabular-nums; }
.petlens-tl-groups td { padding: 1px 12px 1px 0; white-space: nowrap; }
.petlens-tl-groups td:first-child { padding-right: 6px; }
.petlens-tl-groups td:nth-child(2) { max-width: 240px; overflow: hidden; text-overflow: ellipsis; }
.petlens-tl-state-frozen { color: var(--petlens-fg-muted); }
.petlens-tl-state-trainable { color: var(--petlens-success); font-weight: 600; }
.petlens-tl-big { margin-left: auto; display: flex; flex-direction: column; justify-content: center; align-items: flex-end; min-width: 140px; }
.petlens-tl-big-value { font-size: 30px; font-weight: 700; line-height: 1.1; font-variant-numeric: tabular-nums; }
.petlens-tl-big-caption { font-size: 12px; color: var(--petlens-fg-muted); text-align: right; }
.petlens-empty { padding: 24px 12px; text-align: center; border: 1px dashed var(--petlens-border); border-radius: 4px; }
`;
