import { describe, expect, it } from 'vitest';
import { formatMicros, freeIntervals, freeSlots, hoursToMicros, type OpeningHours } from '../../src/domain/free-slots.ts';
import { parseDecimalHours, reservationsOf, type Booking } from '../../src/domain/schedule.ts';

const CAS: OpeningHours = { opens: 7, closes: 23 };
const CGS: OpeningHours = { opens: 7, closes: 21.5 };

/** A 25Live item as the source reports it: 6-decimal strings, confirmed unless told otherwise. */
const item = (start: unknown, end: unknown, eventState: number | null = 2): Booking => ({ start, end, eventState });

/** Free slots as `start–end` pairs, the way the table in seed-behaviour.md writes them. */
function slots(bookings: Booking[] | null, hours: OpeningHours): string[] {
  return freeSlots(reservationsOf(bookings), hours).map((slot) => `${slot.start}–${slot.end}`);
}

describe('the worked examples of seed-behaviour.md, row by row', () => {
  it('CAS, one class 9.75–11', () => {
    expect(slots([item('9.750000', '11.000000')], CAS)).toEqual(['07:00:00–09:44:00', '11:01:00–23:00:00']);
  });

  it('CAS, back-to-back 9–10 and 10–11', () => {
    expect(slots([item('9.000000', '10.000000'), item('10.000000', '11.000000')], CAS)).toEqual(['07:00:00–08:59:00', '11:01:00–23:00:00']);
  });

  it('CAS, 9–10 then 10.25–11: the 10:01–10:14 gap is too short', () => {
    expect(slots([item('9.000000', '10.000000'), item('10.250000', '11.000000')], CAS)).toEqual(['07:00:00–08:59:00', '11:01:00–23:00:00']);
  });

  it('CAS, 9–10 then 10.3–11: the 10:01–10:17 gap is kept', () => {
    expect(slots([item('9.000000', '10.000000'), item('10.300000', '11.000000')], CAS)).toEqual(['07:00:00–08:59:00', '10:01:00–10:17:00', '11:01:00–23:00:00']);
  });

  it('CAS, overlapping 9–12 and 10–11', () => {
    expect(slots([item('9.000000', '12.000000'), item('10.000000', '11.000000')], CAS)).toEqual(['07:00:00–08:59:00', '12:01:00–23:00:00']);
  });

  it('CAS, 6.5–7.5 starts before opening', () => {
    expect(slots([item('6.500000', '7.500000')], CAS)).toEqual(['07:31:00–23:00:00']);
  });

  it('CAS, 9.3333–10', () => {
    expect(slots([item('9.333300', '10.000000')], CAS)).toEqual(['07:00:00–09:18:59', '10:01:00–23:00:00']);
  });

  it('CAS, "Closed" 0–7 and 23–24', () => {
    const closed = (start: string, end: string): Booking => ({ start, end }); // type_id 3, itemId 0: no event state
    expect(slots([closed('0.000000', '7.000000'), closed('23.000000', '24.000000')], CAS)).toEqual(['07:01:00–23:00:00']);
  });

  it('CGS (7–21.5), 21.5–23 starts at closing', () => {
    expect(slots([item('21.500000', '23.000000')], CGS)).toEqual(['07:00:00–21:30:00']);
  });

  it('CGS, 18–21.25 leaves 14 minutes at the end', () => {
    expect(slots([item('18.000000', '21.250000')], CGS)).toEqual(['07:00:00–17:59:00']);
  });

  it('CAS, 12–13 cancelled (state 99) and "(Private)" 8–9', () => {
    const privateEvent = { start: '8.000000', end: '9.000000', eventState: 2, name: '(Private)' } as Booking;
    expect(slots([item('12.000000', '13.000000', 99), privateEvent], CAS)).toEqual(['07:00:00–07:59:00', '09:01:00–23:00:00']);
  });

  it('CAS, items: null', () => {
    expect(slots(null, CAS)).toEqual(['07:00:00–23:00:00']);
  });
});

describe('free slots: tricky inputs', () => {
  it('numbers and strings give the same answer', () => {
    expect(slots([item(9.75, 11)], CAS)).toEqual(slots([item('9.750000', '11.000000')], CAS));
    expect(slots([item('8.0', '9')], CAS)).toEqual(['07:00:00–07:59:00', '09:01:00–23:00:00']);
  });

  it('the same booking listed three times counts once', () => {
    const once = slots([item('9.750000', '11.000000')], CAS);
    expect(slots([item('9.750000', '11.000000'), item('9.750000', '11.000000'), item(9.75, 11)], CAS)).toEqual(once);
  });

  it('unsorted input is sorted first', () => {
    const bookings = [item('15.000000', '16.000000'), item('9.000000', '10.000000'), item('12.500000', '13.000000')];
    expect(slots(bookings, CAS)).toEqual(['07:00:00–08:59:00', '10:01:00–12:29:00', '13:01:00–14:59:00', '16:01:00–23:00:00']);
    expect(slots([...bookings].reverse(), CAS)).toEqual(slots(bookings, CAS));
  });

  it('a reservation exactly at opening leaves nothing before it', () => {
    expect(slots([item('7.000000', '8.000000')], CAS)).toEqual(['08:01:00–23:00:00']);
  });

  it('deleted (98) and cancelled (99) bookings do not block; draft, tentative, sealed and unknown states do', () => {
    expect(slots([item('9', '10', 98), item('11', '12', 99)], CAS)).toEqual(['07:00:00–23:00:00']);
    for (const state of [0, 1, 2, 3, null, undefined, 97]) {
      expect(slots([{ start: '9', end: '10', eventState: state as number | null }], CAS)).toEqual(['07:00:00–08:59:00', '10:01:00–23:00:00']);
    }
  });

  it('a day with no items at all is free all day', () => {
    expect(slots([], CAS)).toEqual(['07:00:00–23:00:00']);
    expect(slots([], CGS)).toEqual(['07:00:00–21:30:00']);
  });

  describe('strictly longer than 15 minutes', () => {
    // After 9–10 the cursor is 10:01; a reservation starting at S leaves 10:01 → S − 1 min, i.e. S − 10:02.
    const tenSeventeen = 10 + 17 / 60;
    const oneMicro = 1 / 3_600_000_000;

    it('a gap of exactly 15 minutes between reservations is dropped', () => {
      expect(slots([item(9, 10), item(tenSeventeen, 11)], CAS)).toEqual(['07:00:00–08:59:00', '11:01:00–23:00:00']);
    });

    it('a gap of 15 minutes and one microsecond is kept', () => {
      expect(slots([item(9, 10), item(tenSeventeen + oneMicro, 11)], CAS)).toEqual(['07:00:00–08:59:00', '10:01:00–10:16:00', '11:01:00–23:00:00']);
    });

    it('at opening: 07:00 → 07:15 exactly is dropped, one microsecond more is kept', () => {
      const sevenSixteen = 7 + 16 / 60;
      expect(slots([item(sevenSixteen, 8)], CAS)).toEqual(['08:01:00–23:00:00']);
      expect(slots([item(sevenSixteen + oneMicro, 8)], CAS)).toEqual(['07:00:00–07:15:00', '08:01:00–23:00:00']);
    });

    it('at closing: exactly 15 minutes left is dropped, one microsecond more is kept', () => {
      const twentyTwoFortyFour = 22 + 44 / 60; // cursor 22:45, 15 minutes to 23:00
      expect(slots([item(20, twentyTwoFortyFour)], CAS)).toEqual(['07:00:00–19:59:00']);
      expect(slots([item(20, twentyTwoFortyFour - oneMicro)], CAS)).toEqual(['07:00:00–19:59:00', '22:44:59–23:00:00']);
    });

    it('16 minutes in the table sense (10:01–10:17) is kept, 15 (10:01–10:16) is not', () => {
      expect(freeIntervals(reservationsOf([item(9, 10), item(10 + 18 / 60, 11)]), CAS)).toContainEqual([36_060_000_000, 37_020_000_000]);
    });
  });

  it('start or end that is not a number skips the item, not the day', () => {
    const junk: unknown[] = ['TBA', '', '   ', null, undefined, 'abc', Number.NaN, Number.POSITIVE_INFINITY, 'Infinity', {}, [], true];
    for (const bad of junk) {
      expect(slots([item(bad, '10.000000'), item('12.000000', '13.000000')], CAS), String(bad)).toEqual(['07:00:00–11:59:00', '13:01:00–23:00:00']);
      expect(slots([item('9.000000', bad), item('12.000000', '13.000000')], CAS), String(bad)).toEqual(['07:00:00–11:59:00', '13:01:00–23:00:00']);
    }
  });

  it('parseDecimalHours reads numbers and numeric strings only', () => {
    expect(parseDecimalHours('9.750000')).toBe(9.75);
    expect(parseDecimalHours(' 8.0 ')).toBe(8);
    expect(parseDecimalHours(24)).toBe(24);
    expect(parseDecimalHours('0')).toBe(0);
    for (const bad of ['TBA', '', ' ', null, undefined, Number.NaN, '9:30', '1e400']) expect(parseDecimalHours(bad), String(bad)).toBeNull();
  });

  it('an end of 24 is a valid end of day', () => {
    expect(slots([item('22.000000', '24.000000')], CAS)).toEqual(['07:00:00–21:59:00']);
    expect(slots([item('20.000000', '24.000000')], CGS)).toEqual(['07:00:00–19:59:00']);
    expect(slots([item(0, 24)], CAS)).toEqual([]);
  });

  it('a reservation starting after closing caps the last slot at closing', () => {
    expect(slots([item(23.5, 24)], CAS)).toEqual(['07:00:00–23:00:00']);
    expect(slots([item(22, 23.5)], CGS)).toEqual(['07:00:00–21:30:00']);
  });

  it('a reservation starting 36 s after closing ends the slot one minute before it (the literal rule)', () => {
    expect(slots([item(23.01, 24)], CAS)).toEqual(['07:00:00–22:59:36']);
  });

  it('a room booked from before opening to after closing has no slot', () => {
    expect(slots([item(6, 23.5)], CAS)).toEqual([]);
    expect(slots([item(0, 21.5)], CGS)).toEqual([]);
  });

  it('a zero-length item still blocks a minute either side', () => {
    expect(slots([item(12, 12)], CAS)).toEqual(['07:00:00–11:59:00', '12:01:00–23:00:00']);
  });

  it('an item whose end is before its start never yields overlapping or unordered slots (contract: ascending)', () => {
    // e.g. an overnight booking reported as 22 → 2, or junk; the literal walk moves the cursor back to 07:00
    for (const bookings of [[item('22.000000', '2.000000')], [item('10.000000', '8.000000'), item('12.000000', '13.000000')]]) {
      const free = freeSlots(reservationsOf(bookings), CAS);
      for (let i = 1; i < free.length; i++) expect(free[i]!.start > free[i - 1]!.end, JSON.stringify(free)).toBe(true);
    }
  });

  it('the 10.833333 (10:50) style of 25Live rounds through microseconds and prints truncated', () => {
    // 10.833333 h = 10:49:59.9988; the slot after ends at 10:49:59.9988 + 1 min.
    expect(slots([item('9.000000', '10.833333')], CAS)).toEqual(['07:00:00–08:59:00', '10:50:59–23:00:00']);
  });
});

describe('hoursToMicros and formatMicros', () => {
  it('9.3333 h prints as 09:19:59 (truncated, not rounded)', () => {
    expect(hoursToMicros(9.3333)).toBe(33_599_880_000);
    expect(formatMicros(hoursToMicros(9.3333))).toBe('09:19:59');
  });

  it('keeps microseconds and truncates to the second', () => {
    expect(formatMicros(0)).toBe('00:00:00');
    expect(formatMicros(999_999)).toBe('00:00:00');
    expect(formatMicros(1_000_000)).toBe('00:00:01');
    expect(formatMicros(hoursToMicros(23))).toBe('23:00:00');
    expect(formatMicros(hoursToMicros(21.5))).toBe('21:30:00');
    expect(formatMicros(hoursToMicros(23) - 1)).toBe('22:59:59');
    expect(formatMicros(hoursToMicros(9.999999))).toBe('09:59:59');
    expect(formatMicros(hoursToMicros(10.283333))).toBe('10:16:59');
  });

  it('hours are kept to the nearest microsecond', () => {
    expect(hoursToMicros(10 + 17 / 60)).toBe(37_020_000_000);
    expect(hoursToMicros(1 / 3_600_000_000)).toBe(1);
    expect(hoursToMicros(0.4 / 3_600_000_000)).toBe(0);
  });
});
