/**
 * Base CSS of every petlens widget: colours follow JupyterLab's `--jp-*` theme variables
 * (so its light and dark themes work); where there are none (offline report, VS Code) the
 * fallbacks follow `prefers-color-scheme` on screen, and print is always light. Canvases read
 * the same variables through getComputedStyle.
 */
export const THEME_CSS = `
.petlens {
  --petlens-fg: var(--jp-ui-font-color1, #1f2328);
  --petlens-fg-muted: var(--jp-ui-font-color2, #59636e);
  --petlens-bg: var(--jp-layout-color1, #ffffff);
  --petlens-bg-raised: var(--jp-layout-color2, #f6f8fa);
  --petlens-border: var(--jp-border-color1, #c9d1d9);
  --petlens-accent: var(--jp-brand-color1, #1976d2);
  --petlens-highlight: #ff7f0e;
  --petlens-error: var(--jp-error-color1, #d32f2f);
  --petlens-success: var(--jp-success-color1, #2e7d32);
  color: var(--petlens-fg);
  font-family: var(--jp-ui-font-family, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  font-size: var(--jp-ui-font-size1, 13px);
  line-height: 1.4;
}
@media screen and (prefers-color-scheme: dark) {
  .petlens {
    --petlens-fg: var(--jp-ui-font-color1, #e6edf3);
    --petlens-fg-muted: var(--jp-ui-font-color2, #9ea7b3);
    --petlens-bg: var(--jp-layout-color1, #0d1117);
    --petlens-bg-raised: var(--jp-layout-color2, #161b22);
    --petlens-border: var(--jp-border-color1, #3d444d);
    --petlens-accent: var(--jp-brand-color1, #4493f8);
    --petlens-error: var(--jp-error-color1, #f85149);
    --petlens-success: var(--jp-success-color1, #3fb950);
  }
}
.petlens *, .petlens *::before, .petlens *::after { box-sizing: border-box; }
.petlens [hidden] { display: none !important; }
.petlens select, .petlens button, .petlens input {
  font: inherit;
  color: inherit;
}
.petlens select, .petlens button {
  background: var(--petlens-bg-raised);
  border: 1px solid var(--petlens-border);
  border-radius: 3px;
  padding: 1px 6px;
}
.petlens button { cursor: pointer; }
.petlens button:hover, .petlens select:hover { border-color: var(--petlens-accent); }
.petlens :focus-visible { outline: 2px solid var(--petlens-accent); outline-offset: 1px; }
.petlens-muted { color: var(--petlens-fg-muted); }
.petlens-error { color: var(--petlens-error); }
`;

/** Canvas font for axis labels and cell values (canvas cannot use CSS variables). */
export const CANVAS_FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
