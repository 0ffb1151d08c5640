import { Cluster, Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedisCache, REDIS_KEYS, type RedisCache } from '../../src/adapters/redis-cache.ts';
import { perKeyOps, type SingleKeyClient } from '../../src/adapters/redis-client.ts';
import type { RedisTarget } from '../../src/adapters/redis-target.ts';
import { loadConfig, redisTargetOf } from '../../src/app/config.ts';
import { CacheUnavailableError } from '../../src/domain/errors.ts';
import type { Availability, Snapshot } from '../../src/domain/snapshot.ts';
import { operatorStoreContract, storeContract } from '../../src/testing/store-contract.ts';
import { freePort, redisProcesses, waitUntil, type RedisProcesses, ephemeralArgs } from './redis-processes.ts';

const availability: Availability = { '4521': [{ start: '08:00:00', end: '10:45:00' }], '4522': [] };
const fetchedAt = '2025-03-04T09:15:00.000-05:00';
const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
const snapshot: Snapshot = { fetchedAt, source: 'https://25live.example/availabilitydata.json', days: { '2025-03-04': availability, '2025-03-05': {} } };
const ttls = { ttlMs: HOUR, graceMs: WEEK };

let processes: RedisProcesses;
let ports: number[];
/** One plain connection per master: flushing, CLUSTER commands, MONITOR. */
let nodes: Redis[];
/** Plays the operator: a plain ioredis Cluster client. */
let operator: Cluster;
let target: RedisTarget;

beforeAll(async () => {
  processes = await redisProcesses('emptyclassroom-cluster-');
  const dir = processes.dir;
  ports = await Promise.all(
    [1, 2, 3].map(() =>
      processes.start(async (port) => [
        '--port',
        String(port),
        // The bus port is normally port + 10000, which may be taken: ask for a free one.
        '--cluster-port',
        String(await freePort()),
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `${dir}/nodes-${port}.conf`,
        ...ephemeralArgs(dir),
      ]),
    ),
  );
  await processes.cli(['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes']);
  nodes = ports.map((port) => new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => null }));
  await waitUntil(
    'cluster_state:ok on every node',
    async () => (await Promise.all(nodes.map(async (node) => String(await node.cluster('INFO'))))).every((info) => info.includes('cluster_state:ok')),
    10_000,
  );
  target = redisTargetOf(loadConfig({ REDIS_CLUSTER_NODES: ports.map((port) => `127.0.0.1:${port}`).join(',') }))!;
  operator = new Cluster([{ host: '127.0.0.1', port: ports[0]! }]);
}, 30_000);

afterAll(async () => {
  await operator?.quit().catch(() => operator.disconnect());
  for (const node of nodes ?? []) node.disconnect();
  await processes?.stopAll();
});

const flushAll = () => Promise.all(nodes.map((node) => node.flushall()));

for (const contract of [storeContract, operatorStoreContract])
  contract('Redis adapter on a 3-master Redis Cluster (REDIS_CLUSTER_NODES)', async () => {
    await flushAll();
    const store = createRedisCache(target);
    const other = createRedisCache(target);
    return { store, other, cleanup: async () => void (await Promise.all([store.close(), other.close()])) };
  });

describe('Redis adapter on a Cluster, beyond the contract', () => {
  let cache: RedisCache;
  beforeEach(async () => {
    await flushAll();
    cache = createRedisCache(target);
  });
  afterEach(async () => {
    await cache.close();
  });

  it('keeps the old keys in different hash slots (no hash tags), where MGET fails with CROSSSLOT', async () => {
    const keys = [REDIS_KEYS.availability, REDIS_KEYS.lastRefresh, REDIS_KEYS.lastGood, REDIS_KEYS.snapshot, REDIS_KEYS.source];
    expect(keys.every((key) => !key.includes('{'))).toBe(true);
    const slots = await Promise.all(keys.map((key) => nodes[0]!.cluster('KEYSLOT', key)));
    expect(new Set(slots).size).toBe(keys.length);
    await cache.write(snapshot, ttls);
    await expect(operator.mget(REDIS_KEYS.availability, REDIS_KEYS.lastRefresh)).rejects.toThrow(/CROSSSLOT/);
  });

  it('writes the old keys and formats, readable with plain per-key GET through a Cluster client', async () => {
    await cache.write(snapshot, ttls);
    expect(await operator.get(REDIS_KEYS.availability)).toBe(JSON.stringify(availability));
    expect(await operator.get(REDIS_KEYS.lastRefresh)).toBe(fetchedAt);
    expect(JSON.parse((await operator.get(REDIS_KEYS.lastGood))!)).toEqual(snapshot);
    for (const key of [REDIS_KEYS.availability, REDIS_KEYS.lastRefresh]) {
      expect(await operator.pttl(key)).toBeGreaterThan(HOUR - 5_000);
    }
    expect(await operator.pttl(REDIS_KEYS.lastGood)).toBeGreaterThan(HOUR);
    expect(await cache.readLastGood()).toEqual(snapshot);
    expect(await cache.readHead()).toEqual({ stamp: fetchedAt, source: snapshot.source });
  });

  it('reads a stamp of the wrong type as missing, as MGET does on one server', async () => {
    await operator.hset(REDIS_KEYS.lastRefresh, 'field', 'value');
    expect(await cache.readHead()).toEqual({ stamp: null, source: null });
    await cache.write(snapshot, ttls);
    expect(await cache.read()).toEqual(snapshot);
  });

  it('writes last_refresh last and clears it first, as the nodes saw it', async () => {
    const seen: Array<{ at: number; command: string; key: string }> = [];
    const monitors = await Promise.all(nodes.map((node) => node.monitor()));
    try {
      for (const monitor of monitors) {
        monitor.on('monitor', (time: string, args: string[]) => {
          const [command = '', key = ''] = args;
          if (/^(set|del)$/i.test(command) && key.startsWith('classrooms:')) seen.push({ at: Number(time), command: command.toLowerCase(), key });
        });
      }
      await cache.acquire('refresh', HOUR);
      await cache.write(snapshot, ttls);
      await cache.clear();
      await waitUntil('the monitors to see 12 commands', async () => seen.length >= 12, 2_000, 10);
    } finally {
      await Promise.all(monitors.map((monitor) => monitor.disconnect()));
    }
    const order = seen.sort((a, b) => a.at - b.at).map(({ command, key }) => `${command} ${key}`);
    expect(order).toEqual([
      'set classrooms:refresh_claim', // by the claim's Lua script
      'set classrooms:availability',
      'set classrooms:snapshot',
      'set classrooms:source',
      'set classrooms:last_good',
      'set classrooms:last_refresh',
      'del classrooms:last_refresh',
      'del classrooms:availability',
      'del classrooms:snapshot',
      'del classrooms:source',
      'del classrooms:refresh_claim',
      'del classrooms:backoff',
    ]);
  });

  it('finds the whole cluster from one seed node', async () => {
    const seeded = createRedisCache({ cluster: [{ host: '127.0.0.1', port: ports[1]! }] });
    try {
      await seeded.write(snapshot, ttls);
      expect(await seeded.read()).toEqual(snapshot);
      expect(await seeded.ping()).toBe(true);
    } finally {
      await seeded.close();
    }
  });

  it('rejects quickly with CacheUnavailableError when no seed node answers', async () => {
    const nobody = createRedisCache({ cluster: [{ host: '127.0.0.1', port: await freePort() }] });
    try {
      const started = performance.now();
      await expect(nobody.read()).rejects.toBeInstanceOf(CacheUnavailableError);
      await expect(nobody.write(snapshot, ttls)).rejects.toBeInstanceOf(CacheUnavailableError);
      expect(await nobody.ping()).toBe(false);
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      await nobody.close();
    }
  });
});

describe('per-key operations (the Cluster path) on a recording client', () => {
  const recording = (fail?: string) => {
    const calls: string[] = [];
    const pending: Array<() => void> = [];
    const client: SingleKeyClient = {
      get: (key) => {
        calls.push(`get ${key}`);
        return new Promise((resolve) => pending.push(() => resolve(`value of ${key}`)));
      },
      set: async (key, _value, _unit, px) => {
        calls.push(`set ${key} ${px}`);
        if (key === fail) throw new Error(`cannot write ${key}`);
        return 'OK';
      },
      del: async (key) => {
        calls.push(`del ${key}`);
        return 1;
      },
      pttl: async (key) => (key === 'a' ? 10 : -2),
    };
    return { client, calls, pending };
  };

  it('sends both reads before either answers, and answers in key order', async () => {
    const { client, calls, pending } = recording();
    const read = perKeyOps(client).get(['a', 'b']);
    expect(calls).toEqual(['get a', 'get b']);
    for (const answer of pending.reverse()) answer();
    expect(await read).toEqual(['value of a', 'value of b']);
  });

  it('writes in the order given and stops at the first failure, so a later key (the stamp) is never written', async () => {
    const { client, calls } = recording('b');
    await expect(
      perKeyOps(client).set([
        ['a', '1', 5],
        ['b', '2', 6],
        ['stamp', '3', 5],
      ]),
    ).rejects.toThrow('cannot write b');
    expect(calls).toEqual(['set a 5', 'set b 6']);
  });

  it('deletes one key per command, in order, and reads ttls per key', async () => {
    const { client, calls } = recording();
    await perKeyOps(client).del(['x', 'y']);
    expect(calls).toEqual(['del x', 'del y']);
    expect(await perKeyOps(client).pttl(['a', 'b'])).toEqual([10, -2]);
  });
});
