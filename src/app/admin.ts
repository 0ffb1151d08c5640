import { createNewYorkClock } from '../adapters/new-york-clock.ts';
import { createRedisCache } from '../adapters/redis-cache.ts';
import { describeRedisTarget, type RedisTarget } from '../adapters/redis-target.ts';
import { createTwentyFiveLiveSource } from '../adapters/twenty-five-live-source.ts';
import { createClassroomService, type ClassroomService } from '../domain/classroom-service.ts';
import { BU_CATALOG } from './catalog.ts';
import { policyOf, redisTargetOf, sourceOptionsOf, type Config } from './config.ts';
import { findDemo } from './demo-registry.ts';

export class UsageError extends Error {
  readonly code = 'USAGE';
}

/**
 * The core wired to the same Redis and upstream as a running server, for one CLI command:
 * REDIS_URL and API_URL when set, else those of a running `npm run demo`.
 */
export async function withAdminService<T>(config: Config, env: Record<string, string | undefined>, run: (service: ClassroomService) => Promise<T>): Promise<T> {
  const demo = await findDemo();
  const target = redisTargetOf(config) ?? (demo ? demoTarget(demo.redisUrl) : undefined);
  if (!target) {
    throw new UsageError('No Redis to talk to: set REDIS_URL (or REDIS_CLUSTER_NODES, or REDIS_SENTINELS and REDIS_SENTINEL_NAME) to the service\'s Redis, or start `npm run demo` first');
  }
  const where = describeRedisTarget(target);
  const apiUrl = env.API_URL ? config.API_URL : (demo?.apiUrl ?? config.API_URL);
  const cache = createRedisCache(target);
  const source = createTwentyFiveLiveSource(sourceOptionsOf(config, apiUrl));
  try {
    if (!(await cache.ping())) throw new Error(`Redis at ${where} does not answer`);
    const service = createClassroomService({
      cache,
      source,
      clock: createNewYorkClock({ zone: BU_CATALOG.timeZone }),
      catalog: BU_CATALOG,
      policy: policyOf(config),
    });
    return await run(service);
  } finally {
    await Promise.allSettled([cache.close(), source.close()]);
  }
}

/** A demo on one server records its URL; one on a Cluster or Sentinel records only a description. */
function demoTarget(recorded: string): RedisTarget {
  if (/^rediss?:\/\//.test(recorded)) return { url: recorded };
  throw new UsageError(`The running demo uses the Redis ${recorded}: set the same REDIS_CLUSTER_NODES or REDIS_SENTINELS it was started with`);
}
