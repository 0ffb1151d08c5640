import type { ClockPort } from '../ports/clock-port.ts';
import type { createAnswering } from './answering.ts';
import { nextRunMs } from './refresh-schedule.ts';
import type { ServiceEvent } from './service-events.ts';

/** A snapshot fetched this long before the scheduled moment still counts: instances' clocks and timers differ a little. */
const SKEW_MS = 5_000;

/**
 * Refreshes at the campus times given (minutes past midnight), whether requests come or not. Every
 * instance wakes; one fetches (the fleet's lease), the others take the snapshot it stores, because
 * one fetched since the scheduled moment satisfies them. The backoff is honoured. Runs until `signal` aborts.
 */
export async function runRefreshSchedule(deps: {
  answering: Pick<ReturnType<typeof createAnswering>, 'fetchAndHold'>;
  clock: ClockPort;
  times: readonly number[];
  signal: AbortSignal;
  emit: (event: ServiceEvent) => void;
}): Promise<void> {
  const { answering, clock, times, signal, emit } = deps;
  while (!signal.aborted) {
    const now = clock.now();
    const runAt = nextRunMs(now, times, clock.at);
    await clock.sleep(runAt - now.epochMs, signal);
    if (signal.aborted) return;
    await answering.fetchAndHold(clock.now(), { seenStamp: null, notBeforeMs: runAt - SKEW_MS }).then(
      (snapshot) => emit({ kind: 'scheduled-refresh', at: clock.at(runAt).iso, fetchedAt: snapshot.fetchedAt }),
      (error: unknown) => emit({ kind: 'scheduled-refresh', at: clock.at(runAt).iso, error }),
    );
  }
}
