import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantAt as campusInstant, parseInstant as campusParse } from '../../src/adapters/campus-clock.ts';

const instantAt = (ms: number) => campusInstant(ms, 'America/New_York');
const parseInstant = (iso: string) => campusParse(iso, 'America/New_York');
import { decideCooldown, remainingMinutes } from '../../src/domain/cooldown.ts';
import { MINUTE_MS } from './oracles.ts';

const RUNS = { numRuns: 400 };
const THIRTY_MINUTES = 30 * MINUTE_MS;
const base = Date.parse('2026-11-26T12:00:00-05:00');

const cooldownMs = fc.oneof(fc.constant(THIRTY_MINUTES), fc.integer({ min: 1, max: 6 * 3_600_000 }));
const lastMs = fc.integer({ min: base - 400 * 86_400_000, max: base + 400 * 86_400_000 });

describe('decideCooldown', () => {
  it('for a past or present refresh: cooling iff elapsed < cooldown, with remaining = cooldown − elapsed', () => {
    fc.assert(
      fc.property(lastMs, cooldownMs, fc.oneof(fc.integer({ min: 0, max: 2 * THIRTY_MINUTES }), fc.integer({ min: 0, max: 10 * 86_400_000 })), (last, cd, elapsed) => {
        const decision = decideCooldown(instantAt(last), instantAt(last + elapsed), cd);
        expect(decision).toEqual(elapsed < cd ? { kind: 'cooling', remainingMs: cd - elapsed } : { kind: 'ready' });
      }),
      RUNS,
    );
  });

  it('exactly at the edge (elapsed == cooldown) it is ready; one millisecond before, 1 ms remains', () => {
    fc.assert(
      fc.property(lastMs, cooldownMs, (last, cd) => {
        expect(decideCooldown(instantAt(last), instantAt(last + cd), cd)).toEqual({ kind: 'ready' });
        expect(decideCooldown(instantAt(last), instantAt(last + cd - 1), cd)).toEqual({ kind: 'cooling', remainingMs: 1 });
        expect(decideCooldown(instantAt(last), instantAt(last), cd)).toEqual({ kind: 'cooling', remainingMs: cd });
      }),
      RUNS,
    );
  });

  it("a refresh stamped in the future (another host's clock) never asks for more than one cooldown", () => {
    fc.assert(
      fc.property(lastMs, cooldownMs, fc.integer({ min: 1, max: 400 * 86_400_000 }), (now, cd, ahead) => {
        const decision = decideCooldown(instantAt(now + ahead), instantAt(now), cd);
        if (decision.kind === 'cooling') {
          expect(decision.remainingMs).toBeGreaterThan(0);
          expect(decision.remainingMs).toBeLessThanOrEqual(cd);
        }
      }),
      RUNS,
    );
  });

  it('no last refresh → ready', () => {
    expect(decideCooldown(null, instantAt(base), THIRTY_MINUTES)).toEqual({ kind: 'ready' });
  });

  it('works on timestamps as stored, across offsets and the old microsecond format', () => {
    const last = parseInstant('2026-11-26T07:13:32.811234-05:00')!;
    const now = parseInstant('2026-11-26T12:30:44.211Z')!; // 07:30:44.211 in New York: 17 min 11.4 s later
    expect(decideCooldown(last, now, THIRTY_MINUTES)).toEqual({ kind: 'cooling', remainingMs: THIRTY_MINUTES - (17 * MINUTE_MS + 11_400) });
  });
});

describe('remainingMinutes', () => {
  it('12.31 minutes prints 12.31 in the status and 12.3 in the 429 text', () => {
    const remaining = Math.round(12.31 * MINUTE_MS); // 738 600 ms
    expect(remainingMinutes(remaining, 2)).toBe(12.31);
    expect(remainingMinutes(remaining, 1)).toBe(12.3);
  });

  it('examples', () => {
    expect(remainingMinutes(THIRTY_MINUTES, 2)).toBe(30);
    expect(remainingMinutes(THIRTY_MINUTES, 1)).toBe(30);
    expect(remainingMinutes(0, 2)).toBe(0);
    expect(remainingMinutes(90_000, 1)).toBe(1.5);
    expect(remainingMinutes(59_999, 2)).toBe(1);
    expect(remainingMinutes(12 * MINUTE_MS + 20_000, 2)).toBe(12.33); // 12.333…
    expect(remainingMinutes(12 * MINUTE_MS + 40_000, 2)).toBe(12.67); // 12.666…
    expect(remainingMinutes(12 * MINUTE_MS + 40_000, 1)).toBe(12.7);
    expect(remainingMinutes(1, 2)).toBe(0);
  });

  it('is the nearest number with that many decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: THIRTY_MINUTES }), fc.constantFrom(1, 2), (ms, decimals) => {
        const shown = remainingMinutes(ms, decimals);
        const exact = ms / MINUTE_MS;
        expect(Math.abs(shown - exact)).toBeLessThanOrEqual(0.5 / 10 ** decimals + 1e-9);
        // no more decimals than asked for, as the page reads it from the text
        expect(String(shown)).toMatch(decimals === 1 ? /^\d+(\.\d)?$/ : /^\d+(\.\d{1,2})?$/);
        expect(Number(shown.toFixed(decimals))).toBe(shown);
      }),
      RUNS,
    );
  });

  it('never decreases as more time remains', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: THIRTY_MINUTES }), fc.integer({ min: 0, max: THIRTY_MINUTES }), fc.constantFrom(1, 2), (a, b, d) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(remainingMinutes(lo, d)).toBeLessThanOrEqual(remainingMinutes(hi, d));
      }),
      RUNS,
    );
  });
});
