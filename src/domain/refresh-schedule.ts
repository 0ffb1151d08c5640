import type { Instant } from '../ports/clock-port.ts';
import { addDays, utcMsOf } from './calendar.ts';

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** `HH:MM` as minutes since midnight, or null when it is not a time of day. */
export function minutesOf(time: string): number | null {
  const match = TIME.exec(time);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

const wall = (instant: Instant) => `${instant.date} ${instant.time.slice(0, 5)}`;
const pad = (n: number) => String(n).padStart(2, '0');

/** The zone's offset at a moment, in minutes east of UTC, read off its ISO text (`-05:00`, `+05:30`, `Z`). */
function offsetMinutes(instant: Instant): number {
  const match = /([+-])(\d\d):(\d\d)$/.exec(instant.iso);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}

/**
 * The first moment the campus wall clock shows `date` at `minutes` past midnight: of two (the hour
 * repeated when clocks go back), the first; when that minute does not exist (clocks go forward),
 * the next minute that does. `at` gives the campus view of any moment.
 */
export function firstMomentOf(date: string, minutes: number, at: (epochMs: number) => Instant): number {
  for (let m = minutes; m < minutes + 24 * 60; m += 1) {
    const day = m >= 1440 ? addDays(date, 1) : date;
    const target = `${day} ${pad(Math.floor((m % 1440) / 60))}:${pad(m % 60)}`;
    const asUtc = utcMsOf(day, m % 1440);
    // The offsets in force around that day: before and after any change of clocks, and at it.
    const offsets = new Set([-1440, 0, 1440].map((shift) => offsetMinutes(at(asUtc + shift * 60_000))));
    const moments = [...offsets].map((offset) => asUtc - offset * 60_000).filter((epochMs) => wall(at(epochMs)) === target);
    if (moments.length > 0) return Math.min(...moments);
  }
  throw new RangeError(`no moment shows ${date} after minute ${minutes}`);
}

/**
 * When the next scheduled refresh runs after `now`: the earliest of the times (minutes past
 * midnight) on today or a following day, each at the first moment the wall clock shows it.
 */
export function nextRunMs(now: Instant, times: readonly number[], at: (epochMs: number) => Instant): number {
  if (times.length === 0) throw new RangeError('no refresh times');
  for (let day = 0; day < 3; day += 1) {
    const date = addDays(now.date, day);
    const runs = times.map((minutes) => firstMomentOf(date, minutes, at)).filter((ms) => ms > now.epochMs);
    if (runs.length > 0) return Math.min(...runs);
  }
  throw new RangeError('no refresh time within three days');
}
