import type { BackoffPort } from '../ports/backoff-port.ts';
import { UpstreamError } from './errors.ts';
import type { ServiceEvent } from './service-events.ts';
import type { ServicePolicy } from './service-policy.ts';

/** A pause the whole fleet keeps before asking 25Live again. */
export interface Backoff {
  untilMs: number;
  reason: string;
}

/**
 * After a failure that ended at `endedMs`: the fail-safe backoff, or the pause 25Live asked for
 * (`Retry-After`) when that is longer, up to `maxBackoffMs`. It counts from the failure's end, so a
 * long failing fetch is not followed at once by another.
 */
export function backoffAfter(endedMs: number, error: unknown, policy: Pick<ServicePolicy, 'backoffMs' | 'maxBackoffMs'>): Backoff {
  const asked = error instanceof UpstreamError ? (error.retryAfterMs ?? 0) : 0;
  const pause = Math.max(policy.backoffMs, Math.min(asked, policy.maxBackoffMs));
  const reason = asked > policy.backoffMs ? `25Live asked for a pause of ${Math.round(asked / 1000)} s` : error instanceof Error ? error.message : String(error);
  return { untilMs: endedMs + pause, reason };
}

/**
 * This instance's view of the fleet's backoff: the one it last read or started. A backoff it could
 * not record in the store (Redis refusing writes) is kept until it ends; one that was recorded
 * follows the store, so an operator deleting `classrooms:backoff` lifts it everywhere.
 */
export function createBackoffGate(port: BackoffPort, policy: Pick<ServicePolicy, 'backoffMs' | 'maxBackoffMs'>, emit: (event: ServiceEvent) => void) {
  let current: Backoff | null = null;
  let recorded = false;

  const follow = (stored: Backoff | null) => {
    if (stored && stored.untilMs > (current?.untilMs ?? 0)) [current, recorded] = [stored, true];
    else if (!stored && recorded) [current, recorded] = [null, false];
  };

  return {
    /** Milliseconds until 25Live may be asked again, by what this instance knows (no I/O: the hot path's check). */
    remainingMs: (nowMs: number): number => Math.max(0, (current?.untilMs ?? 0) - nowMs),

    /** Reads the fleet's backoff and follows it; with the store away, keeps what it knew. */
    async sync(): Promise<void> {
      follow(await port.readBackoff().catch(() => current));
    },

    /** Starts a backoff after a failed fetch, for this instance at once and, if the store takes it, the fleet. */
    async start(endedMs: number, error: unknown): Promise<Backoff> {
      const proposed = backoffAfter(endedMs, error, policy);
      if (proposed.untilMs > (current?.untilMs ?? 0)) [current, recorded] = [proposed, false];
      const backoff = current!;
      emit({ kind: 'backoff-started', untilMs: backoff.untilMs, reason: backoff.reason });
      await port.writeBackoff(backoff).then(
        () => (recorded = current === backoff || recorded),
        (cause: unknown) => emit({ kind: 'cache-write-failed', error: cause }),
      );
      return backoff;
    },
  };
}

export type BackoffGate = ReturnType<typeof createBackoffGate>;
