/**
 * Controls of the timeline: play / pause, speed, epoch steps and the scrubber; then the zoom of
 * the iteration axis (out, in, and a "Show" list: every iteration, each fit, the current range).
 */
import { SPEEDS, speedLabel } from '../lib/playback.js';
import { formatCount } from '../lib/format.js';
import { el, setText } from '../lib/text.js';
import { isFull, MIN_SPAN, ZOOM_STEP } from '../lib/timeline-layout.js';

/**
 * @param {{togglePlay: () => void, setSpeed: (speed: number) => void, previous: () => void,
 *          next: () => void, scrub: (iter: number, final: boolean) => void,
 *          zoom: (factor: number) => void, showRange: (range: {start: number, end: number} | null) => void}} actions
 *   `showRange(null)` shows every iteration
 * @returns {{node: HTMLElement, sync: (state: {T: number, cursor: number, playing: boolean, speed: number,
 *   win: {start: number, end: number}, fits: {label: string, start: number, end: number}[]}) => void}}
 */
export function createControls({ togglePlay, setSpeed, previous, next, scrub, zoom, showRange }) {
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
  const zoomOut = el('button', { type: 'button', text: '−', title: 'Zoom out the iterations (-)', 'aria-label': 'Zoom out', on: { click: () => zoom(1 / ZOOM_STEP) } });
  const zoomIn = el('button', { type: 'button', text: '+', title: 'Zoom in the iterations (+; wheel; drag on the axis)', 'aria-label': 'Zoom in', on: { click: () => zoom(ZOOM_STEP) } });
  let ranges = []; // option value -> range (index 0: every iteration)
  const show = el('select', {
    className: 'petlens-tl-show',
    title: 'Iterations shown (0 or a double click: all)',
    on: { change: () => showRange(ranges[Number(show.value)] ?? null) },
  });
  const node = el('div', { className: 'petlens-tl-controls' }, [
    play,
    el('label', {}, ['Speed', speed]),
    prevButton,
    nextButton,
    scrubber,
    position,
    el('span', { className: 'petlens-tl-zoom', role: 'group', 'aria-label': 'Zoom' }, [zoomOut, zoomIn, el('label', {}, ['Show', show])]),
  ]);
  const shown = {};

  /** The "Show" list: all, each fit, and the current range when it is none of those. */
  function setRanges(T, win, fits) {
    const key = `${T}|${win.start}|${win.end}|${fits.map((f) => `${f.label}:${f.start}:${f.end}`).join()}`;
    if (shown.rangesKey === key) return;
    shown.rangesKey = key;
    const all = { label: `all ${formatCount(T)} iterations`, start: 0, end: T };
    const options = [all, ...fits.map((f) => ({ ...f, label: `${f.label}: ${formatCount(f.start)}–${formatCount(f.end)}` }))];
    let selected = isFull(win, T) ? 0 : options.findIndex((o) => o.start === win.start && o.end === win.end);
    if (selected < 0) {
      options.push({ label: `iterations ${formatCount(win.start)}–${formatCount(win.end)}`, start: win.start, end: win.end });
      selected = options.length - 1;
    }
    ranges = options.map((o, k) => (k === 0 ? null : { start: o.start, end: o.end }));
    show.replaceChildren(...options.map((o, k) => el('option', { value: String(k), text: o.label })));
    show.value = String(selected);
    zoomOut.disabled = isFull(win, T);
    zoomIn.disabled = win.end - win.start <= Math.min(MIN_SPAN, T);
  }

  function setSpeeds(current) {
    const values = SPEEDS.includes(current) ? [...SPEEDS] : [...SPEEDS, current].sort((a, b) => a - b);
    if (values.join() === speedValues.join()) return;
    speedValues = values;
    speed.replaceChildren(...values.map((v) => el('option', { value: String(v), text: speedLabel(v) })));
  }

  return {
    node,
    /** Shows the current state; only touches what changed (called every frame while playing). */
    sync({ T, cursor, playing, speed: current, win, fits }) {
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
      setRanges(T, win, fits);
    },
  };
}
