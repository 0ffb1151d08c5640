import { Cluster, type ClusterNode, type RedisOptions } from 'ioredis';

/** The connection options every client of the adapter shares (built once in redis-client.ts). */
export type SharedOptions = RedisOptions & { commandTimeout: number; retryStrategy: (attempt: number) => number };

/**
 * An ioredis Cluster with the same habits as a single connection: the options about connecting,
 * queueing and reconnecting apply to the cluster as a whole, the rest to each node's connection;
 * slot refreshes are bounded like commands, and the cluster is rediscovered forever.
 */
export function createClusterClient(nodes: ClusterNode[], options: SharedOptions): Cluster {
  const { lazyConnect, enableOfflineQueue, retryStrategy, ...redisOptions } = options;
  return new Cluster(nodes, {
    lazyConnect,
    enableOfflineQueue,
    clusterRetryStrategy: retryStrategy,
    slotsRefreshTimeout: Math.max(1000, options.commandTimeout),
    redisOptions,
  });
}
