import { startTwentyFiveLiveSimulator } from '../adapters/twenty-five-live-simulator/index.ts';
import { loadCatalog } from './catalog-file.ts';
import { describeRedisTarget } from '../adapters/redis-target.ts';
import { redisTargetOf, type Config } from './config.ts';
import { forgetDemo, recordDemo } from './demo-registry.ts';
import type { Logger } from './logger.ts';
import { startService, type RunningService } from './main.ts';

/** The simulator answers each room after this long, so the demo feels like 25Live. */
const SIMULATOR_LATENCY_MS = 50;

/**
 * Fully offline: the project's 25Live simulator (today and the month after, deterministic from
 * the seed) behind the real 25Live client, and always an embedded Redis of its own.
 * Records itself for the CLI; if that fails, everything it started is closed again.
 */
export async function startDemo(config: Config, logger: Logger, options: { seed?: number; onFatal?: (why: string) => void } = {}): Promise<RunningService> {
  // Simulator data must never reach a Redis that real services use: the demo always runs its own.
  const configured = redisTargetOf(config);
  if (configured) logger.warn({ redis: describeRedisTarget(configured) }, 'demo: ignoring the configured Redis; the demo runs on its own embedded Redis and never writes simulator data elsewhere');
  const own: Config = {
    ...config,
    REDIS_URL: undefined,
    REDIS_CLUSTER_NODES: undefined,
    REDIS_SENTINELS: undefined,
    REDIS_SENTINEL_NAME: undefined,
    REDIS_PASSWORD: undefined,
    REDIS_SENTINEL_PASSWORD: undefined,
  };
  const catalog = loadCatalog(config.CATALOG_FILE);
  const simulator = await startTwentyFiveLiveSimulator({ catalog, seed: options.seed ?? 1, latencyMs: SIMULATOR_LATENCY_MS });
  logger.info({ upstream: simulator.url }, 'demo: 25Live simulator is listening');
  let running: RunningService | undefined;
  try {
    running = await startService({ ...own, API_URL: simulator.url, RESERVATIONS_URL: simulator.reservationsUrl }, logger, {
      memoryFallback: true,
      ...(options.onFatal ? { onEmbeddedExit: options.onFatal } : {}),
    });
    await recordDemo({
      pid: process.pid,
      url: running.url,
      apiUrl: simulator.url,
      redis: running.redis,
      ...(running.embeddedRedisUrl ? { embeddedRedisUrl: running.embeddedRedisUrl } : {}),
      ...(config.CATALOG_FILE ? { catalogFile: config.CATALOG_FILE } : {}),
    });
  } catch (error) {
    await running?.close();
    await simulator.close();
    throw error;
  }
  const service = running;
  return {
    ...service,
    async close() {
      try {
        await forgetDemo(process.pid);
      } finally {
        await service.close();
        await simulator.close();
      }
    },
  };
}
