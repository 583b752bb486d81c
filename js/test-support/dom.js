/**
 * A real DOM for unit tests (happy-dom), plus the few things no DOM library does:
 * - layout: every element is DEFAULT_WIDTH_PX wide (`clientWidth`) unless `setWidth` says otherwise;
 * - canvas: `getContext('2d')` returns a stub that accepts every drawing call and records it
 *   (`drawCalls(canvas)`), `measureText` counts 6 px per character; `ImageData` checks its size;
 * - time: `requestAnimationFrame` waits for `flushFrames()`; ResizeObservers fire when a test
 *   calls their `callback`.
 * Setting innerHTML / outerHTML or calling insertAdjacentHTML throws, so tests catch any HTML parsing.
 * Lives outside test/ because `node --test test/` runs every .js file in that folder.
 */
import { Window } from 'happy-dom';

/** `clientWidth` of an element no test has sized, CSS px. */
export const DEFAULT_WIDTH_PX = 600;

const GLOBALS = ['document', 'window', 'getComputedStyle', 'ResizeObserver', 'ImageData', 'requestAnimationFrame', 'cancelAnimationFrame'];
const widths = new WeakMap(); // element -> clientWidth
const contexts = new WeakMap(); // canvas -> 2D context stub
const calls = new WeakMap(); // canvas -> recorded drawing calls

/** Sets the layout width (`clientWidth`) of `element`. */
export function setWidth(element, width) {
  widths.set(element, width);
}

/** Drawing calls made on the 2D context of `canvas`, as [method, ...args]; the array may be emptied. */
export function drawCalls(canvas) {
  if (!calls.has(canvas)) calls.set(canvas, []);
  return calls.get(canvas);
}

/** Descendants of `node` (depth first) for which `test(element)` holds. */
export function findAll(node, test) {
  return [...node.querySelectorAll('*')].filter(test);
}

const EVENT_CLASSES = [
  [/^pointer/, 'PointerEvent'],
  [/^wheel$/, 'WheelEvent'],
  [/^key/, 'KeyboardEvent'],
  [/^(click|mouse)/, 'MouseEvent'],
];

/**
 * Dispatches a bubbling, cancelable event of `type` on `target`; `props` initialise it (those the
 * event class does not take, e.g. a WheelEvent's clientX, are set on the event). Returns the event.
 */
export function dispatch(target, type, props = {}) {
  const className = EVENT_CLASSES.find(([pattern]) => pattern.test(type))?.[1] ?? 'Event';
  const EventClass = target.ownerDocument.defaultView[className];
  const event = new EventClass(type, { bubbles: true, cancelable: true, ...props });
  for (const [name, value] of Object.entries(props)) {
    if (event[name] !== value) Object.defineProperty(event, name, { value });
  }
  target.dispatchEvent(event);
  return event;
}

/** A 2D context stub that accepts every drawing call and records it in `log`. */
function context2d(log) {
  const state = { measureText: (text) => ({ width: Array.from(String(text)).length * 6 }) };
  return new Proxy(state, {
    get(target, prop) {
      if (prop in target) return target[prop];
      return (...args) => log.push([prop, ...args]);
    },
    set(target, prop, value) {
      target[prop] = value;
      return true;
    },
  });
}

class CheckedImageData {
  constructor(data, width, height) {
    if (data.length !== width * height * 4) throw new Error('ImageData size mismatch');
    Object.assign(this, { data, width, height });
  }
}

function refuseHtml(window) {
  const proto = window.Element.prototype;
  for (const name of ['innerHTML', 'outerHTML']) {
    const { get } = Object.getOwnPropertyDescriptor(proto, name);
    Object.defineProperty(proto, name, {
      configurable: true,
      get,
      set() {
        throw new Error(`${name} used`);
      },
    });
  }
  proto.insertAdjacentHTML = () => {
    throw new Error('insertAdjacentHTML used');
  };
}

let shared = null; // one window per test file: a window costs far more than a test

/** The window of this test file, made on first use. */
function sharedWindow() {
  if (shared) return shared;
  shared = new Window({ url: 'http://localhost/' });
  shared.devicePixelRatio = 2;
  refuseHtml(shared);
  Object.defineProperty(shared.HTMLElement.prototype, 'clientWidth', {
    configurable: true,
    get() {
      return widths.get(this) ?? DEFAULT_WIDTH_PX;
    },
  });
  shared.HTMLCanvasElement.prototype.getContext = function getContext() {
    if (!contexts.has(this)) contexts.set(this, context2d(drawCalls(this)));
    return contexts.get(this);
  };
  return shared;
}

/**
 * Installs the DOM globals, with no pending frame and no resize observer (the window itself is
 * shared by the tests of one file; their elements are not attached to its document).
 * @returns {{window: object, flushFrames: () => number, pendingFrames: () => number,
 *            resizeObservers: object[], uninstall: () => void}}
 */
export function installDom() {
  const saved = Object.fromEntries(GLOBALS.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)]));
  const window = sharedWindow();
  let frames = new Map();
  let nextFrame = 1;
  const resizeObservers = [];
  Object.assign(globalThis, {
    window,
    document: window.document,
    getComputedStyle: (element) => window.getComputedStyle(element),
    ImageData: CheckedImageData,
    ResizeObserver: class {
      constructor(callback) {
        this.callback = callback;
        this.targets = [];
        resizeObservers.push(this);
      }
      observe(target) {
        this.targets.push(target);
      }
      disconnect() {
        this.targets = [];
      }
    },
    requestAnimationFrame: (callback) => {
      frames.set(nextFrame, callback);
      return nextFrame++;
    },
    cancelAnimationFrame: (handle) => frames.delete(handle),
  });

  return {
    window,
    /** Runs the pending animation frames; returns how many ran. */
    flushFrames() {
      const due = [...frames.values()];
      frames = new Map();
      due.forEach((callback) => callback());
      return due.length;
    },
    pendingFrames: () => frames.size,
    resizeObservers,
    uninstall() {
      for (const name of GLOBALS) {
        if (saved[name]) Object.defineProperty(globalThis, name, saved[name]);
        else delete globalThis[name];
      }
    },
  };
}
