import type { Building, Classroom } from '../../domain/catalog.ts';
import { pick, randomFor, seedOf } from './seeded-random.ts';
import { weeklyTimetable, type Section } from './weekly-timetable.ts';

/** One item of a day in 25Live's wire shape. */
export interface SimulatedItem {
  itemId: number;
  itemId2: number;
  itemName: string;
  type_id: number;
  start: string | number;
  end: string | number;
  ev_start_time?: string | number;
  ev_end_time?: string | number;
  cur_event_state?: number;
  exp_head_count?: number;
}

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

type Random = () => number;

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

// 25Live's clients have seen "9.750000", "8.0" and 9.75; a simulator must send all of them.
function hours(random: Random, value: number): string | number {
  const rounded = Math.round(value * 1e6) / 1e6;
  const roll = random();
  if (roll < 0.6) return rounded.toFixed(6);
  if (roll < 0.75) return Number.isInteger(rounded) ? rounded.toFixed(1) : String(rounded);
  return rounded;
}

function eventState(random: Random): number {
  const roll = random();
  if (roll < 0.04) return 99; // cancelled
  if (roll < 0.06) return 98; // deleted
  return roll < 0.1 ? 1 : roll < 0.15 ? 3 : 2;
}

function event(random: Random, id: number, name: string, start: number, end: number, evStart = start, evEnd = end): SimulatedItem {
  return {
    itemId: id,
    itemId2: 900_000 + (id % 99_991),
    itemName: name,
    type_id: 1,
    start: hours(random, start),
    end: hours(random, end),
    ev_start_time: hours(random, evStart),
    ev_end_time: hours(random, evEnd),
    cur_event_state: eventState(random),
    exp_head_count: 5 + Math.floor(random() * 60),
  };
}

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

/** The days the simulated campus is closed: New Year's Day, Independence Day, Christmas Day. */
export function isHoliday(date: string): boolean {
  const monthDay = date.slice(5);
  return monthDay === '01-01' || monthDay === '07-04' || monthDay === '12-25';
}

/** One room's day as 25Live would list it; stable for (seed, room, date). */
export function generateDay(room: Classroom, building: Building, date: string, seed: number): SimulatedSubject {
  const subject: SimulatedSubject = { itemId: room.spaceId, itemName: `${building.code} ${room.name}`, item_date: `${date}T00:00:00` };
  const random = randomFor(seed, room.spaceId, date);
  // A holiday closure: one "Closed" item the whole day, which only the availability view lists.
  if (isHoliday(date)) return { ...subject, items: [{ itemId: 0, itemId2: 0, itemName: 'Closed', type_id: 3, start: hours(random, 0), end: hours(random, 24) }] };
  const roll = random();
  if (roll < 0.03) return { ...subject, items: null };
  if (roll < 0.05) return subject; // `items` absent altogether
  const weekday = weekdayOf(date);
  const weekend = weekday === 0 || weekday === 6;
  const sections = weeklyTimetable(room, building, seed);
  const extra = weekend ? (random() < 0.3 ? 1 : 0) + (random() < 0.1 ? 1 : 0) : (random() < 0.35 ? 1 : 0) + (random() < 0.1 ? 1 : 0);
  const items = [...closedItems(random, building), ...(weekend ? [] : classItems(random, sections, weekday)), ...adHocItems(random, building, sections, weekday, extra)];
  // A blackout: documented to exist, its code is not, so this stands in for "some other type".
  if (random() < 0.01) items.push({ ...event(random, seedOf(date) % 1000, 'Facilities Blackout', building.opens, building.closes), type_id: 2 });
  return { ...subject, items: shuffled(random, items) };
}

/** The body 25Live returns for one room from `startDate`: {@link SIMULATED_DAYS} consecutive days. */
export function generateSchedule(room: Classroom, building: Building, startDate: string, seed: number, days = SIMULATED_DAYS): AvailabilityBody {
  const subjects = Array.from({ length: days }, (_, i) => generateDay(room, building, addDays(startDate, i), seed));
  return { headers: { data: [{ header_id: 7 }, { header_id: 8 }] }, subjects };
}
