// Three REAL service processes on one Redis and one 25Live: a cold stampede and a refresh race.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TwentyFiveLiveSimulator } from '../../src/adapters/twenty-five-live-simulator/index.ts';
import { KEYS, ROOMS, call, callSafely, startServiceProcess, tally, waitForQuiet, type RestartableRedis, type ServiceProcess, startFaultEnvironment, stopFaultEnvironment } from './harness.ts';

const INSTANCES = 3;
const CLIENTS = 1000;
const COOLDOWN_TEXT = /^Refresh cooldown active\. Please wait \d+\.\d more minutes\.$/;

describe('three service processes sharing one Redis', { timeout: 60_000 }, () => {
  let redis: RestartableRedis;
  let simulator: TwentyFiveLiveSimulator;
  let operator: Redis;
  let cluster: ServiceProcess[] | null = null;

  const startCluster = async () => {
    cluster = await Promise.all(Array.from({ length: INSTANCES }, () => startServiceProcess({ redisUrl: redis.url, apiUrl: simulator.url, env: { UPSTREAM_RETRIES: '0', SOFT_TIMEOUT_MS: '20000' } }))); // what is counted is upstream requests, not how long a loaded machine takes
    return cluster;
  };

  beforeAll(async () => {
    ({ redis, simulator, operator } = await startFaultEnvironment({ seed: 3, latencyMs: 200 }));
  });

  afterAll(() => stopFaultEnvironment({ redis, simulator, operator }));

  it('cold stampede: 1000 GETs over 3 fresh instances on an empty Redis cost one fetch (77 upstream requests) in all', async () => {
    await operator.flushall();
    simulator.resetCounters();
    const instances = await startCluster(); // each one's wake-up refresh starts as it begins to listen

    const answers = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => callSafely(instances[i % INSTANCES]!.url, '/api/open-classrooms', { timeoutMs: 30_000 })));
    const statuses = tally(answers.map((a) => a.status));
    expect(statuses, JSON.stringify(answers.find((a) => a.status !== 200))).toEqual({ 200: CLIENTS });
    const stamps = new Set(answers.map((a) => a.body.last_updated));
    await waitForQuiet(simulator);
    console.info(`[faults] cold stampede: ${simulator.requests} upstream requests (max ${simulator.maxInFlight} in flight), ${stamps.size} distinct last_updated`);
    expect(stamps.size).toBe(1);
    expect(await operator.get(KEYS.lastRefresh)).toBe([...stamps][0]);
    expect(simulator.requests).toBe(ROOMS);
  });

  it('refresh race: 1000 simultaneous POST /api/refresh over 3 warm instances give one 200, 999 429s and one fetch', async () => {
    const instances = cluster ?? (await startCluster());
    for (const instance of instances) expect((await call(instance.url, '/api/open-classrooms', { timeoutMs: 30_000 })).status).toBe(200);
    await waitForQuiet(simulator);
    await operator.del(KEYS.lastRefresh, KEYS.refreshClaim); // no cooldown is active now
    simulator.resetCounters();

    const answers = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => callSafely(instances[i % INSTANCES]!.url, '/api/refresh', { method: 'POST', timeoutMs: 30_000 })));
    const statuses = tally(answers.map((a) => a.status));
    const odd = answers.filter((a) => a.status !== 200 && a.status !== 429).slice(0, 3);
    expect(statuses, JSON.stringify(odd.map((a) => ({ status: a.status, body: a.body, error: a.error })))).toEqual({ 200: 1, 429: CLIENTS - 1 });
    const winner = answers.find((a) => a.status === 200)!;
    expect(winner.body.message).toBe('Data refreshed successfully');
    for (const answer of answers.filter((a) => a.status === 429)) {
      expect(answer.body.detail).toMatch(COOLDOWN_TEXT);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    await waitForQuiet(simulator);
    console.info(`[faults] refresh race: ${JSON.stringify(statuses)}, ${simulator.requests} upstream requests`);
    expect(simulator.requests).toBe(ROOMS);
    expect(await operator.get(KEYS.lastRefresh)).toBe(winner.body.timestamp);
  });
});
