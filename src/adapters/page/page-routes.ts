import type { Middleware } from 'koa';
import type { ClassroomService } from '../../domain/classroom-service.ts';
import { chooseEncoding } from '../http/encoded-body.ts';
import { hotHeaders } from '../http/request-headers.ts';
import { writeEncoded } from '../http/write-encoded.ts';
import { loadPageAssets } from './page-assets.ts';
import { createPageDocuments } from './page-document.ts';

export interface PageOptions {
  /** The school's name (the catalog's `school`), in the page's title and header. */
  school: string;
  /** The campus time zone (the catalog's `timeZone`): the page shows campus time on any device. */
  timeZone: string;
  nowMs?: () => number;
}

/**
 * The student page on the HTTP app: `GET /` (the page, rendered from the service's current answer),
 * `/assets/page-<hash>.js` (immutable) and `/sw.js`. Anything else goes on to the API.
 */
export function pageRoutes(service: ClassroomService, options: PageOptions): Middleware {
  const documentFor = createPageDocuments(service, { school: options.school, timeZone: options.timeZone, nowMs: options.nowMs ?? Date.now });

  return async (ctx, next) => {
    const { path } = ctx;
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || (path !== '/' && path !== '/sw.js' && !path.startsWith('/assets/'))) return next();
    // Loaded (and bundled) on the first request for the page, once: a service that never serves it never bundles it.
    const assets = await loadPageAssets();
    if (path !== '/') {
      const file = assets.files.get(path);
      if (!file) return next();
      ctx.respond = false;
      return writeEncoded(ctx.req, ctx.res, file, hotHeaders(ctx.req));
    }
    const page = await documentFor(ctx.querystring, assets);
    ctx.respond = false;
    if (page.kind === 'page') return writeEncoded(ctx.req, ctx.res, page.body, hotHeaders(ctx.req));
    // No data: the page with its error banner, under the API's status (503) and Retry-After, never stored.
    const encoding = chooseEncoding(ctx.get('accept-encoding'));
    const head = [...page.body.head(encoding), ...Object.entries(page.headers).flat()];
    ctx.res.writeHead(page.status, head).end(ctx.method === 'HEAD' ? undefined : page.body.bytes(encoding));
  };
}
