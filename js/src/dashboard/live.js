/**
 * Live training on the dashboard's model: the timeline iterations that arrive as
 * `petlens:append` messages (lib/timeline-live.js) are kept per model, from the moment the
 * model exists (anywidget's `initialize`), so that a view rendered later, or a second view of
 * the same model, shows them too. Views read the model through `liveModel(model)`: its `get`
 * of a per-iteration timeline trait returns the traits plus what was appended, its timeline
 * `cursor` stays at the last iteration while it was there, and an append fires
 * `change:<prefix>loss` on it. Setting the traits whole (Python does at the end of a fit)
 * drops what was appended.
 */
import { APPEND, createGrowingTimeline, decodeAppend, ITERATION_ARRAYS } from '../lib/timeline-live.js';

const MESSAGE = 'msg:custom';
const CHANGE = 'change:';
const states = new WeakMap(); // model -> {timelines: Map(prefix -> growing timeline), listeners, cleanup}

/**
 * Starts keeping `model`'s appended iterations (once per model).
 * @returns {() => void} stops and forgets them
 */
export function followAppends(model) {
  if (states.has(model)) return states.get(model).cleanup;
  const state = { timelines: new Map(), listeners: new Map(), resets: [] };
  const onMessage = (content, buffers) => {
    if (!content || content.type !== APPEND) return;
    const prefix = typeof content.view === 'string' ? content.view : '';
    const timeline = timelineOf(model, state, prefix);
    let appended = false;
    try {
      appended = timeline.append((name) => model.get(prefix + name), decodeAppend(content, buffers || []));
    } catch {
      appended = false; // malformed: wait for the next full set
    }
    if (!appended) return;
    const event = `${CHANGE}${prefix}loss`;
    for (const callback of [...(state.listeners.get(event) || [])]) callback(state.proxy, model.get(`${prefix}loss`));
  };
  model.on(MESSAGE, onMessage);
  state.cleanup = () => {
    model.off(MESSAGE, onMessage);
    for (const [event, callback] of state.resets) model.off(event, callback);
    states.delete(model);
  };
  state.proxy = createProxy(model, state);
  states.set(model, state);
  return state.cleanup;
}

/** `model` as the views read it during training (see the module comment). */
export function liveModel(model) {
  followAppends(model);
  return states.get(model).proxy;
}

function timelineOf(model, state, prefix) {
  let timeline = state.timelines.get(prefix);
  if (!timeline) {
    timeline = createGrowingTimeline();
    state.timelines.set(prefix, timeline);
    const reset = () => timeline.reset();
    for (const name of Object.keys(ITERATION_ARRAYS)) {
      const event = `${CHANGE}${prefix}${name}`;
      model.on(event, reset);
      state.resets.push([event, reset]);
    }
  }
  return timeline;
}

/** The growing timeline and trait name (`loss`, `cursor`...) behind a model trait, if it is one. */
function growing(state, name) {
  for (const [prefix, timeline] of state.timelines) {
    if (timeline.T !== null && typeof name === 'string' && name.startsWith(prefix)) return [timeline, name.slice(prefix.length)];
  }
  return [null, null];
}

function createProxy(model, state) {
  const noteCursor = (name, value) => {
    const [timeline, trait] = growing(state, name);
    if (trait === 'cursor') timeline.following = typeof value === 'number' && Math.round(value) >= timeline.T - 1;
  };
  return {
    get(name) {
      const [timeline, trait] = growing(state, name);
      if (trait === 'cursor' && timeline.following) return timeline.T - 1;
      return (trait && timeline.wire(trait)) ?? model.get(name);
    },
    set(name, value, ...rest) {
      if (name !== null && typeof name === 'object') for (const [key, v] of Object.entries(name)) noteCursor(key, v);
      else noteCursor(name, value);
      return model.set(name, value, ...rest);
    },
    save_changes: (...args) => model.save_changes(...args),
    send: (...args) => model.send(...args),
    on(event, callback) {
      if (typeof event === 'string' && event.startsWith(CHANGE)) {
        if (!state.listeners.has(event)) state.listeners.set(event, new Set());
        state.listeners.get(event).add(callback);
      }
      model.on(event, callback);
    },
    off(event, callback) {
      if (callback === undefined) {
        // Only what was registered here: other users of the model keep their callbacks.
        for (const cb of [...(state.listeners.get(event) || [])]) this.off(event, cb);
        return;
      }
      state.listeners.get(event)?.delete(callback);
      model.off(event, callback);
    },
  };
}
