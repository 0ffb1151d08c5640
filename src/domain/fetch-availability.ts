import type { ScheduleSourcePort } from '../ports/schedule-source-port.ts';
import { buildingOf, type Catalog } from './catalog.ts';
import { UpstreamError } from './errors.ts';
import { freeSlots } from './free-slots.ts';
import { dayOf, reservationsOf } from './schedule.ts';
import type { Availability } from './snapshot.ts';

export interface RoomFailure {
  spaceId: number;
  error: unknown;
}

export interface FetchedAvailability {
  availability: Availability;
  failures: RoomFailure[];
}

/**
 * Asks the source for every room of the catalog (the source bounds how many run at once) and turns
 * each answer into free slots for `date`. Rooms that failed are left out, never stored as booked;
 * when every room failed there is nothing true to say, so it rejects.
 */
export async function fetchAvailability(source: ScheduleSourcePort, catalog: Catalog, date: string): Promise<FetchedAvailability> {
  const outcomes = await Promise.allSettled(catalog.classrooms.map((room) => source.fetchRoomSchedule(room.spaceId, date)));
  const availability: Availability = {};
  const failures: RoomFailure[] = [];
  outcomes.forEach((outcome, index) => {
    const room = catalog.classrooms[index]!;
    if (outcome.status === 'rejected') {
      failures.push({ spaceId: room.spaceId, error: outcome.reason });
      return;
    }
    const day = dayOf(outcome.value, date);
    availability[String(room.spaceId)] = day ? freeSlots(reservationsOf(day.bookings), buildingOf(catalog, room)) : [];
  });
  if (catalog.classrooms.length > 0 && failures.length === catalog.classrooms.length) {
    throw new UpstreamError(`25Live answered none of the ${failures.length} rooms`, { cause: failures[0]?.error });
  }
  return { availability, failures };
}
