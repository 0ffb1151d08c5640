import { DateTime } from 'luxon';
import { UpstreamError } from '../domain/errors.ts';
import type { Booking, ScheduleDay } from '../domain/schedule.ts';
import { integerOf, isObject, parseTwentyFiveLiveJson } from './twenty-five-live-json.ts';

/** 25Live lists one thing as a bare object and several as a list. */
const listOf = (value: unknown): unknown[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);
const spaceIdOf = (space: unknown): number | null => (isObject(space) ? integerOf(space.space_id) : null);
/** Wall-clock decimal hours of a moment on the campus clock: 10:00 is 10 even on the day clocks change. */
const wallHours = (moment: DateTime): number => moment.hour + moment.minute / 60 + moment.second / 3600 + moment.millisecond / 3_600_000;

export interface ReservationsRange {
  /** The first day (`YYYY-MM-DD`) and how many days, on the campus wall clock. */
  from: string;
  days: number;
  /** The campus time zone, in which the reservations' times are read. */
  zone: string;
}

/**
 * Turns an `rm_reservations.json` answer into each asked room's days of the range: every
 * reservation's booked times (setup and teardown included) cut to each campus day it touches, as
 * decimal hours; cancelled ones (state 99, or "Cancelled") marked so. A room the answer does not
 * mention has no bookings on any day: the request for it succeeded. Only times and ids are read;
 * names and requesters' details are left where they are. A body that is not the shape relied on
 * (an XHTML error page, say) throws an `UpstreamError`, so a broken answer never reads as free.
 */
export function parseReservationsBody(text: string, spaceIds: readonly number[], range: ReservationsRange): Map<number, ScheduleDay[]> {
  const what = `spaces ${spaceIds.join('+')}`;
  const malformed = (reason: string, cause?: unknown) => new UpstreamError(`malformed 25Live reservations for ${what}: ${reason}`, 'malformed', { cause });
  let json: unknown;
  try {
    json = parseTwentyFiveLiveJson(text);
  } catch (error) {
    throw malformed(/^\s*</.test(text) ? 'an HTML page, not JSON' : 'body is not JSON', error);
  }
  if (!isObject(json)) throw malformed('body must be a JSON object');
  const outer = json.space_reservations;
  if (outer !== undefined && outer !== null && !isObject(outer)) throw malformed('space_reservations must be an object');

  const first = DateTime.fromISO(range.from, { zone: range.zone }).startOf('day');
  const dayStarts = Array.from({ length: range.days + 1 }, (_, i) => first.plus({ days: i }));
  // The days' bounds as epoch ms: a reservation is placed by number, not by a date library call per day.
  const bounds = dayStarts.map((day) => day.toMillis());
  const dates = dayStarts.slice(0, -1).map((day) => day.toISODate()!);
  const bookings = new Map<number, Map<string, Booking[]>>(spaceIds.map((id) => [id, new Map(dates.map((date) => [date, []]))]));

  listOf(isObject(outer) ? outer.space_reservation : undefined).forEach((reservation, index) => {
    const at = `space_reservation[${index}]`;
    if (!isObject(reservation)) throw malformed(`${at} must be an object`);
    const start = DateTime.fromISO(String(reservation.reservation_start_dt ?? ''), { zone: range.zone });
    const stop = DateTime.fromISO(String(reservation.reservation_end_dt ?? ''), { zone: range.zone });
    if (!start.isValid || !stop.isValid) throw malformed(`${at} has no readable reservation_start_dt and reservation_end_dt`);
    const event = isObject(reservation.event) ? reservation.event : {};
    const cancelled = integerOf(reservation.reservation_state) === 99 || String(event.state_name ?? '').toLowerCase() === 'cancelled';
    const rooms = listOf(reservation.spaces)
      .map(spaceIdOf)
      .filter((id): id is number => id !== null && bookings.has(id));
    const [from, to] = [start.toMillis(), stop.toMillis()];
    if (rooms.length === 0 || to <= bounds[0]! || from >= bounds[range.days]!) return;
    for (let i = 0; i < range.days; i += 1) {
      if (to <= bounds[i]! || from >= bounds[i + 1]!) continue;
      // Cut to the day: a booking that crosses midnight blocks the evening of one day and the morning of the next.
      const booking: Booking = { start: from <= bounds[i]! ? 0 : wallHours(start), end: to >= bounds[i + 1]! ? 24 : wallHours(stop), eventState: cancelled ? 99 : null, kind: 'event' };
      for (const id of rooms) bookings.get(id)!.get(dates[i]!)!.push(booking);
    }
  });
  return new Map([...bookings].map(([id, days]) => [id, [...days].map(([date, list]) => ({ date, bookings: list }))]));
}
