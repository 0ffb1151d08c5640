import type { Backoff } from '../domain/backoff.ts';

/**
 * Why: after a failed fetch no instance of the fleet may ask 25Live again before the backoff ends.
 * Rejects with a `CacheUnavailableError` when the store cannot be reached.
 */
export interface BackoffPort {
  /** The backoff in force, or null when there is none (or it is unreadable). */
  readBackoff(): Promise<Backoff | null>;
  /** Records a backoff for every instance; it lapses by itself at `untilMs`. */
  writeBackoff(backoff: Backoff): Promise<void>;
}
