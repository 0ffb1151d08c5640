import { interceptors, Pool, type RetryHandler } from 'undici';
import { UpstreamError } from '../domain/errors.ts';
import type { ScheduleSourcePort } from '../ports/schedule-source-port.ts';
import { parseAvailabilityBody } from './twenty-five-live-parser.ts';

export interface TwentyFiveLiveSourceOptions {
  /** The full `availabilitydata.json` URL, e.g. `https://25live.collegenet.com/25live/data/bu/run/availability/availabilitydata.json`. */
  apiUrl: string;
  /** Most requests in flight at once; the rest queue in the pool. */
  concurrency?: number;
  /** Per attempt: the wait for headers, and the longest silence while reading the body. */
  timeoutMs?: number;
  /** Extra attempts after the first, on 429, 5xx, timeouts and connection errors. */
  retries?: number;
  maxBodyBytes?: number;
  /** First backoff; doubles each retry, with jitter. */
  retryBaseMs?: number;
  /** Longest backoff; a `Retry-After` asking for longer than this ends the retries instead. */
  retryMaxMs?: number;
}

const RETRY_STATUSES = [429, 500, 502, 503, 504];
// Connection failures plus timeouts before the answer starts: worth another polite try. A body
// that stalls midway is not retried: undici would resume it with a Range request, which 25Live is
// not known to honour.
const RETRY_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ENOTFOUND', 'ENETDOWN', 'ENETUNREACH', 'EHOSTDOWN', 'EHOSTUNREACH', 'EPIPE',
  'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

interface UndiciFailure {
  code?: string;
  statusCode?: number;
  headers?: Record<string, string | string[] | undefined>;
  message?: string;
  /** undici's RequestRetryError: how many answers it received, i.e. the attempts made. */
  data?: { count?: number };
}

/** Milliseconds asked for by `Retry-After` (seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, nowMs: number = Date.now()): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

// undici's default retry has no jitter and clamps Retry-After; ours spreads retries of many rooms
// apart and gives up rather than hammer 25Live sooner than it asked.
function retryPolicy(retries: number, baseMs: number, maxMs: number): RetryHandler.RetryCallback {
  return (error, { state }, callback) => {
    const { statusCode, code, headers } = error as UndiciFailure;
    const retryable = statusCode != null ? RETRY_STATUSES.includes(statusCode) : RETRY_CODES.has(code ?? '');
    if (!retryable || state.counter > retries) return callback(error);
    const asked = retryAfterMs(headers?.['retry-after']);
    if (asked !== null && asked > maxMs) return callback(error);
    const backoff = Math.min(maxMs, baseMs * 2 ** (state.counter - 1));
    setTimeout(() => callback(null), asked ?? backoff / 2 + Math.random() * (backoff / 2));
  };
}

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

/**
 * The 25Live adapter: one GET per room through a bounded undici pool with timeouts and polite
 * retries; every failure becomes an `UpstreamError` naming the room.
 */
export function createTwentyFiveLiveSource(options: TwentyFiveLiveSourceOptions): ScheduleSourcePort & { close(): Promise<void> } {
  const { concurrency = 8, timeoutMs = 15_000, retries = 2, maxBodyBytes = 2_000_000, retryBaseMs = 500, retryMaxMs = 10_000 } = options;
  const api = new URL(options.apiUrl);
  if (api.protocol !== 'http:' && api.protocol !== 'https:') throw new RangeError(`25Live URL must be http(s): ${options.apiUrl}`);
  const pool = new Pool(api.origin, {
    connections: concurrency,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connectTimeout: timeoutMs,
    maxResponseSize: maxBodyBytes,
  });
  const dispatcher = pool.compose(interceptors.retry({ maxRetries: retries, retry: retryPolicy(retries, retryBaseMs, retryMaxMs) }));

  const translate = (spaceId: number, error: unknown): UpstreamError => {
    if (error instanceof UpstreamError) return error;
    const { code, statusCode, message, data } = (error ?? {}) as UndiciFailure;
    const room = `space ${spaceId}`;
    // A 2xx here means a broken-off body whose Range resume the server refused.
    if (statusCode != null && statusCode < 300) return new UpstreamError(`25Live broke off its answer for ${room}`, 'network', { cause: error });
    if (statusCode != null) {
      // Fewer than retries + 1 when a long Retry-After ended the retries early.
      const attempts = data?.count ?? retries + 1;
      return new UpstreamError(`25Live answered ${statusCode} for ${room} after ${attempts} attempt${attempts === 1 ? '' : 's'}`, 'status', { cause: error });
    }
    if (code && TIMEOUT_CODES.has(code)) return new UpstreamError(`25Live timed out after ${timeoutMs} ms for ${room} (${code})`, 'timeout', { cause: error });
    if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return new UpstreamError(`25Live response for ${room} exceeds ${maxBodyBytes} bytes`, 'too-large', { cause: error });
    return new UpstreamError(`25Live request for ${room} failed: ${code ?? message ?? String(error)}`, 'network', { cause: error });
  };

  return {
    async fetchRoomSchedule(spaceId, date) {
      if (!Number.isInteger(spaceId) || spaceId <= 0) throw new RangeError(`space id must be a positive integer: ${spaceId}`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`date must be YYYY-MM-DD: ${date}`);
      try {
        const response = await dispatcher.request({
          method: 'GET',
          path: `${api.pathname}?${availabilityQuery(spaceId, date)}`,
          headers: { accept: 'application/json' },
        });
        if (response.statusCode < 200 || response.statusCode >= 300) {
          await response.body.dump();
          throw new UpstreamError(`25Live answered ${response.statusCode} for space ${spaceId}`, 'status');
        }
        return parseAvailabilityBody(await response.body.text(), spaceId, date);
      } catch (error) {
        throw translate(spaceId, error);
      }
    },
    // A stopping process does not wait on 25Live: requests still running are aborted (and never stored as data).
    close: () => pool.destroy(),
  };
}
