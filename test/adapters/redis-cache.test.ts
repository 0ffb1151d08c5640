import { Redis } from 'ioredis';
import { RedisMemoryServer } from 'redis-memory-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { findRedisServerBinary, startEmbeddedRedis, type EmbeddedRedis } from '../../src/adapters/embedded-redis.ts';
import { createRedisCache, REDIS_KEYS, type RedisCache } from '../../src/adapters/redis-cache.ts';
import { CacheUnavailableError } from '../../src/domain/errors.ts';
import type { Availability, Snapshot } from '../../src/domain/snapshot.ts';
import { operatorStoreContract, storeContract } from '../../src/testing/store-contract.ts';

const AVAILABILITY = 'classrooms:availability';
const LAST_REFRESH = 'classrooms:last_refresh';
const CLAIM = 'classrooms:refresh_claim';
const LAST_GOOD = 'classrooms:last_good';

const availability: Availability = {
  '4521': [{ start: '08:00:00', end: '10:45:00' }],
  '4522': [],
};
const fetchedAt = '2025-03-04T09:15:00.000-05:00';
const SOURCE = 'https://25live.example/availabilitydata.json';
const snapshot: Snapshot = { fetchedAt, source: SOURCE, days: { '2025-03-04': availability, '2025-03-05': { '4521': [] } } };
const HOUR = 3_600_000;
const ttls = { ttlMs: HOUR, graceMs: 7 * 24 * HOUR };

let redis: EmbeddedRedis;
/** Plays the operator's redis-cli, or the old system writing its keys. */
let operator: Redis;

beforeAll(async () => {
  redis = await startEmbeddedRedis();
  operator = new Redis(redis.url);
});
afterAll(async () => {
  await operator?.quit();
  await redis?.stop();
});

for (const contract of [storeContract, operatorStoreContract])
  contract('Redis adapter', async () => {
    await operator.flushall();
    const store = createRedisCache({ url: redis.url });
    const other = createRedisCache({ url: redis.url });
    return { store, other, cleanup: async () => void (await Promise.all([store.close(), other.close()])) };
  });

describe('Redis adapter, beyond the contract', () => {
  let cache: RedisCache;
  beforeEach(async () => {
    await operator.flushall();
    cache = createRedisCache({ url: redis.url });
  });
  afterEach(async () => {
    await cache.close();
  });

  it('names its keys as operators know them (the fault tests read Redis through REDIS_KEYS)', () => {
    expect(REDIS_KEYS).toEqual({
      availability: AVAILABILITY,
      lastRefresh: LAST_REFRESH,
      source: 'classrooms:source',
      snapshot: 'classrooms:snapshot',
      lastGood: LAST_GOOD,
      refreshClaim: CLAIM,
      fetchLease: 'classrooms:fetch_lease',
      backoff: 'classrooms:backoff',
    });
  });

  it('stores the old key names and value formats that redis-cli shows: the fetch day in classrooms:availability', async () => {
    await cache.write(snapshot, ttls);
    const raw = await operator.get(AVAILABILITY);
    expect(raw).toBe(JSON.stringify(availability));
    expect(await operator.get(LAST_REFRESH)).toBe(fetchedAt);
    expect(await operator.get(REDIS_KEYS.source)).toBe(SOURCE);
    for (const key of [AVAILABILITY, LAST_REFRESH, REDIS_KEYS.source, REDIS_KEYS.snapshot]) {
      const pttl = await operator.pttl(key);
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(HOUR);
    }
    expect(await operator.pttl(LAST_GOOD)).toBeGreaterThan(HOUR);
  });

  it('does not take data the old system wrote (no source recorded) as a snapshot', async () => {
    await operator.set(AVAILABILITY, '{"101":[{"start":"07:00:00","end":"08:30:00"}],"102":[]}', 'EX', 86_400);
    await operator.set(LAST_REFRESH, '2024-11-20T06:59:59.999-05:00', 'EX', 86_400);
    expect(await cache.readHead()).toEqual({ stamp: '2024-11-20T06:59:59.999-05:00', source: null });
    expect(await cache.read()).toBeNull();
  });

  it.each([[[AVAILABILITY]], [[LAST_REFRESH]], [[REDIS_KEYS.source]], [[REDIS_KEYS.snapshot]], [[AVAILABILITY, LAST_REFRESH]]])('reads no snapshot once redis-cli deletes %j', async (keys) => {
    await cache.write(snapshot, ttls);
    await operator.del(...keys);
    expect(await cache.read()).toBeNull();
    expect(await cache.readLastGood()).toEqual(snapshot);
  });

  it('reads no snapshot when the stamp or source does not match the stored snapshot', async () => {
    await cache.write(snapshot, ttls);
    await operator.set(LAST_REFRESH, '2025-03-04T10:00:00.000-05:00');
    expect(await cache.read()).toBeNull();
    await cache.write(snapshot, ttls);
    await operator.set(REDIS_KEYS.source, 'https://another.example/');
    expect(await cache.read()).toBeNull();
  });

  it.each([['not json{'], ['[]'], ['{"days":{}}'], ['{"fetchedAt":"x","source":"s","days":{"d":{"101":"08:00"}}}'], ['{"fetchedAt":"x","source":"s","days":{},"failedRooms":"2"}']])(
    'reads garbage in classrooms:last_good and classrooms:snapshot (%s) as missing',
    async (garbage) => {
      await cache.write(snapshot, ttls);
      await operator.set(LAST_GOOD, garbage);
      await operator.set(REDIS_KEYS.snapshot, garbage);
      expect(await cache.readLastGood()).toBeNull();
      expect(await cache.read()).toBeNull();
    },
  );

  it('reads keys of the wrong type (a hash) as missing, and a write replaces them', async () => {
    for (const key of [LAST_REFRESH, LAST_GOOD, REDIS_KEYS.backoff, REDIS_KEYS.source]) await operator.hset(key, 'field', 'value');
    expect(await cache.readHead()).toEqual({ stamp: null, source: null });
    expect(await cache.readLastGood()).toBeNull();
    expect(await cache.readBackoff()).toBeNull();
    await cache.write(snapshot, ttls);
    expect(await operator.type(LAST_REFRESH)).toBe('string');
    expect(await cache.read()).toEqual(snapshot);
  });

  it("never releases another holder's lease, nor one set by hand", async () => {
    const taken = await cache.acquire('refresh', HOUR);
    if (taken.kind !== 'acquired') return expect.unreachable();
    await operator.set(CLAIM, 'set-by-hand', 'PX', HOUR);
    await taken.lease.release();
    expect(await operator.get(CLAIM)).toBe('set-by-hand');
    expect(await taken.lease.renew(HOUR)).toBe(false);
  });

  it('gives a lease left without expiry one, so refreshes are not blocked forever', async () => {
    await operator.set(CLAIM, 'stuck');
    expect(await cache.acquire('refresh', 5_000)).toEqual({ kind: 'held', remainingMs: 5_000 });
    expect(await operator.pttl(CLAIM)).toBeGreaterThan(0);
  });

  it('opens no connection until first used', async () => {
    const clients = async () =>
      String(await operator.client('LIST'))
        .trim()
        .split('\n').length;
    const before = await clients();
    const idle = createRedisCache({ url: redis.url });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await clients()).toBe(before);
    await idle.readHead();
    expect(await clients()).toBe(before + 1);
    await idle.close();
  });

  it('serves calls made together before the first connection is up', async () => {
    const fresh = createRedisCache({ url: redis.url });
    try {
      await operator.set(LAST_REFRESH, fetchedAt);
      const [first, second, ttl] = await Promise.all([fresh.readHead(), fresh.readHead(), fresh.ttls()]);
      expect(first.stamp).toBe(fetchedAt);
      expect(second.stamp).toBe(fetchedAt);
      expect(ttl).toEqual({ availabilityMs: null, lastRefreshMs: null });
    } finally {
      await fresh.close();
    }
  });
});

describe('Redis adapter when Redis goes away', () => {
  const GENEROUS_MS = 5_000;
  const stopwatch = async (run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    return performance.now() - started;
  };

  it('rejects with CacheUnavailableError, pings false, and recovers once Redis is back on the same port', async () => {
    // One server object: stop() then start() brings it back on the same port (get-port would
    // refuse a port it handed out moments ago, so a second server could not take it over).
    const server = new RedisMemoryServer({ binary: { systemBinary: (await findRedisServerBinary())! } });
    await server.start();
    const port = await server.getPort();
    const errors: Error[] = [];
    const cache = createRedisCache({ url: `redis://127.0.0.1:${port}`, onError: (error) => errors.push(error) });
    try {
      await cache.write(snapshot, ttls);
      await server.stop();

      const elapsed = await stopwatch(async () => {
        const failure: unknown = await cache.readHead().catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(CacheUnavailableError);
        // A plain sentence for clients; ioredis's own wording stays in the cause, for the logs.
        expect(failure).toMatchObject({ code: 'CACHE_UNAVAILABLE', message: 'Redis read failed', cause: expect.any(Error) });
      });
      expect(elapsed).toBeLessThan(GENEROUS_MS);
      const writeElapsed = await stopwatch(async () => {
        const failure: unknown = await cache.write(snapshot, ttls).catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(CacheUnavailableError);
        expect(failure).toMatchObject({ message: 'Redis write failed', cause: expect.any(Error) });
      });
      expect(writeElapsed).toBeLessThan(GENEROUS_MS);
      for (const call of [() => cache.ttls(), () => cache.clear(), () => cache.acquire('refresh', 1_000), () => cache.read(), () => cache.readBackoff(), () => cache.readLastGood()]) {
        await expect(call()).rejects.toBeInstanceOf(CacheUnavailableError);
      }
      expect(await cache.ping()).toBe(false);
      // Reconnect attempts fail with ECONNREFUSED: reported to onError, never as unhandled 'error'.
      await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), { timeout: 5_000 });

      await server.start();
      expect(await server.getPort()).toBe(port);
      await vi.waitFor(async () => expect(await cache.ping()).toBe(true), { timeout: 10_000, interval: 100 });
      expect(await cache.read()).toBeNull();
      await cache.write(snapshot, ttls);
      expect(await cache.read()).toEqual(snapshot);
      expect((await cache.acquire('refresh', 1_000)).kind).toBe('acquired');
    } finally {
      await cache.close();
      await server.stop();
    }
  });

  it('rejects quickly when Redis was never reachable', async () => {
    const server = await startEmbeddedRedis();
    await server.stop();
    const cache = createRedisCache({ url: server.url });
    try {
      const elapsed = await stopwatch(() => expect(cache.readHead()).rejects.toBeInstanceOf(CacheUnavailableError));
      expect(elapsed).toBeLessThan(GENEROUS_MS);
      expect(await cache.ping()).toBe(false);
    } finally {
      await cache.close();
    }
  });
});
