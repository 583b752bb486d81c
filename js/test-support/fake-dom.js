/**
 * A minimal fake DOM for unit tests (Node has none): just what petlens widgets touch.
 * `installFakeDom()` puts document, window, getComputedStyle, ResizeObserver, ImageData and a
 * manually flushed requestAnimationFrame on globalThis, and returns helpers.
 * Setting innerHTML / outerHTML / insertAdjacentHTML throws, so tests catch any HTML parsing.
 * Lives outside test/ because `node --test test/` runs every .js file in that folder.
 */

class FakeNode {
  constructor() {
    this.childNodes = [];
    this.parentNode = null;
  }
  appendChild(child) {
    child.remove();
    child.parentNode = this;
    this.childNodes.push(child);
    return child;
  }
  append(...children) {
    for (const child of children) this.appendChild(typeof child === 'string' ? new FakeText(child) : child);
  }
  replaceChildren(...children) {
    for (const child of [...this.childNodes]) child.remove();
    this.append(...children);
  }
  remove() {
    if (!this.parentNode) return;
    const siblings = this.parentNode.childNodes;
    siblings.splice(siblings.indexOf(this), 1);
    this.parentNode = null;
  }
  get textContent() {
    return this.childNodes.map((child) => child.textContent).join('');
  }
  set textContent(text) {
    this.replaceChildren(...(text === '' ? [] : [new FakeText(String(text))]));
  }
}

class FakeText extends FakeNode {
  constructor(text) {
    super();
    this.data = text;
  }
  get textContent() {
    return this.data;
  }
  set textContent(text) {
    this.data = String(text);
  }
}

/** A 2D context that accepts every drawing call and records them. */
function fakeContext2d(calls) {
  const state = {
    measureText: (text) => ({ width: Array.from(String(text)).length * 6 }),
  };
  return new Proxy(state, {
    get(target, prop) {
      if (prop in target) return target[prop];
      return (...args) => calls.push([prop, ...args]);
    },
    set(target, prop, value) {
      target[prop] = value;
      return true;
    },
  });
}

class FakeElement extends FakeNode {
  constructor(tagName) {
    super();
    this.tagName = tagName.toUpperCase();
    this.attributes = new Map();
    this.listeners = new Map();
    this.style = {};
    this.className = '';
    this.value = '';
    this.checked = false;
    this.disabled = false;
    this.clientWidth = 600;
    this.offsetWidth = 0;
    this.offsetHeight = 0;
    this.drawCalls = [];
    const classes = () => new Set(this.className.split(/\s+/).filter(Boolean));
    this.classList = {
      add: (name) => {
        this.className = [...classes().add(name)].join(' ');
      },
      remove: (name) => {
        const set = classes();
        set.delete(name);
        this.className = [...set].join(' ');
      },
      contains: (name) => classes().has(name),
    };
  }
  get children() {
    return this.childNodes.filter((child) => child instanceof FakeElement);
  }
  get title() {
    return this.getAttribute('title') ?? '';
  }
  set title(text) {
    this.setAttribute('title', text);
  }
  get hidden() {
    return this.attributes.has('hidden');
  }
  set hidden(value) {
    if (value) this.setAttribute('hidden', '');
    else this.removeAttribute('hidden');
  }
  set innerHTML(_) {
    throw new Error('innerHTML used');
  }
  set outerHTML(_) {
    throw new Error('outerHTML used');
  }
  insertAdjacentHTML() {
    throw new Error('insertAdjacentHTML used');
  }
  setAttribute(name, value) {
    this.attributes.set(name, String(value));
    if (name === 'value') this.value = String(value);
  }
  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }
  removeAttribute(name) {
    this.attributes.delete(name);
  }
  addEventListener(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(listener);
  }
  removeEventListener(type, listener) {
    const list = this.listeners.get(type) || [];
    if (list.includes(listener)) list.splice(list.indexOf(listener), 1);
  }
  /** Calls the listeners of `type` with a fake event carrying `props`. */
  dispatch(type, props = {}) {
    const event = { type, target: this, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; }, ...props };
    for (const listener of [...(this.listeners.get(type) || [])]) listener(event);
    return event;
  }
  getContext() {
    return fakeContext2d(this.drawCalls);
  }
  getBoundingClientRect() {
    return { left: 0, top: 0, width: parseFloat(this.style.width) || 0, height: parseFloat(this.style.height) || 0 };
  }
  setPointerCapture() {}
  /** All descendants (depth first) for which `test(element)` holds. */
  findAll(test) {
    const found = [];
    for (const child of this.children) {
      if (test(child)) found.push(child);
      found.push(...child.findAll(test));
    }
    return found;
  }
  /** First descendant with the class name. */
  byClass(name) {
    return this.findAll((e) => e.classList.contains(name))[0];
  }
}

/**
 * Installs the fake globals.
 * @returns {{flushFrames: () => number, pendingFrames: () => number, resizeObservers: object[], uninstall: () => void}}
 */
export function installFakeDom() {
  const names = ['document', 'window', 'getComputedStyle', 'ResizeObserver', 'ImageData', 'requestAnimationFrame', 'cancelAnimationFrame'];
  const saved = Object.fromEntries(names.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)]));
  let frames = new Map();
  let nextFrame = 1;
  const resizeObservers = [];

  Object.assign(globalThis, {
    document: {
      createElement: (tag) => new FakeElement(tag),
      createTextNode: (text) => new FakeText(text),
    },
    window: { devicePixelRatio: 2 },
    getComputedStyle: () => ({ color: 'rgb(20, 20, 20)', getPropertyValue: () => '' }),
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
    ImageData: class {
      constructor(data, width, height) {
        if (data.length !== width * height * 4) throw new Error('ImageData size mismatch');
        Object.assign(this, { data, width, height });
      }
    },
    requestAnimationFrame: (callback) => {
      frames.set(nextFrame, callback);
      return nextFrame++;
    },
    cancelAnimationFrame: (handle) => frames.delete(handle),
  });

  return {
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
      for (const name of names) {
        if (saved[name]) Object.defineProperty(globalThis, name, saved[name]);
        else delete globalThis[name];
      }
    },
  };
}
