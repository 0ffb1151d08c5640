import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import buCatalog from '../../src/catalog/bu-catalog.json' with { type: 'json' };
import { startTwentyFiveLiveSimulator, type TwentyFiveLiveSimulator } from '../../src/adapters/twenty-five-live-simulator/index.ts';
import { createTwentyFiveLiveSource, retryAfterMs, type TwentyFiveLiveSourceOptions } from '../../src/adapters/twenty-five-live-source.ts';
import type { Catalog } from '../../src/domain/catalog.ts';
import { UpstreamError } from '../../src/domain/errors.ts';

const catalog: Catalog = buCatalog;
const EXPECTED_QUERY =
  'obj_cache_accl=0&start_dt=2026-11-26T00:00:00&comptype=availability_daily&compsubject=location' +
  '&page_size=100&space_id=342&include=closed+blackouts+pending+related+empty&caller=pro-AvailService.getData';

let simulator: TwentyFiveLiveSimulator;
const opened: Array<{ close(): Promise<void> }> = [];

function source(options: Partial<TwentyFiveLiveSourceOptions> = {}) {
  const created = createTwentyFiveLiveSource({ apiUrl: simulator.url, retryBaseMs: 5, timeoutMs: 2000, ...options });
  opened.push(created);
  return created;
}

/** A throwaway node:http server for what the simulator cannot do; torn down even on failure. */
async function withServer(handler: RequestListener, use: (origin: string) => Promise<void>): Promise<void> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function rejection(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => expect.unreachable('expected an UpstreamError'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

beforeAll(async () => {
  simulator = await startTwentyFiveLiveSimulator({ catalog, seed: 7, jsonPrefix: true });
});
beforeEach(() => {
  simulator.setFailure('none');
  simulator.setLatency(0);
  simulator.resetCounters();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((created) => created.close()));
});
afterAll(async () => {
  await simulator.close();
});

/** One room through the batch interface, as the core asks. */
const one = (created: ReturnType<typeof source>, spaceId: number, from = '2026-11-26', signal = new AbortController().signal) => created.fetchSchedules([spaceId], from, signal)[0]!;

describe('createTwentyFiveLiveSource', () => {
  it('sends exactly the documented query, in order, with literal + and :, and hands on every day of the answer', async () => {
    const days = await one(source(), 342);
    expect(simulator.queries).toEqual([EXPECTED_QUERY]);
    expect(days).toHaveLength(32);
    expect(days[0]!.date).toBe('2026-11-26');
    expect(days[31]!.date).toBe('2026-12-27');
  });

  it('keeps the path of the configured URL, and sends the User-Agent it is given', async () => {
    const seen: string[] = [];
    const agents: Array<string | undefined> = [];
    await withServer(
      (req, res) => {
        seen.push(req.url ?? '');
        agents.push(req.headers['user-agent']);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"subjects": []}');
      },
      async (origin) => {
        const apiUrl = `${origin}/25live/data/umd/run/availability/availabilitydata.json`;
        await expect(one(source({ apiUrl, userAgent: 'EmptyClassroom/test' }), 342)).resolves.toEqual([]);
      },
    );
    expect(seen).toEqual([`/25live/data/umd/run/availability/availabilitydata.json?${EXPECTED_QUERY}`]);
    expect(agents).toEqual(['EmptyClassroom/test']);
  });

  it('a body that drips is cut at the total deadline of the attempt, not only after silence', async () => {
    simulator.setFailure('drip', { dripIntervalMs: 50 });
    const started = Date.now();
    const error = await rejection(one(source({ timeoutMs: 500, retries: 0 }), 342));
    expect(error).toMatchObject({ reason: 'timeout', message: '25Live did not answer space 342 within 500 ms' });
    expect(Date.now() - started).toBeLessThan(1500);
    await vi.waitFor(() => expect(simulator.inFlight).toBe(0), { timeout: 2000 });
  });

  it('never has more than `concurrency` requests in flight, uses all of them, and starts each deadline when its request goes out', async () => {
    simulator.setLatency(150);
    const rooms = catalog.classrooms.slice(0, 20).map((room) => room.spaceId);
    const answers = await Promise.allSettled(source({ concurrency: 4, timeoutMs: 400, retries: 0 }).fetchSchedules(rooms, '2026-11-26', new AbortController().signal));
    expect(answers.every((answer) => answer.status === 'fulfilled')).toBe(true); // 5 rounds of 150 ms, each within its own 400 ms
    expect(simulator.requests).toBe(20);
    expect(simulator.maxInFlight).toBe(4);
  });

  it('aborting stops what is in flight and sends nothing of what waits its turn', async () => {
    simulator.setFailure('timeout');
    const controller = new AbortController();
    const rooms = catalog.classrooms.slice(0, 20).map((room) => room.spaceId);
    const answers = source({ concurrency: 4, timeoutMs: 60_000 }).fetchSchedules(rooms, '2026-11-26', controller.signal);
    await vi.waitFor(() => expect(simulator.inFlight).toBe(4));
    controller.abort();
    const settled = await Promise.allSettled(answers);
    expect(settled.every((answer) => answer.status === 'rejected' && (answer.reason as UpstreamError).reason === 'deadline')).toBe(true);
    await vi.waitFor(() => expect(simulator.inFlight).toBe(0));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(simulator.requests).toBe(4);
  });

  it('gives up on a silent 25Live with an UpstreamError after each attempt times out', async () => {
    simulator.setFailure('timeout');
    const started = Date.now();
    const error = await rejection(one(source({ timeoutMs: 200, retries: 1 }), 342));
    const elapsed = Date.now() - started;
    expect(error.message).toBe('25Live did not answer space 342 within 200 ms');
    expect(simulator.requests).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(400);
    expect(elapsed).toBeLessThan(2000);
  });

  it('retries a 500 and returns the answer that follows', async () => {
    simulator.setFailure('error500', { times: 1 });
    expect(await one(source(), 342)).toHaveLength(32);
    expect(simulator.requests).toBe(2);
  });

  it('rejects with an UpstreamError naming the status when 500s persist', async () => {
    simulator.setFailure('error500');
    const error = await rejection(one(source({ retries: 2 }), 342));
    expect(error.message).toBe('25Live answered 500 for space 342 after 3 attempts');
    expect(error.code).toBe('UPSTREAM_FAILED');
    expect(error.retryAfterMs).toBeUndefined();
    expect(simulator.requests).toBe(3);
  });

  it('waits as long as Retry-After asks on a 429', async () => {
    simulator.setFailure('error429', { times: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    await expect(one(source({ retryBaseMs: 1 }), 342)).resolves.toHaveLength(32);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(simulator.requests).toBe(2);
  });

  it('gives up at once when Retry-After asks for longer than it will wait, and reports the pause asked for', async () => {
    for (const mode of ['error429', 'error503'] as const) {
      simulator.resetCounters();
      simulator.setFailure(mode, { retryAfterSeconds: 3600 });
      const error = await rejection(one(source({ retries: 2, retryMaxMs: 1000 }), 342));
      expect(error.message).toBe(`25Live answered ${mode.slice(5)} for space 342 after 1 attempt`);
      expect(error.retryAfterMs).toBe(3_600_000);
      expect(simulator.requests).toBe(1);
    }
  });

  it('counts the attempts it made when a long Retry-After ends the retries midway', async () => {
    let answered = 0;
    await withServer(
      (_req, res) => {
        answered += 1;
        // A quick 503 first, then a 429 asking for two minutes.
        const [status, retryAfter] = answered === 1 ? [503, '0'] : [429, '120'];
        res.writeHead(status, { 'content-type': 'application/json', 'retry-after': retryAfter }).end('{}');
      },
      async (origin) => {
        const error = await rejection(one(source({ apiUrl: `${origin}/a.json`, retries: 3, retryMaxMs: 1000 }), 342));
        expect(error.message).toBe('25Live answered 429 for space 342 after 2 attempts');
        expect(error.retryAfterMs).toBe(120_000);
      },
    );
    expect(answered).toBe(2);
  });

  it('rejects a malformed body, or an answer about another space, without retrying', async () => {
    simulator.setFailure('malformed');
    expect((await rejection(one(source(), 342))).message).toBe('malformed 25Live response for space 342: body is not JSON');
    simulator.setFailure('wrong-space');
    expect((await rejection(one(source(), 342))).message).toMatch(/^malformed 25Live response for space 342: subjects\[0\] is about space \d+/);
    expect(simulator.requests).toBe(2);
  });

  it('does not retry a 404', async () => {
    const error = await rejection(one(source(), 999_999));
    expect(error.message).toBe('25Live answered 404 for space 999999 after 1 attempt');
    expect(simulator.requests).toBe(1);
  });

  it('refuses a body larger than maxBodyBytes', async () => {
    const error = await rejection(one(source({ maxBodyBytes: 1000 }), 342));
    expect(error).toMatchObject({ reason: 'too-large', message: '25Live response for space 342 exceeds 1000 bytes' });
  });

  it('turns a refused connection into an UpstreamError after retrying', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const error = await rejection(one(source({ apiUrl: `http://127.0.0.1:${port}/a.json`, retries: 1 }), 342));
    expect(error.message).toMatch(/^25Live request for space 342 failed: ECONNREFUSED/);
  });

  it('refuses arguments that would make a bad URL', async () => {
    expect(() => source().fetchSchedules([342], '26/11/2026', new AbortController().signal)).toThrow(RangeError);
    await expect(one(source(), 3.5)).rejects.toThrow(RangeError);
    expect(simulator.requests).toBe(0);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, and ignores junk', () => {
    const now = Date.parse('2026-11-26T12:00:00Z');
    expect(retryAfterMs('2', now)).toBe(2000);
    expect(retryAfterMs(['0'], now)).toBe(0);
    expect(retryAfterMs('Thu, 26 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Thu, 26 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(undefined, now)).toBeNull();
  });
});
