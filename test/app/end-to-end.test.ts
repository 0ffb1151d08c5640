import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../src/adapters/embedded-redis.ts';
import { instantAt as campusInstant } from '../../src/adapters/campus-clock.ts';
import { generateDay, startTwentyFiveLiveSimulator, type TwentyFiveLiveSimulator } from '../../src/adapters/twenty-five-live-simulator/index.ts';
import { BU_CATALOG } from '../../src/catalog/bu.ts';
import { loadConfig } from '../../src/app/config.ts';
import { createLogger } from '../../src/app/logger.ts';
import { startService, type RunningService } from '../../src/app/main.ts';
import { buildingOf } from '../../src/domain/catalog.ts';
import { freeSlots } from '../../src/domain/free-slots.ts';
import { reservationsOf } from '../../src/domain/schedule.ts';

/** The New York view of a moment. */
const instantAt = (ms: number) => campusInstant(ms, 'America/New_York');

const SEED = 7;
const ROOMS = BU_CATALOG.classrooms.length;

describe('the running service against the 25Live simulator and a real Redis', () => {
  let redis: EmbeddedRedis;
  let simulator: TwentyFiveLiveSimulator;
  let running: RunningService;
  let operator: Redis;

  beforeAll(async () => {
    redis = await startEmbeddedRedis();
    simulator = await startTwentyFiveLiveSimulator({ catalog: BU_CATALOG, seed: SEED, latencyMs: 30 });
    operator = new Redis(redis.url, { lazyConnect: true });
    await operator.connect();
  });

  afterAll(async () => {
    await running?.close();
    operator?.disconnect();
    await simulator?.close();
    await redis?.stop();
  });

  /** A fresh service on an empty Redis (the simulator keeps whatever failure a test set). */
  async function restart() {
    await running?.close();
    await operator.flushall();
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_URL: redis.url, API_URL: simulator.url, UPSTREAM_RETRIES: '0', BACKOFF_SECONDS: '1' });
    running = await startService(config, createLogger('silent'));
  }

  beforeEach(async () => {
    simulator.setFailure('none');
    simulator.resetCounters();
    await restart();
  });

  const get = async (path: string) => {
    const res = await fetch(`${running.url}${path}`);
    return { status: res.status, body: (await res.json()) as any };
  };

  it('answers 100 simultaneous cold requests with one upstream fetch: exactly 77 requests to 25Live', async () => {
    const answers = await Promise.all(Array.from({ length: 100 }, () => get('/api/open-classrooms')));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => a.body.last_updated)).size).toBe(1);
    expect(simulator.requests).toBe(ROOMS);
    expect(simulator.maxInFlight).toBeLessThanOrEqual(8);
  });

  it("serves, for every room, the slots the rules give for today's simulated bookings", async () => {
    const { status, body } = await get('/api/open-classrooms');
    expect(status).toBe(200);
    const today = instantAt(Date.parse(body.last_updated)).date;
    for (const room of BU_CATALOG.classrooms) {
      const day = generateDay(room, buildingOf(BU_CATALOG, room), today, SEED);
      const bookings = (day.items ?? null)?.map((item) => ({ start: item.start, end: item.end, eventState: item.cur_event_state ?? null })) ?? null;
      const expected = freeSlots(reservationsOf(bookings), buildingOf(BU_CATALOG, room));
      const served = body.buildings[room.building].classrooms.find((r: { id: string }) => r.id === String(room.spaceId));
      expect(served, `room ${room.spaceId}`).toEqual({ id: String(room.spaceId), name: room.name, availability: expected });
    }
  });

  it('answers tomorrow and 20 days ahead from the same fetch, by the slot rules for those days, with no extra request to 25Live; free rooms from the same slots', async () => {
    const { body } = await get('/api/open-classrooms');
    const today = instantAt(Date.parse(body.last_updated)).date;
    const dates = (await get('/api/dates')).body.dates as string[];
    expect(dates[0]).toBe(today);
    expect(dates).toHaveLength(32);
    for (const date of [dates[1]!, dates[20]!]) {
      const answer = await get(`/api/open-classrooms?date=${date}`);
      expect(answer.status).toBe(200);
      expect(answer.body.date).toBe(date);
      for (const room of BU_CATALOG.classrooms) {
        const day = generateDay(room, buildingOf(BU_CATALOG, room), date, SEED);
        const bookings = (day.items ?? null)?.map((item) => ({ start: item.start, end: item.end, eventState: item.cur_event_state ?? null })) ?? null;
        const served = answer.body.buildings[room.building].classrooms.find((r: { id: string }) => r.id === String(room.spaceId));
        expect(served.availability, `room ${room.spaceId} on ${date}`).toEqual(freeSlots(reservationsOf(bookings), buildingOf(BU_CATALOG, room)));
      }
      const free = await get(`/api/free-rooms?date=${date}&at=13:00&for=30`);
      expect(free.status).toBe(200);
      const expected = Object.values<any>(answer.body.buildings)
        .flatMap((b) => b.classrooms)
        .filter((r) =>
          r.availability.some(
            (s: { start: string; end: string }) => s.start <= '13:00:00' && '13:00:00' < s.end && (Date.parse(`1970-01-01T${s.end}Z`) - Date.parse('1970-01-01T13:00:00Z')) / 60_000 >= 30,
          ),
        )
        .map((r) => r.id)
        .sort();
      expect(free.body.rooms.map((r: { id: string }) => r.id).sort()).toEqual(expected);
    }
    expect((await get(`/api/open-classrooms?date=${dates[31]}`)).status).toBe(200);
    expect((await get(`/api/open-classrooms?date=${instantAt(Date.parse(body.last_updated) + 40 * 86_400_000).date}`)).status).toBe(400);
    expect(simulator.requests).toBe(ROOMS);
  });

  it("keeps the operator's redis-cli habits: the old keys hold the data, TTL shows its life, DEL forces a fresh fetch", async () => {
    const { body } = await get('/api/open-classrooms');
    const stored = JSON.parse((await operator.get('classrooms:availability'))!);
    for (const building of Object.values<any>(body.buildings)) {
      for (const room of building.classrooms) expect(stored[room.id]).toEqual(room.availability);
    }
    expect(await operator.get('classrooms:last_refresh')).toBe(body.last_updated);
    const ttl = await operator.ttl('classrooms:availability');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(24 * 3600);

    expect((await get('/api/open-classrooms')).status).toBe(200);
    expect(simulator.requests).toBe(ROOMS);
    await operator.del('classrooms:availability', 'classrooms:last_refresh');
    // Each process re-checks the shared cache at least once a second.
    await expect.poll(async () => (await get('/api/open-classrooms')).body.last_updated, { timeout: 5000, interval: 200 }).not.toBe(body.last_updated);
    expect(simulator.requests).toBe(2 * ROOMS);
    expect(await operator.get('classrooms:last_refresh')).not.toBeNull();
  });

  it('answers 503 with a detail, and caches nothing, when 25Live is down at a cold start; the backoff holds even a refresh off', async () => {
    simulator.setFailure('error500');
    await restart();
    const { status, body } = await get('/api/open-classrooms');
    expect(status).toBe(503);
    expect(body.detail).toMatch(/25Live/);
    expect(await operator.exists('classrooms:availability', 'classrooms:last_refresh', 'classrooms:last_good')).toBe(0);
    expect(await operator.exists('classrooms:backoff')).toBe(1);
    // 25Live is back, but nobody asks it before the backoff ends, not even a refresh.
    simulator.setFailure('none');
    const asked = simulator.requests;
    expect((await get('/api/open-classrooms')).status).toBe(503);
    const refused = await fetch(`${running.url}/api/refresh`, { method: 'POST' });
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(simulator.requests).toBe(asked);
    await new Promise((resolve) => setTimeout(resolve, Number(refused.headers.get('retry-after')) * 1000 + 100));
    expect((await fetch(`${running.url}/api/refresh`, { method: 'POST' })).status).toBe(200);
    expect((await get('/api/open-classrooms')).status).toBe(200);
  });

  it('counts and reports malformed rooms as unknown, never as booked, and exposes the count at /metrics', async () => {
    simulator.setFailure('malformed', { spaceIds: [342, 719] });
    await restart();
    const { status, body } = await get('/api/open-classrooms');
    expect(status).toBe(200);
    const all = Object.values<any>(body.buildings).flatMap((b) => b.classrooms);
    expect(
      all
        .filter((r) => r.status === 'unknown')
        .map((r) => r.id)
        .sort(),
    ).toEqual(['342', '719']);
    const stored = JSON.parse((await operator.get('classrooms:availability'))!);
    expect(Object.keys(stored)).toHaveLength(ROOMS - 2);
    expect(stored).not.toHaveProperty('342');
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toMatch(/emptyclassroom_upstream_room_failures_total\{reason="malformed"\} 2/);
  });

  it('refreshes once, then answers 429 with the cooldown text', async () => {
    await get('/api/open-classrooms');
    const refresh = await fetch(`${running.url}/api/refresh`, { method: 'POST' });
    expect(refresh.status).toBe(429);
    expect(((await refresh.json()) as { detail: string }).detail).toMatch(/^Refresh cooldown active\. Please wait \d+\.\d more minutes\.$/);
    const cooldown = await get('/api/cooldown-status');
    expect(cooldown.body.in_cooldown).toBe(true);
    expect(cooldown.body.remaining_minutes).toBeGreaterThan(29);
  });
});
