import type { Reservation } from './schedule.ts';

/** A free interval, `HH:MM:SS` on the campus wall clock. */
export interface Slot {
  start: string;
  end: string;
}

export interface OpeningHours {
  opens: number;
  closes: number;
}

const MICROS_PER_HOUR = 3_600_000_000;
const ONE_MINUTE = 60_000_000;
const MIN_SLOT = 15 * ONE_MINUTE;

/** Decimal hours to microseconds since midnight, the precision the old system kept. */
export function hoursToMicros(hours: number): number {
  return Math.round(hours * MICROS_PER_HOUR);
}

const twoDigits = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/** Microseconds since midnight printed as `HH:MM:SS`, truncated to the second. */
export function formatMicros(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  return `${twoDigits(Math.floor(seconds / 3600))}:${twoDigits(Math.floor((seconds % 3600) / 60))}:${twoDigits(seconds % 60)}`;
}

/** Free intervals in microseconds since midnight, by the old system's walk. */
export function freeIntervals(reservations: readonly Reservation[], hours: OpeningHours): Array<[number, number]> {
  const opens = hoursToMicros(hours.opens);
  const closes = hoursToMicros(hours.closes);
  const sorted = [...reservations].sort((a, b) => a.start - b.start);
  const free: Array<[number, number]> = [];
  let cursor = opens;
  for (const reservation of sorted) {
    const start = hoursToMicros(reservation.start);
    const end = hoursToMicros(reservation.end);
    if (cursor < start && cursor < closes) {
      // A booking that starts exactly at closing leaves the room free up to closing itself.
      const slotEnd = start === closes ? closes : Math.min(start - ONE_MINUTE, closes);
      if (slotEnd - cursor > MIN_SLOT && start > opens) free.push([cursor, slotEnd]);
    }
    cursor = Math.max(cursor, end + ONE_MINUTE);
  }
  if (cursor < closes && closes - cursor > MIN_SLOT) free.push([cursor, closes]);
  return free;
}

/** Today's free slots of one room. */
export function freeSlots(reservations: readonly Reservation[], hours: OpeningHours): Slot[] {
  return freeIntervals(reservations, hours).map(([start, end]) => ({
    start: formatMicros(start),
    end: formatMicros(end),
  }));
}
