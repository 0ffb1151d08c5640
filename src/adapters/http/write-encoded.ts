import type { IncomingMessage, ServerResponse } from 'node:http';
import { chooseEncoding, type EncodedBody } from './encoded-body.ts';
import type { HotHeaders } from './request-headers.ts';

/** `If-None-Match` may list several tags, weak forms of ours, or `*`. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header === etag || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
}

/**
 * Writes an answer from prepared bytes and headers: 304 for a matching ETag, else the best encoding;
 * returns the status. Outside Koa, `requestId` goes beside the prepared head, so Node takes the
 * raw-array fast path of `writeHead` (a `setHeader` first would make it merge every header).
 */
export function writeEncoded(req: IncomingMessage, res: ServerResponse, body: EncodedBody, headers: HotHeaders, requestId?: string): number {
  const encoding = chooseEncoding(headers.acceptEncoding);
  const withId = (head: string[]) => (requestId === undefined ? head : [...head, 'X-Request-Id', requestId]);
  if (matches(headers.ifNoneMatch, body.etag(encoding))) {
    res.writeHead(304, withId(body.head(encoding, true))).end();
    return 304;
  }
  res.writeHead(200, withId(body.head(encoding))).end(req.method === 'HEAD' ? undefined : body.bytes(encoding));
  return 200;
}
