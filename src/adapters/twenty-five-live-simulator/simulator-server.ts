import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildingOf, type Catalog } from '../../domain/catalog.ts';
import { generateSchedule } from './generate-schedule.ts';
import { mulberry32, seedOf } from './seeded-random.ts';

type FailureMode = 'none' | 'error500' | 'error429' | 'timeout' | 'malformed' | 'flaky';

interface FailureOptions {
  /** Only these rooms misbehave; default every room. */
  spaceIds?: readonly number[];
  /** Misbehave for this many matching requests, then answer normally again; default forever. */
  times?: number;
  /** `Retry-After` seconds sent with 429s; default 1. */
  retryAfterSeconds?: number;
}

interface SimulatorOptions {
  catalog: Catalog;
  seed?: number;
  port?: number;
  host?: string;
  latencyMs?: number;
  /** Prefix bodies with `)]}',\n` like some tenants do. */
  jsonPrefix?: boolean;
}

export interface TwentyFiveLiveSimulator {
  /** The full `availabilitydata.json` URL to give a client. */
  readonly url: string;
  /** Availability requests received (including rejected ones) since start or the last reset. */
  readonly requests: number;
  /** The most availability requests ever open at once since start or the last reset. */
  readonly maxInFlight: number;
  /** The raw query strings (no `?`) of the latest availability requests (at most 100), in arrival order. */
  readonly queries: readonly string[];
  setLatency(ms: number): void;
  setFailure(mode: FailureMode, options?: FailureOptions): void;
  resetCounters(): void;
  close(): Promise<void>;
}

const REQUIRED = ['caller', 'space_id', 'start_dt'] as const;
/** Enough to check what a client sent; a long run must not grow the simulator without bound. */
const KEPT_QUERIES = 100;

/** A stand-in for 25Live's availability endpoint over real HTTP, for the demo and the tests. */
export async function startTwentyFiveLiveSimulator(options: SimulatorOptions): Promise<TwentyFiveLiveSimulator> {
  const { catalog, seed = 1, port = 0, host = '127.0.0.1', jsonPrefix = false } = options;
  const path = `/25live/data/${catalog.tenant}/run/availability/availabilitydata.json`;
  const rooms = new Map(catalog.classrooms.map((room) => [room.spaceId, room]));
  let latencyMs = options.latencyMs ?? 0;
  let failure: { mode: FailureMode } & FailureOptions = { mode: 'none' };
  let requests = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let queries: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  // Bodies of one start date (the one last asked for), by space id: ~2.4 MB for the 77 rooms.
  const bodies = new Map<number, string>();
  let bodiesDate = '';
  const flaky = mulberry32(seedOf(seed, 'flaky'));

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(body);
  };

  // Decides whether this request misbehaves, consuming one of the limited `times` if so.
  const failureFor = (spaceId: number): FailureMode => {
    if (failure.mode === 'none' || (failure.spaceIds && !failure.spaceIds.includes(spaceId))) return 'none';
    if (failure.times !== undefined) {
      if (failure.times <= 0) return 'none';
      failure.times -= 1;
    }
    return failure.mode;
  };

  const answer = (res: ServerResponse, url: URL) => {
    const missing = REQUIRED.find((name) => !url.searchParams.get(name));
    if (missing) return send(res, 400, JSON.stringify({ error: `missing parameter ${missing}` }));
    const startDate = url.searchParams.get('start_dt')!.slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate)) return send(res, 400, JSON.stringify({ error: 'bad start_dt' }));
    const room = rooms.get(Number(url.searchParams.get('space_id')));
    if (!room) return send(res, 404, JSON.stringify({ error: 'no such space' }));
    const mode = failureFor(room.spaceId);
    if (mode === 'timeout') return; // never answers; close() tears the socket down
    if (mode === 'error500') return send(res, 500, '{"error":"internal"}');
    if (mode === 'error429') return send(res, 429, '{"error":"slow down"}', { 'retry-after': String(failure.retryAfterSeconds ?? 1) });
    if (mode === 'flaky' && flaky() < 0.3) return send(res, 503, '{"error":"unavailable"}');
    if (mode === 'malformed') return send(res, 200, '{"subjects": [{"itemId": 1, "item_d');
    // Generated once per room for the current start date: the simulator's own CPU must not look
    // like upstream latency. A new start date (the next day) drops the previous day's bodies.
    if (startDate !== bodiesDate) {
      bodies.clear();
      bodiesDate = startDate;
    }
    let body = bodies.get(room.spaceId);
    if (body === undefined) bodies.set(room.spaceId, (body = JSON.stringify(generateSchedule(room, buildingOf(catalog, room), startDate, seed))));
    send(res, 200, jsonPrefix ? `)]}',\n${body}` : body);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (req.method !== 'GET' || url.pathname !== path) return send(res, 404, '{"error":"not found"}');
    requests += 1;
    queries.push(url.search.slice(1));
    if (queries.length > KEPT_QUERIES) queries.shift();
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => (inFlight -= 1));
    if (latencyMs <= 0) return answer(res, url);
    const timer = setTimeout(() => {
      timers.delete(timer);
      answer(res, url);
    }, latencyMs);
    timers.add(timer);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: actualPort } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;

  return {
    url: `${origin}${path}`,
    get requests() {
      return requests;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get queries() {
      return queries;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    setFailure(mode, failureOptions = {}) {
      failure = { mode, ...failureOptions };
    },
    resetCounters() {
      requests = 0;
      maxInFlight = inFlight;
      queries = [];
    },
    async close() {
      timers.forEach(clearTimeout);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
