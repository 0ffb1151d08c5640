import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { EncodedBody, Encoding } from '../http/encoded-body.ts';

/** A body in each encoding: compressed once, at build time for the assets, on first demand for pages. */
export type Variants = Record<Encoding, Buffer>;

export function precompress(bytes: Buffer, quality = constants.BROTLI_MAX_QUALITY): Variants {
  return {
    identity: bytes,
    br: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
    gzip: gzipSync(bytes, { level: 9 }),
  };
}

export interface AssetHeaders {
  contentType: string;
  cacheControl: string;
  /** Further header pairs for a 200 (a page's Content-Security-Policy). */
  extra?: string[];
}

/**
 * Bytes served the way the API's answers are (`writeEncoded`): a strong ETag per encoding, 304 for
 * a matching `If-None-Match`, headers built once. `variants` may be given whole, or made lazily.
 */
export function encodeAsset(source: Variants | Buffer, headers: AssetHeaders): EncodedBody {
  let variants = Buffer.isBuffer(source) ? null : source;
  const identity = Buffer.isBuffer(source) ? source : source.identity;
  const all = () => (variants ??= precompress(identity, 9));
  const hash = createHash('sha256').update(identity).digest('base64url').slice(0, 27);
  const etag = (encoding: Encoding) => (encoding === 'identity' ? `"${hash}"` : `"${hash}-${encoding}"`);
  const bytes = (encoding: Encoding) => (encoding === 'identity' ? identity : all()[encoding]);
  const heads = new Map<string, string[]>();
  return {
    etag,
    bytes,
    head(encoding, notModified = false) {
      const key = `${notModified} ${encoding}`;
      let head = heads.get(key);
      if (!head) {
        head = ['ETag', etag(encoding), 'Cache-Control', headers.cacheControl, 'Vary', 'Accept-Encoding', 'X-Content-Type-Options', 'nosniff'];
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
