import { Redis } from 'ioredis';
import { RedisMemoryServer } from 'redis-memory-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { findRedisServerBinary, startEmbeddedRedis, type EmbeddedRedis } from '../../src/adapters/embedded-redis.ts';
import { createRedisCache, REDIS_KEYS, type RedisCache } from '../../src/adapters/redis-cache.ts';
import { CacheUnavailableError } from '../../src/domain/errors.ts';
import type { Availability } from '../../src/domain/snapshot.ts';
import { cacheContract } from '../contracts/cache-contract.ts';

const AVAILABILITY = 'classrooms:availability';
const LAST_REFRESH = 'classrooms:last_refresh';
const CLAIM = 'classrooms:refresh_claim';
const LAST_GOOD = 'classrooms:last_good';

const availability: Availability = {
  '4521': [{ start: '08:00:00', end: '10:45:00' }],
  '4522': [],
};
const fetchedAt = '2025-03-04T09:15:00.000-05:00';
const HOUR = 3_600_000;

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

cacheContract('Redis adapter', async () => {
  await operator.flushall();
  const cache = createRedisCache({ url: redis.url });
  return { cache, cleanup: () => cache.close() };
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
      refreshClaim: CLAIM,
      fetchLease: 'classrooms:fetch_lease',
      lastGood: LAST_GOOD,
    });
  });

  it('stores the old key names and value formats that redis-cli shows', async () => {
    await cache.write({ availability: availability, fetchedAt: fetchedAt }, { ttlMs: HOUR, keepMs: 7 * 24 * 3_600_000 });
    const raw = await operator.get(AVAILABILITY);
    expect(raw).toBe(JSON.stringify(availability));
    expect(JSON.parse(raw!)).toEqual(availability);
    expect(await operator.get(LAST_REFRESH)).toBe(fetchedAt);
    for (const key of [AVAILABILITY, LAST_REFRESH]) {
      const pttl = await operator.pttl(key);
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(HOUR);
      expect(await operator.ttl(key)).toBeGreaterThan(0);
    }
  });

  it('reads data written by the old system', async () => {
    await operator.set(AVAILABILITY, '{"101":[{"start":"07:00:00","end":"08:30:00"}],"102":[]}', 'EX', 86_400);
    await operator.set(LAST_REFRESH, '2024-11-20T06:59:59.999-05:00', 'EX', 86_400);
    expect(await cache.read()).toEqual({
      availability: { '101': [{ start: '07:00:00', end: '08:30:00' }], '102': [] },
      lastRefresh: '2024-11-20T06:59:59.999-05:00',
    });
  });

  it('reads either key alone when the other is missing', async () => {
    await operator.set(LAST_REFRESH, fetchedAt);
    expect(await cache.read()).toEqual({ availability: null, lastRefresh: fetchedAt });
    expect(await cache.ttls()).toEqual({ availabilityMs: null, lastRefreshMs: null });
  });

  it.each([['not json{'], ['[1,2,3]'], ['"a string"'], ['{"101":"08:00"}'], ['{"101":[{"start":8}]}']])(
    'reads garbage in classrooms:availability (%s) as null',
    async (garbage) => {
      await operator.set(AVAILABILITY, garbage);
      await operator.set(LAST_REFRESH, fetchedAt);
      expect(await cache.read()).toEqual({ availability: null, lastRefresh: fetchedAt });
    },
  );

  it.each([['not json{'], ['[]'], ['{"availability":{"101":[]}}'], ['{"availability":{"101":"08:00"},"fetchedAt":"x"}'], ['{"availability":{},"fetchedAt":"x","filledRooms":"2"}']])(
    'reads garbage in classrooms:last_good (%s) as null',
    async (garbage) => {
      await operator.set(LAST_GOOD, garbage);
      expect(await cache.readLastGood()).toBeNull();
    },
  );

  it('reads nulls after redis-cli DEL of both keys', async () => {
    await cache.write({ availability: availability, fetchedAt: fetchedAt }, { ttlMs: HOUR, keepMs: 7 * 24 * 3_600_000 });
    await operator.del(AVAILABILITY, LAST_REFRESH);
    expect(await cache.read()).toEqual({ availability: null, lastRefresh: null });
  });

  it("never releases another holder's claim", async () => {
    const other = createRedisCache({ url: redis.url });
    try {
      expect(await other.claim('refresh', HOUR)).toEqual({ kind: 'claimed' });
      await cache.release('refresh');
      expect(await operator.exists(CLAIM)).toBe(1);
      expect((await cache.claim('refresh', HOUR)).kind).toBe('held');
      await other.release('refresh');
      expect(await cache.claim('refresh', HOUR)).toEqual({ kind: 'claimed' });
    } finally {
      await other.close();
    }
    await operator.set(CLAIM, 'set-by-hand', 'PX', HOUR);
    await cache.release('refresh');
    expect(await operator.get(CLAIM)).toBe('set-by-hand');
  });

  it('gives a claim left without expiry one, so refreshes are not blocked forever', async () => {
    await operator.set(CLAIM, 'stuck');
    const claim = await cache.claim('refresh', 5_000);
    expect(claim).toEqual({ kind: 'held', remainingMs: 5_000 });
    expect(await operator.pttl(CLAIM)).toBeGreaterThan(0);
  });

  it('opens no connection until first used', async () => {
    const clients = async () => String(await operator.client('LIST')).trim().split('\n').length;
    const before = await clients();
    const idle = createRedisCache({ url: redis.url });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await clients()).toBe(before);
    await idle.read();
    expect(await clients()).toBe(before + 1);
    await idle.close();
  });

  it('serves calls made together before the first connection is up', async () => {
    const fresh = createRedisCache({ url: redis.url });
    try {
      await operator.set(LAST_REFRESH, fetchedAt);
      const [first, second, ttls] = await Promise.all([fresh.read(), fresh.read(), fresh.ttls()]);
      expect(first.lastRefresh).toBe(fetchedAt);
      expect(second.lastRefresh).toBe(fetchedAt);
      expect(ttls).toEqual({ availabilityMs: null, lastRefreshMs: null });
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
      await cache.write({ availability: availability, fetchedAt: fetchedAt }, { ttlMs: HOUR, keepMs: 7 * 24 * 3_600_000 });
      await server.stop();

      const elapsed = await stopwatch(async () => {
        const failure: unknown = await cache.read().catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(CacheUnavailableError);
        // A plain sentence for clients; ioredis's own wording stays in the cause, for the logs.
        expect(failure).toMatchObject({ code: 'CACHE_UNAVAILABLE', message: 'Redis read failed', cause: expect.any(Error) });
      });
      expect(elapsed).toBeLessThan(GENEROUS_MS);
      const writeElapsed = await stopwatch(async () => {
        const failure: unknown = await cache.write({ availability: availability, fetchedAt: fetchedAt }, { ttlMs: HOUR, keepMs: 7 * 24 * 3_600_000 }).catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(CacheUnavailableError);
        expect(failure).toMatchObject({ message: 'Redis write failed', cause: expect.any(Error) });
      });
      expect(writeElapsed).toBeLessThan(GENEROUS_MS);
      for (const call of [() => cache.ttls(), () => cache.clear(), () => cache.claim('refresh', 1_000), () => cache.release('refresh')]) {
        await expect(call()).rejects.toBeInstanceOf(CacheUnavailableError);
      }
      expect(await cache.ping()).toBe(false);
      // Reconnect attempts fail with ECONNREFUSED: reported to onError, never as unhandled 'error'.
      await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), { timeout: 5_000 });

      await server.start();
      expect(await server.getPort()).toBe(port);
      await vi.waitFor(async () => expect(await cache.ping()).toBe(true), { timeout: 10_000, interval: 100 });
      expect(await cache.read()).toEqual({ availability: null, lastRefresh: null });
      await cache.write({ availability: availability, fetchedAt: fetchedAt }, { ttlMs: HOUR, keepMs: 7 * 24 * 3_600_000 });
      expect(await cache.read()).toEqual({ availability, lastRefresh: fetchedAt });
      expect(await cache.claim('refresh', 1_000)).toEqual({ kind: 'claimed' });
      await cache.release('refresh');
      expect(await cache.claim('refresh', 1_000)).toEqual({ kind: 'claimed' });
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
      const elapsed = await stopwatch(() => expect(cache.read()).rejects.toBeInstanceOf(CacheUnavailableError));
      expect(elapsed).toBeLessThan(GENEROUS_MS);
      expect(await cache.ping()).toBe(false);
    } finally {
      await cache.close();
    }
  });
});
