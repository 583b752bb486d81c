/**
 * A static stand-in for the anywidget model, so the offline report can render the same
 * widget modules without a kernel. Like the Backbone model behind anywidget, `set` fires
 * `change:<name>` (callback receives `(model, value)`) and then `change`, only when the
 * value actually changes (deep equality for arrays and plain objects).
 */

/**
 * @param {Record<string, unknown>} [initialState] trait values
 * @returns {{get: Function, set: Function, on: Function, off: Function,
 *            save_changes: Function, send: Function, sent: unknown[]}}
 *   `sent` queues what `send` was given (nothing listens offline)
 */
export function createModel(initialState = {}) {
  const state = { ...initialState };
  const listeners = new Map(); // event -> Set of callbacks

  function emit(event, ...args) {
    // Copy, so callbacks may subscribe / unsubscribe while being called.
    for (const callback of [...(listeners.get(event) || [])]) callback(...args);
  }

  const model = {
    sent: [],
    get(name) {
      return state[name];
    },
    set(name, value) {
      if (sameValue(state[name], value)) return;
      state[name] = value;
      emit(`change:${name}`, model, value);
      emit('change', model);
    },
    on(event, callback) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(callback);
    },
    /** off(event, callback) removes one callback, off(event) all of the event, off() all. */
    off(event, callback) {
      if (event === undefined) listeners.clear();
      else if (callback === undefined) listeners.delete(event);
      else listeners.get(event)?.delete(callback);
    },
    save_changes() {},
    send(content, _callbacks, buffers) {
      model.sent.push({ content, buffers });
    },
  };
  return model;
}

function isPlainObject(x) {
  return x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype;
}

/** Deep equality for arrays and plain objects, Object.is for everything else. */
export function sameValue(a, b) {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue(a[k], b[k]));
  }
  return false;
}
