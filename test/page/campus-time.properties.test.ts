import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/calendar.ts';
import { campusMinute, msToNextMinute } from '../../src/page/campus-time.ts';
import { dataTimeLabel, dayOption, longDate, shortDate } from '../../src/page/date-labels.ts';
import { formatTime12 } from '../../src/page/twelve-hour.ts';
import { RUNS } from './page-arbitraries.ts';

const ZONES = ['America/New_York', 'Europe/London', 'Asia/Tokyo', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'UTC'];
/** 1970 to 2100, with the hours around New York's clock changes weighted in. */
const moment = fc.oneof(
  fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) }),
  fc.constantFrom(Date.UTC(2026, 2, 8, 7), Date.UTC(2026, 10, 1, 6), Date.UTC(2027, 2, 14, 7)).chain((t) => fc.integer({ min: t - 7_200_000, max: t + 7_200_000 })),
);
const date = fc.integer({ min: 0, max: 47_000 }).map((days) => addDays('1970-01-01', days));

describe("the campus clock, from the time zone the server names (never the device's)", () => {
  it('gives the date and minute luxon gives, in any zone, across clock changes', () => {
    fc.assert(
      fc.property(moment, fc.constantFrom(...ZONES), (ms, zone) => {
        const local = DateTime.fromMillis(ms, { zone });
        expect(campusMinute(ms, zone)).toEqual({ date: local.toISODate(), time: local.toFormat('HH:mm') });
      }),
      RUNS,
    );
  });

  it('jumps over the missing hour in March and repeats the hour in November in New York', () => {
    const ny = (iso: string) => campusMinute(Date.parse(iso), 'America/New_York');
    expect(ny('2026-03-08T06:59:00Z')).toEqual({ date: '2026-03-08', time: '01:59' });
    expect(ny('2026-03-08T07:00:00Z')).toEqual({ date: '2026-03-08', time: '03:00' });
    expect(ny('2026-11-01T05:30:00Z')).toEqual({ date: '2026-11-01', time: '01:30' });
    expect(ny('2026-11-01T06:30:00Z')).toEqual({ date: '2026-11-01', time: '01:30' });
    expect(ny('2026-12-02T04:59:00Z')).toEqual({ date: '2026-12-01', time: '23:59' });
  });

  it('waits until the next minute starts, never more than a minute', () => {
    fc.assert(
      fc.property(moment, (ms) => {
        const wait = msToNextMinute(ms);
        expect(wait).toBeGreaterThan(0);
        expect(wait).toBeLessThanOrEqual(60_000);
        expect((ms + wait) % 60_000).toBe(0);
        expect(campusMinute(ms + wait, 'America/New_York').time).not.toBe(campusMinute(ms + wait - 1, 'America/New_York').time);
      }),
      RUNS,
    );
  });
});

describe('dates in words', () => {
  it("name the calendar date itself, whatever the host's zone", () => {
    fc.assert(
      fc.property(date, (d) => {
        const day = DateTime.fromISO(d, { zone: 'UTC' }).setLocale('en-US');
        expect(longDate(d)).toBe(day.toFormat('cccc, LLLL d'));
        expect(shortDate(d)).toBe(day.toFormat('ccc, LLL d'));
      }),
      RUNS,
    );
  });

  it('say Today and Tomorrow in the day picker, and the date after that', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 40 }), (today, ahead) => {
        const label = dayOption(addDays(today, ahead), today);
        expect(label).toBe(ahead === 0 ? 'Today' : ahead === 1 ? 'Tomorrow' : shortDate(addDays(today, ahead)));
      }),
      RUNS,
    );
  });

  it('read "last updated" from the stamp\'s own campus wall clock, with the date when it is not today', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 86_399_999 }), fc.boolean(), (d, ms, sameDay) => {
        const local = DateTime.fromISO(d, { zone: 'America/New_York' }).plus({ milliseconds: ms });
        const today = sameDay ? local.toISODate()! : addDays(local.toISODate()!, 1);
        const time = formatTime12(local.toFormat('HH:mm'));
        expect(dataTimeLabel(local.toISO(), today)).toBe(sameDay ? time : `${shortDate(local.toISODate()!)}, ${time}`);
      }),
      RUNS,
    );
    expect(dataTimeLabel(null, '2026-12-01')).toBeNull();
    expect(dataTimeLabel('yesterday', '2026-12-01')).toBeNull();
  });
});
