import { readFile } from 'node:fs/promises';
import Router from '@koa/router';
import { parse } from 'yaml';

/** What `/readyz` reports: ready or not, and why, as the app sees it. */
export interface Readiness {
  ready: boolean;
  [detail: string]: unknown;
}

export interface OpsOptions {
  /** Served at `GET /metrics` when given. */
  metrics?: { render(): Promise<string>; contentType: string };
  /** `GET /readyz`; without it, ready whenever alive. */
  readiness?: () => Promise<Readiness>;
}

const SPEC = new URL('../../../openapi.yaml', import.meta.url);
let spec: Promise<unknown> | undefined;

/** What operators and tools ask: liveness, readiness, Prometheus metrics, and the API's description. */
export function opsRoutes(options: OpsOptions): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const readiness = options.readiness ? await options.readiness() : { ready: true };
    ctx.status = readiness.ready ? 200 : 503;
    ctx.body = readiness;
  });
  const { metrics } = options;
  if (metrics) {
    router.get('/metrics', async (ctx) => {
      ctx.type = metrics.contentType;
      ctx.body = await metrics.render();
    });
  }
  router.get('/api/openapi.json', async (ctx) => {
    // Read once, on first demand: the file ships with the package, beside dist/.
    spec ??= readFile(SPEC, 'utf8').then(parse);
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = await spec;
  });
  return router;
}
