/**
 * The relabel picker: a search box over the class names and a list of matches (cleanlab's
 * suggestion first). Type to filter, ↑ ↓ to move, Enter to pick, Esc to cancel; at most
 * PICKER_ROWS matches are drawn (a 1000-class vocab is searched, never drawn whole). Class names
 * are text only.
 */
import { searchClasses } from '../lib/fix-queue.js';
import { el, setText } from '../lib/text.js';

export const PICKER_ROWS = 40;

/**
 * @param {{onPick: (item: number, c: number) => void, onCancel: () => void}} handlers
 * @returns {{node: HTMLElement, open: Function, close: Function, isOpen: () => boolean, item: () => number|null}}
 */
export function createPicker({ onPick, onCancel }) {
  const title = el('div', { className: 'petlens-picker-title' });
  const input = el('input', {
    type: 'text',
    className: 'petlens-picker-input',
    role: 'combobox',
    'aria-autocomplete': 'list',
    'aria-expanded': 'true',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'Type to filter the classes',
    'aria-label': 'New class: type to filter, arrows to move, Enter to pick, Escape to cancel',
  });
  const list = el('ul', { className: 'petlens-picker-list', role: 'listbox', 'aria-label': 'Classes' });
  const more = el('div', { className: 'petlens-picker-more petlens-muted', hidden: true });
  const help = el('div', { className: 'petlens-picker-help petlens-muted', text: '↑ ↓ move · Enter picks · Esc cancels' });
  const node = el('div', { className: 'petlens-picker', role: 'dialog', 'aria-label': 'Relabel as', hidden: true }, [title, input, list, more, help]);
  const id = `petlens-picker-${Math.random().toString(36).slice(2, 8)}`;
  list.id = `${id}-list`;
  input.setAttribute('aria-controls', list.id);

  let state = null; // {item, vocab, suggested, current, matches, active}

  function render() {
    const { indices, total } = searchClasses(state.vocab, input.value, { first: state.suggested, exclude: state.current, limit: PICKER_ROWS });
    state.matches = indices;
    state.active = Math.min(Math.max(0, state.active), Math.max(0, indices.length - 1));
    list.replaceChildren(
      ...indices.map((c, k) => {
        const option = el(
          'li',
          {
            role: 'option',
            id: `${id}-${k}`,
            className: 'petlens-picker-option',
            'data-class': c,
            'aria-selected': String(k === state.active),
            title: state.vocab[c],
            on: {
              mousedown: (event) => event.preventDefault(), // keep focus in the box
              click: () => pick(c),
            },
          },
          [el('span', { className: 'petlens-picker-name', text: state.vocab[c] })],
        );
        if (c === state.suggested) option.append(el('span', { className: 'petlens-picker-tag', text: 'suggested' }));
        return option;
      }),
    );
    if (indices.length === 0) list.append(el('li', { className: 'petlens-picker-none petlens-muted', text: 'No class matches' }));
    input.setAttribute('aria-activedescendant', indices.length ? `${id}-${state.active}` : '');
    setText(more, total > indices.length ? `${total - indices.length} more: type to narrow` : null);
    more.hidden = total <= indices.length;
    list.children[state.active]?.scrollIntoView?.({ block: 'nearest' });
  }

  function pick(c) {
    if (!state) return;
    const item = state.item;
    close();
    onPick(item, c);
  }

  function close() {
    state = null;
    node.hidden = true;
    list.replaceChildren();
  }

  input.addEventListener('input', () => {
    if (!state) return;
    state.active = 0;
    render();
  });
  input.addEventListener('keydown', (event) => {
    if (!state) return;
    event.stopPropagation(); // the browser's own keys (k, d, arrows) do not apply here
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const n = state.matches.length;
      if (n) state.active = (state.active + (event.key === 'ArrowDown' ? 1 : -1) + n) % n;
      render();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (state.matches.length) pick(state.matches[state.active]);
    } else if (event.key === 'Escape' || event.key === 'Esc') {
      event.preventDefault();
      close();
      onCancel();
    }
  });
  input.addEventListener('blur', () => {
    // Clicking elsewhere cancels (an option's mousedown keeps the focus, so it still picks).
    if (state) {
      close();
      onCancel({ blurred: true });
    }
  });

  return {
    node,
    /**
     * Opens for `item` (its index), named `name`.
     * @param {{item: number, name: string, vocab: string[], suggested: number|null, current: number|null}} options
     *   suggested: cleanlab's class (listed first); current: the item's label (left out)
     */
    open({ item, name, vocab, suggested, current }) {
      state = { item, vocab, suggested: suggested === current ? null : suggested, current, matches: [], active: 0 };
      setText(title, `Relabel ${name} as…`);
      title.title = name;
      input.value = '';
      node.hidden = false;
      render();
      input.focus?.({ preventScroll: true });
    },
    close,
    isOpen: () => state !== null,
    item: () => (state ? state.item : null),
  };
}
