import cors from '@koa/cors';
import Router from '@koa/router';
import Koa from 'koa';
import { remainingMinutes } from '../../domain/cooldown.ts';
import { BackoffError } from '../../domain/errors.ts';
import type { ClassroomService } from '../../domain/classroom-service.ts';
import type { OpenClassrooms } from '../../domain/organise.ts';
import type { Metrics } from '../metrics.ts';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { encodeBody } from './encoded-body.ts';
import { BadRequestError, errorMiddleware, failureResponse, type ErrorReporter } from './error-middleware.ts';
import { writeEncoded } from './write-encoded.ts';

export interface HttpAppOptions {
  onError?: ErrorReporter;
  /** Served at `GET /metrics` when given. */
  metrics?: Metrics;
}

/** The old backend's four endpoints on Koa; built, not started: call `.callback()` or `.listen()`. */
export function createHttpApp(service: ClassroomService, options: HttpAppOptions = {}): Koa {
  const app = new Koa();
  const router = new Router({ prefix: '/api' });

  router.get('/open-classrooms', async (ctx) => {
    const building = singleParam(ctx.query.building, 'building');
    const body = await service.openClassrooms();
    const answer = encodeBody(building === undefined ? body : onlyBuilding(body, building));
    ctx.respond = false;
    writeEncoded(ctx.req, ctx.res, answer);
  });

  router.post('/refresh', async (ctx) => {
    const outcome = await service.refresh();
    // 25Live failed recently: the fleet does not ask it again yet, whoever asks.
    if (outcome.kind === 'backoff') throw new BackoffError(outcome.retryAfterMs);
    if (outcome.kind === 'cooling') {
      ctx.status = 429;
      ctx.set('Retry-After', String(Math.ceil(outcome.remainingMs / 1000)));
      ctx.body = { detail: `Refresh cooldown active. Please wait ${remainingMinutes(outcome.remainingMs, 1).toFixed(1)} more minutes.` };
      return;
    }
    ctx.body = { message: 'Data refreshed successfully', timestamp: outcome.at };
  });

  router.get('/cooldown-status', async (ctx) => {
    const cooldown = await service.cooldown();
    ctx.body =
      cooldown.kind === 'cooling'
        ? { in_cooldown: true, remaining_minutes: remainingMinutes(cooldown.remainingMs, 2) }
        : { in_cooldown: false, remaining_minutes: 0 };
  });

  router.get('/last-updated', async (ctx) => {
    ctx.body = { last_updated: await service.lastUpdated() };
  });

  const root = new Router();
  const { metrics } = options;
  if (metrics) {
    root.get('/metrics', async (ctx) => {
      ctx.type = metrics.contentType;
      ctx.body = await metrics.render();
    });
  }

  app.use(errorMiddleware(options.onError ?? (() => {})));
  app.use(cors({ origin: '*' }));
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use(root.routes());
  return app;
}

/**
 * The server's request listener: a cached snapshot's answer goes straight out, bytes built once per
 * snapshot, with no per-request parsing or serialising; everything else goes through the Koa app.
 */
export function createRequestListener(service: ClassroomService, options: HttpAppOptions = {}): RequestListener {
  const koa = createHttpApp(service, options).callback();
  const report = options.onError ?? (() => {});
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.url !== '/api/open-classrooms' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      void koa(req, res);
      return;
    }
    const held = service.peek();
    if (held) {
      writeEncoded(req, res, encodeBody(held));
      return;
    }
    // A cold stampede waits here, not in Koa: a thousand waiting requests should cost little memory.
    service
      .openClassrooms()
      .then((body) => writeEncoded(req, res, encodeBody(body)))
      .catch((error: unknown) => {
        const failure = failureResponse(error);
        report(error, failure.status);
        if (res.headersSent) res.destroy();
        else res.writeHead(failure.status, { ...failure.headers, 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' }).end(JSON.stringify(failure.body));
      });
  };
}

function singleParam(value: string | string[] | undefined, name: string): string | undefined {
  if (Array.isArray(value)) throw new BadRequestError(`Query parameter "${name}" may be given only once`);
  return value;
}

const byBuilding = new WeakMap<OpenClassrooms, Map<string, OpenClassrooms>>();

/** One building's part of the answer, kept with the answer so its bytes are encoded once too. */
function onlyBuilding(body: OpenClassrooms, code: string): OpenClassrooms {
  const building = body.buildings[code.toUpperCase()];
  if (!building) {
    throw new BadRequestError(`Unknown building "${code}"; known buildings: ${Object.keys(body.buildings).join(', ')}`);
  }
  let parts = byBuilding.get(body);
  if (!parts) byBuilding.set(body, (parts = new Map()));
  let part = parts.get(building.code);
  if (!part) parts.set(building.code, (part = { ...body, buildings: { [building.code]: building } }));
  return part;
}
