import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedisCache, REDIS_KEYS, type RedisCache } from '../../src/adapters/redis-cache.ts';
import type { RedisTarget } from '../../src/adapters/redis-target.ts';
import { loadConfig, redisTargetOf } from '../../src/app/config.ts';
import { CacheUnavailableError } from '../../src/domain/errors.ts';
import type { Availability, Snapshot } from '../../src/domain/snapshot.ts';
import { operatorStoreContract, storeContract } from '../../src/testing/store-contract.ts';
import { freePort, redisProcesses, waitUntil, type RedisProcesses, ephemeralArgs } from './redis-processes.ts';

const MASTER_NAME = 'mymaster';
/** Both the master and the Sentinel ask for a password, so REDIS_PASSWORD and REDIS_SENTINEL_PASSWORD are exercised. */
const MASTER_PASSWORD = 'master-secret';
const SENTINEL_PASSWORD = 'sentinel-secret';
const availability: Availability = { '4521': [{ start: '08:00:00', end: '10:45:00' }] };
const fetchedAt = '2025-03-04T09:15:00.000-05:00';
const HOUR = 3_600_000;
const snapshot: Snapshot = { fetchedAt, source: 'https://25live.example/availabilitydata.json', days: { '2025-03-04': availability } };
const ttls = { ttlMs: HOUR, graceMs: 7 * 24 * HOUR };

let processes: RedisProcesses;
let sentinelPort: number;
/** Plays the operator on the master itself. */
let master: Redis;
let target: RedisTarget;
let masterPort: number;

/** A Sentinel watching the master; it rewrites its configuration file, so that lives in the temporary directory. */
function startSentinel(watched: number, port?: number): Promise<number> {
  const dir = processes.dir;
  return processes.start(
    async (port) => {
      const conf = path.join(dir, `sentinel-${port}.conf`);
      await writeFile(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `requirepass ${SENTINEL_PASSWORD}`,
          `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${watched} 1`,
          `sentinel auth-pass ${MASTER_NAME} ${MASTER_PASSWORD}`,
          '',
        ].join('\n'),
      );
      return [conf, '--sentinel'];
    },
    port === undefined ? {} : { port },
  );
}

beforeAll(async () => {
  processes = await redisProcesses('emptyclassroom-sentinel-');
  const dir = processes.dir;
  masterPort = await processes.start((port) => ['--port', String(port), '--requirepass', MASTER_PASSWORD, ...ephemeralArgs(dir)]);
  sentinelPort = await startSentinel(masterPort);
  const sentinel = new Redis({ host: '127.0.0.1', port: sentinelPort, password: SENTINEL_PASSWORD, lazyConnect: true, retryStrategy: () => null });
  try {
    await waitUntil('the Sentinel to name the master', async () => String(await sentinel.call('SENTINEL', 'get-master-addr-by-name', MASTER_NAME)) === `127.0.0.1,${masterPort}`, 5_000);
  } finally {
    sentinel.disconnect();
  }
  master = new Redis({ host: '127.0.0.1', port: masterPort, password: MASTER_PASSWORD });
  target = redisTargetOf(
    loadConfig({
      REDIS_SENTINELS: `127.0.0.1:${sentinelPort}`,
      REDIS_SENTINEL_NAME: MASTER_NAME,
      REDIS_PASSWORD: MASTER_PASSWORD,
      REDIS_SENTINEL_PASSWORD: SENTINEL_PASSWORD,
    }),
  )!;
}, 20_000);

afterAll(async () => {
  await master?.quit().catch(() => master.disconnect());
  await processes?.stopAll();
});

for (const contract of [storeContract, operatorStoreContract])
  contract('Redis adapter through Sentinel (REDIS_SENTINELS, REDIS_SENTINEL_NAME, passwords)', async () => {
    await master.flushall();
    const store = createRedisCache(target);
    const other = createRedisCache(target);
    return { store, other, cleanup: async () => void (await Promise.all([store.close(), other.close()])) };
  });

describe('Redis adapter through Sentinel, beyond the contract', () => {
  let cache: RedisCache;
  beforeEach(async () => {
    await master.flushall();
    cache = createRedisCache(target);
  });
  afterEach(async () => {
    await cache.close();
  });

  it('writes the old keys on the master the Sentinel names, in one MULTI', async () => {
    expect(await cache.ping()).toBe(true);
    const seen: string[] = [];
    const monitor = await master.monitor();
    // The Sentinel's own PINGs, INFOs and hellos pass by too: keep the data commands.
    const data = new Set(['multi', 'exec', 'set', 'get', 'mget', 'del']);
    monitor.on('monitor', (_time: string, args: string[]) => {
      const command = String(args[0]).toLowerCase();
      if (data.has(command)) seen.push(command);
    });
    try {
      await cache.write(snapshot, ttls);
      await waitUntil('the master to see EXEC', async () => seen.includes('exec'), 2_000, 10);
    } finally {
      await monitor.disconnect();
    }
    expect(seen).toEqual(['multi', 'set', 'set', 'set', 'set', 'set', 'exec']);
    expect(await master.get(REDIS_KEYS.availability)).toBe(JSON.stringify(availability));
    expect(await master.get(REDIS_KEYS.lastRefresh)).toBe(fetchedAt);
    expect(await cache.read()).toEqual(snapshot);
  });

  it('rejects quickly with CacheUnavailableError when the Sentinel does not know the master group', async () => {
    const unknown = createRedisCache({
      sentinels: [{ host: '127.0.0.1', port: sentinelPort }],
      name: 'no-such-master',
      sentinelPassword: SENTINEL_PASSWORD,
      connectTimeoutMs: 300,
      commandTimeoutMs: 300,
    });
    await expectQuickFailure(unknown);
  });

  it('rejects quickly with CacheUnavailableError when no Sentinel answers', async () => {
    const nobody = createRedisCache({ sentinels: [{ host: '127.0.0.1', port: await freePort() }], name: MASTER_NAME, connectTimeoutMs: 300, commandTimeoutMs: 300 });
    await expectQuickFailure(nobody);
  });
});

describe('Redis adapter through Sentinel, when the Sentinel comes late', () => {
  it('fails fast while no Sentinel answers, then connects by itself once one does', async () => {
    await master.flushall();
    const port = await freePort();
    const late = createRedisCache({
      sentinels: [{ host: '127.0.0.1', port }],
      name: MASTER_NAME,
      password: MASTER_PASSWORD,
      sentinelPassword: SENTINEL_PASSWORD,
      connectTimeoutMs: 300,
      commandTimeoutMs: 300,
    });
    try {
      await expect(late.read()).rejects.toBeInstanceOf(CacheUnavailableError);
      await startSentinel(masterPort, port);
      await waitUntil('the cache to reach the master', () => late.ping(), 10_000, 100);
      await late.write(snapshot, ttls);
      expect(await master.get(REDIS_KEYS.lastRefresh)).toBe(fetchedAt);
    } finally {
      await late.close();
    }
  });
});

async function expectQuickFailure(cache: RedisCache): Promise<void> {
  try {
    const started = performance.now();
    await expect(cache.read()).rejects.toBeInstanceOf(CacheUnavailableError);
    // Later calls do not wait for the connection again: they fail at once.
    const again = performance.now();
    await expect(cache.readHead()).rejects.toBeInstanceOf(CacheUnavailableError);
    expect(performance.now() - again).toBeLessThan(500);
    expect(await cache.ping()).toBe(false);
    expect(performance.now() - started).toBeLessThan(5_000);
  } finally {
    await cache.close();
  }
}
