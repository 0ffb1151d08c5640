import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export type Encoding = 'br' | 'gzip' | 'identity';

/** A response body serialised, hashed and (on first demand) compressed once, then reused for every request. */
export interface EncodedBody {
  /** A strong ETag names exact bytes, so each encoding has its own. */
  etag(encoding: Encoding): string;
  bytes(encoding: Encoding): Buffer;
  /** Raw header pairs for a 200 in this encoding, or for a 304 of it. */
  head(encoding: Encoding, notModified?: boolean): string[];
}

const encoded = new WeakMap<object, EncodedBody>();

function compress(json: Buffer, encoding: Encoding): Buffer {
  if (encoding === 'br') return brotliCompressSync(json, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } });
  return encoding === 'gzip' ? gzipSync(json, { level: 9 }) : json;
}

export function encodeBody(body: object & { stale?: boolean }): EncodedBody {
  const known = encoded.get(body);
  if (known) return known;
  const json = Buffer.from(JSON.stringify(body));
  const hash = createHash('sha256').update(json).digest('base64url').slice(0, 27);
  const etag = (encoding: Encoding) => (encoding === 'identity' ? `"${hash}"` : `"${hash}-${encoding}"`);
  // Fresh data is revalidated on every use (a refresh may land any minute); stale data is never stored.
  const common = (encoding: Encoding) => {
    const head = ['ETag', etag(encoding), 'Cache-Control', body.stale === true ? 'no-store' : 'no-cache', 'Vary', 'Accept-Encoding', 'Access-Control-Allow-Origin', '*'];
    if (body.stale === true) head.push('X-Data-Stale', 'true');
    return head;
  };
  const bytes = new Map<Encoding, Buffer>();
  const heads = new Map<string, string[]>();
  const entry: EncodedBody = {
    etag,
    bytes(encoding) {
      let variant = bytes.get(encoding);
      if (!variant) bytes.set(encoding, (variant = compress(json, encoding)));
      return variant;
    },
    head(encoding, notModified = false) {
      const key = notModified ? `304 ${encoding}` : encoding;
      let head = heads.get(key);
      if (!head) {
        head = common(encoding);
        if (!notModified) {
          head.push('Content-Type', 'application/json', 'Content-Length', String(entry.bytes(encoding).length));
          if (encoding !== 'identity') head.push('Content-Encoding', encoding);
        }
        heads.set(key, head);
      }
      return head;
    },
  };
  encoded.set(body, entry);
  return entry;
}

/** The best encoding an Accept-Encoding header allows: br, then gzip, else identity. */
export function chooseEncoding(header: string | undefined): Encoding {
  if (!header) return 'identity';
  const allowed = new Set<string>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) allowed.add(name);
  }
  return allowed.has('br') ? 'br' : allowed.has('gzip') ? 'gzip' : 'identity';
}
