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

/** A body in each encoding (some may be made on demand). */
export type Variants = Record<Encoding, Buffer>;

export function compress(bytes: Buffer, encoding: Encoding, quality: number): Buffer {
  if (encoding === 'br') return brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } });
  return encoding === 'gzip' ? gzipSync(bytes, { level: 9 }) : bytes;
}

export interface BytesHeaders {
  contentType: string;
  cacheControl: string;
  /** Brotli's quality for a variant made on demand. */
  quality: number;
  /** Further header pairs on every answer of it, 304s included (CORS, `X-Data-Stale`). */
  always?: string[];
  /** Further header pairs on a 200 only (a page's Content-Security-Policy). */
  extra?: string[];
}

/**
 * Bytes served as prepared answers: hashed once for a strong ETag per encoding, each encoding
 * compressed the first time a client asks for it (unless given whole), the header arrays built once.
 */
export function encodeBytes(source: Partial<Variants> & { identity: Buffer }, headers: BytesHeaders): EncodedBody {
  const variants: Partial<Variants> = { ...source };
  const identity = source.identity;
  const hash = createHash('sha256').update(identity).digest('base64url').slice(0, 27);
  const etag = (encoding: Encoding) => (encoding === 'identity' ? `"${hash}"` : `"${hash}-${encoding}"`);
  const bytes = (encoding: Encoding) => (variants[encoding] ??= compress(identity, encoding, headers.quality));
  const heads = new Map<string, string[]>();
  return {
    etag,
    bytes,
    head(encoding, notModified = false) {
      const key = `${notModified} ${encoding}`;
      let head = heads.get(key);
      if (!head) {
        head = ['ETag', etag(encoding), 'Cache-Control', headers.cacheControl, 'Vary', 'Accept-Encoding', 'X-Content-Type-Options', 'nosniff', ...(headers.always ?? [])];
        if (!notModified) {
          head.push('Content-Type', headers.contentType, 'Content-Length', String(bytes(encoding).length), ...(headers.extra ?? []));
          if (encoding !== 'identity') head.push('Content-Encoding', encoding);
        }
        heads.set(key, head);
      }
      return head;
    },
  };
}

const encoded = new WeakMap<object, EncodedBody>();
const CORS = Object.entries(CORS_HEADERS).flat();

/** An API answer as JSON, encoded once per object: fresh data is revalidated on every use (a refresh may land any minute), stale data never stored. */
export function encodeBody(body: object & { stale?: boolean }): EncodedBody {
  let entry = encoded.get(body);
  if (!entry) {
    const stale = body.stale === true;
    entry = encodeBytes(
      { identity: Buffer.from(JSON.stringify(body)) },
      { contentType: 'application/json', cacheControl: stale ? 'no-store' : 'no-cache', quality: 9, always: stale ? [...CORS, 'X-Data-Stale', 'true'] : CORS },
    );
    encoded.set(body, entry);
  }
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
