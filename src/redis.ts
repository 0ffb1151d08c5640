// emptyclassroom/redis: the store, lease and backoff ports on Redis (ioredis): one server, a Cluster or Sentinel.
export { createRedisCache, REDIS_KEYS, type RedisCache, type RedisCacheOptions } from './adapters/redis-cache.ts';
export type { RedisNode, RedisTarget } from './adapters/redis-target.ts';
export type { CacheTtls, SharedStore } from './adapters/shared-store.ts';
