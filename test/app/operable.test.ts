import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../src/adapters/embedded-redis.ts';
import { startTwentyFiveLiveSimulator, type TwentyFiveLiveSimulator } from '../../src/adapters/twenty-five-live-simulator/index.ts';
import { BU_CATALOG } from '../../src/catalog/bu.ts';
import { loadConfig } from '../../src/app/config.ts';
import { startService, type RunningService } from '../../src/app/main.ts';

type Line = Record<string, any>;

describe('an operable service: health, readiness, access logs, metrics', () => {
  let redis: EmbeddedRedis;
  let simulator: TwentyFiveLiveSimulator;
  let running: RunningService | undefined;
  let lines: Line[] = [];
  let operator: Redis;
  /** A Redis that refuses connections: one that was started, then stopped. */
  let goneRedisUrl: string;

  beforeAll(async () => {
    redis = await startEmbeddedRedis();
    operator = new Redis(redis.url);
    const gone = await startEmbeddedRedis();
    goneRedisUrl = gone.url;
    await gone.stop();
    simulator = await startTwentyFiveLiveSimulator({ catalog: BU_CATALOG, seed: 9 });
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
    simulator.setFailure('none');
    await operator.flushall();
  });
  afterAll(async () => {
    operator.disconnect();
    await simulator.close();
    await redis.stop();
  });

  async function start(level: string, env: Record<string, string> = {}) {
    lines = [];
    const logger = pino(
      { level },
      new Writable({
        write: (chunk, _encoding, done) => {
          lines.push(JSON.parse(String(chunk)));
          done();
        },
      }),
    );
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_URL: redis.url, API_URL: simulator.url, UPSTREAM_RETRIES: '0', REFRESH_AT: 'off', ...env });
    running = await startService(config, logger);
    return running.url;
  }
  const requestLines = () => lines.filter((line) => line.msg === 'request');

  it('says in one line each that it started, and that it stopped', async () => {
    await start('info');
    const started = lines.filter((line) => String(line.msg).startsWith('EmptyClassroom is listening on '));
    expect(started).toHaveLength(1);
    expect(started[0]!.msg).toContain(`25Live ${simulator.url}; data in ${redis.url}; no scheduled refresh`);
    await running!.close();
    running = undefined;
    expect(lines.filter((line) => String(line.msg).startsWith('stopped'))).toEqual([expect.objectContaining({ msg: 'stopped: the server, the 25Live client and the store are closed' })]);
  });

  it('says on waking, after a failed fetch, what requests get: the data fetched earlier today, or 503', async () => {
    const wakeUpLine = async () => {
      await expect.poll(() => lines.some((line) => String(line.msg).startsWith('wake-up:')), { timeout: 5000 }).toBe(true);
      return lines.find((line) => String(line.msg).startsWith('wake-up:'))!;
    };
    simulator.setFailure('error500');
    await start('info');
    expect(await wakeUpLine()).toMatchObject({
      level: 50,
      serving: 'nothing',
      msg: "wake-up: fetching today's data failed; there is no earlier data to serve, so requests get 503 until a fetch succeeds",
    });
    await running!.close();
    await operator.flushall(); // and the backoff that failure started

    simulator.setFailure('none');
    const url = await start('info');
    expect((await fetch(`${url}/api/open-classrooms`)).status).toBe(200);
    await running!.close();
    await operator.del('classrooms:last_refresh'); // fetch afresh; the last good copy stays
    simulator.setFailure('error500');
    const again = await start('info');
    expect(await wakeUpLine()).toMatchObject({ level: 50, serving: 'today', msg: "wake-up: fetching today's data failed; serving the data fetched earlier today" });
    expect((await fetch(`${again}/api/open-classrooms`)).status).toBe(200);
  });

  it('answers /healthz while alive, and /readyz 200 with the snapshot once it serves today, 503 before', async () => {
    simulator.setFailure('error500');
    const url = await start('info', { REDIS_URL: goneRedisUrl });
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    await expect.poll(async () => (await (await fetch(`${url}/readyz`)).json()).backoff_seconds, { timeout: 5000 }).toBeGreaterThan(0);
    const notReady = await fetch(`${url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ ready: false, redis: 'unreachable', snapshot: null });
    await running!.close();

    simulator.setFailure('none');
    const again = await start('info');
    await (await fetch(`${again}/api/open-classrooms`)).arrayBuffer();
    const ready = await fetch(`${again}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, redis: 'reachable', snapshot: { stale: false, age_seconds: expect.any(Number), fetched_at: expect.any(String) }, backoff_seconds: 0 });
  });

  it("writes an access log line a request, with method, path, status, duration and a request id it echoes (the caller's when given)", async () => {
    const url = await start('info');
    const given = await fetch(`${url}/api/cooldown-status`, { headers: { 'X-Request-Id': 'trace-42' } });
    expect(given.headers.get('x-request-id')).toBe('trace-42');
    const made = await fetch(`${url}/api/last-updated`);
    const id = made.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    const refused = await fetch(`${url}/api/free-rooms?at=99:99`, { headers: { 'X-Request-Id': 'bad-at' } });
    expect(refused.status).toBe(400);
    expect(requestLines()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ method: 'GET', path: '/api/cooldown-status', status: 200, requestId: 'trace-42', ms: expect.any(Number) }),
        expect.objectContaining({ method: 'GET', path: '/api/last-updated', status: 200, requestId: id }),
      ]),
    );
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'request refused', method: 'GET', path: '/api/free-rooms', status: 400, requestId: 'bad-at' }));
    // A method the server does not know is the caller's doing: refused at info, not an error line.
    const odd = await fetch(`${url}/api/open-classrooms`, { method: 'PROPFIND', headers: { 'X-Request-Id': 'odd-method' } });
    expect(odd.status).toBe(501);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'request refused', level: 30, status: 501, requestId: 'odd-method' }));
    expect(lines.filter((line) => line.requestId === 'odd-method' && Number(line.level) >= 50)).toEqual([]);
  });

  it('keeps the cached hit path off the info log (it logs at debug), and echoes a given request id there too', async () => {
    const url = await start('info');
    await (await fetch(`${url}/api/open-classrooms`)).arrayBuffer();
    const before = requestLines().length;
    const hot = await fetch(`${url}/api/open-classrooms`, { headers: { 'X-Request-Id': 'hot-1' } });
    await hot.arrayBuffer();
    expect(hot.headers.get('x-request-id')).toBe('hot-1');
    expect(requestLines()).toHaveLength(before);
    await running!.close();

    const debugUrl = await start('debug');
    await (await fetch(`${debugUrl}/api/open-classrooms`)).arrayBuffer();
    await (await fetch(`${debugUrl}/api/open-classrooms`, { headers: { 'X-Request-Id': 'hot-2' } })).arrayBuffer();
    expect(requestLines()).toContainEqual(expect.objectContaining({ level: 20, method: 'GET', path: '/api/open-classrooms', status: 200, requestId: 'hot-2' }));
  });

  it('gives every hot answer a new request id when the caller sent none or an unusable one, and names it in the debug line', async () => {
    const url = await start('debug');
    const first = await fetch(`${url}/api/open-classrooms`);
    await first.arrayBuffer();
    const { dates } = (await (await fetch(`${url}/api/dates`)).json()) as { dates: string[] };
    const asked: Array<[string, Record<string, string>]> = [
      ['/api/open-classrooms', {}],
      ['/api/open-classrooms', { 'If-None-Match': first.headers.get('etag')! }],
      [`/api/open-classrooms?date=${dates[1]}`, {}],
      ['/api/free-rooms?at=12:00', {}],
      ['/api/free-rooms?at=12:00', { 'X-Request-Id': 'not usable: it has spaces' }],
      ['/api/open-classrooms', { 'X-Request-Id': 'x'.repeat(129) }],
    ];
    for (const [path, headers] of asked) {
      const answer = await fetch(`${url}${path}`, { headers });
      await answer.arrayBuffer();
      const id = answer.headers.get('x-request-id');
      expect(id, `${path} ${JSON.stringify(headers)}`).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
      const line = requestLines().find((entry) => entry.requestId === id);
      expect(line, `${path}: the debug line of ${id}`).toMatchObject({ level: 20, method: 'GET', path: path.split('?')[0], status: answer.status });
    }
  });

  it('logs a lean-lane refusal with its request id, in the refused line and an info access line as Koa does, and a long path cut short', async () => {
    const url = await start('info');
    await (await fetch(`${url}/api/open-classrooms`)).arrayBuffer();
    for (const [path, status, logged] of [
      ['/api/free-rooms?at=99:99', 400, '/api/free-rooms'],
      [`/api/open-classrooms?date=${'1'.repeat(9000)}`, 414, '/api/open-classrooms'],
      [`/${'p'.repeat(9000)}`, 414, `/${'p'.repeat(199)}…`],
    ] as const) {
      const answer = await fetch(`${url}${path}`);
      await answer.arrayBuffer();
      expect(answer.status).toBe(status);
      const id = answer.headers.get('x-request-id');
      expect(id, `${status} ${logged}`).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
      expect(lines.filter((line) => line.requestId === id)).toEqual([
        expect.objectContaining({ level: 30, msg: 'request refused', method: 'GET', path: logged, status }),
        expect.objectContaining({ level: 30, msg: 'request', method: 'GET', path: logged, status, ms: expect.any(Number) }),
      ]);
    }
  });

  it('logs a failure with its method, path and request id, on the lean lane too', async () => {
    simulator.setFailure('error500');
    const url = await start('info', { REDIS_URL: goneRedisUrl });
    const lean = await fetch(`${url}/api/open-classrooms`);
    expect(lean.status).toBe(503);
    const id = lean.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    expect(lines.filter((line) => line.requestId === id)).toEqual([
      expect.objectContaining({ level: 50, msg: 'request failed', method: 'GET', path: '/api/open-classrooms', status: 503, err: expect.objectContaining({ type: 'NoDataError' }) }),
      expect.objectContaining({ level: 30, msg: 'request', method: 'GET', path: '/api/open-classrooms', status: 503 }),
    ]);
    const failed = await fetch(`${url}/api/cooldown-status`, { headers: { 'X-Request-Id': 'no-redis' } });
    expect(failed.status).toBe(503);
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'request failed',
        method: 'GET',
        path: '/api/cooldown-status',
        status: 503,
        requestId: 'no-redis',
        err: expect.objectContaining({ type: 'CacheUnavailableError', message: expect.stringMatching(/^Redis read failed/) }),
      }),
    );
  });

  it('exposes snapshot age, stale answers, backoff, requests by route and status, and a latency histogram at /metrics', async () => {
    const url = await start('info');
    for (let i = 0; i < 3; i += 1) await (await fetch(`${url}/api/open-classrooms`)).arrayBuffer();
    await (await fetch(`${url}/api/nope`)).arrayBuffer();
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toMatch(/^emptyclassroom_snapshot_age_seconds \d+(\.\d+)?$/m);
    expect(text).toMatch(/^emptyclassroom_upstream_backoff_seconds 0$/m);
    expect(text).toMatch(/^emptyclassroom_stale_answers_total 0$/m);
    expect(text).toMatch(/^emptyclassroom_http_requests_total\{route="\/api\/open-classrooms",status="200"\} 3$/m);
    expect(text).toMatch(/^emptyclassroom_http_requests_total\{route="other",status="404"\} 1$/m);
    expect(text).toMatch(/^emptyclassroom_http_request_duration_seconds_count\{route="\/api\/open-classrooms"\} 3$/m);
    expect(text).toMatch(/^emptyclassroom_http_request_duration_seconds_bucket\{route="\/api\/open-classrooms",le="\+Inf"\} 3$/m);
  });
});
