import { startTwentyFiveLiveSimulator } from '../adapters/twenty-five-live-simulator/simulator-server.ts';
import { BU_CATALOG } from './catalog.ts';
import type { Config } from './config.ts';
import { forgetDemo, recordDemo } from './demo-registry.ts';
import type { Logger } from './logger.ts';
import { startService, type RunningService } from './main.ts';

/**
 * Fully offline: the project's 25Live simulator (today and the month after, deterministic from
 * the seed) behind the real 25Live client, and an embedded Redis unless REDIS_URL is set.
 */
export async function startDemo(config: Config, logger: Logger, options: { seed?: number; latencyMs?: number } = {}): Promise<RunningService> {
  const simulator = await startTwentyFiveLiveSimulator({ catalog: BU_CATALOG, seed: options.seed ?? 1, latencyMs: options.latencyMs ?? 50 });
  logger.info({ upstream: simulator.url }, 'demo: 25Live simulator is listening');
  let running: RunningService;
  try {
    running = await startService({ ...config, API_URL: simulator.url }, logger);
  } catch (error) {
    await simulator.close();
    throw error;
  }
  await recordDemo({ pid: process.pid, url: running.url, redisUrl: running.redisUrl, apiUrl: simulator.url });
  return {
    ...running,
    async close() {
      await forgetDemo(process.pid);
      await running.close();
      await simulator.close();
    },
  };
}
