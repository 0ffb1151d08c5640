import { setMaxListeners } from 'node:events';
import { UpstreamError } from '../domain/errors.ts';
import type { ScheduleDay } from '../domain/schedule.ts';
import type { ScheduleSourcePort } from '../ports/schedule-source-port.ts';

export type StubSource = ScheduleSourcePort & {
  /** Rooms asked for. */
  calls: number;
  /** Requests aborted before they answered. */
  aborted: number;
  fail(spaceIds: number[] | 'all' | 'none', options?: { retryAfterMs?: number }): void;
  /** Each answer takes this long (real time). */
  delay(ms: number): void;
  /** These rooms never answer (until aborted). */
  hang(spaceIds: number[]): void;
};

/** Answers each room from a table (default: nothing booked on the day asked for); counts calls; can fail or hang rooms. */
export function createStubScheduleSource(days: (spaceId: number, from: string) => ScheduleDay[] = (_, from) => [{ date: from, bookings: [] }]): StubSource {
  let failing: Set<number> | 'all' = new Set();
  let retryAfterMs: number | undefined;
  let hanging = new Set<number>();
  let delayMs = 0;

  async function one(spaceId: number, from: string, signal: AbortSignal): Promise<ScheduleDay[]> {
    source.calls += 1;
    let abort = () => {};
    const stopped = new Promise<never>((_, reject) => {
      abort = () => {
        source.aborted += 1;
        reject(new UpstreamError(`stub: request for ${spaceId} aborted`, 'deadline'));
      };
    });
    stopped.catch(() => {});
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
    try {
      if (hanging.has(spaceId)) return await stopped;
      if (delayMs > 0) await Promise.race([new Promise((resolve) => setTimeout(resolve, delayMs)), stopped]);
      if (failing === 'all' || failing.has(spaceId)) throw new UpstreamError(`stub: room ${spaceId} fails`, 'status', retryAfterMs === undefined ? {} : { retryAfterMs });
      return days(spaceId, from);
    } finally {
      signal.removeEventListener('abort', abort); // an answered request can no longer be aborted
    }
  }

  const source: StubSource = {
    calls: 0,
    aborted: 0,
    fail(spaceIds, options = {}) {
      failing = spaceIds === 'all' ? 'all' : new Set(spaceIds === 'none' ? [] : spaceIds);
      retryAfterMs = options.retryAfterMs;
    },
    delay(ms) {
      delayMs = ms;
    },
    hang(spaceIds) {
      hanging = new Set(spaceIds);
    },
    fetchSchedules: (spaceIds, from, signal) => {
      setMaxListeners(0, signal);
      return spaceIds.map((id) => one(id, from, signal));
    },
  };
  return source;
}
