import { DateTime } from 'luxon';
import type { ClockPort, Instant } from '../ports/clock-port.ts';

const CAMPUS_ZONE = 'America/New_York';

/** The campus view of an epoch-ms moment. */
export function instantAt(epochMs: number, zone: string = CAMPUS_ZONE): Instant {
  const local = DateTime.fromMillis(epochMs, { zone });
  return {
    epochMs,
    date: local.toISODate()!,
    iso: local.toISO()!,
    nextMidnightMs: local.startOf('day').plus({ days: 1 }).toMillis(),
  };
}

export function parseInstant(iso: string, zone: string = CAMPUS_ZONE): Instant | null {
  // A stamp without an offset is campus wall-clock time, whatever the host's zone.
  const parsed = DateTime.fromISO(iso, { zone, setZone: true });
  return parsed.isValid ? instantAt(parsed.toMillis(), zone) : null;
}

/** The system clock seen in New York (or another campus zone). */
export function createNewYorkClock(options: { zone?: string; nowMs?: () => number } = {}): ClockPort {
  const zone = options.zone ?? CAMPUS_ZONE;
  const nowMs = options.nowMs ?? Date.now;
  return {
    now: () => instantAt(nowMs(), zone),
    nowMs,
    // Unref'd: a pending deadline or renewal must never keep a stopping process alive.
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
    parse: (iso) => parseInstant(iso, zone),
  };
}
