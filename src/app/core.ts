import { createCampusClock } from '../adapters/campus-clock.ts';
import type { SharedStore } from '../adapters/shared-store.ts';
import { createClassroomService, type ClassroomService, type ServiceEvent } from '../domain/classroom-service.ts';
import type { Catalog } from '../domain/catalog.ts';
import { policyOf, type Config } from './config.ts';
import { readStatus, type Status } from './status.ts';
import { createSource, upstreamOf, type Upstream } from './upstream.ts';

/** The core with its store and 25Live client, as both the server and the CLI use it. */
export interface Core {
  catalog: Catalog;
  cache: SharedStore;
  service: ClassroomService;
  upstream: Upstream;
  /** For operators: what `emptyclassroom status` shows. */
  status(): Promise<Status>;
  /** Stops the timers, closes the 25Live client and the store; rejects with the first failure, after trying both. */
  close(): Promise<void>;
}

export interface CoreOptions {
  /** The 25Live URL to ask instead of API_URL (the CLI talking to a demo's simulator). */
  apiUrl?: string;
  onEvent?: (event: ServiceEvent) => void;
  /** Told of every request to 25Live. */
  onRequest?: () => void;
}

/** Builds the 25Live client and the service on `cache`, with the clock and the catalog's time zone, and the policy from `config`. */
export function createCore(config: Config, catalog: Catalog, cache: SharedStore, options: CoreOptions = {}): Core {
  const upstream = upstreamOf(config, catalog, options.apiUrl);
  const source = createSource(config, catalog, upstream, options.onRequest ? { onRequest: options.onRequest } : {});
  const clock = createCampusClock({ zone: catalog.timeZone });
  const policy = policyOf(config);
  const service = createClassroomService({
    store: cache,
    leases: cache,
    backoffs: cache,
    source,
    sourceId: upstream.sourceId,
    clock,
    catalog,
    policy,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  return {
    catalog,
    cache,
    service,
    upstream,
    status: () => readStatus(cache, clock, upstream.sourceId, policy),
    async close() {
      service.stop();
      const failed = (await Promise.allSettled([source.close(), cache.close()])).find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}
