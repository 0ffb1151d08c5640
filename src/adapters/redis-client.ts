import { Redis, type Cluster } from 'ioredis';
import { createClusterClient, type SharedOptions } from './redis-cluster.ts';
import type { RedisNode, RedisTarget } from './redis-target.ts';

export type RedisClient = Redis | Cluster;

/** A key to write: its value and life in milliseconds. */
type KeyWrite = readonly [key: string, value: string, px: number];

/**
 * The cache's operations on several keys at once. On one server (standalone or behind Sentinel)
 * reads, writes and deletes are single round trips (MGET, MULTI, one DEL); on a Cluster the old
 * keys live in different hash slots, where those fail with CROSSSLOT, so they become one command per key.
 */
interface KeyOps {
  get(keys: readonly string[]): Promise<Array<string | null>>;
  /** Writes in the order given; where that is not atomic, a key is written only after the ones before it succeeded. */
  set(writes: readonly KeyWrite[]): Promise<void>;
  /** Deletes in the order given. */
  del(keys: readonly string[]): Promise<void>;
  pttl(keys: readonly string[]): Promise<number[]>;
}

/** A key of another type (a hash where a string should be) reads as missing, not as Redis failing. */
export function missingIfWrongType(error: unknown): null {
  if (error instanceof Error && error.message.startsWith('WRONGTYPE')) return null;
  throw error;
}

/** What the per-key operations need from a client: plain single-key commands. */
export interface SingleKeyClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, unit: 'PX', milliseconds: number): Promise<unknown>;
  del(key: string): Promise<number>;
  pttl(key: string): Promise<number>;
}

/**
 * One command per key, for a Cluster. Reads go out together (each key to its own slot's node);
 * writes and deletes go one after another, in order, so the caller decides what becomes
 * visible last (the version key other instances poll).
 */
export function perKeyOps(client: SingleKeyClient): KeyOps {
  return {
    // As MGET does, a key holding another type reads as missing.
    get: (keys) => Promise.all(keys.map((key) => client.get(key).catch(missingIfWrongType))),
    async set(writes) {
      for (const [key, value, px] of writes) await client.set(key, value, 'PX', px);
    },
    async del(keys) {
      for (const key of keys) await client.del(key);
    },
    pttl: (keys) => Promise.all(keys.map((key) => client.pttl(key))),
  };
}

/** One server (standalone or Sentinel's master): MGET, an atomic MULTI, one DEL; TTLs sent together, per key. */
function atomicOps(redis: Redis): KeyOps {
  return {
    ...perKeyOps(redis),
    get: (keys) => redis.mget(...keys),
    async set(writes) {
      const transaction = redis.multi();
      for (const [key, value, px] of writes) transaction.set(key, value, 'PX', px);
      const replies = await transaction.exec();
      if (!replies) throw new Error('transaction aborted');
      for (const [error] of replies) if (error) throw error;
    },
    async del(keys) {
      await redis.del(...keys);
    },
  };
}

const backoff = (attempt: number) => Math.min(50 * 2 ** attempt, 2000);

const addresses = (nodes: readonly RedisNode[]) => nodes.map(({ host, port }) => ({ host, port }));

/** The client for the target, and how it handles several keys at once. */
export function openRedisClient(target: RedisTarget, { commandTimeoutMs, connectTimeoutMs }: { commandTimeoutMs: number; connectTimeoutMs: number }): { client: RedisClient; ops: KeyOps } {
  const options: SharedOptions = {
    lazyConnect: true,
    commandTimeout: commandTimeoutMs,
    connectTimeout: connectTimeoutMs,
    // Fail fast while Redis is away instead of queueing: callers fall back, nobody waits.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: backoff,
    // A URL carries its own password; Cluster and Sentinel targets give it apart.
    ...(target.url === undefined && target.password ? { password: target.password } : {}),
  };
  if (target.cluster) {
    const cluster = createClusterClient(addresses(target.cluster), options);
    return { client: cluster, ops: perKeyOps(cluster) };
  }
  const redis = target.sentinels
    ? new Redis({
        ...options,
        sentinels: addresses(target.sentinels),
        name: target.name,
        sentinelPassword: target.sentinelPassword,
        sentinelCommandTimeout: commandTimeoutMs,
        // Keeps asking the Sentinels until one answers; the cache's callers stop waiting after a bound.
        sentinelRetryStrategy: backoff,
      })
    : new Redis(target.url, options);
  return { client: redis, ops: atomicOps(redis) };
}
