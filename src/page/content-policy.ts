/**
 * The page's Content-Security-Policy: nothing from any other origin, no inline script, and the one
 * inline style sheet by its SHA-256 (base64). The browser itself then keeps the page from making any
 * outside request. Built here for the server and for the service worker alike.
 */
export function contentPolicy(styleSha256: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'sha256-${styleSha256}'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
