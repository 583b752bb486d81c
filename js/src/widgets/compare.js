/**
 * anywidget module of the run comparison (two runs item by item), built to
 * `petlens/static/compare.js`. The model contract is in js/docs/compare.md. `createModel` is
 * re-exported so the offline page (`petlens compare A B -o diff.html`) renders this module from
 * static trait values with the same bundle.
 */
import { mountCompare } from '../compare/view.js';
import { watchStaticPicture } from '../lib/picture.js';

export { createModel } from '../lib/model.js';

export default {
  /** Nothing to set up per model: the view reads the traits itself. */
  initialize() {},
  /** Renders one view; returns its cleanup. */
  render({ model, el }) {
    const unmount = mountCompare(model, el);
    const unwatch = watchStaticPicture(model);
    return () => { unwatch(); unmount?.(); };
  },
};
