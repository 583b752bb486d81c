/**
 * The neighbours strip under the scatter: the clicked item (thumbnail, names, loss) and its k
 * nearest training images (or validation items, labelled so) with their class names and
 * cosine distances: "It says Birman: these training images look most like it."
 * Strings only as text; images through blob URLs made by the view. Each card's picture is
 * what the view says of it (`pictureOf(key)`, key `i<index>` for the clicked item, `n<index>`
 * for a neighbour): its stored thumbnail or an image the kernel read, else "loading…", "image
 * not available" (the error as its title) or "no thumbnail stored"; `setPicture(key, picture)`
 * updates one shown card's picture in place.
 */
import { formatItemLoss } from '../lib/format.js';
import { formatDistance, neighboursOf, neighboursSentence } from '../lib/scatter.js';
import { el, setText } from '../lib/text.js';

/** A tile's text in place of an image, by the state of its picture. */
export const PICTURE_NOTES = { none: 'no thumbnail stored', loading: 'loading…', failed: 'image not available' };

/**
 * @param {{onClose: () => void, onPickItem: (i: number) => void}} handlers
 * @returns {{node: HTMLElement, show: Function, setPicture: Function, hide: () => void}}
 */
export function createNeighbours({ onClose, onPickItem }) {
  const heading = el('h4');
  const close = el('button', { type: 'button', className: 'petlens-emb-close', text: '×', title: 'Close (Escape)', 'aria-label': 'Close the neighbours', on: { click: () => onClose() } });
  const sentence = el('p', { className: 'petlens-emb-sentence' });
  const cards = el('div', { className: 'petlens-emb-cards', on: { click: onClick } });
  const pictures = new Map(); // picture key -> {node: its card's picture, alt}, while shown
  const node = el('div', { className: 'petlens-emb-neighbours', role: 'region', 'aria-label': 'Nearest neighbours', hidden: true }, [
    el('div', { className: 'petlens-emb-nhead' }, [heading, close]),
    sentence,
    cards,
  ]);

  function onClick(event) {
    const card = event.target?.closest?.('[data-item]');
    if (card && cards.contains(card)) onPickItem(Number(card.dataset.item));
  }

  return {
    node,
    /**
     * Shows item `i` of `data` with its neighbours.
     * @param {object} data readEmbedding result
     * @param {object|null} neighbours readNeighbours result (null: none recorded)
     * @param {number} i
     * @param {{pictureOf: (key: string) => Picture, itemIndex: (name: string) => number|undefined,
     *          error?: string}} media
     *   pictureOf is asked for the clicked item (`i<i>`) first, then for each neighbour (`n<j>`);
     *   Picture: `{url}`, or `{state: 'none' | 'loading' | 'failed', error?}`
     */
    show(data, neighbours, i, { pictureOf, itemIndex, error = '' }) {
      const source = neighbours ? neighbours.source : 'train';
      setText(heading, source === 'valid' ? 'Nearest validation items' : 'Nearest training images');
      const list = neighboursOf(neighbours, i);
      if (error) setText(sentence, `Cannot show the neighbours: ${error}`);
      else if (!neighbours) setText(sentence, 'No neighbours were recorded for this run (they need the stored features: PetLens(embeddings=True)).');
      else if (list.length === 0) setText(sentence, 'No neighbours found for this item.');
      else setText(sentence, neighboursSentence(data, source, i));
      const said = data.decoded[i];
      const actual = data.targets[i];
      pictures.clear();
      /** The picture of `key` as the view says it, remembered for `setPicture`. */
      const shownPicture = (key, alt) => {
        const image = picture(pictureOf(key), alt);
        pictures.set(key, { node: image, alt });
        return image;
      };
      const query = card(shownPicture(`i${i}`, data.items[i]), [
        el('span', { className: 'petlens-emb-name', text: 'this item' }),
        el('span', { className: 'petlens-emb-file', text: data.items[i], title: data.items[i] }),
        el('span', { text: `actual ${data.vocab[actual]}`, title: data.vocab[actual] }),
        el('span', { text: `predicted ${data.vocab[said]}`, title: data.vocab[said] }),
        el('span', { className: 'petlens-muted', text: `loss ${formatItemLoss(data.losses[i])}` }),
      ]);
      query.classList.add('petlens-emb-query');
      const others = list.map(({ neighbour, item, label, distance }) => {
        const name = data.vocab[label] ?? `class ${label}`;
        const agree = label === said && label === actual ? 'same class as the prediction and the label' : label === said ? 'same class as the prediction' : label === actual ? 'same class as the label' : '';
        const node = card(shownPicture(`n${neighbour}`, item), [
          el('span', { className: 'petlens-emb-name', text: name, title: name }),
          el('span', { className: 'petlens-emb-file', text: item, title: item }),
          el('span', { className: 'petlens-emb-distance', text: `distance ${formatDistance(distance)}` }),
          agree && el('span', { className: 'petlens-emb-agree', text: agree }),
        ]);
        const index = source === 'valid' ? itemIndex(item) : undefined;
        if (index !== undefined) {
          node.dataset.item = String(index);
          node.title = 'Show this item and its neighbours';
        }
        return node;
      });
      cards.replaceChildren(query, ...others);
      node.hidden = false;
    },
    /** Shows `state` (a Picture) as the picture of `key` (`i<index>` or `n<index>`), if shown. */
    setPicture(key, state) {
      const shown = pictures.get(key);
      if (!shown) return;
      const image = picture(state, shown.alt);
      shown.node.replaceWith(image);
      shown.node = image;
    },
    hide() {
      node.hidden = true;
      pictures.clear();
      cards.replaceChildren();
    },
  };
}

function picture({ url, state = 'none', error }, alt) {
  if (url) return el('img', { className: 'petlens-emb-thumb', src: url, alt });
  return el('div', { className: 'petlens-emb-thumb petlens-emb-nothumb', text: PICTURE_NOTES[state] ?? PICTURE_NOTES.none, title: error || undefined });
}

function card(image, lines) {
  return el('div', { className: 'petlens-emb-card' }, [image, ...lines]);
}
