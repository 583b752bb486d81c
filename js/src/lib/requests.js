/**
 * Request / response messages between a view and its Python widget, over anywidget's custom
 * messages. A request is `{type: 'petlens:request', id, kind, ...payload}` sent with
 * `model.send`; the kernel answers `{type: 'petlens:response', id, ok: true, ...}` (plus binary
 * buffers) or `{type: 'petlens:response', id, ok: false, error: '...'}`.
 *
 * This module only implements the protocol. Whether a kernel can answer at all is the
 * widget's `live` trait (true while the learner is loaded in the kernel): views check
 * `model.get('live')` before requesting, since the static model of the offline report
 * (lib/model.js) accepts `send` silently and nothing ever answers there.
 */

export const REQUEST_TYPE = 'petlens:request';
export const RESPONSE_TYPE = 'petlens:response';

// Distinguishes requesters of different views on one model: each sees every response.
let requesterCount = 0;
const SESSION = Math.random().toString(36).slice(2, 8);

/**
 * @param {{send: Function, on: Function, off: Function}} model anywidget model (or a scoped one)
 * @param {{timeoutMs?: number, setTimeout?: Function, clearTimeout?: Function}} [options]
 *   `timeoutMs`: how long to wait for a response (default 30 s); timer functions are injectable for tests
 * @returns {{request: (kind: string, payload?: object, buffers?: ArrayBuffer[]) =>
 *            Promise<{content: object, buffers: DataView[]}>, pending: () => number, dispose: () => void}}
 */
export function createRequester(
  model,
  { timeoutMs = 30000, setTimeout: startTimer = globalThis.setTimeout, clearTimeout: stopTimer = globalThis.clearTimeout } = {},
) {
  const prefix = `${SESSION}-${(requesterCount += 1)}`;
  const waiting = new Map(); // id -> {resolve, reject, timer}
  let next = 0;
  let disposed = false;

  function settle(id) {
    const entry = waiting.get(id);
    if (!entry) return null;
    waiting.delete(id);
    stopTimer(entry.timer);
    return entry;
  }

  function onMessage(content, buffers) {
    if (!content || content.type !== RESPONSE_TYPE || typeof content.id !== 'string') return;
    const entry = settle(content.id);
    if (!entry) return; // another requester's, or one that timed out
    if (content.ok === true) entry.resolve({ content, buffers: Array.isArray(buffers) ? buffers : [] });
    else entry.reject(new Error(typeof content.error === 'string' && content.error ? content.error : `request "${entry.kind}" failed`));
  }
  model.on('msg:custom', onMessage);

  return {
    /**
     * Sends a request; resolves with the response content and its buffers.
     * `payload` keys are sent next to `kind` (they must not be type / id / kind).
     */
    request(kind, payload = {}, buffers) {
      if (disposed) return Promise.reject(new Error(`request "${kind}" not sent: the view is closed`));
      next += 1;
      const id = `${prefix}-${next}`;
      return new Promise((resolve, reject) => {
        const timer = startTimer(() => {
          if (settle(id)) reject(Object.assign(new Error(`request "${kind}" timed out: no answer from the kernel after ${formatSeconds(timeoutMs)}`), { timedOut: true }));
        }, timeoutMs);
        waiting.set(id, { resolve, reject, timer, kind });
        try {
          model.send({ ...payload, type: REQUEST_TYPE, id, kind }, undefined, buffers);
        } catch (error) {
          settle(id);
          reject(new Error(`request "${kind}" could not be sent: ${error && error.message ? error.message : error}`));
        }
      });
    },
    /** Number of requests waiting for an answer. */
    pending: () => waiting.size,
    /** Stops listening and rejects the requests still waiting. */
    dispose() {
      if (disposed) return;
      disposed = true;
      model.off('msg:custom', onMessage);
      for (const id of [...waiting.keys()]) {
        const entry = settle(id);
        entry.reject(new Error(`request "${entry.kind}" cancelled: the view is closed`));
      }
    },
  };
}

function formatSeconds(ms) {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
