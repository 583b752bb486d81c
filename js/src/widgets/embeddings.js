/**
 * anywidget module of the embeddings scatter, built to `petlens/static/embeddings.js`.
 * The model contract is in js/docs/embeddings.md. `createModel` is re-exported so the offline
 * report can render this module from static trait values with the same bundle.
 */
import { mountEmbeddings } from '../embeddings/view.js';
import { watchStaticPicture } from '../lib/picture.js';

export { createModel } from '../lib/model.js';

export default {
  /** Nothing to set up per model: every view reads the traits itself. */
  initialize() {},
  /** Renders one view; returns its cleanup. */
  render({ model, el }) {
    const unmount = mountEmbeddings(model, el);
    const unwatch = watchStaticPicture(model);
    return () => { unwatch(); unmount?.(); };
  },
};
