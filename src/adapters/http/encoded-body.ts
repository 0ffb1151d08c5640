import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import Negotiator from 'negotiator';
import { CORS_HEADERS } from './cors.ts';

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
    const head = [
      'ETag',
      etag(encoding),
      'Cache-Control',
      body.stale === true ? 'no-store' : 'no-cache',
      'Vary',
      'Accept-Encoding',
      ...Object.entries(CORS_HEADERS).flat(),
      'X-Content-Type-Options',
      'nosniff',
    ];
    if (body.stale === true) head.push('X-Data-Stale', 'true');
    return head;
  };
  const bytes = new Map<Encoding, Buffer>();
  const heads = new Map<string, string[]>();
  const entry: EncodedBody = {
    etag,
    bytes(encoding) {
      let variant = bytes.get(encoding);
      if (!variant) {
        variant = compress(json, encoding);
        bytes.set(encoding, variant);
      }
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

const OFFERED: Encoding[] = ['br', 'gzip', 'identity'];
const chosen = new Map<string, Encoding>();
/** Distinct Accept-Encoding values are few; each is negotiated once. */
const CHOSEN_KEPT = 256;

/**
 * The encoding an Accept-Encoding header prefers among br, gzip and identity, q-values honoured
 * (`br;q=0.5, gzip;q=1` gets gzip), by `negotiator`, the negotiation Koa itself uses.
 */
export function chooseEncoding(header: string | undefined): Encoding {
  if (!header) return 'identity';
  let encoding = chosen.get(header);
  if (encoding === undefined) {
    // negotiator 1.x breaks ties by `preferred`; its published types predate the option.
    const negotiator = new Negotiator({ headers: { 'accept-encoding': header } }) as unknown as { encoding(available: Encoding[], options: { preferred: Encoding[] }): Encoding | undefined };
    encoding = negotiator.encoding(OFFERED, { preferred: OFFERED }) ?? 'identity';
    if (chosen.size >= CHOSEN_KEPT) chosen.clear();
    chosen.set(header, encoding);
  }
  return encoding;
}
