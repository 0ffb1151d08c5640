import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../src/adapters/embedded-redis.ts';
import { startTwentyFiveLiveSimulator, type TwentyFiveLiveSimulator } from '../../src/adapters/twenty-five-live-simulator/index.ts';
import { BU_CATALOG } from '../../src/catalog/bu.ts';
import { loadConfig } from '../../src/app/config.ts';
import { createLogger } from '../../src/app/logger.ts';
import { startService, type RunningService } from '../../src/app/main.ts';
import { simulatedSlots } from '../simulated-truth.ts';

const SEED = 9;
const ROOMS = BU_CATALOG.classrooms.length;

const eventsTruth = (spaceId: number, date: string) => simulatedSlots(BU_CATALOG, spaceId, date, SEED, 'reservations');

const metric = async (url: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(await (await fetch(`${url}/metrics`)).text())?.[1]);

describe('UPSTREAM_MODE=batched, end to end on a real Redis', () => {
  let redis: EmbeddedRedis;
  let simulator: TwentyFiveLiveSimulator;
  const services: RunningService[] = [];
  /** A service on a database of its own (so none takes another's snapshot). */
  const start = async (env: Record<string, string>) => {
    const running = await startService(
      loadConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_URL: `${redis.url}/${services.length + 1}`, API_URL: simulator.url, UPSTREAM_RETRIES: '0', REFRESH_AT: '', ...env }),
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
    const { dates } = (await (await fetch(`${running.url}/api/dates`)).json()) as { dates: string[] };
    expect(dates.length).toBeGreaterThanOrEqual(28);
    expect(dates[0]).toBe(today.last_updated.slice(0, 10));
    for (const date of dates) {
      const body = (await (await fetch(`${running.url}/api/open-classrooms?date=${date}`)).json()) as any;
      for (const room of BU_CATALOG.classrooms) {
        const served = body.buildings[room.building].classrooms.find((r: { id: string }) => r.id === String(room.spaceId));
        expect(served.availability, `${room.building} ${room.name} on ${date}`).toEqual(eventsTruth(room.spaceId, date));
      }
    }
    expect(simulator.requests).toBe(2);
  });

  it('the per-room mode beside it is 77 requests a refresh, on /metrics too', async () => {
    simulator.resetCounters();
    const running = await start({});
    expect((await fetch(`${running.url}/api/open-classrooms`)).status).toBe(200);
    expect(simulator.requests).toBe(ROOMS);
    expect(await metric(running.url, 'emptyclassroom_upstream_requests_per_refresh')).toBe(ROOMS);
    expect(await metric(running.url, 'emptyclassroom_upstream_requests_total')).toBe(ROOMS);
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
