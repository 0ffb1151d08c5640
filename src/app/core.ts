import { createCampusClock } from '../adapters/campus-clock.ts';
import type { SharedStore } from '../adapters/shared-store.ts';
import { createTwentyFiveLiveSource } from '../adapters/twenty-five-live-source.ts';
import { createClassroomService, type ClassroomService, type ServiceEvent } from '../domain/classroom-service.ts';
import { BU_CATALOG } from '../catalog/bu.ts';
import { policyOf, sourceOptionsOf, type Config } from './config.ts';
import { readStatus, type Status } from './status.ts';

/** The core with its cache and 25Live client, as both the server and the CLI use it. */
export interface Core {
  cache: SharedStore;
  service: ClassroomService;
  /** For operators: what `emptyclassroom status` shows. */
  status(): Promise<Status>;
  /** Stops the recheck timer, closes the 25Live client and the Redis connection; rejects with the first failure, after trying both. */
  close(): Promise<void>;
}

export interface CoreOptions {
  /** The 25Live URL to ask instead of API_URL (the CLI talking to a demo's simulator). */
  apiUrl?: string;
  onEvent?: (event: ServiceEvent) => void;
}

/** Builds the 25Live client and the service on `cache`, with the clock, catalog and policy from `config`. */
export function createCore(config: Config, cache: SharedStore, options: CoreOptions = {}): Core {
  const sourceOptions = sourceOptionsOf(config, options.apiUrl);
  const source = createTwentyFiveLiveSource(sourceOptions);
  const clock = createCampusClock({ zone: BU_CATALOG.timeZone });
  const policy = policyOf(config);
  const service = createClassroomService({
    store: cache,
    leases: cache,
    backoffs: cache,
    source,
    sourceId: sourceOptions.apiUrl,
    clock,
    catalog: BU_CATALOG,
    policy,
    onEvent: options.onEvent,
  });
  return {
    cache,
    service,
    status: () => readStatus(cache, clock, sourceOptions.apiUrl, policy),
    async close() {
      service.stop();
      const failed = (await Promise.allSettled([source.close(), cache.close()])).find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}
