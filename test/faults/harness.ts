// Fault-injection harness: the service as a REAL child process (`node --import tsx src/app/run-cli.ts serve`),
// a restartable Redis of its own (the system redis-server through redis-memory-server, never the shared
// 127.0.0.1:6379), the 25Live simulator in the test process, and small HTTP helpers with client timeouts.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { RedisMemoryServer } from 'redis-memory-server';
import { findRedisServerBinary } from '../../src/adapters/embedded-redis.ts';
import { REDIS_KEYS } from '../../src/adapters/redis-cache.ts';
import { generateDay, startTwentyFiveLiveSimulator, type TwentyFiveLiveSimulator } from '../../src/adapters/twenty-five-live-simulator/index.ts';
import { BU_CATALOG } from '../../src/catalog/bu.ts';
import { buildingOf } from '../../src/domain/catalog.ts';
import { freeSlots, type Slot } from '../../src/domain/free-slots.ts';
import { reservationsOf } from '../../src/domain/schedule.ts';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ROOMS = BU_CATALOG.classrooms.length;
export const LOOPBACK = '127.0.0.1';
const SHARED_REDIS_PORT = 6379;

/** The keys the tests read as an operator would (their spelling is pinned in test/adapters/redis-cache.test.ts). */
export const KEYS = REDIS_KEYS;

// ---------------------------------------------------------------------------------------------
// Redis

export interface RestartableRedis {
  readonly url: string;
  readonly port: number;
  /** Kills redis-server (its data is gone: no persistence); the port stays reserved for start(). */
  stop(): Promise<void>;
  /** Starts redis-server again on the SAME port. */
  start(): Promise<void>;
  /** Stops for good. */
  close(): Promise<void>;
}

/**
 * A throwaway redis-server on 127.0.0.1 that can be stopped and started again on the same port:
 * stop() then start() on the same RedisMemoryServer reuses its previous port (a new server with a
 * fixed port would not, because of get-port's lock).
 */
export async function startRestartableRedis(): Promise<RestartableRedis> {
  const systemBinary = await findRedisServerBinary();
  if (!systemBinary) throw new Error('fault tests need redis-server on PATH (apt-get install redis-server)');
  const server = new RedisMemoryServer({ instance: { ip: LOOPBACK }, binary: { systemBinary } });
  await server.start();
  const port = await server.getPort();
  if (port === SHARED_REDIS_PORT) {
    await server.stop();
    throw new Error('refusing to use the shared Redis port 6379');
  }
  let running = true;
  return {
    url: `redis://${LOOPBACK}:${port}`,
    port,
    async stop() {
      if (!running) return;
      running = false;
      await server.stop();
    },
    async start() {
      if (running) return;
      await server.start();
      const again = await server.getPort();
      if (again !== port) throw new Error(`Redis came back on port ${again}, not ${port}`);
      running = true;
    },
    async close() {
      running = false;
      await server.stop().catch(() => {});
    },
  };
}

/** A plain ioredis client, the operator's redis-cli. */
export async function connectOperator(url: string): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  client.on('error', () => {}); // reconnects on its own while the test restarts Redis
  await client.connect();
  return client;
}

// ---------------------------------------------------------------------------------------------
// The service as a child process

export interface ServiceProcess {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** The last ~64 KB of the child's stdout and stderr (LOG_LEVEL=warn lines). */
  output(): string;
  /** SIGTERM, then SIGKILL after the grace period; resolves once the process is gone. */
  stop(): Promise<void>;
}

export interface ServiceOptions {
  redisUrl: string;
  apiUrl: string;
  /** Extra environment, e.g. UPSTREAM_RETRIES, UPSTREAM_TIMEOUT_MS. */
  env?: Record<string, string>;
  /** How long to wait for the first answer of GET /api/last-updated. */
  readyTimeoutMs?: number;
}

const live = new Set<ChildProcess>();
const GRACE_MS = 3000;
const OUTPUT_LIMIT = 64 * 1024;

// Backstop: whatever happens to the test worker, no service process outlives it.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A free loopback port (the tiny race with another process taking it is handled by retrying the start). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, LOOPBACK, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

const exited = (child: ChildProcess): Promise<void> => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve())));

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const gone = await Promise.race([exited(child).then(() => true), sleep(GRACE_MS).then(() => false)]);
    if (!gone) {
      child.kill('SIGKILL');
      await Promise.race([exited(child), sleep(GRACE_MS)]);
    }
  }
  live.delete(child);
}

/** Stops every service process this worker started (for afterEach/afterAll). */
export async function stopAllServices(): Promise<void> {
  await Promise.all([...live].map(stopChild));
}

/** Spawns `run-cli.ts serve` on a free loopback port and waits until it answers. */
export async function startServiceProcess(options: ServiceOptions): Promise<ServiceProcess> {
  const env = { REDIS_URL: options.redisUrl, API_URL: options.apiUrl, ...options.env };
  return startCliProcess('serve', env, options.readyTimeoutMs);
}

export interface DemoOptions {
  /** Extra environment, e.g. REDIS_URL, TMPDIR (where the demo records itself for the CLI). */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

/** Spawns `run-cli.ts demo` (its own simulator; an embedded Redis unless told otherwise) and waits until it answers. */
export async function startDemoProcess(options: DemoOptions = {}): Promise<ServiceProcess> {
  return startCliProcess('demo', options.env ?? {}, options.readyTimeoutMs ?? 30_000);
}

async function startCliProcess(command: 'serve' | 'demo', env: Record<string, string>, readyTimeoutMs = 20_000): Promise<ServiceProcess> {
  const redisUrl = env.REDIS_URL ?? process.env.REDIS_URL; // what the child will see
  if (redisUrl && new URL(redisUrl).port === String(SHARED_REDIS_PORT)) throw new Error('refusing to point a service at the shared Redis');
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    try {
      return await spawnOnce(command, env, await freePort(), readyTimeoutMs);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function spawnOnce(command: 'serve' | 'demo', env: Record<string, string>, port: number, readyTimeoutMs: number): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/run-cli.ts', command], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), HOST: LOOPBACK, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://${LOOPBACK}:${port}`;
  const service: ServiceProcess = { url, port, pid: child.pid!, output: () => output, stop: () => stopChild(child) };

  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      live.delete(child);
      throw new Error(`${command} exited (${child.exitCode ?? child.signalCode}) before listening on ${port}:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/api/last-updated`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return service;
    } catch {
      await sleep(100);
    }
  }
  await stopChild(child);
  throw new Error(`${command} did not listen on ${port} within ${readyTimeoutMs} ms:\n${output}`);
}

// ---------------------------------------------------------------------------------------------
// HTTP

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
  ms: number;
}

/** One request with a client timeout (covering the body too); the body parsed as JSON when it is JSON. */
export async function call(base: string, path: string, init: { method?: string; timeoutMs?: number } = {}): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(`${base}${path}`, { method: init.method ?? 'GET', signal: AbortSignal.timeout(init.timeoutMs ?? 5000) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text for the failure message
  }
  return { status: res.status, headers: res.headers, body, ms: performance.now() - started };
}

/** Like `call`, but a timeout or connection error becomes status 0 with the error, for load loops. */
export async function callSafely(base: string, path: string, init: { method?: string; timeoutMs?: number } = {}): Promise<Answer & { error?: string }> {
  const started = performance.now();
  try {
    return await call(base, path, init);
  } catch (error) {
    return { status: 0, headers: new Headers(), body: null, ms: performance.now() - started, error: String((error as Error)?.cause ?? error) };
  }
}

/** `{ "200": 998, "503": 2 }`: a readable tally for assertion messages. */
export function tally(values: Array<string | number>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
  return counts;
}

// ---------------------------------------------------------------------------------------------
// The simulator

/** Waits until the simulator has seen no new request for `quietMs` (bounded by `timeoutMs`). */
export async function waitForQuiet(simulator: TwentyFiveLiveSimulator, quietMs = 500, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let seen = simulator.requests;
  let since = Date.now();
  while (Date.now() < deadline) {
    await sleep(50);
    if (simulator.requests !== seen) {
      seen = simulator.requests;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return seen;
    }
  }
  throw new Error(`the simulator never went quiet for ${quietMs} ms (requests: ${simulator.requests})`);
}

/** Polls `condition` every `intervalMs` until it holds or `timeoutMs` pass; resolves to whether it held (the caller asserts). */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}

/** Waits for a fetch to reach the simulator (its first request) and then for the simulator to go quiet. */
export async function waitForFetch(simulator: TwentyFiveLiveSimulator, quietMs = 500, timeoutMs = 15_000): Promise<number> {
  const started = Date.now();
  if (!(await waitFor(() => simulator.requests > 0, timeoutMs))) throw new Error(`no request reached the simulator within ${timeoutMs} ms`);
  return waitForQuiet(simulator, quietMs, Math.max(1000, timeoutMs - (Date.now() - started)));
}

/** What the rules give for every room on `date` from the simulator's own schedule: space id → slots. */
export function truthFor(date: string, seed: number): Map<string, Slot[]> {
  const truth = new Map<string, Slot[]>();
  for (const room of BU_CATALOG.classrooms) {
    const building = buildingOf(BU_CATALOG, room);
    const day = generateDay(room, building, date, seed);
    const bookings = day.items?.map((item) => ({ start: item.start, end: item.end, eventState: item.cur_event_state ?? null })) ?? null;
    truth.set(String(room.spaceId), freeSlots(reservationsOf(bookings), building));
  }
  return truth;
}

export interface ServedRoom {
  id: string;
  name: string;
  availability: Slot[];
  status?: 'unknown';
}

/** Every room of an `/api/open-classrooms` body, in catalog order. */
export function servedRooms(body: { buildings: Record<string, { classrooms: ServedRoom[] }> }): ServedRoom[] {
  return Object.values(body.buildings).flatMap((building) => building.classrooms);
}

export interface FaultEnvironment {
  redis: RestartableRedis;
  simulator: TwentyFiveLiveSimulator;
  operator: Redis;
}

/** One test file's own Redis, 25Live simulator and plain Redis client (for reading keys as an operator would). */
export async function startFaultEnvironment(simulatorOptions: { seed: number; latencyMs?: number }): Promise<FaultEnvironment> {
  const redis = await startRestartableRedis();
  const simulator = await startTwentyFiveLiveSimulator({ catalog: BU_CATALOG, ...simulatorOptions });
  return { redis, simulator, operator: await connectOperator(redis.url) };
}

export async function stopFaultEnvironment(env: Partial<FaultEnvironment>): Promise<void> {
  await stopAllServices();
  env.operator?.disconnect();
  await env.simulator?.close();
  await env.redis?.close();
}
