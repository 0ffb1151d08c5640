import type { Catalog } from './catalog.ts';
import type { Slot } from './free-slots.ts';
import type { Availability } from './snapshot.ts';

export interface RoomView {
  id: string;
  name: string;
  availability: Slot[];
  /** Present only when the room's schedule could not be fetched: its empty list means "unknown", not "booked". */
  status?: 'unknown';
  /** Present when the catalog knows them. */
  capacity?: number;
  features?: string[];
}

export interface BuildingView {
  code: string;
  name: string;
  classrooms: RoomView[];
}

export interface OpenClassrooms {
  buildings: Record<string, BuildingView>;
  last_updated: string | null;
  /** The day these slots are for; present when a date was asked for. */
  date?: string;
  /** Present only when this is not data fetched today: the last good data, served while 25Live fails. */
  stale?: true;
}

/** The response body of `GET /api/open-classrooms`: buildings and rooms in catalog order. */
export function organiseByBuilding(catalog: Catalog, availability: Availability, lastUpdated: string | null, extra: { date?: string; stale?: boolean } = {}): OpenClassrooms {
  const buildings: Record<string, BuildingView> = {};
  for (const building of catalog.buildings) {
    buildings[building.code] = { code: building.code, name: building.name, classrooms: [] };
  }
  for (const room of catalog.classrooms) {
    const id = String(room.spaceId);
    const slots = availability[id];
    const view: RoomView = slots ? { id, name: room.name, availability: slots } : { id, name: room.name, availability: [], status: 'unknown' };
    if (room.capacity !== undefined) view.capacity = room.capacity;
    if (room.features !== undefined) view.features = room.features;
    buildings[room.building]?.classrooms.push(view);
  }
  const body: OpenClassrooms = { buildings, last_updated: lastUpdated };
  if (extra.date !== undefined) body.date = extra.date;
  if (extra.stale) body.stale = true;
  return body;
}
