import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import { Pool } from 'undici';
import { UpstreamError } from '../domain/errors.ts';

export interface UpstreamClientOptions {
  /** Where the requests go: scheme, host and port. */
  origin: string;
  /** Most requests in flight at once; the others wait their turn (and are dropped when aborted). */
  concurrency?: number;
  /** Total deadline of one attempt, from sending it to the last byte of its body. */
  timeoutMs?: number;
  /** Extra attempts after the first, on 429, 5xx, timeouts and connection errors. */
  retries?: number;
  /** First backoff; doubles each retry, with jitter. */
  retryBaseMs?: number;
  /** Longest wait before a retry; a `Retry-After` asking for longer ends the retries and is reported instead. */
  retryMaxMs?: number;
  /** Sent as `User-Agent`. */
  userAgent?: string;
  /** Told of every request that goes out (retries included): the politeness metric. */
  onRequest?: () => void;
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

/** An answer 25Live gave that is not a 2xx, with the pause it asked for. */
class StatusFailure extends Error {
  constructor(
    readonly statusCode: number,
    readonly retryAfterMs: number | null,
  ) {
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
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

export interface UpstreamGet {
  /** Path and query, as 25Live wants them (built by hand: it wants literal `+` and `:`). */
  path: string;
  /** What the request is for, in messages: `space 342`, `spaces 342+344+…`. */
  what: string;
  maxBodyBytes: number;
  signal: AbortSignal;
}

/**
 * GETs to one 25Live host the polite way: at most `concurrency` at once, each attempt with a total
 * deadline, retries with jittered backoff honouring `Retry-After`, a cap on the body, and every
 * failure an `UpstreamError` naming what was asked for. Aborting the signal stops the request, and
 * one still waiting its turn never goes out.
 */
export function createUpstreamClient(options: UpstreamClientOptions) {
  const { concurrency = 8, timeoutMs = 15_000, retries = 2, retryBaseMs = 500, retryMaxMs = 10_000, onRequest = () => {} } = options;
  const pool = new Pool(options.origin, { connections: concurrency, connectTimeout: timeoutMs, headersTimeout: 0, bodyTimeout: 0 });
  const limit = pLimit(concurrency);
  const headers = { accept: 'application/json', ...(options.userAgent ? { 'user-agent': options.userAgent } : {}) };

  async function attemptOnce({ path, what, maxBodyBytes, signal }: UpstreamGet): Promise<string> {
    // The deadline starts when the request goes out, not while it waits its turn. A timer and a
    // controller of our own, held until the attempt ends: AbortSignal.timeout inside AbortSignal.any
    // can be collected before it fires on Node 20, and a hung request would then never end.
    const attempt = new AbortController();
    const timer = setTimeout(() => attempt.abort(new AttemptTimeout()), timeoutMs);
    const stop = () => attempt.abort(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    try {
      onRequest();
      const response = await pool.request({ method: 'GET', path, headers, signal: attempt.signal });
      if (response.statusCode < 200 || response.statusCode >= 300) {
        await response.body.dump().catch(() => {});
        throw new StatusFailure(response.statusCode, retryAfterMs(response.headers['retry-after']));
      }
      const declared = Number(response.headers['content-length']);
      const tooLarge = () => new UpstreamError(`25Live response for ${what} exceeds ${maxBodyBytes} bytes`, 'too-large');
      if (declared > maxBodyBytes) {
        response.body.destroy();
        throw tooLarge(); // refused before reading a byte of it
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > maxBodyBytes) {
          response.body.destroy();
          throw tooLarge();
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

  function translate(what: string, error: unknown, attempts: number, signal: AbortSignal): UpstreamError {
    if (error instanceof UpstreamError) return error;
    if (signal.aborted) return new UpstreamError(`the request for ${what} was stopped`, 'deadline', { cause: error });
    if (error instanceof StatusFailure) {
      const pause = PAUSE_STATUSES.has(error.statusCode) && error.retryAfterMs !== null ? { retryAfterMs: error.retryAfterMs } : {};
      return new UpstreamError(`25Live answered ${error.statusCode} for ${what} after ${attempts} attempt${attempts === 1 ? '' : 's'}`, 'status', { cause: error, ...pause });
    }
    const { code, message } = (error ?? {}) as { code?: string; message?: string };
    if (error instanceof AttemptTimeout || code === 'UND_ERR_CONNECT_TIMEOUT') {
      return new UpstreamError(`25Live did not answer ${what} within ${timeoutMs} ms`, 'timeout', { cause: error });
    }
    return new UpstreamError(`25Live request for ${what} failed: ${code ?? message ?? String(error)}`, 'network', { cause: error });
  }

  return {
    /** The body of a 2xx answer, after up to `retries` retries; rejects with an `UpstreamError`. */
    async get(request: UpstreamGet): Promise<string> {
      const { signal } = request;
      setMaxListeners(0, signal); // every request of a fetch listens to it
      for (let attempt = 1; ; attempt += 1) {
        try {
          // A request still waiting its turn when the fetch is stopped never goes out.
          return await limit(() => (signal.aborted ? Promise.reject(signal.reason) : attemptOnce(request)));
        } catch (error) {
          const failure = translate(request.what, error, attempt, signal);
          const status = error instanceof StatusFailure ? error.statusCode : null;
          const retryable = status !== null ? RETRY_STATUSES.has(status) : failure.reason === 'timeout' || RETRY_CODES.has((error as { code?: string })?.code ?? '');
          const asked = error instanceof StatusFailure ? error.retryAfterMs : null;
          if (signal.aborted || !retryable || attempt > retries || (asked !== null && asked > retryMaxMs)) throw failure;
          const backoff = Math.min(retryMaxMs, retryBaseMs * 2 ** (attempt - 1));
          await sleep(asked ?? backoff / 2 + Math.random() * (backoff / 2), signal);
        }
      }
    },
    // A stopping process does not wait on 25Live: requests still running are aborted (and never stored as data).
    close: () => pool.destroy(),
  };
}

export type UpstreamClient = ReturnType<typeof createUpstreamClient>;
