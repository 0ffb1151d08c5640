import { describe, expect, it } from 'vitest';
import { CacheUnavailableError } from '../../src/domain/errors.ts';
import { createInMemoryCache } from '../fakes/in-memory-cache.ts';
import { cacheContract } from './cache-contract.ts';

cacheContract('in-memory fake', async () => ({
  cache: createInMemoryCache(Date.now),
  cleanup: async () => {},
}));

describe('in-memory fake, beyond the contract', () => {
  it('fails like Redis when down: every call rejects with CacheUnavailableError', async () => {
    const cache = createInMemoryCache(Date.now);
    cache.setDown(true);
    await expect(cache.read()).rejects.toBeInstanceOf(CacheUnavailableError);
    await expect(cache.claim('fetch', 1000)).rejects.toBeInstanceOf(CacheUnavailableError);
  });

  it('gives another instance the same data but its own claims, like a second Redis client', async () => {
    const cache = createInMemoryCache(Date.now);
    const other = cache.asAnotherInstance();
    await cache.write({ availability: { '342': [] }, fetchedAt: '2026-11-26T08:00:00.000-05:00' }, { ttlMs: 60_000, keepMs: 60_000 });
    expect((await other.read()).lastRefresh).toBe('2026-11-26T08:00:00.000-05:00');
    expect(await cache.claim('fetch', 60_000)).toEqual({ kind: 'claimed' });
    await other.release('fetch');
    expect((await other.claim('fetch', 60_000)).kind).toBe('held');
    expect(await other.renew('fetch', 60_000)).toBe(false);
  });
});
