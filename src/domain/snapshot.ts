import type { Slot } from './free-slots.ts';

/** Space id (as a string) → today's free slots: the value of `classrooms:availability`. */
export type Availability = Record<string, Slot[]>;

/** Availability with the moment it was fetched. Rooms missing from it are unknown, not booked. */
export interface Snapshot {
  availability: Availability;
  /** ISO 8601 with the campus offset; doubles as the snapshot's version. */
  fetchedAt: string;
  /** Rooms that failed in this fetch and show earlier slots of the day: worth fetching again soon. */
  filledRooms?: number;
}

/** A fresh fetch, with rooms that failed this time filled from an earlier snapshot of the same day. */
export function keepKnownRooms(fetched: Availability, earlier: Availability | null): { availability: Availability; filledRooms: number } {
  const availability: Availability = { ...fetched };
  let filledRooms = 0;
  for (const [id, slots] of Object.entries(earlier ?? {})) {
    if (availability[id]) continue;
    availability[id] = slots;
    filledRooms += 1;
  }
  return { availability, filledRooms };
}
