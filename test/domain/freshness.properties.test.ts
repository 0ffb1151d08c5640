import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantAt as campusInstant, parseInstant as campusParse } from '../../src/adapters/campus-clock.ts';
import { freshness, freshWindow, storeTtlMs, type Freshness } from '../../src/domain/freshness.ts';
import type { Instant } from '../../src/ports/clock-port.ts';
import { dayAfter, HOUR_MS, MINUTE_MS, nextNyMidnight, nyDate } from './oracles.ts';

const RUNS = { numRuns: 300 };
const NY = 'America/New_York';
const instantAt = (ms: number) => campusInstant(ms, NY);
const parseInstant = (iso: string) => campusParse(iso, NY);

interface FreshnessInput {
  fetchedAt: Instant | null;
  hasData: boolean;
  unknownRooms: number;
  now: Instant;
  maxAgeMs: number;
  incompleteRetryMs: number;
}
/** The rule as the service applies it: no data at all reads as missing. */
const decideFreshness = (i: FreshnessInput): Freshness =>
  i.hasData ? freshness(i.fetchedAt, i.unknownRooms, i.now, { ttlMs: i.maxAgeMs, incompleteRetryMs: i.incompleteRetryMs }) : { kind: 'stale', reason: 'missing' };
const freshUntilMs = (fetchedAt: Instant, unknownRooms: number, policy: { maxAgeMs: number; incompleteRetryMs: number }) =>
  freshWindow(fetchedAt, unknownRooms, { ttlMs: policy.maxAgeMs, incompleteRetryMs: policy.incompleteRetryMs }).untilMs;
const snapshotTtlMs = (now: Instant, maxAgeMs: number) => storeTtlMs(now, now, { ttlMs: maxAgeMs });
const DAY_MS = 24 * HOUR_MS;
const at = (iso: string): Instant => instantAt(Date.parse(iso));

const from2025 = Date.parse('2025-01-01T00:00:00Z');
const to2029 = Date.parse('2029-01-01T00:00:00Z');

/** Moments in 2025–2028, half of them within two hours of a New York midnight (04:00/05:00 UTC). */
const moment = fc.oneof(
  fc.integer({ min: from2025, max: to2029 }),
  fc
    .tuple(fc.integer({ min: 0, max: 4 * 365 }), fc.integer({ min: -2 * HOUR_MS, max: 2 * HOUR_MS }), fc.constantFrom(4, 5))
    .map(([day, offset, utcHour]) => from2025 + day * DAY_MS + utcHour * HOUR_MS + offset),
  // the 2026 DST days: Sunday 8 March and Sunday 1 November, all day
  fc.integer({ min: Date.parse('2026-03-08T00:00:00-05:00'), max: Date.parse('2026-03-09T02:00:00-04:00') }),
  fc.integer({ min: Date.parse('2026-10-31T22:00:00-04:00'), max: Date.parse('2026-11-02T02:00:00-05:00') }),
);

function input(fetchedAt: Instant | null, now: Instant, overrides: Partial<FreshnessInput> = {}): FreshnessInput {
  return { fetchedAt, hasData: true, unknownRooms: 0, now, maxAgeMs: DAY_MS, incompleteRetryMs: 5 * MINUTE_MS, ...overrides };
}

describe('the New York clock (instantAt) against Intl', () => {
  it('dates every moment as Intl does in America/New_York', () => {
    fc.assert(
      fc.property(moment, (ms) => {
        const instant = instantAt(ms);
        expect(instant.date).toBe(nyDate(ms));
        expect(instant.epochMs).toBe(ms);
        expect(instant.iso.slice(0, 10)).toBe(nyDate(ms));
        expect(instant.iso).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-0[45]:00$/);
        expect(instant.time).toBe(instant.iso.slice(11, 19));
        expect(Date.parse(instant.iso)).toBe(ms);
      }),
      RUNS,
    );
  });

  it('nextMidnightMs is the first millisecond of the next New York date', () => {
    fc.assert(
      fc.property(moment, (ms) => {
        const next = instantAt(ms).nextMidnightMs;
        expect(next).toBe(nextNyMidnight(ms));
        expect(nyDate(next)).toBe(dayAfter(nyDate(ms)));
      }),
      { numRuns: 200 },
    );
  });

  it('parses its own ISO text back to the same moment', () => {
    fc.assert(
      fc.property(moment, (ms) => {
        expect(parseInstant(instantAt(ms).iso)).toEqual(instantAt(ms));
        expect(parseInstant(new Date(ms).toISOString())).toEqual(instantAt(ms));
      }),
      RUNS,
    );
  });

  it("parseInstant accepts the old system's microsecond format and keeps the instant", () => {
    const parsed = parseInstant('2026-11-26T07:13:32.811234-05:00');
    expect(parsed).not.toBeNull();
    expect(parsed!.epochMs).toBe(Date.UTC(2026, 10, 26, 12, 13, 32, 811));
    expect(parsed!.date).toBe('2026-11-26');
    expect(parsed!.iso).toBe('2026-11-26T07:13:32.811-05:00');
    expect(parseInstant('2026-11-26T07:13:32.811-05:00')!.epochMs).toBe(parsed!.epochMs);
    expect(parseInstant('2026-07-04T23:30:00.000000-04:00')!.date).toBe('2026-07-04');
  });

  it('parseInstant rejects garbage', () => {
    for (const garbage of [
      '',
      ' ',
      'garbage',
      'null',
      'undefined',
      'NaN',
      'yesterday',
      '2026-13-01T00:00:00-05:00',
      '2026-02-30T00:00:00-05:00',
      '2026-11-26T25:00:00-05:00',
      '2026-11-26T07:61:00-05:00',
      '26/11/2026 07:13',
      '{"a":1}',
    ]) {
      expect(parseInstant(garbage), JSON.stringify(garbage)).toBeNull();
    }
  });

  it('days are 23 hours on 8 March 2026 and 25 hours on 1 November 2026', () => {
    expect(at('2026-03-08T00:00:00-05:00').nextMidnightMs - Date.parse('2026-03-08T00:00:00-05:00')).toBe(23 * HOUR_MS);
    expect(at('2026-11-01T00:00:00-04:00').nextMidnightMs - Date.parse('2026-11-01T00:00:00-04:00')).toBe(25 * HOUR_MS);
    expect(at('2026-03-08T01:59:59.999-05:00').iso).toBe('2026-03-08T01:59:59.999-05:00');
    expect(instantAt(Date.parse('2026-03-08T01:59:59.999-05:00') + 1).iso).toBe('2026-03-08T03:00:00.000-04:00');
  });

  it('the repeated hour of 1 November 2026 gives two instants, both on 1 November, with their own offsets', () => {
    const first = at('2026-11-01T01:30:00-04:00');
    const second = at('2026-11-01T01:30:00-05:00');
    expect(second.epochMs - first.epochMs).toBe(HOUR_MS);
    expect([first.date, second.date]).toEqual(['2026-11-01', '2026-11-01']);
    expect(first.iso).toBe('2026-11-01T01:30:00.000-04:00');
    expect(second.iso).toBe('2026-11-01T01:30:00.000-05:00');
    expect(parseInstant(first.iso)!.epochMs).toBe(first.epochMs);
    expect(parseInstant(second.iso)!.epochMs).toBe(second.epochMs);
    expect(first.nextMidnightMs).toBe(Date.parse('2026-11-02T00:00:00-05:00'));
  });
});

describe('decideFreshness', () => {
  const pair = fc.oneof(
    fc.tuple(moment, fc.integer({ min: -2 * HOUR_MS, max: 30 * HOUR_MS })).map(([f, d]) => [f, f + d] as const),
    fc.tuple(moment, moment),
  );
  const maxAge = fc.oneof(fc.constant(DAY_MS), fc.integer({ min: 1, max: 30 * HOUR_MS }));

  it("is fresh iff there is data, fetched on today's New York date, younger than maxAge", () => {
    fc.assert(
      fc.property(pair, maxAge, fc.boolean(), ([f, n], maxAgeMs, hasData) => {
        const fresh = hasData && nyDate(f) === nyDate(n) && n - f < maxAgeMs;
        const decision = decideFreshness(input(instantAt(f), instantAt(n), { hasData, maxAgeMs }));
        expect(decision.kind).toBe(fresh ? 'fresh' : 'stale');
        if (!hasData) expect(decision).toEqual({ kind: 'stale', reason: 'missing' });
        else if (nyDate(f) < nyDate(n)) expect(decision).toEqual({ kind: 'stale', reason: 'previous-day' });
      }),
      RUNS,
    );
  });

  it('an incomplete snapshot is fresh only until incompleteRetryMs', () => {
    fc.assert(
      fc.property(pair, fc.integer({ min: 1, max: 77 }), fc.integer({ min: 1, max: 2 * HOUR_MS }), ([f, n], unknownRooms, incompleteRetryMs) => {
        const fresh = nyDate(f) === nyDate(n) && n - f < DAY_MS && n - f < incompleteRetryMs;
        expect(decideFreshness(input(instantAt(f), instantAt(n), { unknownRooms, incompleteRetryMs })).kind).toBe(fresh ? 'fresh' : 'stale');
      }),
      RUNS,
    );
  });

  it('is stale from exactly maxAge on, within the same date', () => {
    fc.assert(
      fc.property(moment, fc.integer({ min: 1, max: 6 * HOUR_MS }), (f, maxAgeMs) => {
        fc.pre(nyDate(f) === nyDate(f + maxAgeMs));
        expect(decideFreshness(input(instantAt(f), instantAt(f + maxAgeMs), { maxAgeMs }))).toEqual({ kind: 'stale', reason: 'expired' });
        expect(decideFreshness(input(instantAt(f), instantAt(f + maxAgeMs - 1), { maxAgeMs }))).toEqual({ kind: 'fresh' });
      }),
      { numRuns: 200 },
    );
    // the 25-hour day of 1 November 2026: 24 h after midnight is still the 1st
    expect(decideFreshness(input(at('2026-11-01T00:00:00-04:00'), at('2026-11-01T23:00:00-05:00')))).toEqual({ kind: 'stale', reason: 'expired' });
  });

  it('no readable timestamp is stale (missing)', () => {
    expect(decideFreshness(input(null, at('2026-11-26T12:00:00-05:00')))).toEqual({ kind: 'stale', reason: 'missing' });
  });

  it('New York midnight, not UTC midnight, ends the day', () => {
    const fetched = at('2026-11-26T20:00:00-05:00');
    // 23:30 in New York is already 04:30 UTC on the 27th: still the 26th on campus.
    expect(at('2026-11-27T04:30:00Z').date).toBe('2026-11-26');
    expect(decideFreshness(input(fetched, at('2026-11-27T04:30:00Z')))).toEqual({ kind: 'fresh' });
    expect(decideFreshness(input(fetched, at('2026-11-27T04:59:59.999Z')))).toEqual({ kind: 'fresh' });
    expect(decideFreshness(input(fetched, at('2026-11-27T05:00:00Z')))).toEqual({ kind: 'stale', reason: 'previous-day' });
    // and data fetched at 00:30 UTC (19:30 the day before in New York) is not today's at 08:00 UTC
    expect(decideFreshness(input(at('2026-11-27T00:30:00Z'), at('2026-11-27T13:00:00Z')))).toEqual({ kind: 'stale', reason: 'previous-day' });
  });

  it('data fetched yesterday at 23:59 New York time is stale at 00:00', () => {
    expect(decideFreshness(input(at('2026-11-25T23:59:00-05:00'), at('2026-11-26T00:00:00-05:00')))).toEqual({ kind: 'stale', reason: 'previous-day' });
    expect(decideFreshness(input(at('2026-11-25T23:59:59.999-05:00'), at('2026-11-26T00:00:00-05:00')))).toEqual({ kind: 'stale', reason: 'previous-day' });
    // the old defect: fetched at 23:00, served the next morning
    expect(decideFreshness(input(at('2026-11-25T23:00:00-05:00'), at('2026-11-26T08:00:00-05:00')))).toEqual({ kind: 'stale', reason: 'previous-day' });
  });

  it('across both 2026 DST changes', () => {
    // spring forward: 01:30 EST → 03:30 EDT is one hour, the same day
    expect(decideFreshness(input(at('2026-03-08T01:30:00-05:00'), at('2026-03-08T03:30:00-04:00')))).toEqual({ kind: 'fresh' });
    expect(decideFreshness(input(at('2026-03-07T23:30:00-05:00'), at('2026-03-08T03:00:00-04:00')))).toEqual({ kind: 'stale', reason: 'previous-day' });
    expect(decideFreshness(input(at('2026-03-08T00:00:00-05:00'), at('2026-03-08T23:59:59.999-04:00')))).toEqual({ kind: 'fresh' });
    // fall back: 01:30 EDT then 01:10 EST (40 minutes later) is the same day
    expect(decideFreshness(input(at('2026-11-01T01:30:00-04:00'), at('2026-11-01T01:10:00-05:00')))).toEqual({ kind: 'fresh' });
    expect(decideFreshness(input(at('2026-10-31T23:30:00-04:00'), at('2026-11-01T01:10:00-05:00')))).toEqual({ kind: 'stale', reason: 'previous-day' });
    // the 25-hour day: fetched at 00:00, still the same date 24.5 hours later, but past a 24 h maximum age
    expect(decideFreshness(input(at('2026-11-01T00:00:00-04:00'), at('2026-11-01T23:30:00-05:00')))).toEqual({ kind: 'stale', reason: 'expired' });
    expect(decideFreshness(input(at('2026-11-01T00:00:00-04:00'), at('2026-11-01T23:30:00-05:00'), { maxAgeMs: 25 * HOUR_MS }))).toEqual({ kind: 'fresh' });
  });

  it('at the year end', () => {
    expect(at('2027-01-01T04:59:59.999Z').date).toBe('2026-12-31');
    expect(at('2027-01-01T05:00:00Z').date).toBe('2027-01-01');
    expect(decideFreshness(input(at('2026-12-31T23:59:59.999-05:00'), at('2027-01-01T00:00:00-05:00')))).toEqual({ kind: 'stale', reason: 'previous-day' });
    expect(decideFreshness(input(at('2026-12-31T00:00:00-05:00'), at('2026-12-31T23:59:59.999-05:00')))).toEqual({ kind: 'fresh' });
  });
});

describe('freshUntilMs', () => {
  it('is the first moment from the fetch on at which decideFreshness stops saying fresh', () => {
    fc.assert(
      fc.property(moment, fc.integer({ min: 0, max: 2 * DAY_MS }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: HOUR_MS, max: 2 * DAY_MS }), (fetched, after, unknownRooms, maxAgeMs) => {
        const fetchedAt = instantAt(fetched);
        const policy = { maxAgeMs, incompleteRetryMs: 5 * MINUTE_MS };
        const until = freshUntilMs(fetchedAt, unknownRooms, policy);
        const fresh = (ms: number) => decideFreshness(input(fetchedAt, instantAt(ms), { unknownRooms, ...policy })).kind === 'fresh';
        expect(fresh(fetched + after)).toBe(fetched + after < until);
        expect(fresh(until - 1)).toBe(until - 1 >= fetched);
        expect(fresh(until)).toBe(false);
      }),
      RUNS,
    );
  });
});

describe('snapshotTtlMs', () => {
  it('is at least 1 ms, at most maxAge, never outlives the New York date, and is the largest such', () => {
    fc.assert(
      fc.property(moment, fc.oneof(fc.constant(DAY_MS), fc.integer({ min: 1, max: 48 * HOUR_MS })), (ms, maxAgeMs) => {
        const ttl = snapshotTtlMs(instantAt(ms), maxAgeMs);
        expect(ttl).toBeGreaterThanOrEqual(1);
        expect(ttl).toBeLessThanOrEqual(maxAgeMs);
        // alive on [ms, ms + ttl): its last living millisecond is still today in New York
        expect(nyDate(ms + ttl - 1)).toBe(nyDate(ms));
        expect(ttl).toBe(Math.min(maxAgeMs, nextNyMidnight(ms) - ms));
      }),
      { numRuns: 200 },
    );
  });

  it('examples: noon, one minute to midnight, the last millisecond, the DST days, the year end', () => {
    expect(snapshotTtlMs(at('2026-11-26T12:00:00-05:00'), DAY_MS)).toBe(12 * HOUR_MS);
    expect(snapshotTtlMs(at('2026-11-26T23:59:00-05:00'), DAY_MS)).toBe(MINUTE_MS);
    expect(snapshotTtlMs(at('2026-11-26T23:59:59.999-05:00'), DAY_MS)).toBe(1);
    expect(snapshotTtlMs(at('2026-11-26T00:00:00-05:00'), DAY_MS)).toBe(DAY_MS);
    expect(snapshotTtlMs(at('2026-11-26T12:00:00-05:00'), 30 * MINUTE_MS)).toBe(30 * MINUTE_MS);
    expect(snapshotTtlMs(at('2026-03-08T00:00:00-05:00'), DAY_MS)).toBe(23 * HOUR_MS);
    expect(snapshotTtlMs(at('2026-11-01T00:00:00-04:00'), DAY_MS)).toBe(DAY_MS);
    expect(snapshotTtlMs(at('2026-11-01T00:00:00-04:00'), 48 * HOUR_MS)).toBe(25 * HOUR_MS);
    expect(snapshotTtlMs(at('2026-11-01T01:30:00-04:00'), 48 * HOUR_MS)).toBe(23.5 * HOUR_MS);
    expect(snapshotTtlMs(at('2026-12-31T23:00:00-05:00'), DAY_MS)).toBe(HOUR_MS);
  });
});

describe('storeTtlMs when a refused snapshot is offered again later', () => {
  it('keeps what is left of its life: it never outlives its own date nor its duration', () => {
    fc.assert(
      fc.property(moment, fc.integer({ min: 0, max: 30 * HOUR_MS }), fc.integer({ min: 1, max: 30 * HOUR_MS }), (fetched, later, maxAgeMs) => {
        const ttl = storeTtlMs(instantAt(fetched), instantAt(fetched + later), { ttlMs: maxAgeMs });
        expect(ttl).toBe(Math.min(fetched + maxAgeMs, nextNyMidnight(fetched)) - (fetched + later));
        if (ttl > 0) expect(nyDate(fetched + later + ttl - 1)).toBe(nyDate(fetched));
      }),
      RUNS,
    );
  });
});
