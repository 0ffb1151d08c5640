import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freeIntervals, freeSlots, type OpeningHours } from '../../src/domain/free-slots.ts';
import { reservationsOf, type Booking, type Reservation } from '../../src/domain/schedule.ts';
import { clockText, micros, MINUTE_US, oracleFreeIntervals, secondsOf } from './oracles.ts';

const RUNS = { numRuns: 400 };

/** Decimal hours in [0, 24]: quarter hours, whole minutes, 25Live's 6-decimal strings' values, and arbitrary fractions. */
const hour = fc.oneof(
  fc.integer({ min: 0, max: 96 }).map((q) => q / 4),
  fc.integer({ min: 0, max: 1440 }).map((m) => m / 60),
  fc.integer({ min: 0, max: 24_000_000 }).map((n) => Number((n / 1_000_000).toFixed(6))),
  fc.double({ min: 0, max: 24, noNaN: true, noDefaultInfinity: true }),
);

const hours: fc.Arbitrary<OpeningHours> = fc.oneof(
  fc.constant({ opens: 7, closes: 23 }),
  fc.constant({ opens: 7, closes: 21.5 }),
  fc
    .tuple(fc.integer({ min: 0, max: 96 }), fc.integer({ min: 0, max: 96 }))
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => ({ opens: Math.min(a, b) / 4, closes: Math.max(a, b) / 4 })),
);

/** A reservation at given hours, sometimes pinned to a boundary of the opening hours. */
function reservationNear(h: OpeningHours): fc.Arbitrary<Reservation> {
  const edge = fc.constantFrom(h.opens, h.closes, h.opens + 1 / 60, h.closes - 1 / 60, h.closes + 1 / 60, h.closes + 0.5 / 60);
  const point = fc.oneof({ weight: 4, arbitrary: hour }, { weight: 1, arbitrary: edge.map((x) => Math.min(24, Math.max(0, x))) });
  return fc.tuple(point, point).map(([a, b]) => ({ start: Math.min(a, b), end: Math.max(a, b) }));
}

const scenario = hours.chain((h) => fc.record({ hours: fc.constant(h), reservations: fc.array(reservationNear(h), { maxLength: 12 }) }));

/** The reservation as 25Live would send it: string or number, any confirmed-ish state. */
function asBooking(r: Reservation, style: number): Booking {
  const state = [0, 1, 2, 3, null][style % 5] ?? null;
  return style % 2 === 0 ? { start: r.start, end: r.end, eventState: state } : { start: String(r.start), end: String(r.end), eventState: state };
}

describe('free slots, for arbitrary reservations and opening hours', () => {
  it('lie inside the opening hours and are each strictly longer than 15 minutes', () => {
    fc.assert(
      fc.property(scenario, ({ hours: h, reservations }) => {
        for (const [start, end] of freeIntervals(reservations, h)) {
          expect(start).toBeGreaterThanOrEqual(micros(h.opens));
          expect(end).toBeLessThanOrEqual(micros(h.closes));
          expect(end - start).toBeGreaterThan(15 * MINUTE_US);
        }
      }),
      RUNS,
    );
  });

  it('are ascending, with at least the two one-minute margins of a reservation between two slots', () => {
    fc.assert(
      fc.property(scenario, ({ hours: h, reservations }) => {
        const free = freeIntervals(reservations, h);
        for (let i = 1; i < free.length; i++) expect(free[i]![0] - free[i - 1]![1]).toBeGreaterThanOrEqual(2 * MINUTE_US);
      }),
      RUNS,
    );
  });

  it('never overlap the open interior of any reservation', () => {
    fc.assert(
      fc.property(scenario, ({ hours: h, reservations }) => {
        const free = freeIntervals(reservations, h);
        for (const r of reservations) {
          for (const [start, end] of free) expect(end <= micros(r.start) || start >= micros(r.end)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('keep a minute clear either side of every reservation that starts before closing', () => {
    fc.assert(
      fc.property(scenario, ({ hours: h, reservations }) => {
        const free = freeIntervals(reservations, h);
        for (const r of reservations.filter((x) => micros(x.start) < micros(h.closes))) {
          for (const [start, end] of free) {
            expect(end <= micros(r.start) - MINUTE_US || start >= micros(r.end) + MINUTE_US).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('equal an independent, walk-free re-implementation of the rule text', () => {
    fc.assert(
      fc.property(scenario, ({ hours: h, reservations }) => {
        expect(freeIntervals(reservations, h)).toEqual(oracleFreeIntervals(reservations, h.opens, h.closes));
      }),
      { numRuns: 500 },
    );
  });

  it('print as HH:MM:SS truncated to the second', () => {
    fc.assert(
      fc.property(scenario, ({ hours: h, reservations }) => {
        const expected = oracleFreeIntervals(reservations, h.opens, h.closes).map(([a, b]) => ({ start: clockText(a), end: clockText(b) }));
        const actual = freeSlots(reservations, h);
        expect(actual).toEqual(expected);
        for (let i = 0; i < actual.length; i++) {
          expect(secondsOf(actual[i]!.start)).toBeLessThan(secondsOf(actual[i]!.end));
          if (i > 0) expect(secondsOf(actual[i - 1]!.end)).toBeLessThan(secondsOf(actual[i]!.start));
        }
      }),
      RUNS,
    );
  });

  it('do not depend on the order of the bookings', () => {
    const shuffled = scenario.chain((s) =>
      fc.record({
        s: fc.constant(s),
        order: fc.shuffledSubarray(s.reservations, { minLength: s.reservations.length, maxLength: s.reservations.length }),
      }),
    );
    fc.assert(
      fc.property(shuffled, ({ s, order }) => {
        const bookings = (rs: Reservation[]) => rs.map((r, i) => asBooking(r, i));
        expect(freeSlots(reservationsOf(bookings(order)), s.hours)).toEqual(freeSlots(reservationsOf(bookings(s.reservations)), s.hours));
      }),
      RUNS,
    );
  });

  it('do not change when a booking is listed twice', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), ({ hours: h, reservations }, pick) => {
        fc.pre(reservations.length > 0);
        const twice = [...reservations, reservations[pick % reservations.length]!];
        expect(freeIntervals(twice, h)).toEqual(freeIntervals(reservations, h));
      }),
      RUNS,
    );
  });

  it('never change when a deleted (98) or cancelled (99) booking is added anywhere', () => {
    fc.assert(
      fc.property(scenario, reservationNear({ opens: 7, closes: 23 }), fc.constantFrom(98, 99), fc.nat(), (s, extra, state, at) => {
        const bookings = s.reservations.map((r, i) => asBooking(r, i));
        const withCancelled = [...bookings];
        withCancelled.splice(at % (bookings.length + 1), 0, { start: String(extra.start), end: extra.end, eventState: state });
        expect(freeSlots(reservationsOf(withCancelled), s.hours)).toEqual(freeSlots(reservationsOf(bookings), s.hours));
      }),
      RUNS,
    );
  });

  it('never gain free time when a booking is added (unless it starts exactly at closing)', () => {
    fc.assert(
      fc.property(scenario, hour, hour, ({ hours: h, reservations }, a, b) => {
        const extra = { start: Math.min(a, b), end: Math.max(a, b) };
        fc.pre(micros(extra.start) !== micros(h.closes));
        const before = freeIntervals(reservations, h);
        for (const [start, end] of freeIntervals([...reservations, extra], h)) {
          expect(before.some(([s0, e0]) => s0 <= start && end <= e0)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('with no reservation inside the opening hours, the whole day is free', () => {
    fc.assert(
      fc.property(hours, (h) => {
        expect(freeIntervals([], h)).toEqual(micros(h.closes) - micros(h.opens) > 15 * MINUTE_US ? [[micros(h.opens), micros(h.closes)]] : []);
      }),
      RUNS,
    );
  });
});
