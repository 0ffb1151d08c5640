import { DateTime, IANAZone } from 'luxon';
import type { ClockPort, Instant } from '../ports/clock-port.ts';

/** The campus view of an epoch-ms moment in `zone` (an IANA time zone). */
export function instantAt(epochMs: number, zone: string): Instant {
  const local = DateTime.fromMillis(epochMs, { zone });
  return {
    epochMs,
    date: local.toISODate()!,
    time: local.toFormat('HH:mm:ss'),
    iso: local.toISO()!,
    nextMidnightMs: local.startOf('day').plus({ days: 1 }).toMillis(),
  };
}

export function parseInstant(iso: string, zone: string): Instant | null {
  // A stamp without an offset is campus wall-clock time, whatever the host's zone.
  const parsed = DateTime.fromISO(iso, { zone, setZone: true });
  return parsed.isValid ? instantAt(parsed.toMillis(), zone) : null;
}

/** True when `zone` is an IANA time zone the platform's Intl knows; luxon's own names (`system`, `local`, `utc+3`) are not: they say nothing of the campus. */
export const isKnownZone = (zone: string): boolean => IANAZone.isValidZone(zone);

/**
 * The system clock seen on the campus wall clock (luxon). Sleeps are unref'd timers: a pending
 * deadline or renewal never keeps a stopping process alive, and an aborted sleep ends at once.
 */
export function createCampusClock(options: { zone: string; nowMs?: () => number }): ClockPort {
  const { zone } = options;
  if (!isKnownZone(zone)) throw new RangeError(`unknown time zone: ${zone}`);
  const nowMs = options.nowMs ?? Date.now;
  return {
    now: () => instantAt(nowMs(), zone),
    nowMs,
    at: (epochMs) => instantAt(epochMs, zone),
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        if (signal?.aborted) return resolve();
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(0, ms)).unref();
        signal?.addEventListener('abort', done, { once: true });
      }),
    parse: (iso) => parseInstant(iso, zone),
  };
}
