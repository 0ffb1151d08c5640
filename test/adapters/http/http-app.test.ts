import { once } from 'node:events';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createHttpApp } from '../../../src/adapters/http/http-app.ts';
import { createRequestListener } from '../../../src/adapters/http/lean-lane.ts';
import { BU_CATALOG } from '../../../src/catalog/bu.ts';
import { createClassroomService } from '../../../src/domain/classroom-service.ts';
import { compareRoomNames } from '../../../src/domain/room-order.ts';
import { createFakeStore } from '../../../src/testing/fake-store.ts';
import { createManualClock } from '../../../src/testing/manual-clock.ts';
import { createStubScheduleSource } from '../../../src/testing/stub-schedule-source.ts';

function setup(catalog = BU_CATALOG) {
  const clock = createManualClock('2026-11-26T08:15:00-05:00');
  const cache = createFakeStore(() => clock.epochMs);
  // Room 342 (CAS 116) has one class 9.75–11; every other room is free all day.
  const source = createStubScheduleSource((spaceId, date) => [
    { date, bookings: spaceId === 342 ? [{ start: '9.750000', end: '11.000000', eventState: 2 }] : [] },
    // the next two days: CAS 116 booked all afternoon tomorrow, everyone free the day after
    { date: '2026-11-27', bookings: spaceId === 342 ? [{ start: '12', end: '23', eventState: 2 }] : [] },
    { date: '2026-11-28', bookings: [] },
  ]);
  const service = createClassroomService({ store: cache, leases: cache, backoffs: cache, source, sourceId: 'https://25live.example/', clock, catalog });
  const errors: number[] = [];
  const app = createHttpApp(service, { observer: { logsHotPath: false, answered() {}, counted() {}, failed: (_error, request) => errors.push(request.status) } });
  return { clock, cache, source, service, server: app.callback(), errors };
}

describe('HTTP API', () => {
  let ctx: ReturnType<typeof setup>;
  beforeEach(() => {
    ctx = setup();
  });

  it('serves buildings and rooms in catalog order with the old shape', async () => {
    const res = await request(ctx.server).get('/api/open-classrooms').expect(200).expect('content-type', /json/);
    expect(Object.keys(res.body.buildings)).toEqual(BU_CATALOG.buildings.map((b) => b.code));
    for (const building of BU_CATALOG.buildings) {
      const view = res.body.buildings[building.code];
      expect(view.code).toBe(building.code);
      expect(view.name).toBe(building.name);
      const expectedIds = BU_CATALOG.classrooms.filter((r) => r.building === building.code).map((r) => String(r.spaceId));
      expect(view.classrooms.map((r: { id: string }) => r.id)).toEqual(expectedIds);
    }
    const cas116 = res.body.buildings.CAS.classrooms.find((r: { id: string }) => r.id === '342');
    expect(cas116).toEqual({
      id: '342',
      name: '116',
      availability: [
        { start: '07:00:00', end: '09:44:00' },
        { start: '11:01:00', end: '23:00:00' },
      ],
    });
    expect(res.body.last_updated).toBe('2026-11-26T08:15:00.000-05:00');
  });

  it('lets any origin call it', async () => {
    const res = await request(ctx.server).get('/api/last-updated').set('Origin', 'https://example.edu').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const preflight = await request(ctx.server).options('/api/refresh').set('Origin', 'https://example.edu').set('Access-Control-Request-Method', 'POST');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
  });

  it('filters by building and rejects bad building queries with 400', async () => {
    const res = await request(ctx.server).get('/api/open-classrooms?building=cgs').expect(200);
    expect(Object.keys(res.body.buildings)).toEqual(['CGS']);
    const stringify = vi.spyOn(JSON, 'stringify');
    const again = await request(ctx.server).get('/api/open-classrooms?building=CGS').expect(200);
    const calls = stringify.mock.calls.length;
    vi.restoreAllMocks();
    expect(calls).toBe(0); // one building's bytes are built once per snapshot too
    expect(again.headers.etag).toBe(res.headers.etag);
    expect(again.body).toEqual(res.body);
    const bad = await request(ctx.server).get('/api/open-classrooms?building=XYZ').expect(400);
    expect(bad.body.detail).toMatch(/Unknown building "XYZ"/);
    const twice = await request(ctx.server).get('/api/open-classrooms?building=CAS&building=CGS').expect(400);
    expect(twice.body.detail).toMatch(/only once/);
  });

  it('refreshes, then enforces the cooldown with the text the page parses', async () => {
    const ok = await request(ctx.server).post('/api/refresh').expect(200);
    expect(ok.body).toEqual({ message: 'Data refreshed successfully', timestamp: '2026-11-26T08:15:00.000-05:00' });
    ctx.clock.advance(17 * 60_000 + 42_000);
    const cooling = await request(ctx.server).post('/api/refresh').expect(429);
    const minutes = /Please wait ([\d.]+) more minutes/.exec(cooling.body.detail)?.[1];
    expect(cooling.body.detail).toBe('Refresh cooldown active. Please wait 12.3 more minutes.');
    expect(Number(minutes)).toBeCloseTo(12.3, 5);
    const status = await request(ctx.server).get('/api/cooldown-status').expect(200);
    expect(status.body).toEqual({ in_cooldown: true, remaining_minutes: 12.3 });
    ctx.clock.advance(12 * 60_000 + 18_000);
    expect((await request(ctx.server).get('/api/cooldown-status')).body).toEqual({ in_cooldown: false, remaining_minutes: 0 });
    expect(ctx.source.calls).toBe(BU_CATALOG.classrooms.length);
  });

  it('reports last-updated as null, then the fetch time', async () => {
    expect((await request(ctx.server).get('/api/last-updated').expect(200)).body).toEqual({ last_updated: null });
    await request(ctx.server).get('/api/open-classrooms').expect(200);
    expect((await request(ctx.server).get('/api/last-updated')).body).toEqual({ last_updated: '2026-11-26T08:15:00.000-05:00' });
  });

  it('answers 503 with a detail, never 200 with {}, when 25Live is down and nothing is cached', async () => {
    ctx.source.fail('all');
    const res = await request(ctx.server).get('/api/open-classrooms').expect(503);
    expect(Object.keys(res.body)).toEqual(['detail']);
    expect(res.body.detail).toMatch(/25Live/);
    expect(res.headers['retry-after']).toBeDefined();
    expect(ctx.cache.writes).toBe(0);
  });

  it('answers 503 on the cooldown status when Redis is unreachable, never "no cooldown"', async () => {
    ctx.cache.setDown(true);
    const res = await request(ctx.server).get('/api/cooldown-status').expect(503);
    expect(res.body.detail).toMatch(/^Redis \w+ failed$/);
  });

  it('hides internal errors behind a plain 500', async () => {
    ctx.cache.readHead = async () => {
      throw new TypeError('secret internals at /work/main/src/x.ts:12');
    };
    const res = await request(ctx.server).post('/api/refresh').expect(500);
    expect(res.body).toEqual({ detail: 'Internal Server Error' });
    expect(JSON.stringify(res.body)).not.toMatch(/secret|\.ts/);
    expect(ctx.errors).toEqual([500]);
  });

  it('serves one strong ETag per snapshot, 304 on a match, and gzip or brotli when asked', async () => {
    const server = createRequestListener(ctx.service);
    const first = await request(server).get('/api/open-classrooms').set('Accept-Encoding', 'identity').expect(200);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(first.headers['access-control-allow-origin']).toBe('*');
    await request(server).get('/api/open-classrooms').set('Accept-Encoding', 'identity').set('If-None-Match', etag).expect(304);
    await request(server).get('/api/open-classrooms').set('Accept-Encoding', 'identity').set('If-None-Match', '"other"').expect(200);
    for (const encoding of ['br', 'gzip']) {
      const res = await request(server).get('/api/open-classrooms').set('Accept-Encoding', encoding).expect(200);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.body).toEqual(first.body);
      expect(res.headers.etag).toBe(`${etag.slice(0, -1)}-${encoding}"`);
      await request(server).get('/api/open-classrooms').set('Accept-Encoding', encoding).set('If-None-Match', String(res.headers.etag)).expect(304);
    }
    const identity = await request(server).get('/api/open-classrooms').set('Accept-Encoding', 'br;q=0, gzip;q=0').expect(200);
    expect(identity.headers['content-encoding']).toBeUndefined();
    ctx.clock.advance(31 * 60_000);
    await request(server).post('/api/refresh').expect(200);
    const next = await request(server).get('/api/open-classrooms').set('Accept-Encoding', 'identity').set('If-None-Match', etag).expect(200);
    expect(next.headers.etag).not.toBe(etag);
  });

  it.each(['/api/open-classrooms', '/api/open-classrooms?date=2026-11-27', '/api/free-rooms?date=2026-11-28&at=10:00&for=30'])(
    'answers a cached hit of %s from prepared bytes: no JSON parse or stringify, no cache call, the same bytes each time',
    async (path) => {
      const server = createServer(createRequestListener(ctx.service)).listen(0, '127.0.0.1');
      await once(server, 'listening');
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
      const fetchRaw = () =>
        new Promise<Buffer>((resolve, reject) => {
          get(url, (res) => {
            const chunks: Buffer[] = [];
            res
              .on('data', (chunk: Buffer) => chunks.push(chunk))
              .on('end', () => resolve(Buffer.concat(chunks)))
              .on('error', reject);
          }).on('error', reject);
        });
      try {
        await ctx.service.openClassrooms(); // the cold request fetches, stores and builds today's answer
        const first = await fetchRaw(); // the first ask of this path builds its answer once
        const spies = [vi.spyOn(JSON, 'stringify'), vi.spyOn(JSON, 'parse'), vi.spyOn(ctx.cache, 'read'), vi.spyOn(ctx.cache, 'readHead')];
        const hits = await Promise.all(Array.from({ length: 50 }, fetchRaw));
        for (const spy of spies) expect(spy).not.toHaveBeenCalled();
        for (const hit of hits) expect(hit.equals(first)).toBe(true);
        expect(first.length).toBeGreaterThan(100);
      } finally {
        vi.restoreAllMocks();
        server.close();
      }
    },
  );

  it('marks stale answers in the body and a header, and never lets them be stored', async () => {
    const server = createRequestListener(ctx.service);
    await request(server).get('/api/open-classrooms').expect(200);
    ctx.clock.set('2026-11-27T08:00:00-05:00');
    ctx.source.fail('all');
    const res = await request(server).get('/api/open-classrooms').expect(200);
    expect(res.body.stale).toBe(true);
    expect(res.body.last_updated).toBe('2026-11-26T08:15:00.000-05:00');
    expect(res.headers['x-data-stale']).toBe('true');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers a refresh during the backoff at once with 503 and Retry-After, without asking 25Live', async () => {
    ctx.source.fail('all');
    await request(ctx.server).post('/api/refresh').expect(502);
    const calls = ctx.source.calls;
    ctx.clock.advance(20_000);
    const res = await request(ctx.server).post('/api/refresh').expect(503);
    expect(res.headers['retry-after']).toBe('40');
    expect(res.body.detail).toMatch(/^25Live failed recently; it is not asked again for 40 more seconds$/);
    expect(ctx.source.calls).toBe(calls);
  });

  it('answers unknown paths with 404 and wrong methods with 405, as JSON', async () => {
    expect((await request(ctx.server).get('/api/nope').expect(404)).body).toEqual({ detail: 'Not Found' });
    const notAllowed = await request(ctx.server).get('/api/refresh').expect(405);
    expect(notAllowed.body).toEqual({ detail: 'Method Not Allowed' });
    expect(notAllowed.headers.allow).toMatch(/POST/);
  });
});

describe('HTTP API for every day and free rooms', () => {
  let ctx: ReturnType<typeof setup>;
  beforeEach(() => {
    ctx = setup();
  });

  it('answers ?date= with the date, from the lean lane as from Koa, with its own ETag', async () => {
    const lean = createRequestListener(ctx.service);
    await request(lean).get('/api/open-classrooms').expect(200);
    for (const server of [lean, ctx.server]) {
      const res = await request(server).get('/api/open-classrooms?date=2026-11-27').expect(200);
      expect(res.body.date).toBe('2026-11-27');
      expect(res.body.buildings.CAS.classrooms[0]).toEqual({ id: '342', name: '116', availability: [{ start: '07:00:00', end: '11:59:00' }] });
      expect(res.headers.etag).toMatch(/^"[\w-]+"$/);
    }
    const today = await request(lean).get('/api/open-classrooms').expect(200);
    const tomorrow = await request(lean).get('/api/open-classrooms?date=2026-11-27').expect(200);
    expect(tomorrow.headers.etag).not.toBe(today.headers.etag);
    await request(lean).get('/api/open-classrooms?date=2026-11-27').set('If-None-Match', String(tomorrow.headers.etag)).expect(304);
    expect(ctx.source.calls).toBe(77);
  });

  it('refuses a date out of range or malformed with a 400 naming the range, on both lanes', async () => {
    const lean = createRequestListener(ctx.service);
    await request(lean).get('/api/open-classrooms').expect(200);
    for (const server of [lean, ctx.server]) {
      for (const date of ['2026-11-25', '2026-11-29', '2026-13-01']) {
        const res = await request(server).get(`/api/open-classrooms?date=${date}`).expect(400);
        expect(res.body.detail).toMatch(/dates from 2026-11-26 to 2026-11-28 can be asked for$/);
        expect(res.headers['access-control-allow-origin']).toBe('*');
      }
    }
  });

  it('GET /api/dates lists the days that can be asked for, today first', async () => {
    const res = await request(ctx.server).get('/api/dates').expect(200);
    expect(res.body).toEqual({ dates: ['2026-11-26', '2026-11-27', '2026-11-28'], last_updated: '2026-11-26T08:15:00.000-05:00' });
  });

  it("matches a building code in any case, as the catalog spells it (a discovered catalog keeps the tenant's case)", async () => {
    // BU's catalog with its CGS building spelled "Cgs", as `catalog discover` may write a code.
    const catalog = {
      ...BU_CATALOG,
      buildings: BU_CATALOG.buildings.map((b) => (b.code === 'CGS' ? { ...b, code: 'Cgs' } : b)),
      classrooms: BU_CATALOG.classrooms.map((r) => (r.building === 'CGS' ? { ...r, building: 'Cgs' } : r)),
    };
    const mixed = setup(catalog);
    const cgsRooms = catalog.classrooms.filter((r) => r.building === 'Cgs').length;
    for (const asked of ['Cgs', 'CGS', 'cgs']) {
      const day = await request(mixed.server).get(`/api/open-classrooms?building=${asked}`).expect(200);
      expect(Object.keys(day.body.buildings)).toEqual(['Cgs']);
      const free = await request(mixed.server).get(`/api/free-rooms?building=${asked}&at=12:00`).expect(200);
      expect(free.body.rooms).toHaveLength(cgsRooms);
      expect(new Set(free.body.rooms.map((r: { building: string }) => r.building))).toEqual(new Set(['Cgs']));
    }
    const unknown = await request(mixed.server).get('/api/free-rooms?building=Cgx').expect(400);
    expect(unknown.body.detail).toMatch(/^Unknown building "Cgx"; known buildings: CAS, Cgs$/);
  });

  it('GET /api/free-rooms: rooms free at a time for at least some minutes, with the documented shape', async () => {
    const res = await request(ctx.server).get('/api/free-rooms?date=2026-11-27&at=12:30&for=60&building=cas').expect(200);
    expect(res.body).toMatchObject({ date: '2026-11-27', at: '12:30', last_updated: '2026-11-26T08:15:00.000-05:00', stale: false });
    expect(res.body.rooms).toHaveLength(53); // every CAS room but 116, booked from noon
    expect(res.body.rooms.every((r: { free_until: string; minutes: number }) => r.free_until === '23:00:00' && r.minutes === 630)).toBe(true);
    // all equally long free: in natural room order
    const names = BU_CATALOG.classrooms.filter((r) => r.building === 'CAS' && r.spaceId !== 342).map((r) => r.name);
    expect(res.body.rooms.map((r: { name: string }) => r.name)).toEqual([...names].sort(compareRoomNames));
    expect(res.body.rooms[0]).toMatchObject({ building: 'CAS', name: [...names].sort(compareRoomNames)[0] });
    const now = await request(ctx.server).get('/api/free-rooms').expect(200);
    expect(now.body).toMatchObject({ date: '2026-11-26', at: '08:15' });
    expect(now.body.rooms.map((r: { id: string }) => r.id)).toContain('342');
  });

  it.each([
    ['/api/free-rooms?at=25:00', /"at" must be a time of day written HH:MM/],
    ['/api/free-rooms?at=9:00', /"at" must be a time of day/],
    ['/api/free-rooms?for=-5', /"for" must be a whole number of minutes from 0 to 1440/],
    ['/api/free-rooms?for=1441', /"for" must be a whole number/],
    ['/api/free-rooms?at=10:00&at=11:00', /"at" may be given only once/],
    ['/api/free-rooms?date=2026-12-31', /^No data for 2026-12-31: dates from/],
    ['/api/free-rooms?building=NOPE', /^Unknown building "NOPE"; known buildings: CAS, CGS$/],
    ['/api/free-rooms?room=116', /^Unknown query parameter "room"; this endpoint takes date, at, for, building, min_capacity, feature$/],
    ['/api/open-classrooms?building[]=CAS', /^Unknown query parameter "building\[\]"/],
    ['/api/open-classrooms?building=CAS&building=CGS', /may be given only once/],
    [`/api/open-classrooms?building=${'X'.repeat(500)}`, /^Unknown building "X{20}…"; known buildings: CAS, CGS$/],
    ['/api/dates?date=2026-11-27', /^Unknown query parameter "date"; this endpoint takes none$/],
  ])('GET %s is a 400 that says why', async (path, detail) => {
    const res = await request(ctx.server).get(path).expect(400);
    expect(res.body.detail).toMatch(detail);
  });
});
