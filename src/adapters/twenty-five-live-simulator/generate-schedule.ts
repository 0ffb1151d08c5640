import type { Building, Classroom } from '../../domain/catalog.ts';
import { addDays, weekdayOf } from '../../domain/calendar.ts';
import { dayListing, dayRandom } from './day-listing.ts';
import { overnightEvent } from './overnight-event.ts';
import { pick, seedOf } from './seeded-random.ts';
import { event, hours, type Random, type SimulatedItem } from './simulated-event.ts';
import { weeklyTimetable, type Section } from './weekly-timetable.ts';

export type { SimulatedItem } from './simulated-event.ts';

export interface SimulatedSubject {
  itemId: number;
  itemName: string;
  item_date: string;
  items?: SimulatedItem[] | null;
}

export interface AvailabilityBody {
  headers: { data: Array<{ header_id: number }> };
  subjects: SimulatedSubject[];
}

/** How many days 25Live answers per request. */
const SIMULATED_DAYS = 32;

function classItems(random: Random, sections: readonly Section[], weekday: number): SimulatedItem[] {
  const items: SimulatedItem[] = [];
  for (const s of sections.filter((section) => section.weekdays.includes(weekday))) {
    items.push({ ...event(random, s.eventId, s.name, s.start, s.end, s.evStart, s.evEnd), exp_head_count: s.headCount });
    // Cross-listed sections share a room and its times: two items, one booking.
    if (random() < 0.08) items.push(event(random, s.eventId + 1, `${s.name.slice(0, -1)}9`, s.start, s.end, s.evStart, s.evEnd));
  }
  return items;
}

/** Ad-hoc bookings: `(Private)` events, review sessions; some start exactly when a class ends. */
function adHocItems(random: Random, building: Building, sections: readonly Section[], weekday: number, count: number): SimulatedItem[] {
  const items: SimulatedItem[] = [];
  const todays = sections.filter((section) => section.weekdays.includes(weekday));
  for (let i = 0; i < count; i += 1) {
    const length = 0.5 + Math.floor(random() * 7) * 0.25;
    const quarterHours = Math.max(1, Math.floor((building.closes - building.opens - length) * 4));
    const start = todays.length > 0 && random() < 0.4 ? pick(random, todays).end : building.opens + Math.floor(random() * quarterHours) / 4;
    const end = Math.min(start + length, building.closes);
    const name = random() < 0.6 ? '(Private)' : pick(random, ['Exam Review Session', 'Student Org Meeting', 'Tutoring', 'Info Session']);
    items.push(event(random, 600_000 + Math.floor(random() * 99_999), name, start, end));
  }
  return items;
}

function closedItems(random: Random, building: Building): SimulatedItem[] {
  const closed = (start: number, end: number): SimulatedItem => ({
    itemId: 0,
    itemId2: 0,
    itemName: 'Closed',
    type_id: 3,
    start: hours(random, start),
    end: hours(random, end),
  });
  const items: SimulatedItem[] = [];
  if (building.opens > 0) items.push(closed(0, building.opens));
  if (building.closes < 24) items.push(closed(building.closes, 24));
  return items;
}

function shuffled<T>(random: Random, values: T[]): T[] {
  for (let i = values.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return values;
}

/** One room's day as 25Live would list it; stable for (seed, room, date). */
export function generateDay(room: Classroom, building: Building, date: string, seed: number): SimulatedSubject {
  const subject: SimulatedSubject = { itemId: room.spaceId, itemName: `${building.code} ${room.name}`, item_date: `${date}T00:00:00` };
  const random = dayRandom(room, date, seed);
  const listing = dayListing(date, random);
  // A holiday closure: one "Closed" item the whole day, which only the availability view lists.
  if (listing === 'holiday') return { ...subject, items: [{ itemId: 0, itemId2: 0, itemName: 'Closed', type_id: 3, start: hours(random, 0), end: hours(random, 24) }] };
  if (listing === 'items-null') return { ...subject, items: null };
  if (listing === 'items-absent') return subject;
  const weekday = weekdayOf(date);
  const weekend = weekday === 0 || weekday === 6;
  const sections = weeklyTimetable(room, building, seed);
  const extra = weekend ? (random() < 0.3 ? 1 : 0) + (random() < 0.1 ? 1 : 0) : (random() < 0.35 ? 1 : 0) + (random() < 0.1 ? 1 : 0);
  const items = [...closedItems(random, building), ...(weekend ? [] : classItems(random, sections, weekday)), ...adHocItems(random, building, sections, weekday, extra)];
  // A blackout: documented to exist, its code is not, so this stands in for "some other type".
  if (random() < 0.01) items.push({ ...event(random, seedOf(date) % 1000, 'Facilities Blackout', building.opens, building.closes), type_id: 2 });
  // A late event across midnight is listed on both days it touches: the evening to 24, the morning from 0.
  const tonight = overnightEvent(room, date, seed);
  const lastNight = overnightEvent(room, addDays(date, -1), seed);
  if (tonight) items.push(tonight.evening);
  if (lastNight) items.push(lastNight.morning);
  return { ...subject, items: shuffled(random, items) };
}

/** The body 25Live returns for one room from `startDate`: {@link SIMULATED_DAYS} consecutive days. */
export function generateSchedule(room: Classroom, building: Building, startDate: string, seed: number, days = SIMULATED_DAYS): AvailabilityBody {
  const subjects = Array.from({ length: days }, (_, i) => generateDay(room, building, addDays(startDate, i), seed));
  return { headers: { data: [{ header_id: 7 }, { header_id: 8 }] }, subjects };
}
