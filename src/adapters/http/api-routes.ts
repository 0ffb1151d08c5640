import Router from '@koa/router';
import type Koa from 'koa';
import type { ClassroomService } from '../../domain/classroom-service.ts';
import { buildingCodeOf } from '../../domain/catalog.ts';
import { remainingMinutes } from '../../domain/cooldown.ts';
import { BackoffError } from '../../domain/errors.ts';
import type { OpenClassrooms } from '../../domain/organise.ts';
import { encodeBody } from './encoded-body.ts';
import { buildingParam, freeRoomsQuery, readQuery } from './query.ts';
import { hotHeaders } from './request-headers.ts';
import { writeEncoded } from './write-encoded.ts';

/** Answers built once per snapshot and query go out from prepared bytes, compressed once. */
function sendEncoded(ctx: Koa.Context, body: object): void {
  ctx.respond = false;
  writeEncoded(ctx.req, ctx.res, encodeBody(body), hotHeaders(ctx.req));
}

/** The old backend's four endpoints, and the days and free rooms beside them, under `/api`. */
export function apiRoutes(service: ClassroomService): Router {
  const router = new Router({ prefix: '/api' });

  router.get('/open-classrooms', async (ctx) => {
    // The old endpoint: other names are ignored, as the old backend did (a cache-busting `?t=` from a page).
    const { building, date } = readQuery(ctx.query, ['building', 'date'], { ignoreUnknown: true });
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
    ctx.body = cooldown.kind === 'cooling' ? { in_cooldown: true, remaining_minutes: remainingMinutes(cooldown.remainingMs, 2) } : { in_cooldown: false, remaining_minutes: 0 };
  });

  router.get('/last-updated', async (ctx) => {
    ctx.body = { last_updated: await service.lastUpdated() };
  });

  return router;
}

const byBuilding = new WeakMap<OpenClassrooms, Map<string, OpenClassrooms>>();

/** One building's part of the answer, kept with the answer so its bytes are encoded once too. */
function onlyBuilding(body: OpenClassrooms, asked: string): OpenClassrooms {
  const building = body.buildings[buildingCodeOf(Object.keys(body.buildings), asked)]!;
  let parts = byBuilding.get(body);
  if (!parts) {
    parts = new Map();
    byBuilding.set(body, parts);
  }
  let part = parts.get(building.code);
  if (!part) {
    part = { ...body, buildings: { [building.code]: building } };
    parts.set(building.code, part);
  }
  return part;
}
