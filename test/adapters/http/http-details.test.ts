import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerClientErrors } from '../../../src/adapters/http/client-errors.ts';
import { createRequestListener } from '../../../src/adapters/http/lean-lane.ts';
import { BU_CATALOG } from '../../../src/catalog/bu.ts';
import { createClassroomService } from '../../../src/domain/classroom-service.ts';
import { createFakeStore } from '../../../src/testing/fake-store.ts';
import { createManualClock } from '../../../src/testing/manual-clock.ts';
import { createStubScheduleSource } from '../../../src/testing/stub-schedule-source.ts';

/** One raw request over a socket: status, headers and body, as a client sees them (no fetch niceties). */
function raw(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string> },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
      let body = '';
      res
        .setEncoding('latin1')
        .on('data', (chunk: string) => (body += chunk))
        .on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject).end();
  });
}

describe('HTTP details a new user runs into', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    const clock = createManualClock('2026-11-26T10:00:00-05:00');
    const store = createFakeStore(() => clock.epochMs);
    const service = createClassroomService({ store, leases: store, backoffs: store, source: createStubScheduleSource(), sourceId: 'stub', clock, catalog: BU_CATALOG });
    await service.openClassrooms();
    server = createServer(createRequestListener(service));
    answerClientErrors(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a URL too long is a JSON 414 with CORS; headers too large a JSON 431 with CORS; each with a request id', async () => {
    for (const [path, headers, status, detail] of [
      [`/api/open-classrooms?date=${'1'.repeat(9000)}`, {}, 414, 'URI Too Long'],
      [`/api/free-rooms?${'x'.repeat(20_000)}`, {}, 414, 'URI Too Long'],
      ['/api/open-classrooms', { 'X-Big': 'y'.repeat(20_000) }, 431, 'Request Header Fields Too Large'],
    ] as const) {
      const answer = await raw(port, { path, headers });
      expect(answer.status).toBe(status);
      expect(answer.headers['content-type']).toMatch(/application\/json/);
      expect(answer.headers['access-control-allow-origin']).toBe('*');
      expect(answer.headers['x-request-id'], `${status} ${path.length}`).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
      expect(JSON.parse(answer.body)).toEqual({ detail });
    }
  });

  it('honours Accept-Encoding q-values', async () => {
    for (const [accept, encoding] of [
      ['br;q=0.5, gzip;q=1', 'gzip'],
      ['gzip;q=0.2, br', 'br'],
      ['gzip, deflate, br', 'br'],
      ['br;q=0, gzip;q=0', undefined],
      ['identity', undefined],
    ] as const) {
      const answer = await raw(port, { path: '/api/open-classrooms', headers: { 'Accept-Encoding': accept } });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-encoding'], accept).toBe(encoding);
    }
  });

  it('advertises in the CORS preflight only the methods a path answers', async () => {
    const preflight = (path: string) => raw(port, { method: 'OPTIONS', path, headers: { Origin: 'https://page.example', 'Access-Control-Request-Method': 'POST' } });
    const refresh = await preflight('/api/refresh');
    expect(refresh.status).toBe(204);
    expect(refresh.headers['access-control-allow-methods']).toBe('POST');
    expect(refresh.headers['access-control-allow-origin']).toBe('*');
    expect((await preflight('/api/open-classrooms')).headers['access-control-allow-methods']).toBe('HEAD,GET');
    expect((await preflight('/api/free-rooms')).headers['access-control-allow-methods']).toBe('HEAD,GET');
    const nowhere = await preflight('/nope'); // a path with no methods at all offers none
    expect(nowhere.status).toBe(404);
    expect(nowhere.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('lets a page on another origin read the same headers of every answer, hot path, Koa and refusals alike', async () => {
    const origin = { Origin: 'https://elsewhere.example' };
    const answers = [
      await raw(port, { path: '/api/open-classrooms', headers: origin }),
      await raw(port, { path: '/api/free-rooms?at=12:00', headers: origin }),
      await raw(port, { path: '/api/last-updated', headers: origin }),
      await raw(port, { path: '/api/free-rooms?at=noon', headers: origin }),
      await raw(port, { path: '/nope', headers: origin }),
      await raw(port, { path: `/x?${'a'.repeat(9000)}`, headers: origin }),
    ];
    for (const answer of answers) {
      expect(answer.headers['access-control-allow-origin'], `${answer.status}`).toBe('*');
      const exposed = String(answer.headers['access-control-expose-headers']).split(/,\s*/).sort();
      expect(exposed, `${answer.status}`).toEqual(['ETag', 'Retry-After', 'X-Data-Stale', 'X-Request-Id']);
    }
  });

  it('answers a method nobody knows with a 501, naming the allowed methods only where a path has some', async () => {
    const known = await raw(port, { method: 'PROPFIND', path: '/api/refresh' });
    expect(known.status).toBe(501);
    expect(known.headers.allow).toBe('POST');
    const unknown = await raw(port, { method: 'PROPFIND', path: '/nope' });
    expect(unknown.status).toBe(501);
    expect(unknown.headers.allow).toBeUndefined(); // never an empty Allow
    const wrong = await raw(port, { method: 'DELETE', path: '/api/refresh' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toMatch(/POST/);
  });

  it('sends X-Content-Type-Options: nosniff on every answer: hot path, 304, Koa, 400, 404, 405, 414', async () => {
    const first = await raw(port, { path: '/api/open-classrooms' });
    for (const answer of [
      first,
      await raw(port, { path: '/api/open-classrooms', headers: { 'If-None-Match': String(first.headers.etag) } }),
      await raw(port, { path: '/api/free-rooms?at=12:00' }),
      await raw(port, { path: '/api/last-updated' }),
      await raw(port, { path: '/api/free-rooms?at=noon' }),
      await raw(port, { path: '/nope' }),
      await raw(port, { method: 'DELETE', path: '/api/refresh' }),
      await raw(port, { path: `/x?${'a'.repeat(9000)}` }),
    ]) {
      expect(answer.headers['x-content-type-options'], `${answer.status}`).toBe('nosniff');
    }
  });
});
