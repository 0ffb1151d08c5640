import { addDays, utcMsOf } from '../domain/calendar.ts';
import { formatTime12 } from './twelve-hour.ts';

// A calendar date has no time zone: it is formatted as noon UTC of that date, read in UTC.
const long = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric' });
const short = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' });

/** `2026-12-01` as `Tuesday, December 1`. */
export const longDate = (date: string): string => long.format(utcMsOf(date, 720));

/** `2026-12-01` as `Tue, Dec 1`. */
export const shortDate = (date: string): string => short.format(utcMsOf(date, 720));

/** `Today`, `Tomorrow`, or the weekday and date (`Thu, Dec 3`), as the day picker lists them. */
export function dayOption(date: string, today: string): string {
  if (date === today) return 'Today';
  if (date === addDays(today, 1)) return 'Tomorrow';
  return shortDate(date);
}

const STAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/;

/**
 * When the data was fetched, from `last_updated`: the service writes it with the campus offset, so
 * its wall-clock part is already campus time. `7:13 AM` on `today`, else with the date.
 */
export function dataTimeLabel(lastUpdated: string | null, today: string): string | null {
  const match = lastUpdated === null ? null : STAMP.exec(lastUpdated);
  if (!match) return null;
  const time = formatTime12(match[2]!);
  return match[1] === today ? time : `${shortDate(match[1]!)}, ${time}`;
}
