import { Cluster } from 'ioredis';
import type { KeyOps } from './redis-client.ts';
import type { RedisNode } from './redis-target.ts';

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
    get: (keys) => Promise.all(keys.map((key) => client.get(key))),
    async set(writes) {
      for (const [key, value, px] of writes) await client.set(key, value, 'PX', px);
    },
    async del(keys) {
      for (const key of keys) await client.del(key);
    },
    pttl: (keys) => Promise.all(keys.map((key) => client.pttl(key))),
  };
}

export interface ClusterClientOptions {
  password?: string;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  retryStrategy: (attempt: number) => number;
}

/**
 * An ioredis Cluster with the adapter's habits: connects only when asked, fails fast instead of
 * queueing while the cluster is away, bounds every command, and rediscovers the cluster forever.
 */
export function createClusterClient(nodes: readonly RedisNode[], options: ClusterClientOptions): Cluster {
  return new Cluster(
    nodes.map(({ host, port }) => ({ host, port })),
    {
      lazyConnect: true,
      enableOfflineQueue: false,
      clusterRetryStrategy: options.retryStrategy,
      slotsRefreshTimeout: Math.max(1000, options.commandTimeoutMs),
      redisOptions: {
        commandTimeout: options.commandTimeoutMs,
        connectTimeout: options.connectTimeoutMs,
        maxRetriesPerRequest: 1,
        ...(options.password ? { password: options.password } : {}),
      },
    },
  );
}
