import type { Slot } from './free-slots.ts';

/** Space id (as a string) → today's free slots: the value of `classrooms:availability`. */
export type Availability = Record<string, Slot[]>;

/** Availability with the moment it was fetched. Rooms missing from it are unknown, not booked. */
export interface Snapshot {
  availability: Availability;
  fetchedAt: string;
}
