import type { ScheduleSourcePort } from '../ports/schedule-source-port.ts';
import { parseAvailabilityBody } from './twenty-five-live-parser.ts';
import { createUpstreamClient, type UpstreamClientOptions } from './upstream-client.ts';

export { retryAfterMs } from './upstream-client.ts';

export type TwentyFiveLiveSourceOptions = Omit<UpstreamClientOptions, 'origin'> & {
  /** The full `availabilitydata.json` URL, e.g. `https://25live.collegenet.com/25live/data/bu/run/availability/availabilitydata.json`. */
  apiUrl: string;
  maxBodyBytes?: number;
};

function availabilityQuery(spaceId: number, date: string): string {
  // Built by hand: 25Live wants the literal `+` and `:` that URLSearchParams would escape.
  return [
    'obj_cache_accl=0',
    `start_dt=${date}T00:00:00`,
    'comptype=availability_daily',
    'compsubject=location',
    'page_size=100',
    `space_id=${spaceId}`,
    'include=closed+blackouts+pending+related+empty',
    'caller=pro-AvailService.getData',
  ].join('&');
}

/** A checked http(s) URL, or a RangeError naming it. */
export function httpUrl(text: string, what: string): URL {
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError(`${what} must be http(s): ${text}`);
  return url;
}

/**
 * The 25Live availability view: one GET per room (`availabilitydata.json`), about a month of days
 * each, closures and blackouts included, through the polite upstream client.
 */
export function createTwentyFiveLiveSource(options: TwentyFiveLiveSourceOptions): ScheduleSourcePort & { close(): Promise<void> } {
  const { maxBodyBytes = 2_000_000 } = options;
  const api = httpUrl(options.apiUrl, '25Live URL');
  const client = createUpstreamClient({ ...options, origin: api.origin });
  return {
    fetchSchedules(spaceIds, from, signal) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(from)) throw new RangeError(`date must be YYYY-MM-DD: ${from}`);
      return spaceIds.map(async (spaceId) => {
        if (!Number.isInteger(spaceId) || spaceId <= 0) throw new RangeError(`space id must be a positive integer: ${spaceId}`);
        const body = await client.get({ path: `${api.pathname}?${availabilityQuery(spaceId, from)}`, what: `space ${spaceId}`, maxBodyBytes, signal });
        return parseAvailabilityBody(body, spaceId); // after its turn is given back
      });
    },
    close: client.close,
  };
}
