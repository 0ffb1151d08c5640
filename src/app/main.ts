import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { answerClientErrors } from '../adapters/http/client-errors.ts';
import { createRequestListener } from '../adapters/http/lean-lane.ts';
import { createMetrics } from '../adapters/metrics.ts';
import type { Serving, WakeUp } from '../domain/classroom-service.ts';
import type { Catalog } from '../domain/catalog.ts';
import { loadCatalog } from './catalog-file.ts';
import type { Config } from './config.ts';
import { createCore } from './core.ts';
import { createHttpObserver } from './http-observer.ts';
import { logServiceEvent, type Logger } from './logger.ts';
import { chooseStore, type StoreChoice } from './store-choice.ts';

export interface RunningService {
  /** Base URL the server listens on, e.g. `http://127.0.0.1:8000`. */
  url: string;
  /** Where its data lives, for messages: never a password. */
  redis: string;
  /** The URL of the embedded Redis it started (it has no password), when no Redis was configured. */
  embeddedRedisUrl?: string;
  catalog: Catalog;
  close(): Promise<void>;
}

/**
 * The composition root: builds the adapters from the configuration, wires the core, listens at once
 * and runs the wake-up refresh in the background. `close()` releases everything in reverse order.
 */
export async function startService(config: Config, logger: Logger, choice: StoreChoice = {}): Promise<RunningService> {
  const closers: Array<() => Promise<unknown>> = [];
  let listening = false;
  const close = async () => {
    const failures: string[] = [];
    for (const closer of closers.splice(0).reverse()) await closer().catch((err: Error) => failures.push(err.message));
    if (failures.length > 0) logger.warn({ failures }, `stopped, but ${failures.length} part(s) did not close cleanly`);
    else if (listening) logger.info('stopped: the server, the 25Live client and the store are closed');
    else logger.info('did not start; what it had opened is closed');
  };
  try {
    const catalog = loadCatalog(config.CATALOG_FILE);
    const { store, description, embeddedRedisUrl } = await chooseStore(config, logger, closers, choice);
    let core: ReturnType<typeof createCore> | undefined;
    const metrics = createMetrics({
      snapshotAgeSeconds: () => {
        const snapshot = core?.service.describe().snapshot;
        return snapshot ? snapshot.ageMs / 1000 : null;
      },
      backoffSeconds: () => (core?.service.describe().backoffMs ?? 0) / 1000,
    });
    core = createCore(config, catalog, store, {
      onEvent: (event) => {
        logServiceEvent(logger, event);
        metrics.record(event);
      },
      onRequest: metrics.upstreamRequest,
    });
    const { service, cache } = core;
    closers.push(() => core.close());
    await waitForStore(cache, logger);

    const listener = createRequestListener(service, {
      metrics,
      page: { school: catalog.school, timeZone: catalog.timeZone },
      observer: createHttpObserver(logger, metrics),
      readiness: async () => {
        const described = service.describe();
        const redis = (await cache.ping()) ? 'reachable' : 'unreachable';
        const snapshot = described.snapshot && { fetched_at: described.snapshot.fetchedAt, age_seconds: Math.round(described.snapshot.ageMs / 1000), stale: described.stale };
        return { ready: described.servingToday, redis, snapshot, backoff_seconds: Math.ceil(described.backoffMs / 1000) };
      },
    });
    const server = createServer(listener);
    answerClientErrors(server);
    server.listen(config.PORT, config.HOST);
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
    listening = true;
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
    const schedule =
      config.REFRESH_AT.length > 0
        ? `refreshing at ${config.REFRESH_AT.map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`).join(', ')} ${catalog.timeZone} time`
        : 'no scheduled refresh';
    const { upstream } = core;
    const asked = upstream.mode === 'batched' ? `${upstream.reservationsUrl} (batched)` : upstream.apiUrl;
    logger.info(
      { url, upstream: asked, store: description, catalog: catalog.school },
      `EmptyClassroom is listening on ${url}; ${catalog.school}, ${catalog.classrooms.length} rooms, ${catalog.timeZone}; 25Live ${asked}; data in ${description}; ${schedule}`,
    );

    service.start({ refreshAt: config.REFRESH_AT });
    service
      .wakeUp()
      .then((outcome) => logWakeUp(logger, outcome))
      .catch((err) => logger.warn({ err }, 'wake-up: could not look at the cached data; the first request will'));

    return { url, redis: description, catalog, ...(embeddedRedisUrl === undefined ? {} : { embeddedRedisUrl }), close };
  } catch (error) {
    await close();
    throw error;
  }
}

const SERVING_AFTER_FAILURE: Record<Serving, string> = {
  today: 'serving the data fetched earlier today',
  stale: 'serving the last good data, marked stale, until a fetch succeeds',
  nothing: 'there is no earlier data to serve, so requests get 503 until a fetch succeeds',
};

function logWakeUp(logger: Logger, outcome: WakeUp): void {
  switch (outcome.kind) {
    case 'fresh':
      logger.info("wake-up: the stored data is today's; nothing to fetch");
      return;
    case 'fetched':
      if (outcome.failedRooms === 0) logger.info("wake-up: today's data is fetched, every room answered");
      else logger.warn({ failedRooms: outcome.failedRooms }, `wake-up: today's data is fetched; ${outcome.failedRooms} room(s) did not answer and show as unknown`);
      return;
    case 'failed':
      logger.error({ err: outcome.error, serving: outcome.serving }, `wake-up: fetching today's data failed; ${SERVING_AFTER_FAILURE[outcome.serving]}`);
      return;
    case 'serving-stale':
      logger.warn({ retryAfterMs: outcome.retryAfterMs }, 'wake-up: 25Live failed recently; serving the last good data until the backoff ends');
  }
}

/** The old start-up habit: ping the store up to five times, a second apart, then go on regardless. */
async function waitForStore(store: { ping(): Promise<boolean> }, logger: Logger): Promise<void> {
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    if (await store.ping()) return;
    logger.warn({ attempt }, 'Redis is not answering yet');
    if (attempt < 5) await sleep(1000);
  }
  logger.error('Redis did not answer five pings; starting anyway, serving from 25Live and memory until it returns');
}
