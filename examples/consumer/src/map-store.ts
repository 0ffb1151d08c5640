import type { Acquired, Backoff, BackoffPort, LeaseName, LeasePort, Snapshot, SnapshotStorePort } from 'emptyclassroom';

/** The three store ports on a plain Map with expiry times: one process, nothing shared, nothing kept. */
export function createMapStore(now: () => number = Date.now): SnapshotStorePort & LeasePort & BackoffPort {
  const entries = new Map<string, { value: unknown; until: number }>();
  const get = <T>(key: string): T | null => {
    const entry = entries.get(key);
    if (!entry || entry.until <= now()) return null;
    return entry.value as T;
  };
  const put = (key: string, value: unknown, ttlMs: number) => entries.set(key, { value: structuredClone(value), until: now() + ttlMs });
  let tokens = 0;

  return {
    async readHead() {
      const current = get<Snapshot>('current');
      return { stamp: current?.fetchedAt ?? null, source: current?.source ?? null };
    },
    async read() {
      return structuredClone(get<Snapshot>('current'));
    },
    async write(snapshot, { ttlMs, graceMs }) {
      put('current', snapshot, ttlMs);
      put('last-good', snapshot, graceMs);
    },
    async readLastGood() {
      return structuredClone(get<Snapshot>('last-good'));
    },
    async acquire(name: LeaseName, ttlMs: number): Promise<Acquired> {
      const key = `lease:${name}`;
      const holder = entries.get(key);
      if (get(key) !== null && holder) return { kind: 'held', remainingMs: holder.until - now() };
      tokens += 1;
      const token = `token-${tokens}`;
      put(key, token, ttlMs);
      return {
        kind: 'acquired',
        lease: {
          async renew(ms) {
            if (get(key) !== token) return false;
            put(key, token, ms);
            return true;
          },
          async release() {
            if (get(key) === token) entries.delete(key);
          },
        },
      };
    },
    async readBackoff() {
      return get<Backoff>('backoff');
    },
    async writeBackoff(backoff) {
      if (backoff.untilMs > now()) put('backoff', backoff, backoff.untilMs - now());
    },
  };
}
