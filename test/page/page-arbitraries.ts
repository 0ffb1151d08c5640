// Generators for the page's property tests, and a plain oracle for "free at", written apart from
// the code under test (integer seconds, one loop, no shared helper).
import fc from 'fast-check';
import type { Slot } from '../../src/domain/free-slots.ts';
import type { OpenClassrooms, RoomView } from '../../src/domain/organise.ts';

export const RUNS = { numRuns: 300 };

const two = (n: number) => String(n).padStart(2, '0');
export const clock = (seconds: number): string => `${two(Math.floor(seconds / 3600))}:${two(Math.floor((seconds % 3600) / 60))}:${two(seconds % 60)}`;
export const hhmm = (minutes: number): string => `${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;
export const toSeconds = (time: string): number => {
  const [h, m, s] = time.split(':');
  return Number(h) * 3600 + Number(m) * 60 + Number(s ?? 0);
};

/** A campus minute `HH:MM`, with the day's edges and the usual opening hours weighted in. */
export const minuteOfDay = fc.oneof(fc.integer({ min: 0, max: 1439 }), fc.constantFrom(0, 419, 420, 421, 1290, 1379, 1380, 1439));
export const atText = minuteOfDay.map(hhmm);

/** Ascending, disjoint free slots within one day, to the second, as the service prints them. */
const point = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 1439 }).map((m) => m * 60) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 86_399 }) });

export const slotList: fc.Arbitrary<Slot[]> = fc
  .uniqueArray(point, { maxLength: 10 })
  .map((points) => points.sort((a, b) => a - b))
  .map((points) => {
    const slots: Slot[] = [];
    for (let i = 0; i + 1 < points.length; i += 2) slots.push({ start: clock(points[i]!), end: clock(points[i + 1]!) });
    return slots;
  });

/** A room: known with its slots, or unknown (25Live did not answer). */
export const roomOf = (id: number): fc.Arbitrary<RoomView> =>
  fc.oneof(
    { weight: 5, arbitrary: slotList.map((availability): RoomView => ({ id: String(id), name: String(100 + id), availability })) },
    { weight: 1, arbitrary: fc.constant<RoomView>({ id: String(id), name: String(100 + id), availability: [], status: 'unknown' }) },
  );

/** An answer of two buildings with a few rooms each. */
export const body: fc.Arbitrary<OpenClassrooms> = fc
  .tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 6 }))
  .chain(([a, b]) => fc.tuple(fc.tuple(...a.map((_, i) => roomOf(i + 1))), fc.tuple(...b.map((_, i) => roomOf(i + 101)))))
  .map(([cas, cgs]) => ({
    buildings: { CAS: { code: 'CAS', name: 'College of Arts & Sciences', classrooms: cas }, CGS: { code: 'CGS', name: 'College of General Studies', classrooms: cgs } },
    last_updated: '2026-12-01T07:13:32.811-05:00',
  }));

/** The oracle: the slot a moment falls in (start <= at < end), by a plain scan. */
export function oracleSlotAt(slots: readonly Slot[], at: string): Slot | undefined {
  const moment = toSeconds(at);
  for (const slot of slots) if (toSeconds(slot.start) <= moment && moment < toSeconds(slot.end)) return slot;
  return undefined;
}

/** An answer and a moment, the moment often on one of its slots' edges (where < and <= differ). */
export const bodyAndMoment: fc.Arbitrary<[OpenClassrooms, string]> = body.chain((b) => {
  const edges = Object.values(b.buildings)
    .flatMap((x) => x.classrooms.flatMap((r) => r.availability.flatMap((s) => [s.start, s.end])))
    .map((t) => t.slice(0, 5));
  return fc.tuple(fc.constant(b), edges.length === 0 ? atText : fc.oneof(atText, fc.constantFrom(...edges)));
});
