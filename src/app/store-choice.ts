import type { SharedStore } from '../adapters/shared-store.ts';
import { createRedisCache } from '../adapters/redis-cache.ts';
import { describeRedisTarget, topologyOf } from '../adapters/redis-target.ts';
import { redisTargetOf, type Config } from './config.ts';
import type { Logger } from './logger.ts';

export interface ChosenStore {
  store: SharedStore;
  /** For messages: where the data lives, never a password. */
  description: string;
  /** The embedded Redis this process started (it has no password), if any. */
  embeddedRedisUrl?: string;
}

export interface StoreChoice {
  /** With no Redis configured and no `redis-server` to embed, keep the data in this process (the demo). */
  memoryFallback?: boolean;
  /** The embedded Redis died under a running process: the process cannot go on half-broken. */
  onEmbeddedExit?: (why: string) => void;
}

/**
 * The store the configuration names: a configured Redis; else an embedded one (the system's
 * `redis-server`, living and dying with this process); else, when allowed, this process's memory.
 * Each choice is said in one log line. `closers` gets what must be closed.
 */
export async function chooseStore(config: Config, logger: Logger, closers: Array<() => Promise<unknown>>, choice: StoreChoice = {}): Promise<ChosenStore> {
  const configured = redisTargetOf(config);
  if (configured) {
    const description = describeRedisTarget(configured);
    logger.info({ redis: description, topology: topologyOf(configured) }, `store: Redis ${description}`);
    return { store: createRedisCache(configured), description };
  }
  // Loaded only when needed: redis-memory-server and its dependencies cost ~15 MB of memory.
  const { findRedisServerBinary, startEmbeddedRedis } = await import('../adapters/embedded-redis.ts');
  if (!(await findRedisServerBinary()) && choice.memoryFallback) {
    const { createMemoryStore } = await import('../adapters/memory-store.ts');
    logger.info('store: no redis-server found, so the data lives in this process only (nothing shared, nothing kept across a restart)');
    return { store: createMemoryStore(), description: 'this process (in memory)' };
  }
  const embedded = await startEmbeddedRedis();
  closers.push(() => embedded.stop());
  embedded.onExit((code, signal) => choice.onEmbeddedExit?.(`the embedded redis-server exited (${signal ?? `code ${code}`})`));
  logger.info({ redis: embedded.url }, `store: an embedded Redis at ${embedded.url} (none of REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS is set), living and dying with this process`);
  return { store: createRedisCache({ url: embedded.url }), description: embedded.url, embeddedRedisUrl: embedded.url };
}
