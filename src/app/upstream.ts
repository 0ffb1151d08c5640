import { createReservationsSource, reservationsUrlOf } from '../adapters/twenty-five-live-reservations.ts';
import { createTwentyFiveLiveSource } from '../adapters/twenty-five-live-source.ts';
import type { Catalog } from '../domain/catalog.ts';
import type { ScheduleSourcePort } from '../ports/schedule-source-port.ts';
import { availabilityUrlOf, ConfigError, type Config } from './config.ts';

/** Which 25Live to ask, and how. */
export interface Upstream {
  mode: Config['UPSTREAM_MODE'];
  /** The availability view (`availabilitydata.json`). */
  apiUrl: string;
  /** The guest reservations view (`rm_reservations.json`), when it can be named. */
  reservationsUrl: string | null;
  /** What a stored snapshot records as its source: the URL asked. Per-room and batched data never mix. */
  sourceId: string;
}

/** The upstream the configuration and the catalog name (`apiUrl` stands in for API_URL: a demo's simulator). */
export function upstreamOf(config: Config, catalog: Catalog, apiUrl: string = config.API_URL ?? availabilityUrlOf(catalog.tenant)): Upstream {
  const reservationsUrl = config.RESERVATIONS_URL ?? reservationsUrlOf(apiUrl);
  if (config.UPSTREAM_MODE === 'batched' && reservationsUrl === null) {
    throw new ConfigError(`Invalid configuration: RESERVATIONS_URL="": required with UPSTREAM_MODE=batched when API_URL (${apiUrl}) has no …/run/ to find rm_reservations.json beside`);
  }
  return { mode: config.UPSTREAM_MODE, apiUrl, reservationsUrl, sourceId: config.UPSTREAM_MODE === 'batched' ? reservationsUrl! : apiUrl };
}

/** The 25Live client for `mode` (default the upstream's own), with the politeness settings of the configuration. */
export function createSource(config: Config, catalog: Catalog, upstream: Upstream, options: { mode?: Upstream['mode']; onRequest?: () => void } = {}): ScheduleSourcePort & { close(): Promise<void> } {
  const polite = {
    concurrency: config.UPSTREAM_CONCURRENCY,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    retries: config.UPSTREAM_RETRIES,
    userAgent: config.USER_AGENT,
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  };
  if ((options.mode ?? upstream.mode) === 'batched') {
    if (!upstream.reservationsUrl) throw new ConfigError(`Invalid configuration: RESERVATIONS_URL="": the reservations view cannot be found beside ${upstream.apiUrl}`);
    return createReservationsSource({ ...polite, reservationsUrl: upstream.reservationsUrl, zone: catalog.timeZone });
  }
  return createTwentyFiveLiveSource({ ...polite, apiUrl: upstream.apiUrl });
}
