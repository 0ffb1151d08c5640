import type { Snapshot } from '../domain/snapshot.ts';

/** What changes whenever a snapshot lands: read every second by every instance, so it stays small. */
export interface StoredHead {
  /** `classrooms:last_refresh` as stored, not yet trusted to be a timestamp. */
  stamp: string | null;
  /** Which 25Live the stored snapshot came from; null when not recorded. */
  source: string | null;
}

/**
 * Why: snapshots are shared between instances and survive restarts; the domain reads and replaces
 * them whole. Every method rejects with a `CacheUnavailableError` when the store cannot be reached;
 * anything stored in an unexpected shape or type reads as missing.
 */
export interface SnapshotStorePort {
  readHead(): Promise<StoredHead>;
  /** The current snapshot, or null when it is missing, partly deleted or unreadable. */
  read(): Promise<Snapshot | null>;
  /** Replaces the current snapshot (kept `ttlMs`) and the last good one (kept `graceMs`). */
  write(snapshot: Snapshot, ttls: { ttlMs: number; graceMs: number }): Promise<void>;
  /** The last good snapshot, served marked stale while 25Live fails. */
  readLastGood(): Promise<Snapshot | null>;
}
