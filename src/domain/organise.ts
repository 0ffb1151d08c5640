import type { Catalog } from './catalog.ts';
import type { Slot } from './free-slots.ts';
import type { Availability } from './snapshot.ts';

export interface RoomView {
  id: string;
  name: string;
  availability: Slot[];
  /** Present only when the room's schedule could not be fetched: its empty list means "unknown", not "booked". */
  status?: 'unknown';
}

export interface BuildingView {
  code: string;
  name: string;
  classrooms: RoomView[];
}

export interface OpenClassrooms {
  buildings: Record<string, BuildingView>;
  last_updated: string | null;
  /** Present only when 25Live failed and this is the last good data, possibly of an earlier day. */
  stale?: true;
}

/** The response body of `GET /api/open-classrooms`: buildings and rooms in catalog order. */
export function organiseByBuilding(catalog: Catalog, availability: Availability, lastUpdated: string | null): OpenClassrooms {
  const buildings: Record<string, BuildingView> = {};
  for (const building of catalog.buildings) {
    buildings[building.code] = { code: building.code, name: building.name, classrooms: [] };
  }
  for (const room of catalog.classrooms) {
    const id = String(room.spaceId);
    const slots = availability[id];
    const view: RoomView = slots ? { id, name: room.name, availability: slots } : { id, name: room.name, availability: [], status: 'unknown' };
    buildings[room.building]?.classrooms.push(view);
  }
  return { buildings, last_updated: lastUpdated };
}

export function unknownRoomCount(catalog: Catalog, availability: Availability): number {
  return catalog.classrooms.filter((room) => !availability[String(room.spaceId)]).length;
}
