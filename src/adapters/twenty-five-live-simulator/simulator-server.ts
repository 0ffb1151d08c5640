import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildingOf, type Catalog, type Classroom } from '../../domain/catalog.ts';
import { generateSchedule } from './generate-schedule.ts';
import { mulberry32, seedOf } from './seeded-random.ts';
import { drip, isWrongBodyMode, wrongBody, type FailureMode, type FailureOptions } from './simulator-failures.ts';
import { listBody } from './simulator-list.ts';
import { reservationsBody } from './simulator-reservations.ts';

export type { FailureMode, FailureOptions } from './simulator-failures.ts';

interface SimulatorOptions {
  catalog: Catalog;
  seed?: number;
  port?: number;
  host?: string;
  latencyMs?: number;
  /** Prefix the JSON bodies of every endpoint (availability, reservations, location list) with `)]}',\n`, like some tenants do. */
  jsonPrefix?: boolean;
}

export interface TwentyFiveLiveSimulator {
  /** The full `availabilitydata.json` URL to give a client. */
  readonly url: string;
  /** The full `rm_reservations.json` URL: the guest reservations view of the same bookings. */
  readonly reservationsUrl: string;
  /** The tenant's `…/25live/data/` root: `<root><tenant>/run/list/listdata.json` is the location list. */
  readonly dataRoot: string;
  /** Schedule requests (availability and reservations, rejected ones included) since start or the last reset. */
  readonly requests: number;
  /** Location-list requests since start or the last reset. */
  readonly listRequests: number;
  /** The distinct User-Agent headers of every request since start or the last reset. */
  readonly userAgents: ReadonlySet<string>;
  /** The most availability requests ever open at once since start or the last reset. */
  readonly maxInFlight: number;
  /** Availability requests open right now (received and not yet answered or given up by the client). */
  readonly inFlight: number;
  /** The raw query strings (no `?`) of the latest availability requests (at most 100), in arrival order. */
  readonly queries: readonly string[];
  /** When the latest availability requests (at most 100) arrived, epoch ms, in arrival order. */
  readonly requestTimes: readonly number[];
  setLatency(ms: number): void;
  setFailure(mode: FailureMode, options?: FailureOptions): void;
  resetCounters(): void;
  close(): Promise<void>;
}

const REQUIRED = ['caller', 'space_id', 'start_dt'] as const;
/** Enough to check what a client sent; a long run must not grow the simulator without bound. */
const KEPT_QUERIES = 100;
const JSON_TYPE = 'application/json; charset=utf-8';

/** A stand-in for 25Live over real HTTP, for the demo and the tests: the availability view, the guest reservations view of the same bookings, and the location list. */
export async function startTwentyFiveLiveSimulator(options: SimulatorOptions): Promise<TwentyFiveLiveSimulator> {
  const { catalog, seed = 1, port = 0, host = '127.0.0.1', jsonPrefix = false } = options;
  const path = `/25live/data/${catalog.tenant}/run/availability/availabilitydata.json`;
  const reservationsPath = `/25live/data/${catalog.tenant}/run/rm_reservations.json`;
  const listPath = `/25live/data/${catalog.tenant}/run/list/listdata.json`;
  let listRequests = 0;
  let userAgents = new Set<string>();
  const rooms = new Map(catalog.classrooms.map((room) => [room.spaceId, room]));
  let latencyMs = options.latencyMs ?? 0;
  let failure: { mode: FailureMode } & FailureOptions = { mode: 'none' };
  let requests = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let queries: string[] = [];
  let requestTimes: number[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const drips = new Set<() => void>();
  // Bodies of one start date (the one last asked for), by mode and space id: ~2.4 MB for the 77 rooms.
  const bodies = new Map<string, string>();
  let bodiesDate = '';
  const flaky = mulberry32(seedOf(seed, 'flaky'));

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': JSON_TYPE, ...headers }).end(body);
  };
  // Every JSON answer of a guarding tenant carries the prefix: availability, reservations and the location list alike.
  const guarded = (body: string) => (jsonPrefix ? `)]}',\n${body}` : body);

  // Decides whether this request misbehaves, consuming one of the limited `times` if so.
  const failureFor = (spaceId: number): FailureMode => {
    if (failure.mode === 'none' || (failure.spaceIds && !failure.spaceIds.includes(spaceId))) return 'none';
    if (failure.times !== undefined) {
      if (failure.times <= 0) return 'none';
      failure.times -= 1;
    }
    return failure.mode;
  };

  // Generated once per room and kind for the current start date: the simulator's own CPU must not
  // look like upstream latency. A new start date (the next day) drops the previous day's bodies.
  const bodyFor = (room: Classroom, startDate: string, kind: FailureMode): string => {
    if (startDate !== bodiesDate) {
      bodies.clear();
      bodiesDate = startDate;
    }
    const key = `${isWrongBodyMode(kind) ? kind : 'normal'}:${room.spaceId}`;
    let body = bodies.get(key);
    if (body === undefined) {
      const building = buildingOf(catalog, room);
      const json = isWrongBodyMode(kind) ? wrongBody(kind, room, building, startDate, seed) : generateSchedule(room, building, startDate, seed);
      body = JSON.stringify(json);
      bodies.set(key, body);
    }
    return guarded(body);
  };

  const answerReservations = (res: ServerResponse, url: URL) => {
    const ids = (url.searchParams.get('space_id') ?? '').split(/[+ ]/).filter(Boolean).map(Number);
    if (ids.length === 0 || ids.some((id) => !Number.isInteger(id)))
      return send(res, 400, '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>Bad space_id</body></html>', { 'content-type': 'application/xhtml+xml' });
    // The batch misbehaves when any of its rooms does.
    const mode = ids.map(failureFor).find((m) => m !== 'none') ?? 'none';
    if (mode === 'timeout' || mode === 'hang') return;
    if (mode === 'error500') return send(res, 500, '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>Server Error</body></html>', { 'content-type': 'application/xhtml+xml' });
    if (mode === 'error429') return send(res, 429, '{"error":"slow down"}', { 'retry-after': String(failure.retryAfterSeconds ?? 1) });
    if (mode === 'error503') return send(res, 503, '{"error":"unavailable"}', { 'retry-after': String(failure.retryAfterSeconds ?? 1) });
    if (mode === 'malformed') return send(res, 200, '{"space_reservations": {"space_reserv');
    const body = reservationsBody(catalog, ids, url.searchParams.get('start_dt') ?? '', url.searchParams.get('end_dt') ?? '', seed);
    return body ? send(res, 200, guarded(JSON.stringify(body))) : send(res, 400, '{"error":"bad start_dt or end_dt"}');
  };

  const answer = (res: ServerResponse, url: URL) => {
    if (url.pathname === reservationsPath) return answerReservations(res, url);
    const missing = REQUIRED.find((name) => !url.searchParams.get(name));
    if (missing) return send(res, 400, JSON.stringify({ error: `missing parameter ${missing}` }));
    const startDate = url.searchParams.get('start_dt')!.slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate)) return send(res, 400, JSON.stringify({ error: 'bad start_dt' }));
    const room = rooms.get(Number(url.searchParams.get('space_id')));
    if (!room) return send(res, 404, JSON.stringify({ error: 'no such space' }));
    const mode = failureFor(room.spaceId);
    const retryAfter = { 'retry-after': String(failure.retryAfterSeconds ?? 1) };
    if (mode === 'timeout' || mode === 'hang') return; // never answers; close() tears the socket down
    if (mode === 'error500') return send(res, 500, '{"error":"internal"}');
    if (mode === 'error429') return send(res, 429, '{"error":"slow down"}', retryAfter);
    if (mode === 'error503') return send(res, 503, '{"error":"unavailable"}', retryAfter);
    if (mode === 'flaky' && flaky() < 0.3) return send(res, 503, '{"error":"unavailable"}');
    if (mode === 'malformed') return send(res, 200, '{"subjects": [{"itemId": 1, "item_d');
    const body = bodyFor(room, startDate, mode);
    if (mode !== 'drip') return send(res, 200, body);
    const stop = drip(res, body, failure.dripIntervalMs ?? 1000, { 'content-type': JSON_TYPE });
    drips.add(stop);
    res.once('close', () => drips.delete(stop));
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    userAgents.add(req.headers['user-agent'] ?? '');
    if (req.method !== 'GET' || (url.pathname !== path && url.pathname !== reservationsPath && url.pathname !== listPath)) return send(res, 404, '{"error":"not found"}');
    if (url.pathname === listPath) {
      listRequests += 1;
      const mode = failureFor(0);
      if (mode === 'error500') return send(res, 500, '<html><body>Internal error</body></html>', { 'content-type': 'text/html' });
      if (mode === 'error429') return send(res, 429, '{"error":"slow down"}', { 'retry-after': String(failure.retryAfterSeconds ?? 1) });
      const body = listBody(catalog, Number(url.searchParams.get('page') ?? 1), Number(url.searchParams.get('page_size') ?? 100), seed);
      return body ? send(res, 200, guarded(JSON.stringify(body))) : send(res, 400, '{"error":"bad page"}');
    }
    requests += 1;
    queries.push(url.search.slice(1));
    requestTimes.push(Date.now());
    if (queries.length > KEPT_QUERIES) queries.shift();
    if (requestTimes.length > KEPT_QUERIES) requestTimes.shift();
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
    reservationsUrl: `${origin}${reservationsPath}`,
    dataRoot: `${origin}/25live/data/`,
    get requests() {
      return requests;
    },
    get listRequests() {
      return listRequests;
    },
    get userAgents() {
      return userAgents;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    get inFlight() {
      return inFlight;
    },
    get queries() {
      return queries;
    },
    get requestTimes() {
      return requestTimes;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    setFailure(mode, failureOptions = {}) {
      failure = { mode, ...failureOptions };
    },
    resetCounters() {
      requests = 0;
      listRequests = 0;
      userAgents = new Set();
      maxInFlight = inFlight;
      queries = [];
      requestTimes = [];
    },
    async close() {
      timers.forEach(clearTimeout);
      timers.clear();
      for (const stop of drips) stop();
      drips.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
