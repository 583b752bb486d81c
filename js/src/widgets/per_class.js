/**
 * anywidget module of the per-class metrics table, built to `petlens/static/per_class.js`.
 * The model contract is in js/docs/per_class.md. `createModel` is re-exported so the offline
 * report can render this module from static trait values with the same bundle.
 */
import { mountPerClass } from '../per_class/view.js';
import { watchStaticPicture } from '../lib/picture.js';

export { createModel } from '../lib/model.js';

export default {
  /** Nothing to set up per model: every view reads the traits itself. */
  initialize() {},
  /** Renders one view; returns its cleanup. */
  render({ model, el }) {
    const unmount = mountPerClass(model, el);
    const unwatch = watchStaticPicture(model);
    return () => { unwatch(); unmount?.(); };
  },
};
