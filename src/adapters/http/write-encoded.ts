import type { IncomingMessage, ServerResponse } from 'node:http';
import { chooseEncoding, type EncodedBody } from './encoded-body.ts';

/** `If-None-Match` may list several tags, weak forms of ours, or `*`. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header === etag || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
}

/** Writes a snapshot's answer from prepared bytes and headers: 304 for a matching ETag, else the best encoding. */
export function writeEncoded(req: IncomingMessage, res: ServerResponse, body: EncodedBody): void {
  if (matches(req.headers['if-none-match'], body.etag)) {
    res.writeHead(304, body.head('not-modified')).end();
    return;
  }
  const encoding = chooseEncoding(req.headers['accept-encoding']);
  res.writeHead(200, body.head(encoding)).end(req.method === 'HEAD' ? undefined : body.bytes(encoding));
}
