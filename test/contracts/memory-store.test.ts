import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory-store.ts';
import { CacheUnavailableError } from '../../src/domain/errors.ts';
import { createInMemoryCache } from '../fakes/in-memory-cache.ts';
import { storeContract } from './store-contract.ts';

storeContract('memory store', async () => {
  const store = createMemoryStore();
  return { store, other: createMemoryStore({ entries: store.entries }), cleanup: async () => {} };
});

storeContract('the tests\' in-memory fake', async () => {
  const store = createInMemoryCache();
  return { store, other: store.asAnotherInstance(), cleanup: async () => {} };
});

describe('the in-memory fake, beyond the contract', () => {
  it('fails like Redis when down: every call rejects with CacheUnavailableError', async () => {
    const cache = createInMemoryCache();
    cache.setDown(true);
    await expect(cache.readHead()).rejects.toBeInstanceOf(CacheUnavailableError);
    await expect(cache.acquire('fetch', 1000)).rejects.toBeInstanceOf(CacheUnavailableError);
  });

  it('refuses writes but answers reads, like a full Redis', async () => {
    const cache = createInMemoryCache();
    cache.setRefusingWrites(true);
    await expect(cache.write({ fetchedAt: '2026-11-26T08:00:00.000-05:00', source: 's', days: {} }, { ttlMs: 1000, graceMs: 1000 })).rejects.toBeInstanceOf(CacheUnavailableError);
    expect(await cache.readHead()).toEqual({ stamp: null, source: null });
    expect(cache.writes).toBe(0);
  });
});
