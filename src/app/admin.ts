import { createRedisCache } from '../adapters/redis-cache.ts';
import { describeRedisTarget, type RedisTarget } from '../adapters/redis-target.ts';
import type { Catalog } from '../domain/catalog.ts';
import { redisTargetOf, type Config } from './config.ts';
import { loadCatalog } from './catalog-file.ts';
import { createCore, type Core } from './core.ts';
import { findDemo, type DemoEndpoints } from './demo-registry.ts';

export class UsageError extends Error {
  readonly code = 'USAGE';
}

/** The Redis and the 25Live a CLI command talks to. */
export interface AdminEndpoints {
  target: RedisTarget;
  /** The 25Live to ask; unset: API_URL, or the catalog tenant's. */
  apiUrl?: string;
  /** The catalog file a running demo uses, when the CLI talks to it. */
  catalogFile?: string;
}

/**
 * A configured Redis (REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS) goes with the configured
 * API_URL, whose default is the real 25Live: a demo's simulator never feeds a Redis the demo did not
 * give us. Only a running demo's embedded Redis goes with its simulator (unless API_URL is set).
 */
export function adminEndpoints(config: Config, env: Record<string, string | undefined>, demo: DemoEndpoints | null): AdminEndpoints {
  const configured = redisTargetOf(config);
  if (configured) return { target: configured, ...(config.API_URL ? { apiUrl: config.API_URL } : {}) };
  if (!demo) {
    throw new UsageError("No Redis to talk to: set REDIS_URL (or REDIS_CLUSTER_NODES, or REDIS_SENTINELS and REDIS_SENTINEL_NAME) to the service's Redis, or start `npm run demo` first");
  }
  if (!demo.embeddedRedisUrl) {
    throw new UsageError(`The running demo (pid ${demo.pid}) keeps its data in ${demo.redis}, which the CLI cannot reach: install redis-server so that the demo runs an embedded Redis`);
  }
  const apiUrlSet = (env.API_URL ?? '').trim() !== '';
  const catalog = config.CATALOG_FILE === undefined && demo.catalogFile !== undefined ? { catalogFile: demo.catalogFile } : {};
  return { target: { url: demo.embeddedRedisUrl }, apiUrl: apiUrlSet && config.API_URL ? config.API_URL : demo.apiUrl, ...catalog };
}

/** The catalog a CLI command works on: CATALOG_FILE, else a running demo's own (when no Redis is configured), else BU's. */
export async function adminCatalog(config: Config): Promise<Catalog> {
  const demo = config.CATALOG_FILE === undefined && !redisTargetOf(config) ? await findDemo() : null;
  return loadCatalog(demo?.catalogFile ?? config.CATALOG_FILE);
}

/** The core wired to the same Redis and upstream as a running server (see adminEndpoints), for one CLI command. */
export async function withAdminService<T>(config: Config, env: Record<string, string | undefined>, run: (core: Core) => Promise<T>): Promise<T> {
  const { target, apiUrl, catalogFile } = adminEndpoints(config, env, await findDemo());
  const catalog = loadCatalog(catalogFile ?? config.CATALOG_FILE);
  const core = createCore(config, catalog, createRedisCache(target), apiUrl === undefined ? {} : { apiUrl });
  try {
    if (!(await core.cache.ping())) throw new Error(`Redis at ${describeRedisTarget(target)} does not answer`);
    return await run(core);
  } finally {
    await core.close().catch(() => undefined);
  }
}
