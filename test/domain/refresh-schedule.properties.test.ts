import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantAt } from '../../src/adapters/campus-clock.ts';
import { firstMomentOf, minutesOf, nextRunMs } from '../../src/domain/refresh-schedule.ts';

const NY = 'America/New_York';
const at = (ms: number) => instantAt(ms, NY);
const MINUTE = 60_000;

/** The oracle's wall clock: Intl, not luxon. */
const formatter = new Intl.DateTimeFormat('en-CA', { timeZone: NY, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const wallOf = (ms: number) => {
  const p = Object.fromEntries(formatter.formatToParts(ms).map((part) => [part.type, part.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
};
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * The next run by brute force, minute by minute: a time fires the first time the wall clock shows
 * it on a date (not again in a repeated hour), or at the first minute after the clock jumped over it.
 */
function oracleNextRun(nowMs: number, times: number[]): number {
  const start = Math.floor(nowMs / MINUTE) * MINUTE + MINUTE;
  for (let e = start; e < nowMs + 3 * 24 * 60 * MINUTE; e += MINUTE) {
    const wall = wallOf(e);
    const before = wallOf(e - MINUTE);
    const repeated = wallOf(e - 60 * MINUTE) === wall || wallOf(e - 30 * MINUTE) === wall;
    for (const time of times) {
      const date = wall.slice(0, 10);
      const target = `${date} ${hhmm(time)}`;
      if ((wall === target && !repeated) || (before < target && target < wall)) return e;
    }
  }
  throw new Error('no run');
}

const DAY = 24 * 60 * MINUTE;
const moment = fc.oneof(
  fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2029-01-01T00:00:00Z') }),
  // the days around the clock changes and the year end, minute-aligned and not
  fc
    .constantFrom('2026-03-08T00:00:00-05:00', '2026-11-01T00:00:00-04:00', '2027-03-14T00:00:00-05:00', '2027-11-07T00:00:00-04:00', '2026-12-31T12:00:00-05:00')
    .chain((day) => fc.integer({ min: -DAY, max: 2 * DAY }).map((offset) => Date.parse(day) + offset)),
);
const times = fc.uniqueArray(fc.oneof(fc.integer({ min: 0, max: 1439 }), fc.constantFrom(5, 90, 120, 150, 179, 180, 1439)), { minLength: 1, maxLength: 4 });

describe('the scheduled refresh times (REFRESH_AT)', () => {
  it('runs at the first moment after now that the brute-force oracle finds, across both clock changes and the year end', () => {
    fc.assert(
      fc.property(moment, times, (nowMs, ts) => {
        expect(nextRunMs(at(nowMs), ts, at)).toBe(oracleNextRun(nowMs, ts));
      }),
      { numRuns: 150 },
    );
  });

  it('runs each time once a day: following the runs from any moment never shows the same date and time twice', () => {
    fc.assert(
      fc.property(moment, times, (nowMs, ts) => {
        const seen = new Set<string>();
        let now = nowMs;
        for (let run = 0; run < 3 * ts.length; run += 1) {
          const next = nextRunMs(at(now), ts, at);
          expect(next).toBeGreaterThan(now);
          const wall = `${at(next).date} ${at(next).time.slice(0, 5)}`;
          expect(seen.has(wall), wall).toBe(false);
          seen.add(wall);
          now = next;
        }
      }),
      { numRuns: 100 },
    );
  });

  it('examples: a time that does not exist runs at the next valid minute; a repeated one runs once; the year end', () => {
    // 8 March 2026: 02:00 EST jumps to 03:00 EDT; 02:30 runs at 03:00 EDT.
    expect(at(firstMomentOf('2026-03-08', 150, at)).iso).toBe('2026-03-08T03:00:00.000-04:00');
    expect(at(nextRunMs(at(Date.parse('2026-03-08T01:00:00-05:00')), [150], at)).iso).toBe('2026-03-08T03:00:00.000-04:00');
    // 1 November 2026: 01:30 happens at -04:00 and again at -05:00; it runs at the first, then the next day.
    const first = nextRunMs(at(Date.parse('2026-11-01T00:00:00-04:00')), [90], at);
    expect(at(first).iso).toBe('2026-11-01T01:30:00.000-04:00');
    expect(at(nextRunMs(at(first), [90], at)).iso).toBe('2026-11-02T01:30:00.000-05:00');
    expect(at(nextRunMs(at(Date.parse('2026-11-01T01:10:00-05:00')), [90], at)).iso).toBe('2026-11-02T01:30:00.000-05:00');
    // the default 00:05 after New York midnight, at the year end
    expect(at(nextRunMs(at(Date.parse('2026-12-31T23:59:00-05:00')), [5], at)).iso).toBe('2027-01-01T00:05:00.000-05:00');
    // two times a day: the earlier first
    expect(at(nextRunMs(at(Date.parse('2026-12-01T06:00:00-05:00')), [5, 720], at)).iso).toBe('2026-12-01T12:00:00.000-05:00');
  });

  it('reads HH:MM and nothing else', () => {
    expect([minutesOf('00:05'), minutesOf('23:59'), minutesOf('12:00')]).toEqual([5, 1439, 720]);
    for (const bad of ['24:00', '7:00', '12:60', '12:5', 'noon', '', '12:00:00']) expect(minutesOf(bad), bad).toBeNull();
  });
});
