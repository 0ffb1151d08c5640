import { randomUUID } from 'node:crypto';
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

/**
 * The id an answer carries in `X-Request-Id` and its log lines name, on every lane: the caller's own
 * when we may log and echo it (visible ASCII, at most 128 characters), else a new one.
 */
export const requestIdFor = (given: string | undefined): string => (given !== undefined && USABLE_ID.test(given) ? given : randomUUID());
