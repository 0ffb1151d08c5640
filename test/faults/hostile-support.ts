// What the hostile-case files (test/faults/hostile-*.test.ts) share: constants, assertions and one
// fault environment per file (its own redis-server, the 25Live simulator over real HTTP). Each case's
// comment says how the code before core v2 failed it.
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { instantAt as campusInstant } from '../../src/adapters/campus-clock.ts';
import type { TwentyFiveLiveSimulator } from '../../src/adapters/twenty-five-live-simulator/index.ts';
import { BU_CATALOG } from '../../src/catalog/bu.ts';
import { buildingOf } from '../../src/domain/catalog.ts';
import { freeSlots, type Slot } from '../../src/domain/free-slots.ts';
import { ROOMS, callSafely, servedRooms, startFaultEnvironment, startServiceProcess, stopAllServices, stopFaultEnvironment, type Answer, type RestartableRedis } from './harness.ts';

/** The New York view of a moment. */
const instantAt = (ms: number) => campusInstant(ms, 'America/New_York');

export const SEED = 23;
export const ZONE = 'America/New_York';
/** UPSTREAM_CONCURRENCY's default. */
export const CONCURRENCY = 8;
/** CAS 116. */
export const ROOM = 342;
export const NO_DATA = /25Live/;
/** A byte every 100 ms: never idle for UPSTREAM_TIMEOUT_MS, so only a TOTAL deadline ends the request. */
export const DRIP_MS = 100;
/** A cooldown (0.001 min = 60 ms) short enough that only an untrusted stamp could still be one. */
export const SHORT_COOLDOWN_MINUTES = 0.001;

export const dateOf = (stamp: string) => instantAt(Date.parse(stamp)).date;
export const todayInNewYork = () => instantAt(Date.now()).date;
export const describeAnswer = (answer: Answer & { error?: string }) => answer.error ?? JSON.stringify(answer.body).slice(0, 300);

/** Asserts an empty list of problems with a readable message: how many, and the first few. */
export function expectNone(problems: string[], label: string) {
  const shown = problems.slice(0, 4).join('; ') + (problems.length > 4 ? `; ... (${problems.length - 4} more)` : '');
  expect(problems.length, `${label}: ${shown}`).toBe(0);
}

/** Every room served exactly as the truth says, except `unknown` ones, which are `"unknown"` with no slots. */
export function expectServedTruth(body: Parameters<typeof servedRooms>[0], truth: Map<string, Slot[]>, unknown: ReadonlySet<string> = new Set()) {
  const rooms = servedRooms(body);
  expect(rooms).toHaveLength(ROOMS);
  for (const room of rooms) {
    if (unknown.has(room.id)) expect(room, `room ${room.id}`).toEqual({ id: room.id, name: room.name, availability: [], status: 'unknown' });
    else expect(room, `room ${room.id}`).toEqual({ id: room.id, name: room.name, availability: truth.get(room.id) });
  }
}

/** `classrooms:availability`, if there is one, holds only true slots (no room stored as booked, or as another day's). */
export function expectStoredTruthful(raw: string | null, truth: Map<string, Slot[]>) {
  if (raw === null) return;
  const stored = JSON.parse(raw) as Record<string, Slot[]>;
  const wrong = Object.entries(stored)
    .filter(([id, slots]) => JSON.stringify(slots) !== JSON.stringify(truth.get(id)))
    .map(([id, slots]) => `${id}: stored ${JSON.stringify(slots)}, truth ${JSON.stringify(truth.get(id))}`);
  expectNone(wrong, 'rooms stored in classrooms:availability with untrue slots');
}

/** A 503 during a backoff: at once, with a whole-seconds Retry-After in [min, max] and a JSON detail naming 25Live. */
export function expectBackoffAnswer(answer: Answer & { error?: string }, min: number, max: number, label: string) {
  expect(answer.status, `${label}: ${describeAnswer(answer)}`).toBe(503);
  const retryAfter = answer.headers.get('retry-after');
  expect(retryAfter, `${label}: Retry-After`).toMatch(/^\d+$/);
  expect(Number(retryAfter), `${label}: Retry-After`).toBeGreaterThanOrEqual(min);
  expect(Number(retryAfter), `${label}: Retry-After`).toBeLessThanOrEqual(max);
  expect(answer.headers.get('content-type'), label).toMatch(/application\/json/);
  expect(answer.body.detail, `${label}: detail`).toMatch(NO_DATA);
}

/** 342 when it has bookings today, else the first room that does: one an empty ("free all day") copy of the day would misreport. */
export function bookedRoomToday(truth: Map<string, Slot[]>) {
  const bookedToday = (room: (typeof BU_CATALOG.classrooms)[number]) => JSON.stringify(truth.get(String(room.spaceId))) !== JSON.stringify(freeSlots([], buildingOf(BU_CATALOG, room)));
  const preferred = BU_CATALOG.classrooms.find((room) => room.spaceId === ROOM)!;
  const room = bookedToday(preferred) ? preferred : BU_CATALOG.classrooms.find(bookedToday);
  if (!room) throw new Error('no room has bookings today: pick another seed');
  return room;
}

/** Registers the file's hooks and gives its tests the environment and the service helpers. */
export function useHostileEnvironment() {
  const env = {} as { redis: RestartableRedis; simulator: TwentyFiveLiveSimulator; operator: Redis };

  const start = (extra: Record<string, string> = {}) => startServiceProcess({ redisUrl: env.redis.url, apiUrl: env.simulator.url, env: extra });
  const open = (url: string, timeoutMs = 15_000) => callSafely(url, '/api/open-classrooms', { timeoutMs });
  const refresh = (url: string, timeoutMs = 15_000) => callSafely(url, '/api/refresh', { method: 'POST', timeoutMs });

  beforeAll(async () => {
    Object.assign(env, await startFaultEnvironment({ seed: SEED }));
  });

  afterAll(() => stopFaultEnvironment(env));

  beforeEach(async () => {
    await env.operator.flushall();
    env.simulator.setFailure('none');
    env.simulator.setLatency(0);
    env.simulator.resetCounters();
  });

  afterEach(async () => {
    try {
      await stopAllServices();
    } finally {
      await env.operator.config('SET', 'maxmemory', '0');
      await env.operator.config('SET', 'maxmemory-policy', 'noeviction');
    }
  });

  return { env, start, open, refresh };
}
