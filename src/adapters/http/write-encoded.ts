import type { IncomingMessage, ServerResponse } from 'node:http';
import { chooseEncoding, type EncodedBody } from './encoded-body.ts';

/** `If-None-Match` may list several tags, weak forms of ours, or `*`. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header === etag || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
}

/** The two request headers the hot path reads, found in `rawHeaders` so Node never builds `req.headers`. */
function conditionalHeaders(req: IncomingMessage): { ifNoneMatch?: string; acceptEncoding?: string } {
  const raw = req.rawHeaders;
  const found: { ifNoneMatch?: string; acceptEncoding?: string } = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 13 && name.toLowerCase() === 'if-none-match') found.ifNoneMatch = raw[i + 1];
    else if (name.length === 15 && name.toLowerCase() === 'accept-encoding') found.acceptEncoding = raw[i + 1];
  }
  return found;
}

/** Writes a snapshot's answer from prepared bytes and headers: 304 for a matching ETag, else the best encoding. */
export function writeEncoded(req: IncomingMessage, res: ServerResponse, body: EncodedBody): void {
  const { ifNoneMatch, acceptEncoding } = conditionalHeaders(req);
  const encoding = chooseEncoding(acceptEncoding);
  if (matches(ifNoneMatch, body.etag(encoding))) {
    res.writeHead(304, body.head(encoding, true)).end();
    return;
  }
  res.writeHead(200, body.head(encoding)).end(req.method === 'HEAD' ? undefined : body.bytes(encoding));
}
