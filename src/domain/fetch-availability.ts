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
 * each answer into free slots for `date`. Rooms that failed, or had not answered when `deadline`
 * resolved, are left out, never stored as booked; when every room failed there is nothing true to
 * say, so it rejects.
 */
export async function fetchAvailability(source: ScheduleSourcePort, catalog: Catalog, date: string, deadline: Promise<void>): Promise<FetchedAvailability> {
  const availability: Availability = {};
  const failures: RoomFailure[] = [];
  const settled = new Set<number>();
  const rooms = catalog.classrooms.map(async (room) => {
    try {
      const day = dayOf(await source.fetchRoomSchedule(room.spaceId, date), date);
      if (settled.has(room.spaceId)) return;
      availability[String(room.spaceId)] = day ? freeSlots(reservationsOf(day.bookings), buildingOf(catalog, room)) : [];
    } catch (error) {
      if (!settled.has(room.spaceId)) failures.push({ spaceId: room.spaceId, error });
    } finally {
      settled.add(room.spaceId);
    }
  });
  await Promise.race([Promise.all(rooms), deadline]);
  for (const room of catalog.classrooms) {
    if (settled.has(room.spaceId)) continue;
    settled.add(room.spaceId);
    failures.push({ spaceId: room.spaceId, error: new UpstreamError(`no answer for space ${room.spaceId} before the refresh deadline`, 'deadline') });
  }
  if (catalog.classrooms.length > 0 && failures.length === catalog.classrooms.length) {
    throw new UpstreamError(`25Live answered none of the ${failures.length} rooms`, 'all-rooms', { cause: failures[0]?.error });
  }
  return { availability, failures };
}
