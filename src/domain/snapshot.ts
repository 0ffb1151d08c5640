import type { Slot } from './free-slots.ts';

/** Space id (as a string) → today's free slots: the value of `classrooms:availability`. */
export type Availability = Record<string, Slot[]>;

/** Availability with the moment it was fetched. Rooms missing from it are unknown, not booked. */
export interface Snapshot {
  availability: Availability;
  /** ISO 8601 with the campus offset; doubles as the snapshot's version. */
  fetchedAt: string;
}

/** A fresh fetch, with rooms that failed this time filled from an earlier snapshot of the same day. */
export function keepKnownRooms(fetched: Availability, earlier: Availability | null): Availability {
  if (!earlier) return fetched;
  const merged: Availability = { ...fetched };
  for (const [id, slots] of Object.entries(earlier)) merged[id] ??= slots;
  return merged;
}
