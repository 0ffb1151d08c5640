import type { Availability, Snapshot } from '../domain/snapshot.ts';

/** What the shared cache holds: the old system's two keys, either of which may be missing. */
export interface CachedState {
  availability: Availability | null;
  /** Raw `classrooms:last_refresh` value, not yet trusted to be a timestamp. */
  lastRefresh: string | null;
}

export type Claim = { kind: 'claimed' } | { kind: 'held'; remainingMs: number };

/**
 * Claims shared by every instance, each released by its holder when done and expiring if the holder
 * dies: `refresh` lets one `POST /api/refresh` at a time act on the cooldown it read; `fetch` is the
 * lease of the one instance fetching from 25Live.
 */
export type ClaimName = 'refresh' | 'fetch';

export interface CacheTtls {
  availabilityMs: number | null;
  lastRefreshMs: number | null;
}

/**
 * Why: snapshots are shared between instances and survive restarts; the domain only needs
 * to read and replace them whole, and to claim the right to refresh or fetch exactly once.
 * Rejects with a `CacheUnavailableError` when the store cannot be reached.
 */
export interface CachePort {
  read(): Promise<CachedState>;
  /** Only `classrooms:last_refresh`: the cheap check of whether the data changed. */
  readStamp(): Promise<string | null>;
  /**
   * Stores the snapshot under both old keys together, expiring after `ttlMs`, and as the
   * last good copy kept for `keepMs`, served (marked stale) when 25Live fails.
   */
  write(snapshot: Snapshot, ttls: { ttlMs: number; keepMs: number }): Promise<void>;
  readLastGood(): Promise<Snapshot | null>;
  clear(): Promise<void>;
  ttls(): Promise<CacheTtls>;
  /** Atomically takes the claim for `ttlMs`, or says how long the current holder keeps it. */
  claim(name: ClaimName, ttlMs: number): Promise<Claim>;
  /** Extends our own claim; false when it is no longer ours. */
  renew(name: ClaimName, ttlMs: number): Promise<boolean>;
  /** Gives up our own claim; never someone else's. */
  release(name: ClaimName): Promise<void>;
}
