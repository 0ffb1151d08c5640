import type { CachePort, CachedState, ClaimName } from '../../src/ports/cache-port.ts';
import { CacheUnavailableError } from '../../src/domain/errors.ts';
import type { Availability, Snapshot } from '../../src/domain/snapshot.ts';

interface Entry {
  value: string;
  expiresAt: number | null;
}

const claimKey = (name: ClaimName) => (name === 'refresh' ? 'classrooms:refresh_claim' : 'classrooms:fetch_lease');

/**
 * A CachePort over a Map with expiries on an injected clock; `down` makes every call reject.
 * `asAnotherInstance()` gives a second client of the same store, with its own claim token.
 */
export function createInMemoryCache(nowMs: () => number = Date.now, shared?: Map<string, Entry>) {
  const entries = shared ?? new Map<string, Entry>();
  const owner = Math.random().toString(36).slice(2);
  let down = false;
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= nowMs()) entries.delete(key);
    return entries.get(key);
  };
  const guard = async () => {
    if (down) throw new CacheUnavailableError('in-memory cache is down');
  };
  const ttl = (key: string) => {
    const entry = live(key);
    return entry ? (entry.expiresAt === null ? null : entry.expiresAt - nowMs()) : null;
  };
  const cache: CachePort & { setDown(value: boolean): void; writes: number; raw: Map<string, Entry>; asAnotherInstance(): ReturnType<typeof createInMemoryCache> } = {
    writes: 0,
    asAnotherInstance: () => createInMemoryCache(nowMs, entries),
    raw: entries,
    setDown(value) {
      down = value;
    },
    async read(): Promise<CachedState> {
      await guard();
      const availability = live('classrooms:availability');
      return {
        availability: availability ? (JSON.parse(availability.value) as Availability) : null,
        lastRefresh: live('classrooms:last_refresh')?.value ?? null,
      };
    },
    async readStamp() {
      await guard();
      return live('classrooms:last_refresh')?.value ?? null;
    },
    async write(snapshot, { ttlMs, keepMs }) {
      await guard();
      const expiresAt = nowMs() + ttlMs;
      entries.set('classrooms:availability', { value: JSON.stringify(snapshot.availability), expiresAt });
      entries.set('classrooms:last_refresh', { value: snapshot.fetchedAt, expiresAt });
      entries.set('classrooms:last_good', { value: JSON.stringify(snapshot), expiresAt: nowMs() + keepMs });
      cache.writes += 1;
    },
    async readLastGood() {
      await guard();
      const entry = live('classrooms:last_good');
      return entry ? (JSON.parse(entry.value) as Snapshot) : null;
    },
    async clear() {
      await guard();
      entries.delete('classrooms:availability');
      entries.delete('classrooms:last_refresh');
      entries.delete('classrooms:refresh_claim');
    },
    async ttls() {
      await guard();
      return { availabilityMs: ttl('classrooms:availability'), lastRefreshMs: ttl('classrooms:last_refresh') };
    },
    async claim(name, ttlMs) {
      await guard();
      const key = claimKey(name);
      const held = live(key);
      if (held) return { kind: 'held', remainingMs: held.expiresAt! - nowMs() };
      entries.set(key, { value: owner, expiresAt: nowMs() + ttlMs });
      return { kind: 'claimed' };
    },
    async renew(name, ttlMs) {
      await guard();
      const held = live(claimKey(name));
      if (held?.value !== owner) return false;
      held.expiresAt = nowMs() + ttlMs;
      return true;
    },
    async release(name) {
      await guard();
      if (live(claimKey(name))?.value === owner) entries.delete(claimKey(name));
    },
  };
  return cache;
}
