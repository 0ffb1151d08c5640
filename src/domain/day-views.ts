import type { ClockPort } from '../ports/clock-port.ts';
import { isCalendarDate } from './calendar.ts';
import { buildingCodeOf, type Catalog } from './catalog.ts';
import { DateOutOfRangeError } from './errors.ts';
import { freeRoomsAt, type FreeRoom } from './free-rooms.ts';
import type { HeldSnapshot } from './held-snapshot.ts';
import { createMinuteClock } from './minute-clock.ts';
import type { OpenClassrooms } from './organise.ts';
import { coveredDates } from './snapshot.ts';

export interface DatesBody {
  /** The days that can be asked for, today first. */
  dates: string[];
  last_updated: string | null;
  stale?: true;
}

export interface FreeRoomsQuery {
  /** `YYYY-MM-DD`; today by default. */
  date?: string;
  /** `HH:MM`; now on the campus clock by default. */
  at?: string;
  /** Free for at least this many minutes; 0 by default. */
  forMinutes?: number;
  building?: string;
  /** At least this many seats (rooms whose capacity the catalog does not know do not pass). */
  minCapacity?: number;
  /** Every one of these features (any case). */
  features?: string[];
}

export interface FreeRoomsBody {
  date: string;
  at: string;
  rooms: FreeRoom[];
  last_updated: string | null;
  stale: boolean;
}

/**
 * Every day of the held snapshot, beside today's answer: `?date=`, the dates that can be asked for,
 * and the rooms free at a time. Each answer is built once per snapshot and query. They take today's
 * answer, already decided, for what it says about staleness.
 */
export function createDayViews({ held, clock, catalog }: { held: HeldSnapshot; clock: ClockPort; catalog: Catalog }) {
  const catalogCodes = catalog.buildings.map((b) => b.code);
  const minute = createMinuteClock(clock);

  /** Today, then every later day the held snapshot covers. */
  const datesFrom = (today: string): string[] => held.memo(`dates-from|${today}`, () => [today, ...(held.current ? coveredDates(held.current.snapshot).filter((date) => date > today) : [])]);

  /** The day asked for, checked: a real date, not past, not beyond the data. */
  function checked(date: string, today: string): string {
    const dates = datesFrom(today);
    if (dates.includes(date)) return date;
    const range = { first: dates[0]!, last: dates[dates.length - 1]! };
    const known = `dates from ${range.first} to ${range.last} can be asked for`;
    if (!isCalendarDate(date)) throw new DateOutOfRangeError(`date must be a real date written YYYY-MM-DD; ${known}`, range);
    if (date < range.first || date > range.last) throw new DateOutOfRangeError(`No data for ${date}: ${known}`, range);
    return date;
  }

  return {
    forDate(date: string, today: OpenClassrooms): OpenClassrooms {
      return held.answerFor(checked(date, minute().date), today.stale === true);
    },

    dates(today: OpenClassrooms): DatesBody {
      const dates = datesFrom(minute().date);
      return held.memo(`dates|${dates[0]}|${today.stale === true}`, () => ({ dates, last_updated: today.last_updated, ...(today.stale ? { stale: true as const } : {}) }));
    },

    freeRooms(query: FreeRoomsQuery, today: OpenClassrooms): FreeRoomsBody {
      const now = minute();
      const date = query.date === undefined ? now.date : checked(query.date, now.date);
      const at = query.at ?? now.time;
      const forMinutes = query.forMinutes ?? 0;
      const building = query.building === undefined ? undefined : buildingCodeOf(catalogCodes, query.building);
      const filter = {
        ...(building === undefined ? {} : { building }),
        ...(query.minCapacity === undefined ? {} : { minCapacity: query.minCapacity }),
        ...(query.features?.length ? { features: query.features } : {}),
      };
      const filterKey = `${building ?? ''}|${query.minCapacity ?? ''}|${query.features?.join('\u0000') ?? ''}`;
      return held.memoQuery(`free|${date}|${at}|${forMinutes}|${filterKey}|${today.stale === true}`, () => {
        // The day that answers, as the day's body labels it: a copy that lacks today answers with its own day, marked stale.
        const day = held.dayFor(date);
        const availability = held.current!.snapshot.days[day] ?? {};
        return { date: day, at, rooms: freeRoomsAt(catalog, availability, at, forMinutes, filter), last_updated: today.last_updated, stale: today.stale === true };
      });
    },
  };
}
