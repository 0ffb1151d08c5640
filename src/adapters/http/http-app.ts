import cors from '@koa/cors';
import type Router from '@koa/router';
import Koa from 'koa';
import type { ClassroomService } from '../../domain/classroom-service.ts';
import { pageRoutes, type PageOptions } from '../page/page-routes.ts';
import { apiRoutes } from './api-routes.ts';
import { EXPOSED_HEADERS } from './cors.ts';
import { errorMiddleware } from './error-middleware.ts';
import { silentObserver, type HttpObserver } from './observer.ts';
import { opsRoutes, type OpsOptions } from './ops-routes.ts';
import { requestIdFor } from './request-headers.ts';

export interface HttpAppOptions extends OpsOptions {
  /** Access log and metrics; silent by default. */
  observer?: HttpObserver;
  /** Serves the student page at `/` when given. */
  page?: PageOptions;
}

/** The route template a path matched, for logs and metrics (a path itself could be anything). */
function routeOf(routers: Router[], path: string, method: string): string {
  for (const router of routers) {
    const layer = router.match(path, method).pathAndMethod.at(-1);
    if (layer) return String(layer.path);
  }
  return 'other';
}

/** The methods a path answers, for the CORS preflight and `Allow`. */
function methodsOf(routers: Router[], path: string): string[] {
  const methods = new Set<string>();
  for (const router of routers) for (const layer of router.match(path, 'GET').path) for (const m of layer.methods) methods.add(m);
  return [...methods];
}

/** The API on Koa; built, not started: call `.callback()` or `.listen()`. */
export function createHttpApp(service: ClassroomService, options: HttpAppOptions = {}): Koa {
  const app = new Koa();
  const observer = options.observer ?? silentObserver;
  const routers = [apiRoutes(service), opsRoutes(options)];

  // Every request: a request id (the caller's, or a new one) echoed back, nosniff, and one access-log line.
  app.use(async (ctx, next) => {
    const started = performance.now();
    const requestId = requestIdFor(ctx.get('X-Request-Id') || undefined);
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    ctx.set('X-Content-Type-Options', 'nosniff');
    await next();
    observer.answered({ method: ctx.method, path: ctx.path, route: routeOf(routers, ctx.path, ctx.method), status: ctx.status, ms: performance.now() - started, requestId, hot: false });
  });
  app.use(
    errorMiddleware((error, status, ctx) => observer.failed(error, { method: ctx.method, path: ctx.path, route: routeOf(routers, ctx.path, ctx.method), status, requestId: ctx.state.requestId })),
  );
  if (options.page) app.use(pageRoutes(service, options.page));
  // The preflight names only the methods the path answers.
  app.use(async (ctx, next) => {
    if (ctx.method !== 'OPTIONS' || !ctx.get('Access-Control-Request-Method')) return next();
    const methods = methodsOf(routers, ctx.path);
    ctx.status = methods.length === 0 ? 404 : 204; // a path with no methods has nothing to offer another origin
    if (methods.length === 0) return;
    ctx.set({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': methods.join(','), 'Access-Control-Max-Age': '600', Vary: 'Access-Control-Request-Headers' });
    const headers = ctx.get('Access-Control-Request-Headers');
    if (headers) ctx.set('Access-Control-Allow-Headers', headers);
  });
  app.use(cors({ origin: '*', exposeHeaders: EXPOSED_HEADERS }));
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
