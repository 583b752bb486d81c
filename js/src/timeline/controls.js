/** Playback controls of the timeline: play / pause, speed, epoch steps and the scrubber. */
import { SPEEDS, speedLabel } from '../lib/playback.js';
import { formatCount } from '../lib/format.js';
import { el, setText } from '../lib/text.js';

/**
 * @param {{togglePlay: () => void, setSpeed: (speed: number) => void, previous: () => void,
 *          next: () => void, scrub: (iter: number, final: boolean) => void}} actions
 * @returns {{node: HTMLElement, sync: (state: {T: number, cursor: number, playing: boolean, speed: number}) => void}}
 */
export function createControls({ togglePlay, setSpeed, previous, next, scrub }) {
  const play = el('button', { type: 'button', className: 'petlens-tl-play', on: { click: togglePlay } });
  const speed = el('select', { title: 'Playback speed', on: { change: () => setSpeed(Number(speed.value)) } });
  let speedValues = [];
  const prevButton = el('button', { type: 'button', text: '◀ Epoch', title: 'Previous epoch boundary (Page Up)', 'aria-label': 'Previous epoch boundary', on: { click: previous } });
  const nextButton = el('button', { type: 'button', text: 'Epoch ▶', title: 'Next epoch boundary (Page Down)', 'aria-label': 'Next epoch boundary', on: { click: next } });
  const scrubber = el('input', {
    type: 'range',
    min: 0,
    max: 0,
    step: 1,
    className: 'petlens-tl-scrubber',
    'aria-label': 'Iteration',
    on: {
      input: () => scrub(Number(scrubber.value), false),
      change: () => scrub(Number(scrubber.value), true),
    },
  });
  const position = el('span', { className: 'petlens-tl-position petlens-muted' });
  const node = el('div', { className: 'petlens-tl-controls' }, [
    play,
    el('label', {}, ['Speed', speed]),
    prevButton,
    nextButton,
    scrubber,
    position,
  ]);
  const shown = {};

  function setSpeeds(current) {
    const values = SPEEDS.includes(current) ? [...SPEEDS] : [...SPEEDS, current].sort((a, b) => a - b);
    if (values.join() === speedValues.join()) return;
    speedValues = values;
    speed.replaceChildren(...values.map((v) => el('option', { value: String(v), text: speedLabel(v) })));
  }

  return {
    node,
    /** Shows the current state; only touches what changed (called every frame while playing). */
    sync({ T, cursor, playing, speed: current }) {
      if (shown.playing !== playing) {
        shown.playing = playing;
        setText(play, playing ? '❚❚ Pause' : '▶ Play');
        play.setAttribute('aria-pressed', String(playing));
      }
      if (shown.speed !== current) {
        shown.speed = current;
        setSpeeds(current);
        speed.value = String(current);
      }
      if (shown.T !== T) {
        shown.T = T;
        scrubber.setAttribute('max', String(Math.max(0, T - 1)));
        for (const control of [play, prevButton, nextButton, scrubber]) control.disabled = T <= 1;
      }
      if (shown.cursor !== cursor || shown.positionT !== T) {
        shown.cursor = cursor;
        shown.positionT = T;
        scrubber.value = String(cursor);
        setText(position, `${formatCount(cursor)} / ${formatCount(Math.max(0, T - 1))}`);
      }
    },
  };
}
