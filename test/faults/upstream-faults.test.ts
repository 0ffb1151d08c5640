// 25Live misbehaving (down, slow, flaky, malformed) against a REAL service process and a real Redis:
// what clients see, and that nothing wrong is ever cached.
import type { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { instantAt as campusInstant } from '../../src/adapters/campus-clock.ts';
import type { TwentyFiveLiveSimulator } from '../../src/adapters/twenty-five-live-simulator/index.ts';
import { BU_CATALOG } from '../../src/catalog/bu.ts';
import {
  KEYS,
  ROOMS,
  call,
  servedRooms,
  startServiceProcess,
  stopAllServices,
  tally,
  truthFor,
  waitForQuiet,
  type RestartableRedis,
  type ServiceOptions,
  startFaultEnvironment,
  stopFaultEnvironment,
} from './harness.ts';

/** The New York view of a moment. */
const instantAt = (ms: number) => campusInstant(ms, 'America/New_York');

const SEED = 11;
const NO_DATA = /25Live/;

describe('25Live faults seen through a running service process', { timeout: 60_000 }, () => {
  let redis: RestartableRedis;
  let simulator: TwentyFiveLiveSimulator;
  let operator: Redis;

  const start = (env: Record<string, string> = {}) => startServiceProcess({ redisUrl: redis.url, apiUrl: simulator.url, env } satisfies ServiceOptions);
  const cachedKeys = () => operator.exists(KEYS.availability, KEYS.lastRefresh, KEYS.lastGood);

  beforeAll(async () => {
    ({ redis, simulator, operator } = await startFaultEnvironment({ seed: SEED }));
  });

  afterAll(() => stopFaultEnvironment({ redis, simulator, operator }));

  beforeEach(async () => {
    await operator.flushall();
    simulator.setFailure('none');
    simulator.setLatency(0);
    simulator.resetCounters();
  });

  afterEach(async () => {
    await stopAllServices();
  });

  it('cold start with 25Live down: 503 with a JSON detail, nothing cached, 25Live asked at most once a minute, and a refresh serves everyone once it is back', async () => {
    simulator.setFailure('error500');
    simulator.setLatency(100); // a failing fetch lasts ~1 s, so a burst of requests overlaps it
    const service = await start({ UPSTREAM_RETRIES: '0' });

    const first = await call(service.url, '/api/open-classrooms', { timeoutMs: 15_000 });
    expect(first.status, JSON.stringify(first.body)).toBe(503);
    expect(first.headers.get('content-type')).toMatch(/application\/json/);
    expect(first.body.detail).toMatch(NO_DATA);
    expect(await cachedKeys()).toBe(0);

    // A burst of clients during the outage shares one upstream attempt.
    await waitForQuiet(simulator);
    let before = simulator.requests;
    const burst = await Promise.all(Array.from({ length: 20 }, () => call(service.url, '/api/open-classrooms', { timeoutMs: 15_000 })));
    expect(tally(burst.map((a) => a.status))).toEqual({ 503: 20 });
    expect(burst.every((a) => NO_DATA.test(a.body.detail))).toBe(true);
    await waitForQuiet(simulator);
    const burstCost = simulator.requests - before;
    expect(burstCost).toBeLessThanOrEqual(ROOMS);

    // Sequential clients while nothing can be served: 25Live is asked at most once a minute, so they cost nothing more.
    before = simulator.requests;
    for (let i = 0; i < 3; i += 1) {
      const answer = await call(service.url, '/api/open-classrooms', { timeoutMs: 15_000 });
      expect(answer.status).toBe(503);
      expect(answer.body.detail).toMatch(NO_DATA);
    }
    await waitForQuiet(simulator);
    const sequentialCost = simulator.requests - before;
    expect(sequentialCost).toBe(0);
    console.info(`[faults] cold outage: burst of 20 cost ${burstCost} upstream requests; 3 sequential 503s cost ${sequentialCost}`);
    expect(await cachedKeys()).toBe(0);

    // 25Live recovers: nobody asks it during the backoff, not even a refresh; once an operator lifts it
    // (emptyclassroom clear deletes classrooms:backoff), a refresh asks at once and everyone is served.
    simulator.setFailure('none');
    simulator.setLatency(0);
    before = simulator.requests;
    expect((await call(service.url, '/api/open-classrooms', { timeoutMs: 15_000 })).status).toBe(503);
    const refused = await call(service.url, '/api/refresh', { method: 'POST', timeoutMs: 15_000 });
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(30);
    expect(simulator.requests).toBe(before);
    await operator.del(KEYS.backoff);
    expect((await call(service.url, '/api/refresh', { method: 'POST', timeoutMs: 15_000 })).status).toBe(200);
    const recovered = await call(service.url, '/api/open-classrooms', { timeoutMs: 15_000 });
    expect(recovered.status, JSON.stringify(recovered.body)).toBe(200);
    expect(recovered.body.stale).toBeUndefined();
    expect(recovered.headers.get('x-data-stale')).toBeNull();
    expect(servedRooms(recovered.body).filter((room) => room.status === 'unknown')).toEqual([]);
    expect(await operator.get(KEYS.lastRefresh)).toBe(recovered.body.last_updated);
    await waitForQuiet(simulator);
    expect(simulator.requests - before).toBe(ROOMS);
  });

  it("25Live down while Redis holds yesterday's data: stale 200 from the last good copy, old keys untouched, 25Live asked once per throttle window", async () => {
    // What another instance would have left yesterday evening (New York date).
    const yesterday = DateTime.now().setZone('America/New_York').minus({ days: 1 }).set({ hour: 21, minute: 7, second: 5, millisecond: 123 });
    const stamp = yesterday.toISO()!;
    const availability = Object.fromEntries(truthFor(yesterday.toISODate()!, SEED));
    const availabilityJson = JSON.stringify(availability);
    const lastGoodJson = JSON.stringify({ fetchedAt: stamp, source: simulator.url, days: { [yesterday.toISODate()!]: availability } });
    await operator.set(KEYS.availability, availabilityJson, 'PX', 6 * 3_600_000);
    await operator.set(KEYS.snapshot, lastGoodJson, 'PX', 6 * 3_600_000);
    await operator.set(KEYS.source, simulator.url, 'PX', 6 * 3_600_000);
    await operator.set(KEYS.lastRefresh, stamp, 'PX', 6 * 3_600_000);
    await operator.set(KEYS.lastGood, lastGoodJson, 'PX', 7 * 24 * 3_600_000);

    simulator.setFailure('error500');
    const service = await start({ UPSTREAM_RETRIES: '0' });
    const wakeUpCost = await waitForQuiet(simulator); // the start-up refresh fails on its own
    simulator.resetCounters();

    // 50 requests over ~2 s.
    const pending = [];
    for (let i = 0; i < 50; i += 1) {
      pending.push(call(service.url, '/api/open-classrooms', { timeoutMs: 5000 }));
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    const answers = await Promise.all(pending);
    expect(tally(answers.map((a) => a.status))).toEqual({ 200: 50 });
    for (const answer of answers) {
      expect(answer.body.stale).toBe(true);
      expect(answer.headers.get('x-data-stale')).toBe('true');
      expect(answer.body.last_updated).toBe(stamp);
    }
    for (const room of servedRooms(answers[49]!.body)) {
      expect(room.status, `room ${room.id}`).toBeUndefined();
      expect(room.availability, `room ${room.id}`).toEqual(availability[room.id]);
    }
    await waitForQuiet(simulator);
    console.info(`[faults] warm outage: wake-up cost ${wakeUpCost} upstream requests; 50 requests over 2 s cost ${simulator.requests}`);
    expect(simulator.requests).toBeLessThanOrEqual(ROOMS); // one attempt (UPSTREAM_RETRIES=0) per 60 s window

    expect((await call(service.url, '/api/last-updated')).body).toEqual({ last_updated: stamp });
    // Nothing of the failure was written over yesterday's keys.
    expect(await operator.get(KEYS.availability)).toBe(availabilityJson);
    expect(await operator.get(KEYS.lastRefresh)).toBe(stamp);
    expect(await operator.get(KEYS.lastGood)).toBe(lastGoodJson);
  });

  it('flaky 25Live (30% 503s) with UPSTREAM_RETRIES=3: every room is either exactly right or "unknown", never stored as booked', async () => {
    simulator.setFailure('flaky');
    const service = await start({ UPSTREAM_RETRIES: '3' });
    const answer = await call(service.url, '/api/open-classrooms', { timeoutMs: 30_000 });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    await waitForQuiet(simulator);
    expect(simulator.requests).toBeGreaterThan(ROOMS); // 503s happened and were retried

    const truth = truthFor(instantAt(Date.parse(answer.body.last_updated)).date, SEED);
    const stored = JSON.parse((await operator.get(KEYS.availability))!) as Record<string, unknown>;
    const unknown: string[] = [];
    for (const room of servedRooms(answer.body)) {
      if (room.status === 'unknown') {
        unknown.push(room.id);
        expect(room.availability, `room ${room.id}`).toEqual([]);
        expect(stored[room.id], `room ${room.id} must not be stored`).toBeUndefined();
      } else {
        expect(room.status, `room ${room.id}`).toBeUndefined();
        expect(room.availability, `room ${room.id}`).toEqual(truth.get(room.id));
        expect(stored[room.id], `stored room ${room.id}`).toEqual(truth.get(room.id));
      }
    }
    expect(Object.keys(stored).length).toBe(ROOMS - unknown.length);
    console.info(`[faults] flaky: ${simulator.requests} upstream requests, unknown rooms: [${unknown.join(', ')}]`);
  });

  it('25Live slower than UPSTREAM_TIMEOUT_MS at a cold start: a bounded 503, nothing cached', async () => {
    simulator.setLatency(3000);
    // undici's headers timeout runs on its coarse "fast timers" (~1 s resolution), so each wave of
    // UPSTREAM_CONCURRENCY rooms takes ~1 s to time out: at the default 8 that is ~10 s for 77 rooms.
    // 16 keeps the wait (~5 s) well inside the bound on a noisy machine.
    const service = await start({ UPSTREAM_TIMEOUT_MS: '300', UPSTREAM_RETRIES: '0', UPSTREAM_CONCURRENCY: '16' });
    const answer = await call(service.url, '/api/open-classrooms', { timeoutMs: 20_000 });
    expect(answer.status, JSON.stringify(answer.body)).toBe(503);
    expect(answer.body.detail).toMatch(NO_DATA);
    expect(answer.ms).toBeLessThan(15_000);
    expect(await cachedKeys()).toBe(0);
    console.info(`[faults] slow upstream: 503 after ${Math.round(answer.ms)} ms`);
  });

  it('malformed JSON for some rooms: those rooms are "unknown" and absent from the stored availability, the others are right', async () => {
    const broken = [0, 9, 33, 50, ROOMS - 1].map((index) => BU_CATALOG.classrooms[index]!.spaceId);
    simulator.setFailure('malformed', { spaceIds: broken });
    const service = await start(); // default UPSTREAM_RETRIES=2: a malformed 200 is not retried
    const answer = await call(service.url, '/api/open-classrooms', { timeoutMs: 15_000 });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);

    const truth = truthFor(instantAt(Date.parse(answer.body.last_updated)).date, SEED);
    const brokenIds = new Set(broken.map(String));
    for (const room of servedRooms(answer.body)) {
      if (brokenIds.has(room.id)) expect(room, `room ${room.id}`).toEqual({ id: room.id, name: room.name, availability: [], status: 'unknown' });
      else expect(room, `room ${room.id}`).toEqual({ id: room.id, name: room.name, availability: truth.get(room.id) });
    }
    const stored = JSON.parse((await operator.get(KEYS.availability))!) as Record<string, unknown>;
    const expectedIds = BU_CATALOG.classrooms.map((room) => String(room.spaceId)).filter((id) => !brokenIds.has(id));
    expect(Object.keys(stored).sort()).toEqual(expectedIds.sort());
    for (const id of expectedIds) expect(stored[id], `stored room ${id}`).toEqual(truth.get(id));
    await waitForQuiet(simulator);
    expect(simulator.requests).toBe(ROOMS);
  });
});
