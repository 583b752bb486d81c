/**
 * Coalesces redraw requests into one call per animation frame.
 * @param {() => void} callback
 * @param {{request?: (fn: () => void) => number, cancel?: (handle: number) => void}} [frames]
 *   defaults to requestAnimationFrame / cancelAnimationFrame (injectable for tests)
 * @returns {{schedule: () => void, cancel: () => void}}
 */
export function createFrameScheduler(
  callback,
  { request = (fn) => requestAnimationFrame(fn), cancel = (handle) => cancelAnimationFrame(handle) } = {},
) {
  let handle = null;
  return {
    schedule() {
      if (handle !== null) return;
      handle = request(() => {
        handle = null;
        callback();
      });
    },
    cancel() {
      if (handle === null) return;
      cancel(handle);
      handle = null;
    },
  };
}
