/** The core's knobs, named as cache users know them (BentoCache, FusionCache). */
export interface ServicePolicy {
  /** Refresh cooldown: least time between two refreshes (`POST /api/refresh`), as in the old system. */
  cooldownMs: number;
  /** Duration (TTL): longest life of a snapshot; it also ends at the next campus midnight. */
  ttlMs: number;
  /** A snapshot with rooms that failed is fetched again, in the background, after this long. */
  incompleteRetryMs: number;
  /** Grace period: how long the last good snapshot is kept, to be served marked stale while 25Live fails. */
  gracePeriodMs: number;
  /** Soft timeout: how long a request waits for a running fetch before it is answered with what there is. */
  softTimeoutMs: number;
  /** Hard timeout: longest a fetch runs; then every request to 25Live still running or queued is aborted. */
  hardTimeoutMs: number;
  /** Fail-safe backoff: after a failed fetch, how long no instance asks 25Live again (a longer `Retry-After` wins). */
  backoffMs: number;
  /** The longest `Retry-After` honoured. */
  maxBackoffMs: number;
  /** Lock timeout: how long an instance waits for another instance's fetch before it stops waiting. */
  lockTimeoutMs: number;
  /** Life of the fetch lease; its holder renews it while fetching, so a dead holder is replaced this soon. */
  leaseMs: number;
  /** How often an instance waiting on another's lease looks for its snapshot. */
  leasePollMs: number;
  /** How often each instance looks in the store for a newer snapshot, on a timer. */
  recheckMs: number;
  /** How often a snapshot the store refused is offered to it again (never re-fetched for that). */
  storeRetryMs: number;
  /** A stored stamp later than now by more than this is not trusted (another host's clock, a hand edit). */
  clockSkewMs: number;
}

export const DEFAULT_POLICY: ServicePolicy = {
  cooldownMs: 30 * 60_000,
  ttlMs: 24 * 3_600_000,
  incompleteRetryMs: 5 * 60_000,
  gracePeriodMs: 7 * 24 * 3_600_000,
  softTimeoutMs: 5_000,
  hardTimeoutMs: 60_000,
  backoffMs: 60_000,
  maxBackoffMs: 6 * 3_600_000,
  lockTimeoutMs: 90_000,
  leaseMs: 30_000,
  leasePollMs: 100,
  recheckMs: 1_000,
  storeRetryMs: 2_000,
  clockSkewMs: 60_000,
};
