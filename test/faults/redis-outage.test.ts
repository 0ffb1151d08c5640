// Redis killed under load and brought back on the same port, against a REAL service process.
import type { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TwentyFiveLiveSimulator } from '../../src/adapters/twenty-five-live-simulator/index.ts';
import {
  KEYS,
  ROOMS,
  call,
  callSafely,
  startServiceProcess,
  stopAllServices,
  tally,
  waitForQuiet,
  type Answer,
  type RestartableRedis,
  startFaultEnvironment,
  stopFaultEnvironment,
} from './harness.ts';

const LOOPS = 20;
const LOAD_MS = 3000;
const MAX_PER_LOOP = 2000;

describe('Redis outage under load, seen through a running service process', { timeout: 60_000 }, () => {
  let redis: RestartableRedis;
  let simulator: TwentyFiveLiveSimulator;
  let operator: Redis;

  beforeAll(async () => {
    ({ redis, simulator, operator } = await startFaultEnvironment({ seed: 5 }));
  });

  afterAll(() => stopFaultEnvironment({ redis, simulator, operator }));

  afterEach(async () => {
    await stopAllServices();
    await redis.start(); // whatever happened, leave Redis up
  });

  it('serves from memory while Redis is down, never hangs, says 503 for the cooldown, and recovers on the same port without a restart', async () => {
    const service = await startServiceProcess({ redisUrl: redis.url, apiUrl: simulator.url, env: { UPSTREAM_RETRIES: '0' } });
    const warm = await call(service.url, '/api/open-classrooms', { timeoutMs: 15_000 });
    expect(warm.status).toBe(200);
    const stamp: string = warm.body.last_updated;
    const warmRequests = await waitForQuiet(simulator);
    expect(warmRequests).toBe(ROOMS);
    expect((await call(service.url, '/api/cooldown-status')).status).toBe(200);

    // 20 client loops for 3 s; Redis dies 0.5 s in.
    const answers: Array<Answer & { error?: string; at: number }> = [];
    const loadEnds = Date.now() + LOAD_MS;
    const loops = Array.from({ length: LOOPS }, async () => {
      for (let i = 0; i < MAX_PER_LOOP && Date.now() < loadEnds; i += 1) {
        const at = Date.now();
        answers.push({ ...(await callSafely(service.url, '/api/open-classrooms', { timeoutMs: 5000 })), at });
      }
    });
    await sleep(500);
    await redis.stop();
    const downAt = Date.now();

    // While Redis is down: the cooldown is never guessed, the last update comes from memory.
    const cooldowns: Answer[] = [];
    const lastUpdated: Answer[] = [];
    for (let i = 0; i < 3; i += 1) {
      cooldowns.push(await callSafely(service.url, '/api/cooldown-status', { timeoutMs: 5000 }));
      lastUpdated.push(await callSafely(service.url, '/api/last-updated', { timeoutMs: 5000 }));
      await sleep(300);
    }
    await Promise.all(loops);
    cooldowns.push(await callSafely(service.url, '/api/cooldown-status', { timeoutMs: 5000 }));

    console.info(`[faults] redis outage: ${answers.length} answers (${answers.filter((a) => a.at >= downAt).length} while down), slowest ${Math.round(Math.max(...answers.map((a) => a.ms)))} ms`);
    expect(answers.length).toBeGreaterThan(100);
    expect(answers.filter((a) => a.at >= downAt).length, 'requests made while Redis was down').toBeGreaterThan(20);
    const failures = answers.filter((a) => a.status !== 200 || a.body?.last_updated !== stamp);
    expect(tally(answers.map((a) => a.status)), JSON.stringify(failures.slice(0, 3).map((a) => ({ status: a.status, error: a.error, body: a.body })))).toEqual({ 200: answers.length });
    expect(failures).toEqual([]);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(5000);

    for (const cooldown of cooldowns) {
      expect(cooldown.status, JSON.stringify(cooldown.body)).toBe(503);
      expect(typeof cooldown.body.detail).toBe('string');
      expect(cooldown.body.in_cooldown).toBeUndefined();
    }
    for (const answer of lastUpdated) expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: { last_updated: stamp } });
    expect(simulator.requests).toBe(warmRequests); // the outage made no upstream fetch

    // Redis back on the same port (empty: it keeps nothing on disk): the same process reconnects.
    await redis.start();
    await expect.poll(async () => (await callSafely(service.url, '/api/cooldown-status', { timeoutMs: 5000 })).status, { timeout: 10_000, interval: 250 }).toBe(200);

    // The operator's DEL (a no-op on the empty Redis, but that is the habit): the next request fetches again, once.
    await operator.del(KEYS.availability, KEYS.lastRefresh);
    await expect.poll(async () => (await callSafely(service.url, '/api/open-classrooms', { timeoutMs: 15_000 })).body?.last_updated, { timeout: 15_000, interval: 250 }).not.toBe(stamp);
    await waitForQuiet(simulator);
    expect(simulator.requests - warmRequests).toBe(ROOMS);
    const fresh = await call(service.url, '/api/open-classrooms');
    expect(fresh.status).toBe(200);
    expect(await operator.get(KEYS.lastRefresh)).toBe(fresh.body.last_updated);
    expect(await operator.exists(KEYS.availability)).toBe(1);
  });
});
