import type { BackoffPort } from '../ports/backoff-port.ts';
import type { LeasePort } from '../ports/lease-port.ts';
import type { SnapshotStorePort } from '../ports/snapshot-store-port.ts';

export interface CacheTtls {
  availabilityMs: number | null;
  lastRefreshMs: number | null;
}

/**
 * The store, lease and backoff ports in one place (Redis, or memory), plus what only operators and
 * the composition root use.
 */
export type SharedStore = SnapshotStorePort &
  LeasePort &
  BackoffPort & {
    /** Remaining life of the two old keys. */
    ttls(): Promise<CacheTtls>;
    /** Deletes the current snapshot, the refresh claim and the backoff (not the last good copy): the next request fetches afresh. */
    clear(): Promise<void>;
    ping(): Promise<boolean>;
    close(): Promise<void>;
  };
