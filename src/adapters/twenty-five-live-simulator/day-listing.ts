import type { Classroom } from '../../domain/catalog.ts';
import { randomFor } from './seeded-random.ts';
import type { Random } from './simulated-event.ts';

/** Shares of the room-days listed with `items: null`, and (up to the second) without `items` at all. */
const ITEMS_NULL = 0.03;
const ITEMS_ABSENT = 0.05;

/** The days the simulated campus is closed: New Year's Day, Independence Day, Christmas Day. */
function isHoliday(date: string): boolean {
  const monthDay = date.slice(5);
  return monthDay === '01-01' || monthDay === '07-04' || monthDay === '12-25';
}

/** How 25Live lists a room's day: closed all day, `items` null or absent (no booking), or its bookings. */
export type DayListing = 'holiday' | 'items-null' | 'items-absent' | 'booked';

/** Decided by the first draw of the room-day's own stream (none on a holiday), so it is stable for (seed, room, date). */
export function dayListing(date: string, random: Random): DayListing {
  if (isHoliday(date)) return 'holiday';
  const roll = random();
  return roll < ITEMS_NULL ? 'items-null' : roll < ITEMS_ABSENT ? 'items-absent' : 'booked';
}

/** The stream of a room-day, from which its listing and then its items are drawn. */
export const dayRandom = (room: Classroom, date: string, seed: number): Random => randomFor(seed, room.spaceId, date);

/** True when 25Live lists no booking of the room on that day (a holiday closure, or no items). */
export const listsNoBookings = (room: Classroom, date: string, seed: number): boolean => dayListing(date, dayRandom(room, date, seed)) !== 'booked';
