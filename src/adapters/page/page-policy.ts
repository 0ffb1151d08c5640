import { createHash } from 'node:crypto';

/**
 * The page's Content-Security-Policy: nothing from any other origin, no inline script, and the one
 * inline style sheet by its hash. The browser itself then guarantees the page makes no outside request.
 */
export function pagePolicy(css: string): string {
  const styleHash = createHash('sha256').update(css).digest('base64');
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'sha256-${styleHash}'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
