// The guest reservations view (`rm_reservations.json`) of the simulator, built from the same days
// as its availability view: only the events, as 25Live's guest view is said to list them. Its
// closures ("Closed" items) and blackouts stay out, which is where the two views differ. A late
// event across midnight, listed on each of its days by the availability view, is one reservation here.
import { DateTime } from 'luxon';
import { addDays } from '../../domain/calendar.ts';
import { buildingOf, type Catalog } from '../../domain/catalog.ts';
import { parseDecimalHours } from '../../domain/schedule.ts';
import { generateDay } from './generate-schedule.ts';
import { overnightEvent } from './overnight-event.ts';
import { randomFor } from './seeded-random.ts';

const fromCompact = (text: string) => (/^\d{8}$/.test(text) ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}` : null);

const isoCache = new Map<string, string>();
/** A campus wall-clock moment of `date` at `hours` (24 is the next midnight), as 25Live writes it: ISO with the offset. Class blocks repeat, so each is worked out once. */
const isoAt = (date: string, hours: number, zone: string) => {
  const whole = Math.floor(hours * 3600 + 1e-6);
  const key = `${zone}|${date}|${whole}`;
  let iso = isoCache.get(key);
  if (iso === undefined) {
    if (isoCache.size > 50_000) isoCache.clear();
    const midnight = DateTime.fromISO(date, { zone }).startOf('day');
    // Whole hours and minutes of the wall clock, so 10:00 stays 10:00 on the day clocks change.
    iso = (whole >= 86_400 ? midnight.plus({ days: 1 }) : midnight.set({ hour: Math.floor(whole / 3600), minute: Math.floor((whole % 3600) / 60), second: whole % 60 })).toISO({
      suppressMilliseconds: true,
    })!;
    isoCache.set(key, iso);
  }
  return iso;
};

/**
 * The body for `space_id=A+B+…&start_dt=YYYYMMDD&end_dt=YYYYMMDD` (end exclusive), or null when the
 * dates are not dates. One reservation comes as a bare object, none leaves the key out, and
 * `spaces` is sometimes one object and sometimes a list, as public clients report.
 */
export function reservationsBody(catalog: Catalog, spaceIds: readonly number[], startDt: string, endDt: string, seed: number): object | null {
  const from = fromCompact(startDt);
  const to = fromCompact(endDt);
  if (!from || !to || to <= from) return null;
  const reservations: object[] = [];
  for (const id of spaceIds) {
    const room = catalog.classrooms.find((r) => r.spaceId === id);
    if (!room) continue;
    const building = buildingOf(catalog, room);
    for (let date: string = from; date < to; date = addDays(date, 1)) {
      const random = randomFor(seed, id, date, 'reservations');
      const tonight = overnightEvent(room, date, seed);
      const lastNight = overnightEvent(room, addDays(date, -1), seed);
      for (const item of generateDay(room, building, date, seed).items ?? []) {
        if (item.type_id !== 1 || item.cur_event_state === 98) continue; // closures, blackouts and deleted events are not listed
        // A booking across midnight is one reservation from its evening to its morning, in the range
        // when either day is: listed with its evening, or with its morning on the range's first day.
        const isMorning = lastNight !== null && item.itemId === lastNight.morning.itemId;
        if (isMorning && date !== from) continue;
        const isEvening = tonight !== null && item.itemId === tonight.evening.itemId;
        const start = isMorning ? lastNight.start : parseDecimalHours(item.start);
        const end = isEvening ? tonight.end : parseDecimalHours(item.end);
        if (start === null || end === null) continue;
        const [startDate, endDate] = [isMorning ? addDays(date, -1) : date, isEvening ? addDays(date, 1) : date];
        const space = { space_id: id, space_name: `${building.code} ${room.name}`, formal_name: `${building.name} ${room.name}` };
        const overnight = isMorning || isEvening;
        reservations.push({
          reservation_start_dt: isoAt(startDate, start, catalog.timeZone),
          reservation_end_dt: isoAt(endDate, end, catalog.timeZone),
          reservation_state: item.cur_event_state === 99 ? 99 : 1,
          spaces: random() < 0.5 ? space : [space],
          event: {
            event_name: item.itemName,
            event_start_dt: isoAt(startDate, overnight ? start : (parseDecimalHours(item.ev_start_time) ?? start), catalog.timeZone),
            event_end_dt: isoAt(endDate, overnight ? end : (parseDecimalHours(item.ev_end_time) ?? end), catalog.timeZone),
            state_name: item.cur_event_state === 99 ? 'Cancelled' : 'Confirmed',
          },
        });
      }
    }
  }
  if (reservations.length === 0) return {};
  return { space_reservations: { space_reservation: reservations.length === 1 ? reservations[0] : reservations } };
}
