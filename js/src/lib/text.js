/**
 * Safe DOM building. Class names and every other string shown by petlens are untrusted:
 * text only ever goes through `textContent` (never innerHTML), so "<img src=x onerror=...>"
 * shows literally. The document is looked up when called, so importing works without a DOM.
 */

// Attributes that would run code or parse HTML from a string.
const UNSAFE_ATTRIBUTE = /^(on|srcdoc$|innerhtml$|outerhtml$)/i;

/**
 * Creates an element.
 * @param {string} tag
 * @param {{className?: string, text?: unknown, title?: unknown,
 *          on?: Record<string, EventListener>, [attribute: string]: unknown}} [props]
 *   other keys become attributes (true -> present, false / null / undefined -> omitted);
 *   `on` maps event names to listeners
 * @param {Array<Node|string|number|null|undefined|false>} [children] strings become text nodes
 * @returns {HTMLElement}
 */
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  const { className, text, title, on, ...attributes } = props;
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (title !== undefined && title !== null) node.title = String(title);
  for (const [name, value] of Object.entries(attributes)) setAttribute(node, name, value);
  for (const [event, listener] of Object.entries(on || {})) node.addEventListener(event, listener);
  append(node, children);
  return node;
}

/**
 * Sets an attribute from an untrusted value; refuses event handlers and HTML-bearing attributes.
 * @throws {Error} for on* / srcdoc / innerHTML / outerHTML
 */
export function setAttribute(node, name, value) {
  if (UNSAFE_ATTRIBUTE.test(name)) throw new Error(`refusing to set attribute "${name}" from a string`);
  if (value === false || value === null || value === undefined) node.removeAttribute(name);
  else node.setAttribute(name, value === true ? '' : String(value));
}

/** Appends nodes and strings (as text nodes), skipping null / undefined / false. */
export function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replaces the content of `node` with plain text. */
export function setText(node, text) {
  node.textContent = text === null || text === undefined ? '' : String(text);
}
