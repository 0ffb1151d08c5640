export interface ServicePolicy {
  /** Least time between two refreshes (`POST /api/refresh`). */
  cooldownMs: number;
  /** Longest life of a snapshot, cut further at the next campus midnight. */
  maxAgeMs: number;
  /** A snapshot with unknown rooms is fetched again after this long. */
  incompleteRetryMs: number;
  /** How long the last good snapshot is kept to serve, marked stale, while 25Live fails. */
  keepLastGoodMs: number;
  /** How often a process checks the shared cache for a newer snapshot than the one it holds. */
  recheckMs: number;
  /** After a failed fetch, how long to serve what we have before asking 25Live again. */
  retryAfterFailureMs: number;
  /** Life of the cross-instance fetch lease; renewed while a long fetch runs. */
  fetchLeaseMs: number;
  /** How often an instance waiting for another's fetch looks for its snapshot. */
  leasePollMs: number;
  /** Longest a whole refresh may take; rooms not answered by then count as failed. */
  refreshDeadlineMs: number;
  /** Longest a request waits for a fetch before it is answered with what there is (or a 503). */
  requestWaitMs: number;
}

export const DEFAULT_POLICY: ServicePolicy = {
  cooldownMs: 30 * 60_000,
  maxAgeMs: 24 * 3_600_000,
  incompleteRetryMs: 5 * 60_000,
  keepLastGoodMs: 7 * 24 * 3_600_000,
  recheckMs: 1_000,
  retryAfterFailureMs: 60_000,
  fetchLeaseMs: 30_000,
  leasePollMs: 100,
  refreshDeadlineMs: 60_000,
  requestWaitMs: 15_000,
};
