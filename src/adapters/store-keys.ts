/** The old system's key names first (operators inspect and delete them with redis-cli), then ours. */
export const REDIS_KEYS = {
  /** Today's free slots, space id → slots, in the old format. */
  availability: 'classrooms:availability',
  /** When the current snapshot was fetched (ISO, campus offset): the version every instance polls. */
  lastRefresh: 'classrooms:last_refresh',
  /** Which 25Live (its URL) the current snapshot came from. */
  source: 'classrooms:source',
  /** The current snapshot whole: every day it covers. */
  snapshot: 'classrooms:snapshot',
  /** The last good snapshot, kept for the grace period to serve (marked stale) through a 25Live outage. */
  lastGood: 'classrooms:last_good',
  refreshClaim: 'classrooms:refresh_claim',
  fetchLease: 'classrooms:fetch_lease',
  /** The fleet's backoff after a failed fetch. */
  backoff: 'classrooms:backoff',
} as const;

/** The keys `clear` deletes: the current snapshot, the refresh claim and the backoff, never the last good copy. The stamp first. */
export const CLEARED_KEYS = [REDIS_KEYS.lastRefresh, REDIS_KEYS.availability, REDIS_KEYS.snapshot, REDIS_KEYS.source, REDIS_KEYS.refreshClaim, REDIS_KEYS.backoff] as const;
