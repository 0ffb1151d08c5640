// The service as `npm start` runs it, in this process, on a real embedded Redis and the 25Live
// simulator: the fixture of the end-to-end tests (the page's, the API description's).
import { startEmbeddedRedis, type EmbeddedRedis } from '../src/adapters/embedded-redis.ts';
import { startTwentyFiveLiveSimulator, type TwentyFiveLiveSimulator } from '../src/adapters/twenty-five-live-simulator/index.ts';
import { loadConfig } from '../src/app/config.ts';
import { createLogger } from '../src/app/logger.ts';
import { startService, type RunningService } from '../src/app/main.ts';
import { BU_CATALOG } from '../src/catalog/bu.ts';
import type { OpenClassrooms } from '../src/domain/organise.ts';

/**
 * Today's answer once every room is in it. On a loaded machine the first fetch can outlast the soft
 * timeout, and the first answers then hold the rooms fetched so far (the rest "unknown"): an oracle
 * must not be read from those.
 */
export async function completeAnswer(base: string, timeoutMs = 30_000): Promise<OpenClassrooms> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${base}/api/open-classrooms`);
    const body = res.ok ? ((await res.json()) as OpenClassrooms) : null;
    if (body && Object.values(body.buildings).every((b) => b.classrooms.every((r) => r.status !== 'unknown'))) return body;
    if (Date.now() > deadline) throw new Error(`${base} had no complete answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface TestService {
  url: string;
  redis: EmbeddedRedis;
  simulator: TwentyFiveLiveSimulator;
  /** Starts (or restarts) the service on the same Redis with this environment, and waits for every room (unless `partial`: 25Live is down). */
  start(env?: Record<string, string>, options?: { partial?: boolean }): Promise<RunningService>;
  close(): Promise<void>;
}

/** The service as end-to-end.test.ts starts it: a real Redis, the simulator, the composition root. */
export async function startTestService(seed = 3): Promise<TestService> {
  const redis = await startEmbeddedRedis();
  const simulator = await startTwentyFiveLiveSimulator({ catalog: BU_CATALOG, seed, latencyMs: 5 });
  let running: RunningService | undefined;
  const service: TestService = {
    url: '',
    redis,
    simulator,
    async start(env = {}, options = {}) {
      await running?.close();
      running = await startService(
        loadConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_URL: redis.url, API_URL: simulator.url, UPSTREAM_RETRIES: '0', REFRESH_AT: 'off', ...env }),
        createLogger('silent'),
      );
      service.url = running.url;
      if (!options.partial) await completeAnswer(running.url);
      return running;
    },
    async close() {
      await running?.close();
      await simulator.close();
      await redis.stop();
    },
  };
  return service;
}
