import type { Catalog } from './catalog.ts';
import { hasDetails } from './room-details.ts';
import { compareRoomNames } from './room-order.ts';
import type { Availability } from './snapshot.ts';

/** A room free at the moment asked for, and for how long. */
export interface FreeRoom {
  id: string;
  building: string;
  name: string;
  /** The end of the free slot it is in, in the slots' own `HH:MM:SS` form. */
  free_until: string;
  /** Whole minutes from the moment asked for to `free_until`. */
  minutes: number;
  /** Present when the catalog knows them. */
  capacity?: number;
  features?: string[];
}

/** Which rooms count: of a building, with at least so many seats, with every feature named (any case). */
export interface RoomFilter {
  building?: string;
  minCapacity?: number;
  features?: readonly string[];
}

/** Seconds since midnight of `HH:MM` or `HH:MM:SS` (the page reads slots with the same rule). */
export const secondsOf = (time: string): number => {
  const [h = 0, m = 0, s = 0] = time.split(':').map(Number);
  return h * 3600 + m * 60 + s;
};

/**
 * The rooms free at `at` (`HH:MM` or `HH:MM:SS`) for at least `forMinutes`: a room is free at `at`
 * when one of its slots has `start <= at < end`. Longest free first, then by building (catalog
 * order) and natural room order. Rooms whose schedule is unknown are never listed as free.
 */
export function freeRoomsAt(catalog: Catalog, availability: Availability, at: string, forMinutes = 0, filter: RoomFilter = {}): FreeRoom[] {
  const moment = secondsOf(at);
  const buildingRank = new Map(catalog.buildings.map((b, i) => [b.code, i]));
  const free: FreeRoom[] = [];
  for (const room of catalog.classrooms) {
    if (filter.building !== undefined && room.building !== filter.building) continue;
    if (!hasDetails(room, filter.minCapacity, filter.features ?? [])) continue;
    const slot = availability[String(room.spaceId)]?.find((s) => secondsOf(s.start) <= moment && moment < secondsOf(s.end));
    if (!slot) continue;
    const minutes = Math.floor((secondsOf(slot.end) - moment) / 60);
    if (minutes < forMinutes) continue;
    const entry: FreeRoom = { id: String(room.spaceId), building: room.building, name: room.name, free_until: slot.end, minutes };
    if (room.capacity !== undefined) entry.capacity = room.capacity;
    if (room.features !== undefined) entry.features = room.features;
    free.push(entry);
  }
  return free.sort((a, b) => b.minutes - a.minutes || (buildingRank.get(a.building) ?? 0) - (buildingRank.get(b.building) ?? 0) || compareRoomNames(a.name, b.name));
}
