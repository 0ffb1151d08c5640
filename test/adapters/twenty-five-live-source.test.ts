import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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

describe('createTwentyFiveLiveSource', () => {
  it('sends exactly the documented query, in order, with literal + and :', async () => {
    const days = await source().fetchRoomSchedule(342, '2026-11-26');
    expect(simulator.queries).toEqual([EXPECTED_QUERY]);
    // 25Live answers 32 days; the source hands on only the one asked for.
    expect(days.map((day) => day.date)).toEqual(['2026-11-26']);
  });

  it('keeps the path of the configured URL', async () => {
    const seen: string[] = [];
    await withServer(
      (req, res) => {
        seen.push(req.url ?? '');
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"subjects": []}');
      },
      async (origin) => {
        const apiUrl = `${origin}/25live/data/umd/run/availability/availabilitydata.json`;
        await expect(source({ apiUrl }).fetchRoomSchedule(342, '2026-11-26')).resolves.toEqual([]);
      },
    );
    expect(seen).toEqual([`/25live/data/umd/run/availability/availabilitydata.json?${EXPECTED_QUERY}`]);
  });

  it('times out a body that stalls midway, without a Range retry', async () => {
    const ranges: Array<string | undefined> = [];
    await withServer(
      (req, res) => {
        ranges.push(req.headers.range);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' }).write('{"subjects": [');
      },
      async (origin) => {
        const error = await rejection(source({ apiUrl: `${origin}/a.json`, timeoutMs: 200 }).fetchRoomSchedule(342, '2026-11-26'));
        expect(error.message).toMatch(/timed out after 200 ms for space 342 \(UND_ERR_BODY_TIMEOUT\)/);
      },
    );
    expect(ranges).toEqual([undefined]);
  });

  it('never has more than `concurrency` requests in flight, and uses all of them', async () => {
    simulator.setLatency(50);
    const rooms = catalog.classrooms.slice(0, 20);
    const shared = source({ concurrency: 4 });
    await Promise.all(rooms.map((room) => shared.fetchRoomSchedule(room.spaceId, '2026-11-26')));
    expect(simulator.requests).toBe(20);
    expect(simulator.maxInFlight).toBe(4);
  });

  it('gives up on a silent 25Live with an UpstreamError after each attempt times out', async () => {
    simulator.setFailure('timeout');
    const started = Date.now();
    const error = await rejection(source({ timeoutMs: 200, retries: 1 }).fetchRoomSchedule(342, '2026-11-26'));
    const elapsed = Date.now() - started;
    expect(error.message).toMatch(/timed out after 200 ms for space 342/);
    expect(simulator.requests).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(400);
    // undici's timers tick at about a second, so each attempt may overrun by up to ~1 s.
    expect(elapsed).toBeLessThan(2 * (200 + 1100) + 500);
  });

  it('retries a 500 and returns the answer that follows', async () => {
    simulator.setFailure('error500', { times: 1 });
    const days = await source().fetchRoomSchedule(342, '2026-11-26');
    expect(days.map((day) => day.date)).toEqual(['2026-11-26']);
    expect(simulator.requests).toBe(2);
  });

  it('rejects with an UpstreamError naming the status when 500s persist', async () => {
    simulator.setFailure('error500');
    const error = await rejection(source({ retries: 2 }).fetchRoomSchedule(342, '2026-11-26'));
    expect(error.message).toBe('25Live answered 500 for space 342 after 3 attempts');
    expect(error.code).toBe('UPSTREAM_FAILED');
    expect(simulator.requests).toBe(3);
  });

  it('waits as long as Retry-After asks on a 429', async () => {
    simulator.setFailure('error429', { times: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    await expect(source({ retryBaseMs: 1 }).fetchRoomSchedule(342, '2026-11-26')).resolves.toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(simulator.requests).toBe(2);
  });

  it('gives up at once when Retry-After asks for longer than it will wait', async () => {
    simulator.setFailure('error429', { retryAfterSeconds: 120 });
    const error = await rejection(source({ retries: 2, retryMaxMs: 1000 }).fetchRoomSchedule(342, '2026-11-26'));
    expect(error.message).toBe('25Live answered 429 for space 342 after 1 attempt');
    expect(simulator.requests).toBe(1);
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
        const error = await rejection(source({ apiUrl: `${origin}/a.json`, retries: 3, retryMaxMs: 1000 }).fetchRoomSchedule(342, '2026-11-26'));
        expect(error.message).toBe('25Live answered 429 for space 342 after 2 attempts');
      },
    );
    expect(answered).toBe(2);
  });

  it('rejects a malformed body without retrying', async () => {
    simulator.setFailure('malformed');
    const error = await rejection(source().fetchRoomSchedule(342, '2026-11-26'));
    expect(error.message).toBe('malformed 25Live response for space 342: body is not JSON');
    expect(simulator.requests).toBe(1);
  });

  it('does not retry a 404', async () => {
    const error = await rejection(source().fetchRoomSchedule(999_999, '2026-11-26'));
    expect(error.message).toBe('25Live answered 404 for space 999999');
    expect(simulator.requests).toBe(1);
  });

  it('refuses a body larger than maxBodyBytes', async () => {
    const error = await rejection(source({ maxBodyBytes: 1000 }).fetchRoomSchedule(342, '2026-11-26'));
    expect(error.message).toBe('25Live response for space 342 exceeds 1000 bytes');
  });

  it('turns a refused connection into an UpstreamError after retrying', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const error = await rejection(source({ apiUrl: `http://127.0.0.1:${port}/a.json`, retries: 1 }).fetchRoomSchedule(342, '2026-11-26'));
    expect(error.message).toMatch(/^25Live request for space 342 failed: ECONNREFUSED/);
  });

  it('refuses arguments that would make a bad URL', async () => {
    await expect(source().fetchRoomSchedule(342, '26/11/2026')).rejects.toThrow(RangeError);
    await expect(source().fetchRoomSchedule(3.5, '2026-11-26')).rejects.toThrow(RangeError);
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
