import type { ClockPort } from '../ports/clock-port.ts';
import type { createAnswering } from './answering.ts';
import { BackoffError } from './errors.ts';
import { nextRunMs } from './refresh-schedule.ts';
import type { ServiceEvent } from './service-events.ts';

/** A snapshot fetched this long before the scheduled moment still counts: instances' clocks and timers differ a little. */
const SKEW_MS = 5_000;
/** After a failure that started no backoff (the store down, say), the wait before the next try. */
const RETRY_MS = 60_000;

/**
 * Refreshes at the campus times given (minutes past midnight), whether requests come or not. Every
 * instance wakes; one fetches (the fleet's lease), the others take the snapshot it stores, because
 * one fetched since the scheduled moment satisfies them. A failed refresh is tried again when the
 * fleet's backoff ends (so never sooner than the backoff allows), until it succeeds or the next
 * scheduled time comes. Runs until `signal` aborts.
 */
export async function runRefreshSchedule(deps: {
  answering: Pick<ReturnType<typeof createAnswering>, 'fetchAndHold'>;
  clock: ClockPort;
  times: readonly number[];
  signal: AbortSignal;
  emit: (event: ServiceEvent) => void;
}): Promise<void> {
  const { answering, clock, times, signal, emit } = deps;
  let runAt = nextRunMs(clock.now(), times, clock.at);
  let waitMs = runAt - clock.now().epochMs;
  while (!signal.aborted) {
    await clock.sleep(waitMs, signal);
    if (signal.aborted) return;
    const at = clock.at(runAt).iso;
    const retryInMs = await answering.fetchAndHold(clock.now(), { seenStamp: null, notBeforeMs: runAt - SKEW_MS }).then(
      (snapshot) => {
        emit({ kind: 'scheduled-refresh', at, fetchedAt: snapshot.fetchedAt });
        return undefined;
      },
      (error: unknown) => {
        // The backoff's own refusal is not news: the failure that started it was reported.
        if (!(error instanceof BackoffError)) emit({ kind: 'scheduled-refresh', at, error });
        return error instanceof BackoffError ? Math.max(error.retryAfterMs, 1_000) : RETRY_MS;
      },
    );
    const now = clock.now();
    const next = nextRunMs(now, times, clock.at);
    // Try again at the backoff's end, unless the next scheduled time comes first; `runAt` stays the
    // scheduled moment so that a snapshot another instance fetched since then satisfies the retry.
    const retrying = retryInMs !== undefined && now.epochMs + retryInMs < next;
    if (!retrying) runAt = next;
    waitMs = retrying ? retryInMs : next - now.epochMs;
  }
}
