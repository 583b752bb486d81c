/**
 * anywidget module of the saliency-quality panel, built to `petlens/static/saliency_checks.js`.
 * `createModel` is re-exported so the offline report can render this module from static
 * trait values with the same bundle.
 */
import { mountSaliencyChecks } from '../saliency_checks/view.js';
import { watchStaticPicture } from '../lib/picture.js';

export { createModel } from '../lib/model.js';

export default {
  initialize() {},
  render({ model, el }) {
    const unmount = mountSaliencyChecks(model, el);
    const unwatch = watchStaticPicture(model);
    return () => { unwatch(); unmount?.(); };
  },
};
