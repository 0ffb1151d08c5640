import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantAt } from '../../src/adapters/campus-clock.ts';
import { decide, type Candidate, type DecisionInput } from '../../src/domain/decide.ts';
import { HOUR_MS, MINUTE_MS } from './oracles.ts';

const NY = 'America/New_York';
const RUNS = { numRuns: 1000 };
const at = (ms: number) => instantAt(ms, NY);

const nowMs = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') });

/** A copy fetched up to three days before `now` (or a little after, a skewed clock), fresh for a while or never. */
const candidate = (now: number) =>
  fc.option(
    fc
      .record({
        age: fc.oneof(fc.integer({ min: 0, max: 3 * 24 * HOUR_MS }), fc.integer({ min: 0, max: 10 * MINUTE_MS }), fc.integer({ min: -30_000, max: 0 })),
        life: fc.oneof(fc.integer({ min: -HOUR_MS, max: 30 * HOUR_MS }), fc.constant(-Infinity), fc.constant(0)),
        hasDate: fc.boolean(),
      })
      .map(({ age, life, hasDate }): Candidate => ({ fetchedAt: at(now - age), freshUntilMs: now - age + life, hasDate })),
    { nil: null },
  );

const input = nowMs.chain((now) =>
  fc.record({
    now: fc.constant(at(now)),
    date: fc.constantFrom(at(now).date, at(now + 3 * 24 * HOUR_MS).date),
    held: candidate(now),
    shared: candidate(now),
    lastGood: candidate(now),
    partial: candidate(now).map((c) => c && { ...c, fetchedAt: at(now - 2000), freshUntilMs: -Infinity }),
    backoffUntilMs: fc.oneof(fc.constant(0), fc.integer({ min: now - HOUR_MS, max: now + HOUR_MS })),
    fetching: fc.boolean(),
    waited: fc.boolean(),
  }),
) as fc.Arbitrary<DecisionInput>;

const copyOf = (i: DecisionInput, name: string): Candidate | null => ({ held: i.held, shared: i.shared, 'last-good': i.lastGood, partial: i.partial })[name] ?? null;
const fetchedToday = (i: DecisionInput, c: Candidate | null): c is Candidate => c?.hasDate === true && c.fetchedAt.date === i.now.date;
const fresh = (i: DecisionInput, c: Candidate | null): c is Candidate => fetchedToday(i, c) && i.now.epochMs < c.freshUntilMs;
const mayStart = (i: DecisionInput) => !i.fetching && i.now.epochMs >= i.backoffUntilMs;

describe('decide', () => {
  it("serves a fresh copy whenever there is one: the newer of ours and the store's, never stale, no fetch", () => {
    fc.assert(
      fc.property(input, (i) => {
        const freshOnes = [i.held, i.shared].filter((c) => fresh(i, c));
        const d = decide(i);
        if (freshOnes.length === 0) return;
        expect(d).toMatchObject({ stale: false, refetch: false });
        const chosen = copyOf(i, d.serve)!;
        expect(fresh(i, chosen)).toBe(true);
        expect(chosen.fetchedAt.epochMs).toBe(Math.max(...freshOnes.map((c) => c!.fetchedAt.epochMs)));
      }),
      RUNS,
    );
  });

  it("never makes a request wait while today's data is here: it is served, and re-fetched behind it when 25Live may be asked", () => {
    fc.assert(
      fc.property(input, (i) => {
        if (![i.held, i.shared].some((c) => fetchedToday(i, c))) return;
        const d = decide(i);
        expect(['held', 'shared']).toContain(d.serve);
        expect(fetchedToday(i, copyOf(i, d.serve))).toBe(true);
        if ('refetch' in d && d.refetch) expect(mayStart(i)).toBe(true);
        if ('refetch' in d && !fresh(i, copyOf(i, d.serve)) && mayStart(i)) expect(d.refetch).toBe(true);
      }),
      RUNS,
    );
  });

  it("fetches only when nothing of today's is here, a fetch runs or may start, and the caller has not waited yet", () => {
    fc.assert(
      fc.property(input, (i) => {
        const d = decide(i);
        const wouldFetch = ![i.held, i.shared].some((c) => fetchedToday(i, c)) && !i.waited && (i.fetching || mayStart(i));
        expect(d.serve === 'fetch').toBe(wouldFetch);
      }),
      RUNS,
    );
  });

  it("never passes other data off as today's fetch of the day: stale exactly when the copy served was not fetched today or lacks the day", () => {
    fc.assert(
      fc.property(input, (i) => {
        const d = decide(i);
        if (d.serve === 'fetch' || d.serve === 'nothing') return;
        const chosen = copyOf(i, d.serve)!;
        expect(d.stale).toBe(!fetchedToday(i, chosen));
      }),
      RUNS,
    );
  });

  it("when 25Live may not be asked, serves the newest copy that has the day, then a running fetch's rooms, then (for today) any copy, else nothing", () => {
    fc.assert(
      fc.property(input, (i) => {
        const d = decide(i);
        if (d.serve === 'fetch' || [i.held, i.shared].some((c) => fetchedToday(i, c))) return;
        const withDate = [i.held, i.shared, i.lastGood].filter((c): c is Candidate => c?.hasDate === true);
        const any = [i.held, i.shared, i.lastGood].filter((c): c is Candidate => c !== null);
        if (withDate.length > 0) {
          expect(copyOf(i, d.serve)!.fetchedAt.epochMs).toBe(Math.max(...withDate.map((c) => c.fetchedAt.epochMs)));
          expect(d).toMatchObject({ refetch: false });
        } else if (i.partial?.hasDate) expect(d).toEqual({ serve: 'partial', stale: false, refetch: false });
        else if (i.date === i.now.date && any.length > 0) {
          expect(copyOf(i, d.serve)!.fetchedAt.epochMs).toBe(Math.max(...any.map((c) => c.fetchedAt.epochMs)));
          expect(d).toMatchObject({ stale: true });
        } else expect(d).toEqual({ serve: 'nothing' });
      }),
      RUNS,
    );
  });

  it('examples: a cold start, a request after the soft timeout, an outage after midnight', () => {
    const now = at(Date.parse('2026-11-26T09:00:00-05:00'));
    const yesterday: Candidate = { fetchedAt: at(Date.parse('2026-11-25T15:00:00-05:00')), freshUntilMs: Date.parse('2026-11-26T00:00:00-05:00'), hasDate: true };
    const base: DecisionInput = { now, date: now.date, held: null, shared: null, lastGood: null, partial: null, backoffUntilMs: 0, fetching: false, waited: false };
    expect(decide(base)).toEqual({ serve: 'fetch' });
    expect(decide({ ...base, waited: true, fetching: true })).toEqual({ serve: 'nothing' });
    expect(decide({ ...base, lastGood: yesterday, backoffUntilMs: now.epochMs + 1 })).toEqual({ serve: 'last-good', stale: true, refetch: false });
    expect(decide({ ...base, held: yesterday })).toEqual({ serve: 'fetch' });
    expect(decide({ ...base, held: yesterday, waited: true })).toEqual({ serve: 'held', stale: true, refetch: false });
  });
});
