/**
 * anywidget module of the run dashboard (confusion matrix, top losses, LR finder, timeline,
 * linked through one model), built to `petlens/static/dashboard.js`. The model contract is in
 * js/docs/top_losses-dashboard.md. `createModel` is re-exported for the offline report.
 */
import { mountDashboard } from '../dashboard/view.js';

export { createModel } from '../lib/model.js';

export default {
  /** Nothing to set up per model: every view reads the traits itself. */
  initialize() {},
  /** Renders one dashboard; returns its cleanup. */
  render({ model, el }) {
    return mountDashboard(model, el);
  },
};
