import { generateDay } from '../src/adapters/twenty-five-live-simulator/index.ts';
import { buildingOf, type Catalog } from '../src/domain/catalog.ts';
import { parseDecimalHours } from '../src/domain/schedule.ts';
import { clockText, oracleFreeIntervals } from './domain/oracles.ts';

/**
 * The free slots the rules give for a room's simulated day, by the oracle (not the code under
 * test), from what each view of 25Live lists: every item for the availability view, only the events
 * for the reservations view. Deleted and cancelled events never block. A late event across
 * midnight is one of each day's items (its evening to 24, its next morning from 0), so each day's
 * slots see their part of it, as the reservations view cut to campus days must.
 */
export function simulatedSlots(catalog: Catalog, spaceId: number, date: string, seed: number, view: 'availability' | 'reservations'): Array<{ start: string; end: string }> {
  const room = catalog.classrooms.find((r) => r.spaceId === spaceId)!;
  const building = buildingOf(catalog, room);
  const items = (generateDay(room, building, date, seed).items ?? []).filter((item) => item.cur_event_state !== 98 && item.cur_event_state !== 99 && (view === 'availability' || item.type_id === 1));
  const reservations = items.map((item) => ({ start: parseDecimalHours(item.start)!, end: parseDecimalHours(item.end)! })).map((r) => ({ start: r.start, end: r.end < r.start ? 24 : r.end }));
  return oracleFreeIntervals(reservations, building.opens, building.closes).map(([s, e]) => ({ start: clockText(s), end: clockText(e) }));
}
