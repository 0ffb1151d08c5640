/** One 25Live item of a day as the source reports it, before any rule is applied. */
export interface Booking {
  /** Decimal hours; 25Live sends strings or numbers, and sometimes junk. */
  start: unknown;
  end: unknown;
  /** 25Live `cur_event_state`; 98 deleted, 99 cancelled. */
  eventState?: number | null;
  /** What the item is, when the source says: an event, or a closure or blackout (which block the room all the same). */
  kind?: 'event' | 'closure' | 'blackout';
}

/** The bookings of one room on one calendar day; `bookings: null` means 25Live listed none. */
export interface ScheduleDay {
  /** `YYYY-MM-DD` on the campus wall clock. */
  date: string;
  bookings: Booking[] | null;
}

/** A blocked interval in decimal hours. */
export interface Reservation {
  start: number;
  end: number;
}

const NOT_BLOCKING_STATES = new Set([98, 99]);

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A decimal number of hours as 25Live writes it (`"9.750000"`, `"8.0"`, `9.75`); anything else is null. */
export function parseDecimalHours(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || !DECIMAL.test(value.trim())) return null;
  const hours = Number(value.trim());
  return Number.isFinite(hours) ? hours : null;
}

/** Rule 1: numeric items that are not deleted or cancelled, sorted by start. */
export function reservationsOf(bookings: readonly Booking[] | null): Reservation[] {
  const reservations: Reservation[] = [];
  for (const booking of bookings ?? []) {
    if (booking.eventState != null && NOT_BLOCKING_STATES.has(booking.eventState)) continue;
    const start = parseDecimalHours(booking.start);
    const end = parseDecimalHours(booking.end);
    if (start === null || end === null) continue;
    // An end before the start cannot be read as a span; block the rest of the day rather than show booked time as free.
    reservations.push({ start, end: end < start ? 24 : end });
  }
  return reservations.sort((a, b) => a.start - b.start);
}

/**
 * Each listed date with every booking 25Live gave for it. A date listed twice (say a free copy,
 * then a booked one) keeps the bookings of both copies, so booked time is never shown as free.
 */
export function bookingsByDate(days: readonly ScheduleDay[]): Map<string, Booking[]> {
  const byDate = new Map<string, Booking[]>();
  for (const day of days) {
    const bookings = byDate.get(day.date) ?? [];
    if (day.bookings) bookings.push(...day.bookings);
    byDate.set(day.date, bookings);
  }
  return byDate;
}
