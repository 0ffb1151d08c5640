import type { Catalog } from '../domain/catalog.ts';
import { freeRoomsAt, secondsOf } from '../domain/free-rooms.ts';
import type { Slot } from '../domain/free-slots.ts';
import type { OpenClassrooms } from '../domain/organise.ts';
import type { Availability } from '../domain/snapshot.ts';

/** What a room is at one moment of its day. */
export type RoomStatus =
  /** Free at the moment, until the end of the slot it is in (`minutes` whole minutes away). */
  | { kind: 'free'; until: string; minutes: number }
  /** Not free at the moment; free again from the start of its next slot. */
  | { kind: 'busy'; from: string }
  /** Not free at the moment, and no free slot starts later that day. */
  | { kind: 'done' }
  /** 25Live did not answer for it: never shown as free, nor as booked. */
  | { kind: 'unknown' };

interface Indexed {
  catalog: Catalog;
  availability: Availability;
}

const indexed = new WeakMap<OpenClassrooms, Indexed>();

/** The answer's rooms as a catalog, so the page asks the server's own free-at rule (`freeRoomsAt`). */
function indexOf(body: OpenClassrooms): Indexed {
  let index = indexed.get(body);
  if (!index) {
    const buildings = Object.values(body.buildings);
    const catalog: Catalog = {
      school: '',
      timeZone: '',
      tenant: '',
      buildings: buildings.map((b) => ({ code: b.code, name: b.name, opens: 0, closes: 24 })),
      // 25Live space ids are numbers; the answer writes them as strings.
      classrooms: buildings.flatMap((b) => b.classrooms.map((room) => ({ spaceId: Number(room.id), name: room.name, building: b.code }))),
    };
    const availability: Availability = {};
    for (const room of buildings.flatMap((b) => b.classrooms)) if (room.status !== 'unknown') availability[room.id] = room.availability;
    index = { catalog, availability };
    indexed.set(body, index);
  }
  return index;
}

/** The first slot that starts after `at`: slots are ascending and do not overlap. */
function nextSlotAfter(slots: readonly Slot[], at: string): Slot | undefined {
  const moment = secondsOf(at);
  return slots.find((slot) => secondsOf(slot.start) > moment);
}

/** Every room's status at `at` (`HH:MM` on the campus clock), by space id. */
export function statusesAt(body: OpenClassrooms, at: string): Map<string, RoomStatus> {
  const { catalog, availability } = indexOf(body);
  const free = new Map(freeRoomsAt(catalog, availability, at).map((room) => [room.id, room]));
  const statuses = new Map<string, RoomStatus>();
  for (const room of Object.values(body.buildings).flatMap((b) => b.classrooms)) {
    const now = free.get(room.id);
    const next = nextSlotAfter(room.availability, at);
    statuses.set(
      room.id,
      room.status === 'unknown' ? { kind: 'unknown' } : now ? { kind: 'free', until: now.free_until, minutes: now.minutes } : next ? { kind: 'busy', from: next.start } : { kind: 'done' },
    );
  }
  return statuses;
}

/** True when the room is free at the moment for at least `minutes` (the API's `for`). */
export const freeFor = (status: RoomStatus, minutes: number): boolean => status.kind === 'free' && status.minutes >= minutes;
