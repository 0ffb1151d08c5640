import type { Slot } from './free-slots.ts';

/** Space id (as a string) → one day's free slots: the value of `classrooms:availability`. */
export type Availability = Record<string, Slot[]>;

/** Campus date (`YYYY-MM-DD`) → that day's availability. A room missing from a day is unknown there. */
export type Days = Record<string, Availability>;

/** What one fetch of every room learnt, with when and where from. */
export interface Snapshot {
  /** ISO 8601 with the campus offset, when the fetch began; doubles as the snapshot's version. */
  fetchedAt: string;
  /** The 25Live it came from (its availability URL): a service never serves another source's data. */
  source: string;
  /** Every day the answers covered, the fetch's own day first. */
  days: Days;
  /** Rooms whose fetch failed: unknown, or showing earlier slots of the same day. Soon fetched again. */
  failedRooms?: number[];
}

/** The days a snapshot can answer for, in order. */
export function coveredDates(snapshot: Pick<Snapshot, 'days'>): string[] {
  return Object.keys(snapshot.days).sort();
}

/**
 * A new fetch's days, where a room that failed this time keeps the slots an earlier snapshot had
 * for it on each day: still true for the day, and better than unknown.
 */
export function keepKnownRooms(days: Days, failedRooms: readonly number[], earlier: Days | null): Days {
  if (!earlier || failedRooms.length === 0) return days;
  const kept: Days = {};
  for (const [date, availability] of Object.entries(days)) {
    const merged: Availability = { ...availability };
    for (const id of failedRooms.map(String)) {
      const slots = earlier[date]?.[id];
      if (slots && !merged[id]) merged[id] = slots;
    }
    kept[date] = merged;
  }
  return kept;
}
