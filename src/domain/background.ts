import type { ClockPort } from '../ports/clock-port.ts';
import type { createAnswering } from './answering.ts';
import type { BackoffGate } from './backoff.ts';
import { runRefreshSchedule } from './scheduled-refresh.ts';
import type { ServiceEvent, Serving } from './service-events.ts';
import type { ServicePolicy } from './service-policy.ts';

export type WakeUp = { kind: 'fresh' } | { kind: 'fetched'; failedRooms: number } | { kind: 'failed'; error: unknown; serving: Serving } | { kind: 'serving-stale'; retryAfterMs: number };

/** What the service does with no request: the start-up check, the recheck timer and the scheduled refreshes. */
export function createBackground({
  answering,
  gate,
  clock,
  policy,
  emit,
}: {
  answering: ReturnType<typeof createAnswering>;
  gate: BackoffGate;
  clock: ClockPort;
  policy: ServicePolicy;
  emit: (event: ServiceEvent) => void;
}) {
  let timers: AbortController | null = null;

  /** One tick: adopt a newer stored snapshot, keep today's fresh; a new day is fetched on demand or on schedule. */
  async function recheck(): Promise<void> {
    const now = clock.now();
    const decided = await answering.decideNow(now, now.date, { withLastGood: false, waited: true });
    const { decision } = decided;
    if (decision.serve === 'shared' || (decision.serve === 'held' && decision.refetch)) answering.apply(decided, now);
  }

  return {
    /** Fetches when there is nothing fresh for today, and says what happened. */
    async wakeUp(): Promise<WakeUp> {
      const now = clock.now();
      const decided = await answering.decideNow(now, now.date, { withLastGood: true, waited: false });
      const { decision } = decided;
      if (decision.serve !== 'fetch' && !('refetch' in decision && decision.refetch)) {
        if (decision.serve !== 'nothing') answering.apply(decided, now);
        return decision.serve === 'held' || decision.serve === 'shared' ? { kind: 'fresh' } : { kind: 'serving-stale', retryAfterMs: gate.remainingMs(now.epochMs) };
      }
      return answering.fetchAndHold(now).then(
        (snapshot) => ({ kind: 'fetched', failedRooms: snapshot.failedRooms?.length ?? 0 }),
        async (error: unknown) => ({ kind: 'failed', error, serving: await answering.servingNow() }),
      );
    },

    /** Looks at the store every `recheckMs`, and refreshes at the campus times `refreshAt`, until `stop`. */
    start(options: { refreshAt?: readonly number[] } = {}): void {
      if (timers) return;
      timers = new AbortController();
      const { signal } = timers;
      void (async () => {
        for (await clock.sleep(policy.recheckMs, signal); !signal.aborted; await clock.sleep(policy.recheckMs, signal)) await recheck().catch(() => {});
      })();
      if (options.refreshAt?.length) void runRefreshSchedule({ answering, clock, times: options.refreshAt, signal, emit });
    },

    stop(): void {
      timers?.abort();
      timers = null;
    },
  };
}
