/**
 * anywidget module of the top-loss browser, built to `petlens/static/top_losses.js`.
 * The model contract is in js/docs/top_losses-dashboard.md. `createModel` is re-exported so the
 * offline report can render this module from static trait values with the same bundle.
 */
import { mountTopLosses } from '../top_losses/view.js';
import { watchStaticPicture } from '../lib/picture.js';

export { createModel } from '../lib/model.js';

export default {
  /** Nothing to set up per model: every view reads the traits itself. */
  initialize() {},
  /** Renders one view; returns its cleanup. */
  render({ model, el }) {
    const unmount = mountTopLosses(model, el);
    const unwatch = watchStaticPicture(model);
    return () => { unwatch(); unmount?.(); };
  },
};
