// Hostile cases against a REAL service process (its own redis-server, the 25Live simulator over real
// HTTP). They describe the NEXT version of the service: SOFT_TIMEOUT_MS, HARD_TIMEOUT_MS,
// BACKOFF_SECONDS and INCOMPLETE_RETRY_SECONDS are passed although the current code ignores them,
// and against the current code most of these tests fail (see each test's comment for why).
import type { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { instantAt } from '../../src/adapters/new-york-clock.ts';
import { type TwentyFiveLiveSimulator } from '../../src/adapters/twenty-five-live-simulator/index.ts';
import { BU_CATALOG } from '../../src/app/catalog.ts';
import { buildingOf } from '../../src/domain/catalog.ts';
import { freeSlots, type Slot } from '../../src/domain/free-slots.ts';
import {
  KEYS,
  ROOMS,
  call,
  callSafely,
  servedRooms,
  startDemoProcess,
  startFaultEnvironment,
  startServiceProcess,
  stopAllServices,
  stopFaultEnvironment,
  tally,
  truthFor,
  waitFor,
  waitForFetch,
  waitForQuiet,
  type Answer,
  type RestartableRedis,
} from './harness.ts';

const SEED = 23;
const ZONE = 'America/New_York';
/** UPSTREAM_CONCURRENCY's default. */
const CONCURRENCY = 8;
/** CAS 116. */
const ROOM = 342;
const NO_DATA = /25Live/;
/** A byte every 100 ms: never idle for UPSTREAM_TIMEOUT_MS, so only a TOTAL deadline ends the request. */
const DRIP_MS = 100;
/** A cooldown (0.001 min = 60 ms) short enough that only an untrusted stamp could still be one. */
const SHORT_COOLDOWN_MINUTES = 0.001;

const dateOf = (stamp: string) => instantAt(Date.parse(stamp)).date;
const todayInNewYork = () => instantAt(Date.now()).date;
const describeAnswer = (answer: Answer & { error?: string }) => answer.error ?? JSON.stringify(answer.body).slice(0, 300);

/** Asserts an empty list of problems with a readable message: how many, and the first few. */
function expectNone(problems: string[], label: string) {
  const shown = problems.slice(0, 4).join('; ') + (problems.length > 4 ? `; ... (${problems.length - 4} more)` : '');
  expect(problems.length, `${label}: ${shown}`).toBe(0);
}

/** Every room served exactly as the truth says, except `unknown` ones, which are `"unknown"` with no slots. */
function expectServedTruth(body: Parameters<typeof servedRooms>[0], truth: Map<string, Slot[]>, unknown: ReadonlySet<string> = new Set()) {
  const rooms = servedRooms(body);
  expect(rooms).toHaveLength(ROOMS);
  for (const room of rooms) {
    if (unknown.has(room.id)) expect(room, `room ${room.id}`).toEqual({ id: room.id, name: room.name, availability: [], status: 'unknown' });
    else expect(room, `room ${room.id}`).toEqual({ id: room.id, name: room.name, availability: truth.get(room.id) });
  }
}

/** `classrooms:availability`, if there is one, holds only true slots (no room stored as booked, or as another day's). */
function expectStoredTruthful(raw: string | null, truth: Map<string, Slot[]>) {
  if (raw === null) return;
  const stored = JSON.parse(raw) as Record<string, Slot[]>;
  const wrong = Object.entries(stored)
    .filter(([id, slots]) => JSON.stringify(slots) !== JSON.stringify(truth.get(id)))
    .map(([id, slots]) => `${id}: stored ${JSON.stringify(slots)}, truth ${JSON.stringify(truth.get(id))}`);
  expectNone(wrong, 'rooms stored in classrooms:availability with untrue slots');
}

/** A 503 during a backoff: at once, with a whole-seconds Retry-After in [min, max] and a JSON detail naming 25Live. */
function expectBackoffAnswer(answer: Answer & { error?: string }, min: number, max: number, label: string) {
  expect(answer.status, `${label}: ${describeAnswer(answer)}`).toBe(503);
  const retryAfter = answer.headers.get('retry-after');
  expect(retryAfter, `${label}: Retry-After`).toMatch(/^\d+$/);
  expect(Number(retryAfter), `${label}: Retry-After`).toBeGreaterThanOrEqual(min);
  expect(Number(retryAfter), `${label}: Retry-After`).toBeLessThanOrEqual(max);
  expect(answer.headers.get('content-type'), label).toMatch(/application\/json/);
  expect(answer.body.detail, `${label}: detail`).toMatch(NO_DATA);
}

/** 342 when it has bookings today, else the first room that does: one an empty ("free all day") copy of the day would misreport. */
function bookedRoomToday(truth: Map<string, Slot[]>) {
  const bookedToday = (room: (typeof BU_CATALOG.classrooms)[number]) =>
    JSON.stringify(truth.get(String(room.spaceId))) !== JSON.stringify(freeSlots([], buildingOf(BU_CATALOG, room)));
  const preferred = BU_CATALOG.classrooms.find((room) => room.spaceId === ROOM)!;
  const room = bookedToday(preferred) ? preferred : BU_CATALOG.classrooms.find(bookedToday);
  if (!room) throw new Error('no room has bookings today: pick another seed');
  return room;
}

describe('hostile cases against a running service process', { timeout: 60_000 }, () => {
  let redis: RestartableRedis;
  let simulator: TwentyFiveLiveSimulator;
  let operator: Redis;

  const start = (env: Record<string, string> = {}) => startServiceProcess({ redisUrl: redis.url, apiUrl: simulator.url, env });
  const open = (url: string, timeoutMs = 15_000) => callSafely(url, '/api/open-classrooms', { timeoutMs });
  const refresh = (url: string, timeoutMs = 15_000) => callSafely(url, '/api/refresh', { method: 'POST', timeoutMs });

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
    try {
      await stopAllServices();
    } finally {
      await operator.config('SET', 'maxmemory', '0');
      await operator.config('SET', 'maxmemory-policy', 'noeviction');
    }
  });

  // Current code: UPSTREAM_TIMEOUT_MS is an idle timeout (headers, then each silence in the body), so a
  // body dripping a byte every 100 ms never times out: 8 requests stay open until the 60 s refresh deadline.
  it('hostile 1a: slow drip on every room, UPSTREAM_TIMEOUT_MS=1000: a cold GET is a 503, all requests are given up within ~15 s, 77 of them and no more', async () => {
    simulator.setFailure('drip', { dripIntervalMs: DRIP_MS });
    const service = await start({ UPSTREAM_TIMEOUT_MS: '1000', UPSTREAM_RETRIES: '0' });
    const startedAt = Date.now();
    const answer = await open(service.url, 20_000);
    expect(answer.status, describeAnswer(answer)).toBe(503);
    expect(answer.body.detail).toMatch(NO_DATA);

    const drained = await waitFor(() => simulator.requests > 0 && simulator.inFlight === 0, startedAt + 15_000 - Date.now());
    const after = Math.round((Date.now() - startedAt) / 1000);
    expect(drained, `${simulator.inFlight} requests still open at 25Live ${after} s after start (${simulator.requests} received)`).toBe(true);
    expect(simulator.requests, 'requests that reached 25Live').toBe(ROOMS);
    await sleep(3000); // an absence: nothing may arrive for 3 s
    expect(simulator.requests, 'requests that reached 25Live 3 s after the fetch ended').toBe(ROOMS);
    expect(simulator.inFlight).toBe(0);
  });

  // Current code: no HARD_TIMEOUT_MS; the whole fetch is bounded only by its 60 s deadline, and the 8 dripping requests stay open.
  it('hostile 1b: slow drip on every room, HARD_TIMEOUT_MS=3000: within ~6 s nothing is in flight, and only the first 8 requests ever went out', async () => {
    simulator.setFailure('drip', { dripIntervalMs: DRIP_MS });
    await start({ UPSTREAM_TIMEOUT_MS: '60000', UPSTREAM_RETRIES: '0', HARD_TIMEOUT_MS: '3000' });
    const startedAt = Date.now();
    const drained = await waitFor(() => simulator.requests > 0 && simulator.inFlight === 0, 6000);
    const after = Math.round((Date.now() - startedAt) / 1000);
    expect(drained, `${simulator.inFlight} requests still open at 25Live ${after} s after start (${simulator.requests} received)`).toBe(true);
    expect(simulator.requests, 'requests that reached 25Live').toBe(CONCURRENCY);
    await sleep(4000); // an absence: nothing queued may go out later
    expect(simulator.requests, 'requests that reached 25Live 4 s later').toBe(CONCURRENCY);
    expect(simulator.inFlight).toBe(0);
  });

  // Current code: the snapshot is held in memory, but every re-check (1 s) finds no stamp in Redis,
  // reads that as "no data" and fetches all 77 rooms again (new last_updated each time).
  it('hostile 2: Redis refusing writes: one fetch serves everyone from memory, and it is stored once Redis takes writes again', async () => {
    await operator.config('SET', 'maxmemory-policy', 'noeviction');
    await operator.config('SET', 'maxmemory', '1');
    await expect(operator.set('hostile:probe', 'x'), 'Redis must refuse writes for this test').rejects.toThrow(/OOM/);
    const service = await start({ UPSTREAM_RETRIES: '0' });

    const first = await open(service.url);
    expect(first.status, describeAnswer(first)).toBe(200);
    const stamp = first.body.last_updated as string;
    expectServedTruth(first.body, truthFor(dateOf(stamp), SEED));

    const answers: Answer[] = [];
    for (let i = 0; i < 20; i += 1) {
      await sleep(250); // pacing: 20 GETs over 5 s
      answers.push(await call(service.url, '/api/open-classrooms', { timeoutMs: 5000 }));
    }
    expect(tally(answers.map((a) => a.status))).toEqual({ 200: 20 });
    expect(tally(answers.map((a) => a.body.last_updated)), `last_updated over 5 s (first was ${stamp})`).toEqual({ [stamp]: 20 });
    expect(simulator.requests, 'upstream requests while Redis refused writes').toBe(ROOMS);

    await operator.config('SET', 'maxmemory', '0');
    const stored = await waitFor(async () => (await operator.get(KEYS.lastRefresh)) === stamp, 5000, 100);
    expect(stored, `classrooms:last_refresh is ${await operator.get(KEYS.lastRefresh)} 5 s after Redis took writes again; served ${stamp}`).toBe(true);
    expect(simulator.requests, 'upstream requests after Redis came back').toBe(ROOMS);
  });

  // Current code: POST /api/refresh ignores the failure it just saw: it fetches all 77 rooms again and answers 502.
  it('hostile 3: POST /api/refresh while 25Live fails is a 503 with Retry-After at once, never a request to 25Live, on every instance', async () => {
    simulator.setFailure('error500');
    const service = await start({ UPSTREAM_RETRIES: '0' });
    await waitForFetch(simulator); // the wake-up fetch fails
    simulator.resetCounters();

    for (let i = 1; i <= 10; i += 1) {
      const answer = await refresh(service.url, 5000);
      expectBackoffAnswer(answer, 1, 60, `POST ${i}`);
      expect(answer.ms, `POST ${i} took`).toBeLessThan(1000);
    }
    await waitForQuiet(simulator, 300);
    expect(simulator.requests, 'upstream requests of 10 POSTs during the backoff').toBe(0);

    const second = await start({ UPSTREAM_RETRIES: '0' });
    const answer = await refresh(second.url, 5000);
    expectBackoffAnswer(answer, 1, 60, 'POST to a second instance');
    expect(answer.ms).toBeLessThan(1000);
    await waitForQuiet(simulator, 500);
    expect(simulator.requests, 'upstream requests of the second instance (wake-up and POST)').toBe(0);
  });

  // Current code: a Retry-After longer than 10 s ends that room's retries, but every other room is still asked (77 requests).
  it('hostile 4: a 429 with Retry-After 3600 stops the fetch, outlasts BACKOFF_SECONDS=1 and holds for the whole fleet', async () => {
    simulator.setFailure('error429', { retryAfterSeconds: 3600 });
    const env = { UPSTREAM_RETRIES: '2', BACKOFF_SECONDS: '1' };
    const service = await start(env);
    await waitForFetch(simulator);
    expect(simulator.requests, 'requests of the wake-up fetch after the first 429 with Retry-After: 3600').toBeLessThanOrEqual(CONCURRENCY);

    const before = simulator.requests;
    const answers: Answer[] = [];
    const until = Date.now() + 4000;
    while (Date.now() < until) {
      answers.push(await callSafely(service.url, '/api/open-classrooms', { timeoutMs: 3000 }));
      await sleep(200); // pacing
    }
    expect(tally(answers.map((a) => a.status))).toEqual({ 503: answers.length });
    expect(simulator.requests - before, 'upstream requests of GETs during Retry-After').toBe(0);

    const second = await start(env);
    const answer = await refresh(second.url, 5000);
    expectBackoffAnswer(answer, 3500, 3600, 'POST to a second instance');
    await waitForQuiet(simulator, 500);
    expect(simulator.requests - before, 'upstream requests of the second instance').toBe(0);
  });

  // Current code: a body without the requested day reads as "25Live said nothing, nothing is free":
  // every room is served (and stored) as booked all day, `[]` with no status.
  it('hostile 5a: answers without the requested day at a cold start: a 503 or every room "unknown", nothing stored as booked', async () => {
    simulator.setFailure('missing-day');
    const service = await start({ UPSTREAM_RETRIES: '0' });
    const answer = await open(service.url);
    expect([200, 503], describeAnswer(answer)).toContain(answer.status);
    const truth = truthFor(answer.status === 200 ? dateOf(answer.body.last_updated) : todayInNewYork(), SEED);
    if (answer.status === 200) {
      const known = servedRooms(answer.body).filter((room) => room.status !== 'unknown');
      expectNone(known.map((room) => `${room.id} served ${JSON.stringify(room.availability)}`), 'rooms served as known from answers without the day');
      expect(servedRooms(answer.body).every((room) => room.availability.length === 0)).toBe(true);
    } else {
      expect(answer.body.detail).toMatch(NO_DATA);
    }
    await waitForQuiet(simulator);
    expectStoredTruthful(await operator.get(KEYS.availability), truth);
  });

  // Current code: the refresh turns every room into `[]` (booked all day) over the good data, serves and stores it.
  it('hostile 5b: answers without the requested day on a refresh: good data is kept or rooms are "unknown", never replaced by "booked"', async () => {
    const service = await start({ UPSTREAM_RETRIES: '0', REFRESH_COOLDOWN_MINUTES: String(SHORT_COOLDOWN_MINUTES) });
    const first = await open(service.url);
    expect(first.status, describeAnswer(first)).toBe(200);
    const truth = truthFor(dateOf(first.body.last_updated), SEED);
    expectServedTruth(first.body, truth);
    await waitForQuiet(simulator, 300);

    simulator.setFailure('missing-day');
    const cooled = await waitFor(async () => (await call(service.url, '/api/cooldown-status')).body.in_cooldown === false, 5000);
    expect(cooled, 'the 60 ms cooldown never ended').toBe(true);
    const before = simulator.requests;
    const refreshed = await refresh(service.url);
    expect([200, 502, 503], describeAnswer(refreshed)).toContain(refreshed.status);
    expect(simulator.requests - before, 'the refresh asked 25Live').toBeGreaterThan(0);

    const after = await open(service.url);
    expect(after.status, describeAnswer(after)).toBe(200);
    const wrong = servedRooms(after.body)
      .filter((room) => (room.status === 'unknown' ? room.availability.length > 0 : JSON.stringify(room.availability) !== JSON.stringify(truth.get(room.id))))
      .map((room) => `${room.id}${room.status ? ` (${room.status})` : ''}: served ${JSON.stringify(room.availability)}, truth ${JSON.stringify(truth.get(room.id))}`);
    expectNone(wrong, 'rooms served with untrue slots after the refresh');
    expectStoredTruthful(await operator.get(KEYS.availability), truth);
  });

  // Current code: the parser never checks `itemId`, so another space's `items: null` day reads as "free all day".
  it('hostile 6: an answer for another space: that room is "unknown", every other room is right', async () => {
    simulator.setFailure('wrong-space', { spaceIds: [ROOM] });
    const service = await start();
    const answer = await open(service.url);
    expect(answer.status, describeAnswer(answer)).toBe(200);
    expectServedTruth(answer.body, truthFor(dateOf(answer.body.last_updated), SEED), new Set([String(ROOM)]));
  });

  // Current code: a request waits for the whole fetch up to 15 s (and the hung room takes 3 x 15 s),
  // so the cold GET is still waiting when the client gives up at 12 s.
  it('hostile 7a: one room hanging, default timeouts: a cold GET answers 200 within 8 s, that room "unknown", the rest right', async () => {
    simulator.setFailure('hang', { spaceIds: [ROOM] });
    const service = await start();
    const answer = await open(service.url, 12_000);
    expect(answer.status, describeAnswer(answer)).toBe(200);
    expect(answer.ms).toBeLessThan(8000);
    expectServedTruth(answer.body, truthFor(dateOf(answer.body.last_updated), SEED), new Set([String(ROOM)]));
  });

  // Current code: INCOMPLETE_RETRY_SECONDS is not read; an incomplete snapshot is fetched again only
  // after 5 minutes, so no re-fetch happens in the window (the simulator sees exactly 77 requests).
  it('hostile 7b: one room hanging, INCOMPLETE_RETRY_SECONDS=2: re-fetches run in the background and no GET waits on them', async () => {
    simulator.setFailure('hang', { spaceIds: [ROOM] });
    const service = await start({ UPSTREAM_TIMEOUT_MS: '2000', UPSTREAM_RETRIES: '0', INCOMPLETE_RETRY_SECONDS: '2' });
    const first = await open(service.url, 12_000);
    expect(first.status, describeAnswer(first)).toBe(200);
    expect(servedRooms(first.body).find((room) => room.id === String(ROOM))?.status).toBe('unknown');
    await waitForQuiet(simulator, 500);

    const atStart = simulator.requests;
    const pending: Array<Promise<Answer & { error?: string }>> = [];
    const startedAt = Date.now();
    while (Date.now() - startedAt < 10_000) {
      pending.push(callSafely(service.url, '/api/open-classrooms', { timeoutMs: 3000 }));
      await sleep(100); // pacing: a GET every 100 ms
    }
    const answers = await Promise.all(pending);
    const atEnd = simulator.requests;
    expect(tally(answers.map((a) => a.status))).toEqual({ 200: answers.length });
    expect(answers.filter((a) => a.ms >= 500).map((a) => Math.round(a.ms)), 'GETs that took 500 ms or more').toEqual([]);
    const notUnknown = answers.filter((a) => servedRooms(a.body).find((room) => room.id === String(ROOM))?.status !== 'unknown');
    expect(notUnknown.length, `answers where room ${ROOM} is not "unknown"`).toBe(0);
    expect(atEnd, 'requests to 25Live in all (77 = no re-fetch of the incomplete snapshot)').toBeGreaterThan(ROOMS);
    expect(atEnd - atStart, 'requests to 25Live during the 10 s window').toBeGreaterThan(0);
  });

  // Current code: the first listing of the day wins, and the first is the empty (free) copy.
  it('hostile 8: the requested day listed twice (an empty copy first): the room shows its real bookings', async () => {
    const date = todayInNewYork();
    const truth = truthFor(date, SEED);
    const room = bookedRoomToday(truth);
    simulator.setFailure('duplicate-day', { spaceIds: [room.spaceId] });
    const service = await start();
    const answer = await open(service.url);
    expect(answer.status, describeAnswer(answer)).toBe(200);
    expect(dateOf(answer.body.last_updated), 'the service fetched another day than the test chose its room for').toBe(date);
    const id = String(room.spaceId);
    expect(servedRooms(answer.body).find((served) => served.id === id), `room ${id}`).toEqual({ id, name: room.name, availability: truth.get(id) });
    expectServedTruth(answer.body, truth);
  });

  // Current code: a parseable stamp is believed: /api/last-updated shows tomorrow, and POST /api/refresh is refused with a 429.
  it('hostile 9: classrooms:last_refresh later than now is not believed: no future last-updated, no cooldown from it, a refresh works', async () => {
    const service = await start({ REFRESH_COOLDOWN_MINUTES: String(SHORT_COOLDOWN_MINUTES) });
    const first = await open(service.url);
    expect(first.status, describeAnswer(first)).toBe(200);
    expect(await operator.get(KEYS.lastRefresh)).toBe(first.body.last_updated);
    const tomorrow = DateTime.now().setZone(ZONE).plus({ days: 1 }).toISO()!;
    expect(await operator.set(KEYS.lastRefresh, tomorrow, 'KEEPTTL')).toBe('OK');
    expect(await operator.pttl(KEYS.lastRefresh)).toBeGreaterThan(0);
    // Past the real 60 ms cooldown of the fetch above: only the planted stamp could still be one.
    await waitFor(() => Date.now() >= Date.parse(first.body.last_updated) + SHORT_COOLDOWN_MINUTES * 60_000 + 50, 2000);

    const lastUpdated = await call(service.url, '/api/last-updated');
    expect(lastUpdated.status).toBe(200);
    const shown = lastUpdated.body.last_updated as string | null;
    expect(shown === null || Date.parse(shown) <= Date.now() + 2000, `GET /api/last-updated shows ${shown} (planted ${tomorrow})`).toBe(true);

    const cooldown = await call(service.url, '/api/cooldown-status');
    expect(cooldown.status).toBe(200);
    // The brief's "<= 30" for the default cooldown: never more than one (here 0.001 min) cooldown.
    expect(cooldown.body.remaining_minutes).toBeLessThanOrEqual(SHORT_COOLDOWN_MINUTES);

    const refreshed = await refresh(service.url);
    expect(refreshed.status, describeAnswer(refreshed)).toBe(200);
    const after = await open(service.url);
    expect(after.status, describeAnswer(after)).toBe(200);
    expect(Date.parse(after.body.last_updated), `last_updated ${after.body.last_updated}`).toBeLessThanOrEqual(Date.now());
  });

  // Current code: GET on a hash is WRONGTYPE, which reads as "Redis is away": /api/cooldown-status answers 503.
  it('hostile 10: classrooms:last_refresh of the wrong type (a hash): no cooldown, a refresh works and writes a string again', async () => {
    const service = await start({ REFRESH_COOLDOWN_MINUTES: String(SHORT_COOLDOWN_MINUTES) });
    const first = await open(service.url);
    expect(first.status, describeAnswer(first)).toBe(200);
    await operator.del(KEYS.lastRefresh);
    await operator.hset(KEYS.lastRefresh, 'field', 'value');
    expect(await operator.type(KEYS.lastRefresh)).toBe('hash');
    await waitFor(() => Date.now() >= Date.parse(first.body.last_updated) + SHORT_COOLDOWN_MINUTES * 60_000 + 50, 2000);

    const cooldown = await callSafely(service.url, '/api/cooldown-status');
    expect(cooldown.status, describeAnswer(cooldown)).toBe(200);
    expect(cooldown.body).toEqual({ in_cooldown: false, remaining_minutes: 0 });
    const refreshed = await refresh(service.url);
    expect(refreshed.status, describeAnswer(refreshed)).toBe(200);
    expect(await operator.type(KEYS.lastRefresh)).toBe('string');
    expect(Number.isFinite(Date.parse((await operator.get(KEYS.lastRefresh))!))).toBe(true);
  });

  // Current code: the pause after a failure is 60 s (BACKOFF_SECONDS is not read) counted from the
  // fetch's start, so no second fetch comes within T_end + 8 s.
  it('hostile 11: the backoff (BACKOFF_SECONDS=5) counts from the end of the failed fetch', async () => {
    const latencyMs = 400;
    const gapMs = 2000; // within a fetch requests follow each other closely; between fetches there are seconds
    simulator.setFailure('error500');
    simulator.setLatency(latencyMs);
    const service = await start({ UPSTREAM_RETRIES: '0', BACKOFF_SECONDS: '5' });

    // Index of the first request after a gap of `gapMs`: the first of the next fetch.
    const nextFetchAt = (times: readonly number[]) => times.findIndex((time, i) => i > 0 && time - times[i - 1]! > gapMs);
    const pending: Array<Promise<unknown>> = [];
    let deadline = Date.now() + 30_000;
    // Copied as soon as the next fetch shows: the simulator keeps only the latest 100 request times.
    let times: number[] = [];
    while (Date.now() < deadline) {
      pending.push(callSafely(service.url, '/api/open-classrooms', { timeoutMs: 1000 })); // only there to ask for data
      await sleep(250); // a GET every 250 ms
      times = [...simulator.requestTimes];
      if (nextFetchAt(times) >= 0) break;
      const last = times.at(-1);
      // Once the first fetch has visibly ended, wait no longer than its end + 5 s + 3 s.
      if (last !== undefined && Date.now() - last > gapMs) deadline = Math.min(deadline, last + latencyMs + 8500);
    }
    await Promise.all(pending);

    expect(times.length, 'the wake-up fetch reached 25Live').toBeGreaterThan(0);
    expect(times.length, 'request times kept by the simulator (the first fetch must be whole)').toBeLessThan(100);
    const split = nextFetchAt(times);
    const firstFetch = split < 0 ? times : times.slice(0, split);
    const failureEnded = firstFetch.at(-1)! + latencyMs; // its last answer left the simulator one latency after it arrived
    console.info(`[hostile] first fetch: ${firstFetch.length} requests over ${firstFetch.at(-1)! - firstFetch[0]!} ms; next fetch ${split < 0 ? 'never came' : `${times[split]! - failureEnded} ms after it ended`}`);
    expect(split, `no second fetch reached 25Live within ${Math.round((Date.now() - failureEnded) / 1000)} s of the first one's end`).toBeGreaterThan(0);
    const wait = times[split]! - failureEnded;
    expect(wait, 'ms from the end of the failed fetch to the next one').toBeGreaterThanOrEqual(5000 - 300);
    expect(wait, 'ms from the end of the failed fetch to the next one').toBeLessThanOrEqual(5000 + 3000);
  });

  // Current code: the demo uses the configured REDIS_URL, and fills it with its simulator's data.
  it('hostile 12: the demo never writes to a configured Redis', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hostile-demo-')); // where the demo records itself for the CLI
    try {
      const demo = await startDemoProcess({ env: { REDIS_URL: redis.url, TMPDIR: dir } });
      const answer = await open(demo.url);
      expect(answer.status, describeAnswer(answer)).toBe(200);
      await demo.stop();
      expect(await operator.dbsize(), `keys in the configured Redis: ${(await operator.keys('*')).join(', ')}`).toBe(0);
    } finally {
      await stopAllServices();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
