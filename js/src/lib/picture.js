/**
 * Every petlens widget is displayed with its static picture as the next output (for readers
 * without a kernel: GitHub, nbviewer, nbconvert's HTML). A rendered widget hides that
 * picture: the `<img data-petlens-picture="<picture_id>">` of its model's `picture_id`, with
 * the output row around it where the front end has one (JupyterLab, Notebook 7).
 */

/** Output containers hidden along with the picture, innermost first. */
const OUTPUT_ROWS = ['.jp-OutputArea-child', '.output_area'];

/**
 * Hides the static picture of `model` in `doc`; returns how many were hidden.
 * @param {{get: (name: string) => unknown}} model
 * @param {Document} [doc]
 */
export function hideStaticPicture(model, doc = globalThis.document) {
  const id = model.get('picture_id');
  if (typeof id !== 'string' || !/^[0-9a-f]+$/.test(id) || !doc) return 0;
  const pictures = doc.querySelectorAll(`img[data-petlens-picture="${id}"]`);
  for (const img of pictures) {
    const row = OUTPUT_ROWS.map((selector) => img.closest(selector)).find(Boolean);
    (row || img).style.display = 'none'; // not `hidden`: host styles may set `display` on rows
  }
  return pictures.length;
}

/** When to look for the picture (ms after render): it is the next output, drawn just after. */
const ATTEMPTS_MS = [0, 50, 250, 1000, 3000];

/**
 * Hides `model`'s static picture as soon as it is on the page; returns a cleanup.
 * @param {{get: (name: string) => unknown}} model
 */
export function watchStaticPicture(model) {
  const timers = [];
  let done = false;
  for (const ms of ATTEMPTS_MS) {
    timers.push(setTimeout(() => {
      if (!done && hideStaticPicture(model) > 0) done = true;
    }, ms));
  }
  return () => timers.forEach(clearTimeout);
}
