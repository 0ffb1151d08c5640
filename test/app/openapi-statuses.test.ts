// The statuses any path can answer, beyond its own successes and refusals: each one triggered for
// real against the running service (a 500 against its listener over a store with a bug) and found
// described in openapi.yaml for the path it was answered on.
import { once } from 'node:events';
import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerClientErrors } from '../../src/adapters/http/client-errors.ts';
import { createRequestListener } from '../../src/adapters/http/lean-lane.ts';
import { BU_CATALOG } from '../../src/catalog/bu.ts';
import { createClassroomService } from '../../src/domain/classroom-service.ts';
import { createFakeStore } from '../../src/testing/fake-store.ts';
import { createManualClock } from '../../src/testing/manual-clock.ts';
import { createStubScheduleSource } from '../../src/testing/stub-schedule-source.ts';
import { startTestService, type TestService } from '../test-service.ts';
import { describedRequests, documented, expectDescribed } from './openapi-support.ts';

/** The service's own listener on a real server, over a store with a bug in it: what a fault looks like from outside. */
async function startFaultyListener() {
  const clock = createManualClock('2026-11-26T10:00:00-05:00');
  const store = createFakeStore(() => clock.epochMs);
  store.readHead = async () => {
    throw new TypeError("Cannot read properties of undefined (reading 'stamp')");
  };
  const service = createClassroomService({ store, leases: store, backoffs: store, source: createStubScheduleSource(), sourceId: 'stub', clock, catalog: BU_CATALOG });
  const server = createServer(createRequestListener(service));
  answerClientErrors(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Bytes Node cannot parse as a request (a space in a header name), over a socket: the raw answer. */
function sendMalformed(url: string, path: string): Promise<{ status: number; header(name: string): string | undefined; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect(Number(port), hostname, () => socket.end(`GET ${path} HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n`));
    socket
      .setEncoding('latin1')
      .on('data', (chunk: string) => (text += chunk))
      .on('error', reject)
      .on('end', () => {
        const [head = '', body = ''] = text.split('\r\n\r\n');
        const headers = new Map(
          head
            .split('\r\n')
            .slice(1)
            .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
        );
        resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), header: (name) => headers.get(name.toLowerCase()), body });
      });
  });
}

describe('openapi.yaml describes every status', () => {
  let service: TestService;
  const { check, seen } = describedRequests(() => service.url);

  beforeAll(async () => {
    service = await startTestService(12);
    await service.start();
  });
  afterAll(() => service?.close());

  it('describes for each path the statuses any path can answer: 304, 404, 405, 414, 431, 500, 501, and 400 for a request Node cannot parse', async () => {
    await expect.poll(async () => (await fetch(`${service.url}/api/open-classrooms`)).status, { timeout: 5000, interval: 250 }).toBe(200);
    for (const [path, query] of [
      ['/api/open-classrooms', ''],
      ['/api/dates', ''],
      ['/api/free-rooms', '?at=12:00'],
    ] as const) {
      const first = await fetch(`${service.url}${path}${query}`);
      await first.arrayBuffer();
      expect(first.status, path).toBe(200);
      await check('get', path, query, { headers: { 'If-None-Match': first.headers.get('etag')! } });
    }
    await check('get', '/api/nope');
    await check('get', '/api/refresh');
    await check('post', '/healthz');
    await check('propfind', '/api/refresh');
    await check('propfind', '/nope');
    await check('get', '/api/open-classrooms', `?date=${'1'.repeat(9000)}`); // refused by the listener
    await check('get', '/api/free-rooms', `?${'x'.repeat(20_000)}`); // refused by Node, answered by client-errors.ts
    await check('get', '/api/dates', '', { headers: { 'X-Big': 'y'.repeat(20_000) } });
    const malformed = await sendMalformed(service.url, '/nope');
    expectDescribed('a malformed request', '/nope', 'get', malformed);
    seen.push(`malformed ${malformed.status}`);
    const faulty = await startFaultyListener();
    try {
      await check('post', '/api/refresh', '', { base: faulty.url });
      await check('get', '/api/cooldown-status', '', { base: faulty.url });
    } finally {
      await faulty.close();
    }
    expect(seen).toEqual(
      expect.arrayContaining([
        'get /api/open-classrooms 304',
        'get /api/dates 304',
        'get /api/free-rooms 304',
        'get /api/nope 404',
        'get /api/refresh 405',
        'post /healthz 405',
        'propfind /api/refresh 501',
        'propfind /nope 501',
        'get /api/open-classrooms 414',
        'get /api/free-rooms 414',
        'get /api/dates 431',
        'malformed 400',
        'post /api/refresh 500',
        'get /api/cooldown-status 500',
      ]),
    );
    expect(documented('/api/open-classrooms', 'get', 404), 'a 404 is for paths not described').toBeUndefined();
  });
});
