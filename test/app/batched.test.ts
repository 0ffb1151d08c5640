import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../src/adapters/embedded-redis.ts';
import { startTwentyFiveLiveSimulator, type TwentyFiveLiveSimulator } from '../../src/adapters/twenty-five-live-simulator/index.ts';
import { overnightEvent } from '../../src/adapters/twenty-five-live-simulator/overnight-event.ts';
import { BU_CATALOG } from '../../src/catalog/bu.ts';
import { loadConfig } from '../../src/app/config.ts';
import { createLogger } from '../../src/app/logger.ts';
import { startService, type RunningService } from '../../src/app/main.ts';
import { addDays } from '../../src/domain/calendar.ts';
import type { Catalog } from '../../src/domain/catalog.ts';
import { clockText, MINUTE_US, micros } from '../domain/oracles.ts';
import { simulatedSlots } from '../simulated-truth.ts';

const SEED = 9;
const ROOMS = BU_CATALOG.classrooms.length;

const eventsTruth = (spaceId: number, date: string) => simulatedSlots(BU_CATALOG, spaceId, date, SEED, 'reservations');

const metric = async (url: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(await (await fetch(`${url}/metrics`)).text())?.[1]);

type Slots = Array<{ start: string; end: string }>;

/**
 * Every room of `catalog` on every date the service holds, checked against the oracle's slots of
 * what `view` lists; the dates, and each room's served slots by date.
 */
async function expectOracleOnEveryDate(running: RunningService, catalog: Catalog, view: 'availability' | 'reservations') {
  const held = (await (await fetch(`${running.url}/api/dates`)).json()) as { dates: string[] };
  expect(held, 'the dates the service holds').toHaveProperty('dates');
  const { dates } = held;
  const served = new Map<string, Slots>();
  for (const date of dates) {
    const body = (await (await fetch(`${running.url}/api/open-classrooms?date=${date}`)).json()) as any;
    for (const room of catalog.classrooms) {
      const { availability } = body.buildings[room.building].classrooms.find((r: { id: string }) => r.id === String(room.spaceId));
      expect(availability, `${room.building} ${room.name} on ${date}`).toEqual(simulatedSlots(catalog, room.spaceId, date, SEED, view));
      served.set(`${room.spaceId} ${date}`, availability);
    }
  }
  return { dates, slotsOf: (spaceId: number, date: string) => served.get(`${spaceId} ${date}`)! };
}

describe('UPSTREAM_MODE=batched, end to end on a real Redis', () => {
  let redis: EmbeddedRedis;
  let simulator: TwentyFiveLiveSimulator;
  const services: RunningService[] = [];
  /** A service on a database of its own (so none takes another's snapshot), with no refresh of its own during the test. */
  const start = async (env: Record<string, string>) => {
    const running = await startService(
      loadConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_URL: `${redis.url}/${services.length + 1}`, API_URL: simulator.url, UPSTREAM_RETRIES: '0', REFRESH_AT: 'off', ...env }),
      createLogger('silent'),
    );
    services.push(running);
    return running;
  };

  beforeAll(async () => {
    redis = await startEmbeddedRedis();
    simulator = await startTwentyFiveLiveSimulator({ catalog: BU_CATALOG, seed: SEED });
  });
  afterAll(async () => {
    for (const running of services) await running.close();
    await simulator?.close();
    await redis?.stop();
  });

  it('a refresh of 77 rooms is 2 requests, and every room on every date held follows the slot rules on the events the view lists', async () => {
    simulator.resetCounters();
    const running = await start({ UPSTREAM_MODE: 'batched' });
    const today = (await (await fetch(`${running.url}/api/open-classrooms`)).json()) as any;
    expect(simulator.requests).toBe(2);
    expect(await metric(running.url, 'emptyclassroom_upstream_requests_per_refresh')).toBe(2);
    const { dates } = await expectOracleOnEveryDate(running, BU_CATALOG, 'reservations');
    expect(dates.length).toBeGreaterThanOrEqual(28);
    expect(dates[0]).toBe(today.last_updated.slice(0, 10));
    expect(simulator.requests).toBe(2);
  });

  it("gives the same slots from a tenant that puts )]}', before its JSON", async () => {
    const guarded = await startTwentyFiveLiveSimulator({ catalog: BU_CATALOG, seed: SEED, jsonPrefix: true });
    try {
      const raw = await (await fetch(`${guarded.reservationsUrl}?space_id=342&start_dt=20261201&end_dt=20261202`)).text();
      expect(raw.startsWith(")]}',\n{")).toBe(true);
      guarded.resetCounters();
      const running = await start({ UPSTREAM_MODE: 'batched', API_URL: guarded.url });
      const { dates } = await expectOracleOnEveryDate(running, BU_CATALOG, 'reservations');
      expect(dates.length).toBeGreaterThanOrEqual(28);
      expect(guarded.requests).toBe(2);
    } finally {
      await guarded.close();
    }
  });

  it('the per-room mode beside it is 77 requests a refresh, on /metrics too', async () => {
    simulator.resetCounters();
    const running = await start({});
    expect((await fetch(`${running.url}/api/open-classrooms`)).status).toBe(200);
    expect(simulator.requests).toBe(ROOMS);
    expect(await metric(running.url, 'emptyclassroom_upstream_requests_per_refresh')).toBe(ROOMS);
    expect(await metric(running.url, 'emptyclassroom_upstream_requests_total')).toBe(ROOMS);
  });

  it('a late event across midnight in a building open round the clock blocks the evening and the next morning, in both modes', async () => {
    // BU with CGS open round the clock, so the morning after a late event is inside opening hours.
    const catalog: Catalog = { ...BU_CATALOG, buildings: BU_CATALOG.buildings.map((b) => (b.code === 'CGS' ? { ...b, opens: 0, closes: 24 } : b)) };
    const file = join(mkdtempSync(join(tmpdir(), 'batched-')), 'round-the-clock.json');
    writeFileSync(file, JSON.stringify(catalog));
    const allNight = await startTwentyFiveLiveSimulator({ catalog, seed: SEED });
    try {
      const env = { API_URL: allNight.url, CATALOG_FILE: file };
      const batched = await expectOracleOnEveryDate(await start({ ...env, UPSTREAM_MODE: 'batched' }), catalog, 'reservations');
      const perRoom = await expectOracleOnEveryDate(await start(env), catalog, 'availability');
      expect(perRoom.dates).toEqual(batched.dates);
      // The late events that block a room (neither cancelled nor deleted) whose evening and morning both fall on dates held.
      const crossings = catalog.classrooms
        .filter((room) => room.building === 'CGS')
        .flatMap((room) => batched.dates.slice(0, -1).map((date) => ({ room, date, event: overnightEvent(room, date, SEED) })))
        .filter(({ event }) => event !== null && event.evening.cur_event_state !== 98 && event.evening.cur_event_state !== 99);
      expect(crossings.length).toBeGreaterThan(0);
      for (const { room, date, event } of crossings) {
        for (const source of [batched, perRoom]) {
          // Free up to a minute before it starts, if at all, that evening; free from a minute after it ends, if at all, the next morning.
          expect(
            source.slotsOf(room.spaceId, date).every((slot) => slot.end <= clockText(micros(event!.start) - MINUTE_US)),
            `${room.spaceId} on ${date}`,
          ).toBe(true);
          expect(
            source.slotsOf(room.spaceId, addDays(date, 1)).every((slot) => slot.start >= clockText(micros(event!.end) + MINUTE_US)),
            `${room.spaceId} after ${date}`,
          ).toBe(true);
        }
      }
    } finally {
      await allNight.close();
    }
  });

  it("counts a failed fetch's requests as that fetch's, and the next fetch's from zero", async () => {
    simulator.resetCounters();
    simulator.setFailure('error500');
    const running = await start({ UPSTREAM_MODE: 'batched' });
    const operator = new Redis(running.redis);
    try {
      await expect.poll(() => metric(running.url, 'emptyclassroom_upstream_requests_per_refresh'), { timeout: 5000 }).toBe(2); // the wake-up fetch, failed
      expect(simulator.requests).toBe(2);
      simulator.setFailure('none');
      await operator.del('classrooms:backoff'); // lifted, as an operator would; a refresh reads the backoff again
      expect((await fetch(`${running.url}/api/refresh`, { method: 'POST' })).status).toBe(200);
      expect(simulator.requests).toBe(4);
      expect(await metric(running.url, 'emptyclassroom_upstream_requests_per_refresh')).toBe(2);
      expect(await metric(running.url, 'emptyclassroom_upstream_requests_total')).toBe(4);
    } finally {
      simulator.setFailure('none');
      operator.disconnect();
    }
  });

  it('a failed batch leaves its 37 rooms unknown, never free, and the other 40 answered; free rooms leave them out', async () => {
    simulator.resetCounters();
    const failing = BU_CATALOG.classrooms[60]!;
    simulator.setFailure('error500', { spaceIds: [failing.spaceId] });
    try {
      const running = await start({ UPSTREAM_MODE: 'batched' });
      const body = (await (await fetch(`${running.url}/api/open-classrooms`)).json()) as any;
      expect(simulator.requests).toBe(2);
      const views = BU_CATALOG.classrooms.map((room) => body.buildings[room.building].classrooms.find((r: { id: string }) => r.id === String(room.spaceId)));
      expect(views.slice(40).every((view) => view.status === 'unknown' && view.availability.length === 0)).toBe(true);
      expect(views.slice(0, 40).every((view) => view.status === undefined)).toBe(true);
      const date = body.last_updated.slice(0, 10);
      views.slice(0, 40).forEach((view, i) => {
        expect(view.availability).toEqual(eventsTruth(BU_CATALOG.classrooms[i]!.spaceId, date));
      });
      const free = (await (await fetch(`${running.url}/api/free-rooms?at=12:00`)).json()) as any;
      expect(free.rooms.some((room: { id: string }) => BU_CATALOG.classrooms.slice(40).some((r) => String(r.spaceId) === room.id))).toBe(false);
    } finally {
      simulator.setFailure('none');
    }
  });
});
