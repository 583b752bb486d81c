/**
 * Base CSS of every petlens widget: colours follow JupyterLab's `--jp-*` theme variables
 * (so light and dark themes work), with light fallbacks elsewhere (offline report, VS Code).
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
  color: var(--petlens-fg);
  font-family: var(--jp-ui-font-family, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  font-size: var(--jp-ui-font-size1, 13px);
  line-height: 1.4;
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
