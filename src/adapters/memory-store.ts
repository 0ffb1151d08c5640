import type { Backoff } from '../domain/backoff.ts';
import type { Snapshot } from '../domain/snapshot.ts';
import type { Lease, LeaseName } from '../ports/lease-port.ts';
import type { SharedStore } from './shared-store.ts';
import { CLEARED_KEYS, REDIS_KEYS } from './store-keys.ts';

interface Entry {
  value: string;
  expiresAt: number;
}

export interface MemoryStoreOptions {
  /** The clock expiries run on (tests pass a manual one). */
  nowMs?: () => number;
  /** Share the entries of another memory store: a second instance on the same store. */
  entries?: Map<string, Entry>;
}

export type MemoryStore = SharedStore & {
  /** The raw entries, as Redis would hold them (key → string value with its expiry). */
  readonly entries: Map<string, Entry>;
};

const LEASE_KEYS: Record<LeaseName, string> = { refresh: REDIS_KEYS.refreshClaim, fetch: REDIS_KEYS.fetchLease };

const parse = <T>(raw: string | undefined, valid: (value: any) => boolean): T | null => {
  if (raw === undefined) return null;
  try {
    const value = JSON.parse(raw);
    return valid(value) ? (value as T) : null;
  } catch {
    return null;
  }
};
const isSnapshot = (v: any) => typeof v?.fetchedAt === 'string' && typeof v.source === 'string' && typeof v.days === 'object' && v.days !== null;
const isBackoff = (v: any) => typeof v?.untilMs === 'number' && typeof v.reason === 'string';

/**
 * The store, lease and backoff ports in this process's memory, with the Redis adapter's keys, value
 * formats and expiries: for a single process with no Redis at all (the demo without `redis-server`),
 * and for tests. Nothing is shared with other processes and nothing survives a restart.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const nowMs = options.nowMs ?? Date.now;
  const entries = options.entries ?? new Map<string, Entry>();
  let tokens = 0;

  const get = (key: string): string | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= nowMs()) entries.delete(key);
    return entries.get(key)?.value;
  };
  const set = (key: string, value: string, ttlMs: number) => entries.set(key, { value, expiresAt: nowMs() + Math.max(1, Math.ceil(ttlMs)) });
  const ttl = (key: string) => (get(key) === undefined ? null : entries.get(key)!.expiresAt - nowMs());

  const leaseOf = (key: string, token: string): Lease => ({
    async renew(ttlMs) {
      if (get(key) !== token) return false;
      set(key, token, ttlMs);
      return true;
    },
    async release() {
      if (get(key) === token) entries.delete(key);
    },
  });

  return {
    entries,
    async readHead() {
      return { stamp: get(REDIS_KEYS.lastRefresh) ?? null, source: get(REDIS_KEYS.source) ?? null };
    },
    async read() {
      const snapshot = parse<Snapshot>(get(REDIS_KEYS.snapshot), isSnapshot);
      const complete = get(REDIS_KEYS.availability) !== undefined && snapshot?.fetchedAt === get(REDIS_KEYS.lastRefresh) && snapshot?.source === get(REDIS_KEYS.source);
      return complete ? snapshot : null;
    },
    async write(snapshot, { ttlMs, graceMs }) {
      const whole = JSON.stringify(snapshot);
      set(REDIS_KEYS.availability, JSON.stringify(snapshot.days[snapshot.fetchedAt.slice(0, 10)] ?? {}), ttlMs);
      set(REDIS_KEYS.snapshot, whole, ttlMs);
      set(REDIS_KEYS.source, snapshot.source, ttlMs);
      set(REDIS_KEYS.lastGood, whole, graceMs);
      set(REDIS_KEYS.lastRefresh, snapshot.fetchedAt, ttlMs);
    },
    async readLastGood() {
      return parse<Snapshot>(get(REDIS_KEYS.lastGood), isSnapshot);
    },
    async acquire(name, ttlMs) {
      const key = LEASE_KEYS[name];
      if (get(key) !== undefined) return { kind: 'held', remainingMs: ttl(key)! };
      tokens += 1;
      const token = `lease-${tokens}-${Math.random()}`;
      set(key, token, ttlMs);
      return { kind: 'acquired', lease: leaseOf(key, token) };
    },
    async readBackoff() {
      return parse<Backoff>(get(REDIS_KEYS.backoff), isBackoff);
    },
    async writeBackoff(backoff) {
      const lifeMs = backoff.untilMs - nowMs();
      if (lifeMs > 0) set(REDIS_KEYS.backoff, JSON.stringify(backoff), lifeMs);
    },
    async ttls() {
      return { availabilityMs: ttl(REDIS_KEYS.availability), lastRefreshMs: ttl(REDIS_KEYS.lastRefresh) };
    },
    async clear() {
      for (const key of CLEARED_KEYS) entries.delete(key);
    },
    ping: async () => true,
    close: async () => {},
  };
}
