import type { Instant } from '../ports/clock-port.ts';

export type Freshness =
  | { kind: 'fresh' }
  | { kind: 'stale'; reason: 'missing' | 'previous-day' | 'expired' | 'incomplete' };

export interface FreshnessInput {
  /** When the cached data was fetched; null when the timestamp is missing or unreadable. */
  fetchedAt: Instant | null;
  hasData: boolean;
  /** Rooms the snapshot could not fetch. */
  unknownRooms: number;
  now: Instant;
  maxAgeMs: number;
  /** How soon a snapshot with unknown rooms is fetched again. */
  incompleteRetryMs: number;
}

/**
 * Cached data is today's only when it was fetched on today's campus calendar date and within
 * the expiry; the same decision drives the start-up wake-up check and every request.
 */
export function decideFreshness(input: FreshnessInput): Freshness {
  const { fetchedAt, now } = input;
  if (!input.hasData || fetchedAt === null) return { kind: 'stale', reason: 'missing' };
  if (fetchedAt.date !== now.date) return { kind: 'stale', reason: 'previous-day' };
  const age = now.epochMs - fetchedAt.epochMs;
  if (age >= input.maxAgeMs) return { kind: 'stale', reason: 'expired' };
  if (input.unknownRooms > 0 && age >= input.incompleteRetryMs) return { kind: 'stale', reason: 'incomplete' };
  return { kind: 'fresh' };
}

/** The first moment at which `decideFreshness` stops calling this snapshot fresh (for `now` at or after its fetch). */
export function freshUntilMs(fetchedAt: Instant, unknownRooms: number, policy: { maxAgeMs: number; incompleteRetryMs: number }): number {
  const incomplete = unknownRooms > 0 ? fetchedAt.epochMs + policy.incompleteRetryMs : Infinity;
  return Math.min(fetchedAt.nextMidnightMs, fetchedAt.epochMs + policy.maxAgeMs, incomplete);
}

/** How long to keep a snapshot fetched `now`: the expiry, cut at the next campus midnight. */
export function snapshotTtlMs(now: Instant, maxAgeMs: number): number {
  return Math.max(1, Math.min(maxAgeMs, now.nextMidnightMs - now.epochMs));
}
