import { secondsOf } from '../domain/free-rooms.ts';
import type { OpenClassrooms } from '../domain/organise.ts';
import type { SlotView } from './room-row.ts';

/** The part of the day every room's timeline spans, minutes since midnight, on whole hours. */
export interface DayWindow {
  from: number;
  to: number;
}

const HEIGHT = 8;

/** The hours from the earliest free slot to the latest (7:00 to 23:00 when there are none), the same for every room. */
export function dayWindow(body: OpenClassrooms): DayWindow {
  let from = Infinity;
  let to = -Infinity;
  for (const room of Object.values(body.buildings).flatMap((b) => b.classrooms)) {
    for (const slot of room.availability) {
      from = Math.min(from, secondsOf(slot.start) / 60);
      to = Math.max(to, secondsOf(slot.end) / 60);
    }
  }
  if (from >= to) return { from: 420, to: 1380 };
  return { from: Math.floor(from / 60) * 60, to: Math.ceil(to / 60) * 60 };
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * A room's day as a bar: its free slots over the span, the current one marked, and a line at the
 * moment. SVG attributes, not inline styles: the page's Content-Security-Policy allows no style attribute.
 */
export function timelineSvg(slots: readonly SlotView[], span: DayWindow, at: string): string {
  const width = span.to - span.from;
  const x = (time: string) => Math.min(width, Math.max(0, secondsOf(time) / 60 - span.from));
  const bars = slots.map((slot) => `<rect class="${slot.current ? 'free current' : 'free'}" x="${round(x(slot.start))}" width="${round(x(slot.end) - x(slot.start))}" height="${HEIGHT}"/>`).join('');
  const moment = secondsOf(at) / 60;
  const now =
    moment >= span.from && moment <= span.to ? `<line class="now" x1="${round(moment - span.from)}" x2="${round(moment - span.from)}" y1="0" y2="${HEIGHT}" vector-effect="non-scaling-stroke"/>` : '';
  return `<svg class="timeline" viewBox="0 0 ${width} ${HEIGHT}" preserveAspectRatio="none" aria-hidden="true" focusable="false">${bars}${now}</svg>`;
}
