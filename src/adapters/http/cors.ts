/** What a page on any origin may read of an answer: the same on every lane (Koa, the lean lane, Node's refusals). */
export const EXPOSED_HEADERS = ['ETag', 'Retry-After', 'X-Data-Stale', 'X-Request-Id'];

/** The CORS headers every answer carries: any origin may read the public data. */
export const CORS_HEADERS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': EXPOSED_HEADERS.join(', ') } as const;

/** The headers of a JSON failure outside Koa (the lean lane, Node's own refusals): the type, CORS, nosniff and the request id. */
export const errorHeaders = (requestId: string): Record<string, string> => ({
  'Content-Type': 'application/json',
  ...CORS_HEADERS,
  'X-Content-Type-Options': 'nosniff',
  'X-Request-Id': requestId,
});
