/**
 * Scoped models: several views share ONE anywidget model (the dashboard) by giving each a
 * trait prefix. Trait `name` of a scoped model is `prefix + name` of the underlying model,
 * except names in `shared`, which stay unprefixed (e.g. `vocab`, `selection`, `live`, so
 * views read and write the same value and are linked through it).
 *
 * Custom messages: `send` adds `view: prefix` to the content; `msg:custom` callbacks only
 * receive messages whose content has `view === prefix` or no `view` at all.
 */

const CHANGE = 'change:';
const MESSAGE = 'msg:custom';

/**
 * @param {{get: Function, set: Function, on: Function, off: Function, save_changes: Function, send: Function}} model
 * @param {string} prefix e.g. 'cm_'
 * @param {string[]} [shared] trait names that are not prefixed
 * @returns {{get: Function, set: Function, on: Function, off: Function, save_changes: Function,
 *            send: Function, prefix: string, traitName: (name: string) => string}}
 */
export function scopeModel(model, prefix, shared = []) {
  const sharedNames = new Set(shared);
  const traitName = (name) => (sharedNames.has(name) ? name : `${prefix}${name}`);
  // Callbacks registered through this scope: event -> Map(callback -> [underlying event, wrapper]).
  const registered = new Map();

  function mapEvent(event) {
    return typeof event === 'string' && event.startsWith(CHANGE) ? CHANGE + traitName(event.slice(CHANGE.length)) : event;
  }

  function wrap(event, callback) {
    if (event === MESSAGE) {
      return (content, buffers, ...rest) => {
        const view = content && typeof content === 'object' ? content.view : undefined;
        if (view === undefined || view === null || view === prefix) callback(content, buffers, ...rest);
      };
    }
    // change:<name> and change get (model, ...): hand out the scoped model instead.
    return (first, ...rest) => callback(first === model ? scoped : first, ...rest);
  }

  function remove(event, callback) {
    const callbacks = registered.get(event);
    const entry = callbacks && callbacks.get(callback);
    if (!entry) return;
    callbacks.delete(callback);
    if (callbacks.size === 0) registered.delete(event);
    model.off(entry[0], entry[1]);
  }

  const scoped = {
    prefix,
    traitName,
    get: (name) => model.get(traitName(name)),
    set(name, value, ...rest) {
      if (name !== null && typeof name === 'object') {
        // Backbone's set({a: 1, b: 2}) form.
        const mapped = {};
        for (const [key, v] of Object.entries(name)) mapped[traitName(key)] = v;
        return model.set(mapped, value, ...rest);
      }
      return model.set(traitName(name), value, ...rest);
    },
    save_changes: (...args) => model.save_changes(...args),
    send(content, callbacks, buffers) {
      return model.send({ ...content, view: prefix }, callbacks, buffers);
    },
    on(event, callback) {
      if (typeof callback !== 'function') return;
      if (!registered.has(event)) registered.set(event, new Map());
      const callbacks = registered.get(event);
      if (callbacks.has(callback)) return; // once, like a Set of listeners
      const underlying = mapEvent(event);
      const wrapper = wrap(event, callback);
      callbacks.set(callback, [underlying, wrapper]);
      model.on(underlying, wrapper);
    },
    /**
     * off(event, callback) removes one callback, off(event) all of the event, off() all,
     * but only callbacks registered through this scoped model (other views keep theirs).
     */
    off(event, callback) {
      const events = event === undefined ? [...registered.keys()] : [event];
      for (const name of events) {
        const callbacks = registered.get(name);
        if (!callbacks) continue;
        for (const cb of callback === undefined ? [...callbacks.keys()] : [callback]) remove(name, cb);
      }
    },
  };
  return scoped;
}
