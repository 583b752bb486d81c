/**
 * anywidget module of the animated unfreezing timeline, built to `petlens/static/timeline.js`.
 * The model contract is in js/docs/lr_find-timeline.md. `createModel` is re-exported so the
 * offline report can render this module from static trait values with the same bundle.
 */
import { mountTimeline } from '../timeline/view.js';
import { watchStaticPicture } from '../lib/picture.js';

export { createModel } from '../lib/model.js';

export default {
  /** Nothing to set up per model: every view reads the traits itself. */
  initialize() {},
  /** Renders one view; returns its cleanup. */
  render({ model, el }) {
    const unmount = mountTimeline(model, el);
    const unwatch = watchStaticPicture(model);
    return () => { unwatch(); unmount?.(); };
  },
};
