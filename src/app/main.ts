import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRequestListener } from '../adapters/http/lean-lane.ts';
import { createMetrics } from '../adapters/metrics.ts';
import { describeRedisTarget, topologyOf } from '../adapters/redis-target.ts';
import type { WakeUp } from '../domain/classroom-service.ts';
import { BU_CATALOG } from './catalog.ts';
import { redisTargetOf, type Config } from './config.ts';
import { createCore } from './core.ts';
import { logServiceEvent, type Logger } from './logger.ts';

export interface RunningService {
  /** Base URL the server listens on, e.g. `http://127.0.0.1:8000`. */
  url: string;
  /** Where its Redis is, for messages: never a password. */
  redis: string;
  /** The URL of the embedded Redis it started (it has no password), when no Redis was configured. */
  embeddedRedisUrl?: string;
  close(): Promise<void>;
}

/**
 * The composition root: builds the adapters from the configuration, wires the core, listens at once
 * and runs the wake-up refresh in the background. `close()` releases everything in reverse order.
 */
export async function startService(config: Config, logger: Logger): Promise<RunningService> {
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer().catch((err) => logger.warn({ err }, 'close failed'));
  };
  try {
    const configured = redisTargetOf(config);
    const target = configured ?? { url: await startEmbedded(closers) };
    const embeddedRedisUrl = configured ? undefined : target.url;
    const redis = describeRedisTarget(target);
    logger.info(
      { redis, topology: topologyOf(target) },
      configured
        ? `using Redis: ${redis}`
        : 'none of REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS is set: using an embedded Redis that lives and dies with this process',
    );
    const metrics = createMetrics();
    const core = createCore(config, target, {
      onEvent: (event) => {
        logServiceEvent(logger, event);
        metrics.record(event);
      },
    });
    closers.push(() => core.close());
    await waitForRedis(core.cache, logger);

    const server = createServer(
      createRequestListener(core.service, {
        metrics,
        page: { timeZone: BU_CATALOG.timeZone },
        onError: (err, status) => (status >= 500 ? logger.error({ err, status }, 'request failed') : logger.debug({ err, status }, 'request rejected')),
      }),
    ).listen(config.PORT, config.HOST);
    closers.push(() => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }));
    await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
    logger.info({ url, upstream: config.API_URL }, 'EmptyClassroom is listening');

    core.service.start({ refreshAt: config.REFRESH_AT });
    core.service
      .wakeUp()
      .then((outcome) => logWakeUp(logger, outcome))
      .catch((err) => logger.warn({ err }, 'wake-up: could not look at the cached data; requests will'));

    return { url, redis, embeddedRedisUrl, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function logWakeUp(logger: Logger, outcome: WakeUp): void {
  switch (outcome.kind) {
    case 'fresh':
      return logger.info('wake-up: cached data is today\'s, nothing to fetch');
    case 'fetched':
      return outcome.failedRooms === 0
        ? logger.info('wake-up: fetched today\'s data from 25Live')
        : logger.warn({ failedRooms: outcome.failedRooms }, `wake-up: fetched today's data from 25Live; ${outcome.failedRooms} rooms failed and show as unknown`);
    case 'failed':
      return logger.error({ err: outcome.error }, 'wake-up: fetching today\'s data from 25Live failed; serving the last good data if any');
    case 'serving-stale':
      return logger.warn({ retryAfterMs: outcome.retryAfterMs }, 'wake-up: 25Live failed recently; serving the last good data until the backoff ends');
  }
}

async function startEmbedded(closers: Array<() => Promise<unknown>>): Promise<string> {
  // Loaded only when needed: redis-memory-server and its dependencies cost ~15 MB of memory.
  const { startEmbeddedRedis } = await import('../adapters/embedded-redis.ts');
  const embedded = await startEmbeddedRedis();
  closers.push(() => embedded.stop());
  return embedded.url;
}

/** The old start-up habit: ping Redis up to five times, a second apart, then go on regardless. */
async function waitForRedis(cache: { ping(): Promise<boolean> }, logger: Logger): Promise<void> {
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    if (await cache.ping()) return;
    logger.warn({ attempt }, 'Redis is not answering yet');
    if (attempt < 5) await sleep(1000);
  }
  logger.error('Redis did not answer five pings; starting anyway, serving from 25Live and memory until it returns');
}
