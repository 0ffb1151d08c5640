import { describe, expect, it } from 'vitest';
import type { ClockPort } from '../ports/clock-port.ts';

export interface ClockUnderTest {
  clock: ClockPort;
  /** Moves a clock that does not move by itself; leave it out for a real clock (the test then waits for real). */
  advance?: (ms: number) => void;
}

/** The rules every ClockPort must keep, each a check that throws on a breach: `clockContract` runs them, and they run on their own too. */
export const clockChecks: Record<string, (subject: ClockUnderTest) => void | Promise<void>> = {
  'gives one consistent view of now: epoch ms, campus date and time, ISO text, next midnight': ({ clock }) => {
    const now = clock.now();
    expect(Math.abs(now.epochMs - clock.nowMs())).toBeLessThan(1000);
    expect(now.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(now.time).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    expect(now.iso.slice(0, 10)).toBe(now.date);
    expect(now.iso.slice(11, 19)).toBe(now.time);
    expect(Date.parse(now.iso)).toBe(now.epochMs);
    expect(now.nextMidnightMs).toBeGreaterThan(now.epochMs);
    expect(clock.at(now.nextMidnightMs - 1).date).toBe(now.date);
    expect(clock.at(now.nextMidnightMs).date > now.date).toBe(true);
    expect(clock.at(now.nextMidnightMs).time).toBe('00:00:00');
    expect(clock.at(now.epochMs)).toEqual(now);
  },
  'parses its own ISO text back to the same moment, and anything else to null': ({ clock }) => {
    const now = clock.now();
    expect(clock.parse(now.iso)).toEqual(now);
    expect(clock.parse(new Date(now.epochMs).toISOString())).toEqual(now);
    for (const junk of ['', 'garbage', '2026-13-01T00:00:00Z', 'null']) expect(clock.parse(junk), junk).toBeNull();
  },
  'sleeps for the time asked, and stops sleeping at once when its signal aborts': async ({ clock, advance }) => {
    const started = clock.nowMs();
    const sleeping = clock.sleep(50);
    advance?.(50);
    await sleeping;
    expect(clock.nowMs() - started).toBeGreaterThanOrEqual(advance ? 50 : 45);
    const controller = new AbortController();
    const long = clock.sleep(3_600_000, controller.signal);
    controller.abort();
    await expect(long).resolves.toBeUndefined();
    const aborted = new AbortController();
    aborted.abort();
    await expect(clock.sleep(3_600_000, aborted.signal)).resolves.toBeUndefined();
  },
};

/** What every ClockPort must do: one consistent campus view of a moment, midnights, parsing and sleeps that can be cut short. */
export function clockContract(name: string, make: () => ClockUnderTest): void {
  describe(`clock contract: ${name}`, () => {
    for (const [rule, check] of Object.entries(clockChecks)) it(rule, () => check(make()));
  });
}
