/**
 * `fetch`: held by the one instance fetching from 25Live; `refresh`: lets one `POST /api/refresh`
 * at a time act on the cooldown it read.
 */
export type LeaseName = 'fetch' | 'refresh';

/** A lease this instance holds; it lapses by itself if the holder dies. */
export interface Lease {
  /** Extends it; false when it is no longer ours (it lapsed and someone else took it). */
  renew(ttlMs: number): Promise<boolean>;
  /** Gives it up; never someone else's. */
  release(): Promise<void>;
}

export type Acquired = { kind: 'acquired'; lease: Lease } | { kind: 'held'; remainingMs: number };

/**
 * Why: several instances share one Redis and must act once between them. Rejects with a
 * `CacheUnavailableError` when the store cannot be reached.
 */
export interface LeasePort {
  /** Atomically takes the lease for `ttlMs`, or says how long its holder keeps it. */
  acquire(name: LeaseName, ttlMs: number): Promise<Acquired>;
}
