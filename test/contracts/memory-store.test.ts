import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/adapters/memory-store.ts';
import { CacheUnavailableError } from '../../src/domain/errors.ts';
import { createFakeStore } from '../../src/testing/fake-store.ts';
import { operatorStoreContract, storeContract } from '../../src/testing/store-contract.ts';

for (const contract of [storeContract, operatorStoreContract])
  contract('memory store', async () => {
    const store = createMemoryStore();
    return { store, other: createMemoryStore({ entries: store.entries }), cleanup: async () => {} };
  });

for (const contract of [storeContract, operatorStoreContract])
  contract("the tests' in-memory fake", async () => {
    const store = createFakeStore();
    return { store, other: store.asAnotherInstance(), cleanup: async () => {} };
  });

describe('the in-memory fake, beyond the contract', () => {
  it('fails like Redis when down: every call rejects with CacheUnavailableError', async () => {
    const cache = createFakeStore();
    cache.setDown(true);
    await expect(cache.readHead()).rejects.toBeInstanceOf(CacheUnavailableError);
    await expect(cache.acquire('fetch', 1000)).rejects.toBeInstanceOf(CacheUnavailableError);
  });

  it('refuses writes but answers reads, like a full Redis', async () => {
    const cache = createFakeStore();
    cache.setRefusingWrites(true);
    await expect(cache.write({ fetchedAt: '2026-11-26T08:00:00.000-05:00', source: 's', days: {} }, { ttlMs: 1000, graceMs: 1000 })).rejects.toBeInstanceOf(CacheUnavailableError);
    expect(await cache.readHead()).toEqual({ stamp: null, source: null });
    expect(cache.writes).toBe(0);
  });
});
