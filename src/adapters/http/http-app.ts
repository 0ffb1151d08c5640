import cors from '@koa/cors';
import Router from '@koa/router';
import Koa from 'koa';
import { remainingMinutes } from '../../domain/cooldown.ts';
import { BackoffError, UnknownBuildingError } from '../../domain/errors.ts';
import type { ClassroomService } from '../../domain/classroom-service.ts';
import type { OpenClassrooms } from '../../domain/organise.ts';
import type { Metrics } from '../metrics.ts';
import { pageRoutes, type PageOptions } from '../page/page-routes.ts';
import { encodeBody } from './encoded-body.ts';
import { errorMiddleware, type ErrorReporter } from './error-middleware.ts';
import { buildingParam, freeRoomsQuery, readQuery } from './query.ts';
import { writeEncoded } from './write-encoded.ts';

export interface HttpAppOptions {
  onError?: ErrorReporter;
  /** Served at `GET /metrics` when given. */
  metrics?: Metrics;
  /** Serves the student page at `/` when given. */
  page?: PageOptions;
}

/** The old backend's four endpoints on Koa; built, not started: call `.callback()` or `.listen()`. */
export function createHttpApp(service: ClassroomService, options: HttpAppOptions = {}): Koa {
  const app = new Koa();
  const router = new Router({ prefix: '/api' });

  // Answers built once per snapshot and query go out from prepared bytes, compressed once.
  const sendEncoded = (ctx: Koa.Context, body: object) => {
    ctx.respond = false;
    writeEncoded(ctx.req, ctx.res, encodeBody(body));
  };

  router.get('/open-classrooms', async (ctx) => {
    const { building, date } = readQuery(ctx.query, ['building', 'date']);
    const body = await service.openClassrooms(date);
    sendEncoded(ctx, building === undefined ? body : onlyBuilding(body, buildingParam(building)!));
  });

  router.get('/dates', async (ctx) => {
    readQuery(ctx.query, []);
    sendEncoded(ctx, await service.dates());
  });

  router.get('/free-rooms', async (ctx) => {
    sendEncoded(ctx, await service.freeRooms(freeRoomsQuery(ctx.query)));
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
  if (options.page) app.use(pageRoutes(service, options.page));
  app.use(cors({ origin: '*' }));
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.use(root.routes());
  return app;
}

const byBuilding = new WeakMap<OpenClassrooms, Map<string, OpenClassrooms>>();

/** One building's part of the answer, kept with the answer so its bytes are encoded once too. */
function onlyBuilding(body: OpenClassrooms, code: string): OpenClassrooms {
  const building = body.buildings[code];
  if (!building) {
    throw new UnknownBuildingError(`Unknown building ${JSON.stringify(code.length > 20 ? `${code.slice(0, 20)}…` : code)}; known buildings: ${Object.keys(body.buildings).join(', ')}`);
  }
  let parts = byBuilding.get(body);
  if (!parts) byBuilding.set(body, (parts = new Map()));
  let part = parts.get(building.code);
  if (!part) parts.set(building.code, (part = { ...body, buildings: { [building.code]: building } }));
  return part;
}
