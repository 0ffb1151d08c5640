import type { ClockPort } from '../ports/clock-port.ts';

export interface CampusMinute {
  /** Campus date, `YYYY-MM-DD`. */
  date: string;
  /** Campus time of day to the minute, `HH:MM`. */
  time: string;
}

/**
 * The campus date and minute, worked out at most once a minute (a time zone's view of a moment is
 * too dear to compute for every request on the hot path). Zone offsets are whole minutes, so the
 * answer holds until the next minute of epoch time.
 */
export function createMinuteClock(clock: ClockPort): () => CampusMinute {
  let current: CampusMinute & { fromMs: number; untilMs: number } = { date: '', time: '', fromMs: 0, untilMs: 0 };
  return () => {
    const nowMs = clock.nowMs();
    if (nowMs < current.fromMs || nowMs >= current.untilMs) {
      const now = clock.at(nowMs);
      const fromMs = nowMs - (((nowMs % 60_000) + 60_000) % 60_000);
      current = { date: now.date, time: now.time.slice(0, 5), fromMs, untilMs: fromMs + 60_000 };
    }
    return current;
  };
}
