import { buildingOf, type Catalog, type Classroom } from '../domain/catalog.ts';
import { freeSlots, type Slot } from '../domain/free-slots.ts';
import { bookingsByDate, reservationsOf, type Booking, type ScheduleDay } from '../domain/schedule.ts';
import type { ScheduleSourcePort } from '../ports/schedule-source-port.ts';

export interface RoomComparison {
  room: Classroom;
  /** The availability view's slots (per room), and the reservations view's (batched); null when that view failed for the room. */
  availability: Slot[] | null;
  reservations: Slot[] | null;
  /** Why they differ: what only the availability view lists, or null when nothing explains it (a view failed, or they list different reservations). */
  explained: string | null;
}

const same = (a: Slot[] | null, b: Slot[] | null) => JSON.stringify(a) === JSON.stringify(b);
const hhmm = (hours: unknown) => {
  const minutes = Math.round(Number(hours) * 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
};

/**
 * The rooms whose free slots on `date` differ between the two views of 25Live, and why: closures
 * and blackouts appear only in the availability view; when leaving them out makes the slots agree,
 * that is the reason. Anything else is unexplained, worth looking at before switching.
 */
export async function compareSources(catalog: Catalog, perRoom: ScheduleSourcePort, batched: ScheduleSourcePort, date: string): Promise<RoomComparison[]> {
  const ids = catalog.classrooms.map((room) => room.spaceId);
  const signal = new AbortController().signal;
  const [fromAvailability, fromReservations] = await Promise.all([Promise.allSettled(perRoom.fetchSchedules(ids, date, signal)), Promise.allSettled(batched.fetchSchedules(ids, date, signal))]);
  const dayOf = (answer: PromiseSettledResult<ScheduleDay[]>): Booking[] | null => (answer.status === 'fulfilled' ? (bookingsByDate(answer.value).get(date) ?? null) : null);
  const differences: RoomComparison[] = [];
  catalog.classrooms.forEach((room, i) => {
    const hours = buildingOf(catalog, room);
    const listed = dayOf(fromAvailability[i]!);
    const reserved = dayOf(fromReservations[i]!);
    const availability = listed && freeSlots(reservationsOf(listed), hours);
    const reservations = reserved && freeSlots(reservationsOf(reserved), hours);
    // A view that failed for the room tells nothing: never "the same", never explained.
    if (availability !== null && reservations !== null && same(availability, reservations)) return;
    const hidden = (listed ?? []).filter((booking) => booking.kind === 'closure' || booking.kind === 'blackout');
    const withoutHidden = listed && freeSlots(reservationsOf(listed.filter((booking) => !hidden.includes(booking))), hours);
    const explained =
      reservations !== null && hidden.length > 0 && same(withoutHidden, reservations)
        ? hidden.map((booking) => `${booking.kind === 'closure' ? 'closed' : 'blackout'} ${hhmm(booking.start)}–${hhmm(booking.end)}`).join(', ')
        : null;
    differences.push({ room, availability, reservations, explained });
  });
  return differences;
}
