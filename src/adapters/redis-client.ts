import { Redis, type Cluster } from 'ioredis';
import { createClusterClient, perKeyOps } from './redis-cluster.ts';
import type { RedisTarget } from './redis-target.ts';

export type RedisClient = Redis | Cluster;

/** A key to write: its value and life in milliseconds. */
export type KeyWrite = readonly [key: string, value: string, px: number];

/**
 * The cache's operations on several keys at once. On one server (standalone or behind Sentinel)
 * they are single round trips (MGET, MULTI, one DEL, one pipeline); on a Cluster the old keys live
 * in different hash slots, where those fail with CROSSSLOT, so they become one command per key.
 */
export interface KeyOps {
  get(keys: readonly string[]): Promise<Array<string | null>>;
  /** Writes in the order given; where that is not atomic, a key is written only after the ones before it succeeded. */
  set(writes: readonly KeyWrite[]): Promise<void>;
  /** Deletes in the order given. */
  del(keys: readonly string[]): Promise<void>;
  pttl(keys: readonly string[]): Promise<number[]>;
}

/** Runs a Redis pipeline/MULTI result through: any per-command error fails the whole call. */
function results(replies: [Error | null, unknown][] | null): unknown[] {
  if (!replies) throw new Error('transaction aborted');
  return replies.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

/** One server (standalone or Sentinel's master): MGET, an atomic MULTI, one DEL, one pipeline. */
function atomicOps(redis: Redis): KeyOps {
  return {
    get: (keys) => redis.mget(...keys),
    async set(writes) {
      const transaction = redis.multi();
      for (const [key, value, px] of writes) transaction.set(key, value, 'PX', px);
      results(await transaction.exec());
    },
    async del(keys) {
      await redis.del(...keys);
    },
    pttl: async (keys) => results(await keys.reduce((pipeline, key) => pipeline.pttl(key), redis.pipeline()).exec()) as number[],
  };
}

const backoff = (attempt: number) => Math.min(50 * 2 ** attempt, 2000);

/** The client for the target, and how it handles several keys at once. */
export function openRedisClient(
  target: RedisTarget,
  { commandTimeoutMs, connectTimeoutMs }: { commandTimeoutMs: number; connectTimeoutMs: number },
): { client: RedisClient; ops: KeyOps } {
  if (target.cluster) {
    const cluster = createClusterClient(target.cluster, { password: target.password, commandTimeoutMs, connectTimeoutMs, retryStrategy: backoff });
    return { client: cluster, ops: perKeyOps(cluster) };
  }
  const options = {
    lazyConnect: true,
    commandTimeout: commandTimeoutMs,
    connectTimeout: connectTimeoutMs,
    // Fail fast while Redis is away instead of queueing: callers fall back, nobody waits.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: backoff,
  };
  const redis = target.sentinels
    ? new Redis({
        ...options,
        sentinels: target.sentinels.map(({ host, port }) => ({ host, port })),
        name: target.name,
        password: target.password,
        sentinelPassword: target.sentinelPassword,
        sentinelCommandTimeout: commandTimeoutMs,
        // Keeps asking the Sentinels until one answers; the cache's callers stop waiting after a bound.
        sentinelRetryStrategy: backoff,
      })
    : new Redis(target.url, options);
  return { client: redis, ops: atomicOps(redis) };
}
