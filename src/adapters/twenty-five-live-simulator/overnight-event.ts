import type { Classroom } from '../../domain/catalog.ts';
import { addDays } from '../../domain/calendar.ts';
import { listsNoBookings } from './day-listing.ts';
import { pick, randomFor, seedOf } from './seeded-random.ts';
import { event, hours, type SimulatedItem } from './simulated-event.ts';

/** The share of a room's evenings with a late event that runs past midnight. */
const OVERNIGHT_SHARE = 0.03;

/** A late event that starts one evening and ends after midnight: one booking, on two days. */
export interface OvernightEvent {
  /** As the availability view lists it on its first day: from its start to 24. */
  evening: SimulatedItem;
  /** As the availability view lists it the next day: from 0 to its end. */
  morning: SimulatedItem;
  /** Its start, in hours of its first day, and its end, in hours of the next. */
  start: number;
  end: number;
}

/**
 * The late event of a room that starts on `date` and runs into the next day, or null (most
 * evenings). Drawn from a stream of its own, so each of the two days it touches lists the same
 * event (its id, name and state); never beside a day that lists no booking (a holiday, no items).
 * It ends by 01:45, before the hour a spring clock change skips (02:00 in North America), so the
 * two views read the same wall-clock end.
 */
export function overnightEvent(room: Classroom, date: string, seed: number): OvernightEvent | null {
  const random = randomFor(seed, room.spaceId, date, 'overnight');
  if (random() >= OVERNIGHT_SHARE || listsNoBookings(room, date, seed) || listsNoBookings(room, addDays(date, 1), seed)) return null;
  const start = 21 + Math.floor(random() * 11) / 4; // 21:00 to 23:30
  const end = 0.5 + Math.floor(random() * 6) / 4; // 00:30 to 01:45 the next morning
  const name = pick(random, ['Hackathon', 'Late Night Study Jam', 'Midnight Film Screening', '(Private)']);
  const evening = event(random, 400_000 + (seedOf(seed, room.spaceId, date) % 99_991), name, start, 24);
  const morning = { ...evening, start: hours(random, 0), end: hours(random, end), ev_start_time: hours(random, 0), ev_end_time: hours(random, end) };
  return { evening, morning, start, end };
}
