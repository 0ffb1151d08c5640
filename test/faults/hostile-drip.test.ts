// Hostile cases against a REAL service process: slow drip: total deadlines and the hard timeout.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ROOMS, waitFor } from './harness.ts';
import { CONCURRENCY, DRIP_MS, NO_DATA, describeAnswer, useHostileEnvironment } from './hostile-support.ts';

describe('hostile cases: slow drip', { timeout: 60_000 }, () => {
  const { env, start, open } = useHostileEnvironment();

  // Current code: UPSTREAM_TIMEOUT_MS is an idle timeout (headers, then each silence in the body), so a
  // body dripping a byte every 100 ms never times out: 8 requests stay open until the 60 s refresh deadline.
  it('hostile 1a: slow drip on every room, UPSTREAM_TIMEOUT_MS=1000: a cold GET is a 503, all requests are given up within ~15 s, 77 of them and no more', async () => {
    env.simulator.setFailure('drip', { dripIntervalMs: DRIP_MS });
    // 16 at a time: five rounds of the 1 s deadline, so the test's own bound is not the machine's speed.
    const service = await start({ UPSTREAM_TIMEOUT_MS: '1000', UPSTREAM_RETRIES: '0', UPSTREAM_CONCURRENCY: '16' });
    const startedAt = Date.now();
    const answer = await open(service.url, 20_000);
    expect(answer.status, describeAnswer(answer)).toBe(503);
    expect(answer.body.detail).toMatch(NO_DATA);

    const drained = await waitFor(() => env.simulator.requests > 0 && env.simulator.inFlight === 0, startedAt + 15_000 - Date.now());
    const after = Math.round((Date.now() - startedAt) / 1000);
    expect(drained, `${env.simulator.inFlight} requests still open at 25Live ${after} s after start (${env.simulator.requests} received)`).toBe(true);
    expect(env.simulator.requests, 'requests that reached 25Live').toBe(ROOMS);
    await sleep(3000); // an absence: nothing may arrive for 3 s
    expect(env.simulator.requests, 'requests that reached 25Live 3 s after the fetch ended').toBe(ROOMS);
    expect(env.simulator.inFlight).toBe(0);
  });

  // Current code: no HARD_TIMEOUT_MS; the whole fetch is bounded only by its 60 s deadline, and the 8 dripping requests stay open.
  it('hostile 1b: slow drip on every room, HARD_TIMEOUT_MS=3000: within ~6 s nothing is in flight, and only the first 8 requests ever went out', async () => {
    env.simulator.setFailure('drip', { dripIntervalMs: DRIP_MS });
    await start({ UPSTREAM_TIMEOUT_MS: '60000', UPSTREAM_RETRIES: '0', HARD_TIMEOUT_MS: '3000' });
    const startedAt = Date.now();
    const drained = await waitFor(() => env.simulator.requests > 0 && env.simulator.inFlight === 0, 6000);
    const after = Math.round((Date.now() - startedAt) / 1000);
    expect(drained, `${env.simulator.inFlight} requests still open at 25Live ${after} s after start (${env.simulator.requests} received)`).toBe(true);
    expect(env.simulator.requests, 'requests that reached 25Live').toBe(CONCURRENCY);
    await sleep(4000); // an absence: nothing queued may go out later
    expect(env.simulator.requests, 'requests that reached 25Live 4 s later').toBe(CONCURRENCY);
    expect(env.simulator.inFlight).toBe(0);
  });
});
