/**
 * anywidget module of the run dashboard (confusion matrix, top losses, LR finder, timeline,
 * linked through one model), built to `petlens/static/dashboard.js`. The model contract is in
 * js/docs/top_losses-dashboard.md. `createModel` is re-exported for the offline report.
 */
import { mountDashboard } from '../dashboard/view.js';
import { followAppends, liveModel } from '../dashboard/live.js';
import { watchStaticPicture } from '../lib/picture.js';

export { createModel } from '../lib/model.js';

export default {
  /** Keeps the timeline iterations sent while training, from the start (dashboard/live.js). */
  initialize({ model }) {
    return followAppends(model);
  },
  /** Renders one dashboard; returns its cleanup. */
  render({ model, el }) {
    const unmount = mountDashboard(liveModel(model), el);
    const unwatch = watchStaticPicture(model);
    return () => { unwatch(); unmount?.(); };
  },
};
