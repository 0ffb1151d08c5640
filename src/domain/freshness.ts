import type { ClockPort, Instant } from '../ports/clock-port.ts';
import type { ServicePolicy } from './service-policy.ts';

export type StaleReason = 'missing' | 'previous-day' | 'expired' | 'incomplete';

export type Freshness = { kind: 'fresh' } | { kind: 'stale'; reason: StaleReason };

type FreshnessPolicy = Pick<ServicePolicy, 'ttlMs' | 'incompleteRetryMs'>;

/**
 * The freshness rule, the only one: a snapshot is fresh from its fetch until the first of the next
 * campus midnight (its day is over), its duration, and, when some rooms failed, the incomplete retry.
 */
export function freshWindow(fetchedAt: Instant, failedRooms: number, policy: FreshnessPolicy): { untilMs: number; endsBy: StaleReason } {
  const bounds: Array<[number, StaleReason]> = [
    [fetchedAt.nextMidnightMs, 'previous-day'],
    [fetchedAt.epochMs + policy.ttlMs, 'expired'],
    [failedRooms > 0 ? fetchedAt.epochMs + policy.incompleteRetryMs : Infinity, 'incomplete'],
  ];
  const [untilMs, endsBy] = bounds.reduce((first, bound) => (bound[0] < first[0] ? bound : first));
  return { untilMs, endsBy };
}

/** The rule applied at `now`. */
export function freshness(fetchedAt: Instant | null, failedRooms: number, now: Instant, policy: FreshnessPolicy): Freshness {
  if (fetchedAt === null) return { kind: 'stale', reason: 'missing' };
  if (fetchedAt.date !== now.date) return { kind: 'stale', reason: 'previous-day' };
  const { untilMs, endsBy } = freshWindow(fetchedAt, failedRooms, policy);
  return now.epochMs < untilMs ? { kind: 'fresh' } : { kind: 'stale', reason: endsBy };
}

/** How long the store keeps a snapshot fetched at `fetchedAt`, written at `now`: what is left of its duration, cut at its midnight. */
export function storeTtlMs(fetchedAt: Instant, now: Instant, policy: Pick<ServicePolicy, 'ttlMs'>): number {
  return Math.min(fetchedAt.epochMs + policy.ttlMs, fetchedAt.nextMidnightMs) - now.epochMs;
}

/**
 * A stored stamp as a moment, when it can be trusted: it must read as a timestamp and not lie in
 * the future beyond the allowed clock skew (a stamp from next year would hold the cooldown forever).
 */
export function trustedStamp(raw: string | null, now: Instant, clock: Pick<ClockPort, 'parse'>, skewMs: number): Instant | null {
  const stamp = raw === null ? null : clock.parse(raw);
  return stamp && stamp.epochMs <= now.epochMs + skewMs ? stamp : null;
}
