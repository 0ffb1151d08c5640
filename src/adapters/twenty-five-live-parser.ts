import { UpstreamError } from '../domain/errors.ts';
import type { Booking, ScheduleDay } from '../domain/schedule.ts';
import { integerOf, isObject, parseTwentyFiveLiveJson } from './twenty-five-live-json.ts';

const DATE_PREFIX = /^\d{4}-\d{2}-\d{2}/;

/** A plain JSON object (not null, not a list). */
/** 25Live's `type_id`: 1 an event, 3 "Closed"; another code a blackout. Unknown: nothing said. */
function kindOf(typeId: unknown): { kind?: 'event' | 'closure' | 'blackout' } {
  const code = integerOf(typeId);
  if (code === null) return {};
  return { kind: code === 1 ? 'event' : code === 3 ? 'closure' : 'blackout' };
}

/**
 * Turns the body of `availabilitydata.json` into schedule days, every day it lists. Liberal on
 * purpose: 25Live adds fields freely, so only what we read is checked, and hours stay `unknown`
 * (the domain alone decides which values count as numbers). Throws `UpstreamError` when the body is
 * not the shape we rely on, or is about another space than `spaceId`, so a broken answer is never
 * mistaken for an empty room. Checked by hand, without copying: a month of items for 77 rooms is
 * most of a refresh's work.
 */
export function parseAvailabilityBody(text: string, spaceId?: number): ScheduleDay[] {
  const where = spaceId === undefined ? '' : ` for space ${spaceId}`;
  const malformed = (reason: string, cause?: unknown) => new UpstreamError(`malformed 25Live response${where}: ${reason}`, 'malformed', { cause });

  let json: unknown;
  try {
    json = parseTwentyFiveLiveJson(text);
  } catch (error) {
    throw malformed('body is not JSON', error);
  }
  if (!isObject(json)) throw malformed('body must be a JSON object');
  const { subjects } = json;
  if (subjects === undefined) throw malformed('subjects is missing');
  if (!Array.isArray(subjects)) throw malformed('subjects must be a list');

  return subjects.map((subject: unknown, index): ScheduleDay => {
    const at = `subjects[${index}]`;
    if (!isObject(subject)) throw malformed(`${at} must be an object`);
    const date = subject.item_date;
    if (date === undefined) throw malformed(`${at}.item_date is missing`);
    if (typeof date !== 'string') throw malformed(`${at}.item_date must be a string`);
    if (!DATE_PREFIX.test(date)) throw malformed(`${at}.item_date must start with YYYY-MM-DD`);
    const about = integerOf(subject.itemId);
    if (spaceId !== undefined && about !== null && about !== spaceId) throw malformed(`${at} is about space ${about}`);
    const { items } = subject;
    if (items == null) return { date: date.slice(0, 10), bookings: null };
    if (!Array.isArray(items)) throw malformed(`${at}.items must be a list or null`);
    const bookings = items.map((item: unknown, i): Booking => {
      if (!isObject(item)) throw malformed(`${at}.items[${i}] must be an object`);
      return { start: item.start, end: item.end, eventState: integerOf(item.cur_event_state), ...kindOf(item.type_id) };
    });
    return { date: date.slice(0, 10), bookings };
  });
}
