import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import { Pool } from 'undici';
import { UpstreamError } from '../domain/errors.ts';
import type { ScheduleDay } from '../domain/schedule.ts';
import type { ScheduleSourcePort } from '../ports/schedule-source-port.ts';
import { parseAvailabilityBody } from './twenty-five-live-parser.ts';

export interface TwentyFiveLiveSourceOptions {
  /** The full `availabilitydata.json` URL, e.g. `https://25live.collegenet.com/25live/data/bu/run/availability/availabilitydata.json`. */
  apiUrl: string;
  /** Most requests in flight at once; the others wait their turn (and are dropped when aborted). */
  concurrency?: number;
  /** Total deadline of one attempt, from sending it to the last byte of its body. */
  timeoutMs?: number;
  /** Extra attempts after the first, on 429, 5xx, timeouts and connection errors. */
  retries?: number;
  maxBodyBytes?: number;
  /** First backoff; doubles each retry, with jitter. */
  retryBaseMs?: number;
  /** Longest wait before a retry; a `Retry-After` asking for longer ends the retries and is reported instead. */
  retryMaxMs?: number;
  /** Sent as `User-Agent`. */
  userAgent?: string;
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
/** The statuses whose `Retry-After` asks the whole client to pause. */
const PAUSE_STATUSES = new Set([429, 503]);
const RETRY_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ENOTFOUND', 'ENETDOWN', 'ENETUNREACH', 'EHOSTDOWN', 'EHOSTUNREACH', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** Milliseconds asked for by `Retry-After` (seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, nowMs: number = Date.now()): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
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

/** An answer 25Live gave that is not a 2xx, with the pause it asked for. */
class StatusFailure extends Error {
  constructor(readonly statusCode: number, readonly retryAfterMs: number | null) {
    super(`status ${statusCode}`);
  }
}

/** The attempt's own deadline passed. */
class AttemptTimeout extends Error {
  constructor() {
    super('attempt timed out');
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * The 25Live adapter: one GET per room, at most `concurrency` at once, each attempt with a total
 * deadline, polite retries with jittered backoff honouring `Retry-After`, a cap on the body, and
 * every failure an `UpstreamError` naming the room. Aborting the signal stops every request.
 */
export function createTwentyFiveLiveSource(options: TwentyFiveLiveSourceOptions): ScheduleSourcePort & { close(): Promise<void> } {
  const { concurrency = 8, timeoutMs = 15_000, retries = 2, maxBodyBytes = 2_000_000, retryBaseMs = 500, retryMaxMs = 10_000 } = options;
  const api = new URL(options.apiUrl);
  if (api.protocol !== 'http:' && api.protocol !== 'https:') throw new RangeError(`25Live URL must be http(s): ${options.apiUrl}`);
  const pool = new Pool(api.origin, { connections: concurrency, connectTimeout: timeoutMs, headersTimeout: 0, bodyTimeout: 0 });
  const limit = pLimit(concurrency);
  const headers = { accept: 'application/json', ...(options.userAgent ? { 'user-agent': options.userAgent } : {}) };

  /** One attempt, up to the last byte of the body; parsing happens after its turn is given back. */
  async function attemptOnce(spaceId: number, from: string, signal: AbortSignal): Promise<string> {
    // The deadline starts when the request goes out, not while it waits its turn. A timer and a
    // controller of our own, held until the attempt ends: AbortSignal.timeout inside AbortSignal.any
    // can be collected before it fires on Node 20, and a hung request would then never end.
    const attempt = new AbortController();
    const timer = setTimeout(() => attempt.abort(new AttemptTimeout()), timeoutMs);
    const stop = () => attempt.abort(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    try {
      const response = await pool.request({ method: 'GET', path: `${api.pathname}?${availabilityQuery(spaceId, from)}`, headers, signal: attempt.signal });
      if (response.statusCode < 200 || response.statusCode >= 300) {
        await response.body.dump().catch(() => {});
        throw new StatusFailure(response.statusCode, retryAfterMs(response.headers['retry-after']));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > maxBodyBytes) {
          response.body.destroy();
          throw new UpstreamError(`25Live response for space ${spaceId} exceeds ${maxBodyBytes} bytes`, 'too-large');
        }
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks).toString('utf8');
    } catch (error) {
      throw attempt.signal.reason instanceof AttemptTimeout && !signal.aborted ? attempt.signal.reason : error;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
    }
  }

  function translate(spaceId: number, error: unknown, attempts: number, signal: AbortSignal): UpstreamError {
    const room = `space ${spaceId}`;
    if (error instanceof UpstreamError) return error;
    if (signal.aborted) return new UpstreamError(`the request for ${room} was stopped`, 'deadline', { cause: error });
    if (error instanceof StatusFailure) {
      const pause = PAUSE_STATUSES.has(error.statusCode) && error.retryAfterMs !== null ? { retryAfterMs: error.retryAfterMs } : {};
      return new UpstreamError(`25Live answered ${error.statusCode} for ${room} after ${attempts} attempt${attempts === 1 ? '' : 's'}`, 'status', { cause: error, ...pause });
    }
    const { code, message } = (error ?? {}) as { code?: string; message?: string };
    if (error instanceof AttemptTimeout || code === 'UND_ERR_CONNECT_TIMEOUT') {
      return new UpstreamError(`25Live did not answer ${room} within ${timeoutMs} ms`, 'timeout', { cause: error });
    }
    return new UpstreamError(`25Live request for ${room} failed: ${code ?? message ?? String(error)}`, 'network', { cause: error });
  }

  async function fetchRoom(spaceId: number, from: string, signal: AbortSignal): Promise<ScheduleDay[]> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        // A room still waiting its turn when the fetch is stopped never goes out.
        const body = await limit(() => (signal.aborted ? Promise.reject(signal.reason) : attemptOnce(spaceId, from, signal)));
        return parseAvailabilityBody(body, spaceId);
      } catch (error) {
        const failure = translate(spaceId, error, attempt, signal);
        const status = error instanceof StatusFailure ? error.statusCode : null;
        const retryable = status !== null ? RETRY_STATUSES.has(status) : failure.reason === 'timeout' || RETRY_CODES.has((error as { code?: string })?.code ?? '');
        const asked = error instanceof StatusFailure ? error.retryAfterMs : null;
        if (signal.aborted || !retryable || attempt > retries || (asked !== null && asked > retryMaxMs)) throw failure;
        const backoff = Math.min(retryMaxMs, retryBaseMs * 2 ** (attempt - 1));
        await sleep(asked ?? backoff / 2 + Math.random() * (backoff / 2), signal);
      }
    }
  }

  return {
    fetchSchedules(spaceIds, from, signal) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(from)) throw new RangeError(`date must be YYYY-MM-DD: ${from}`);
      setMaxListeners(0, signal); // every room's request listens to it
      return spaceIds.map((spaceId) => {
        if (!Number.isInteger(spaceId) || spaceId <= 0) return Promise.reject(new RangeError(`space id must be a positive integer: ${spaceId}`));
        return fetchRoom(spaceId, from, signal);
      });
    },
    // A stopping process does not wait on 25Live: requests still running are aborted (and never stored as data).
    close: () => pool.destroy(),
  };
}
