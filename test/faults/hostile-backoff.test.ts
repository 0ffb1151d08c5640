// Hostile cases against a REAL service process: the fleet's backoff: refresh during a failure, Retry-After, counted from the failure's end.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { type Answer, callSafely, tally, waitForFetch, waitForQuiet } from './harness.ts';
import { CONCURRENCY, expectBackoffAnswer, useHostileEnvironment } from './hostile-support.ts';

describe("hostile cases: the fleet's backoff", { timeout: 60_000 }, () => {
  const { env, start, refresh } = useHostileEnvironment();

  // Current code: POST /api/refresh ignores the failure it just saw: it fetches all 77 rooms again and answers 502.
  it('hostile 3: POST /api/refresh while 25Live fails is a 503 with Retry-After at once, never a request to 25Live, on every instance', async () => {
    env.simulator.setFailure('error500');
    const service = await start({ UPSTREAM_RETRIES: '0' });
    await waitForFetch(env.simulator); // the wake-up fetch fails
    env.simulator.resetCounters();

    for (let i = 1; i <= 10; i += 1) {
      const answer = await refresh(service.url, 5000);
      expectBackoffAnswer(answer, 1, 60, `POST ${i}`);
      expect(answer.ms, `POST ${i} took`).toBeLessThan(1000);
    }
    await waitForQuiet(env.simulator, 300);
    expect(env.simulator.requests, 'upstream requests of 10 POSTs during the backoff').toBe(0);

    const second = await start({ UPSTREAM_RETRIES: '0' });
    const answer = await refresh(second.url, 5000);
    expectBackoffAnswer(answer, 1, 60, 'POST to a second instance');
    expect(answer.ms).toBeLessThan(1000);
    await waitForQuiet(env.simulator, 500);
    expect(env.simulator.requests, 'upstream requests of the second instance (wake-up and POST)').toBe(0);
  });

  // Current code: a Retry-After longer than 10 s ends that room's retries, but every other room is still asked (77 requests).
  it('hostile 4: a 429 with Retry-After 3600 stops the fetch, outlasts BACKOFF_SECONDS=1 and holds for the whole fleet', async () => {
    env.simulator.setFailure('error429', { retryAfterSeconds: 3600 });
    const settings = { UPSTREAM_RETRIES: '2', BACKOFF_SECONDS: '1' };
    const service = await start(settings);
    await waitForFetch(env.simulator);
    expect(env.simulator.requests, 'requests of the wake-up fetch after the first 429 with Retry-After: 3600').toBeLessThanOrEqual(CONCURRENCY);

    const before = env.simulator.requests;
    const answers: Answer[] = [];
    const until = Date.now() + 4000;
    while (Date.now() < until) {
      answers.push(await callSafely(service.url, '/api/open-classrooms', { timeoutMs: 3000 }));
      await sleep(200); // pacing
    }
    expect(tally(answers.map((a) => a.status))).toEqual({ 503: answers.length });
    expect(env.simulator.requests - before, 'upstream requests of GETs during Retry-After').toBe(0);

    const second = await start(settings);
    const answer = await refresh(second.url, 5000);
    expectBackoffAnswer(answer, 3500, 3600, 'POST to a second instance');
    await waitForQuiet(env.simulator, 500);
    expect(env.simulator.requests - before, 'upstream requests of the second instance').toBe(0);
  });

  // Current code: the pause after a failure is 60 s (BACKOFF_SECONDS is not read) counted from the
  // fetch's start, so no second fetch comes within T_end + 8 s.
  it('hostile 11: the backoff (BACKOFF_SECONDS=5) counts from the end of the failed fetch', async () => {
    const latencyMs = 400;
    const gapMs = 2000; // within a fetch requests follow each other closely; between fetches there are seconds
    env.simulator.setFailure('error500');
    env.simulator.setLatency(latencyMs);
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
      times = [...env.simulator.requestTimes];
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
    console.info(
      `[hostile] first fetch: ${firstFetch.length} requests over ${firstFetch.at(-1)! - firstFetch[0]!} ms; next fetch ${split < 0 ? 'never came' : `${times[split]! - failureEnded} ms after it ended`}`,
    );
    expect(split, `no second fetch reached 25Live within ${Math.round((Date.now() - failureEnded) / 1000)} s of the first one's end`).toBeGreaterThan(0);
    const wait = times[split]! - failureEnded;
    expect(wait, 'ms from the end of the failed fetch to the next one').toBeGreaterThanOrEqual(5000 - 300);
    expect(wait, 'ms from the end of the failed fetch to the next one').toBeLessThanOrEqual(5000 + 3000);
  });
});
