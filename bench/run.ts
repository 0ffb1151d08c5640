// `npm run bench`: the service against a bare node:http server, side by side in one run.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { startEmbeddedRedis } from '../src/adapters/embedded-redis.ts';
import { startTwentyFiveLiveSimulator } from '../src/adapters/twenty-five-live-simulator/index.ts';
import { BU_CATALOG } from '../src/catalog/bu.ts';
import { loadConfig } from '../src/app/config.ts';
import { fixed, load, median, type LoadResult } from './load.ts';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
// The service's own rule: unset or empty gives 8, anything but a whole number in 1-100 stops the bench with a ConfigError.
const CONCURRENCY = loadConfig({ UPSTREAM_CONCURRENCY: process.env.UPSTREAM_CONCURRENCY }).UPSTREAM_CONCURRENCY;
const LATENCY_MS = 100;
const ROOMS = BU_CATALOG.classrooms.length;

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

async function until(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

const status = (child: ChildProcess, field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

// Started as `npm start` (through `npm run serve`) starts it: the built code with config.node_flags (BENCH_NODE_FLAGS to try others).
const packageJson = JSON.parse(readFileSync('package.json', 'utf8'));
if (packageJson.scripts.serve !== 'exec node $npm_package_config_node_flags dist/app/run-cli.js serve')
  throw new Error('the serve script no longer runs node with config.node_flags; update bench/run.ts to start the service as it does');
const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? packageJson.config.node_flags).split(' ').filter(Boolean);

const redis = await startEmbeddedRedis();
const simulator = await startTwentyFiveLiveSimulator({ catalog: BU_CATALOG, seed: 1, latencyMs: LATENCY_MS });
/** The service as `npm start` runs it, on Redis database `db`, in `mode`. */
async function startServe(db: number, mode: 'per-room' | 'batched') {
  const port = await freePort();
  const child = fork('dist/app/run-cli.js', ['serve'], {
    execArgv: nodeFlags,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: `${redis.url}/${db}`,
      API_URL: simulator.url,
      UPSTREAM_MODE: mode,
      LOG_LEVEL: 'warn',
      UPSTREAM_CONCURRENCY: String(CONCURRENCY),
      REFRESH_AT: 'off',
    },
  });
  return { child, base: `http://127.0.0.1:${port}`, operator: new Redis(`${redis.url}/${db}`) };
}
const { child: service, base, operator } = await startServe(0, 'per-room');
const bares: ChildProcess[] = [];
const memory = (phase: string) => console.log(`service RSS ${phase}: ${fixed(status(service, 'VmRSS'), 1)} MB (peak so far ${fixed(status(service, 'VmHWM'), 1)} MB)`);

/** A bare node:http server answering every request with the bytes `path` of ours answers now. */
async function bareTwinOf(path: string): Promise<string> {
  const bodyFile = join(tmpdir(), `emptyclassroom-bench-${process.pid}-${bares.length}.json`);
  writeFileSync(bodyFile, Buffer.from(await (await fetch(`${base}${path}`)).arrayBuffer()));
  const bare = fork('bench/bare-server.mjs', [bodyFile], { execArgv: [] });
  bares.push(bare);
  const barePort = await new Promise<number>((resolve) => bare.once('message', (m: { port: number }) => resolve(m.port)));
  return `http://127.0.0.1:${barePort}/`;
}

/** Alternating pairs of loads on one of our URLs and its bare twin; prints each pair and the medians. */
async function pairs(label: string, path: string): Promise<{ throughput: number; p99: number }> {
  const targets = { ours: `${base}${path}`, bare: await bareTwinOf(path) };
  await load(targets.ours, 1);
  await load(targets.bare, 1);
  const rows: Array<{ ours: LoadResult; bare: LoadResult }> = [];
  console.log(`\n${label}: GET ${path}`);
  for (let pair = 0; pair < PAIRS; pair += 1) {
    // Alternate which goes first so drift on a shared machine does not favour one side.
    const first = pair % 2 === 0 ? 'ours' : 'bare';
    const a = await load(targets[first], SECONDS);
    const b = await load(targets[first === 'ours' ? 'bare' : 'ours'], SECONDS);
    const row = first === 'ours' ? { ours: a, bare: b } : { ours: b, bare: a };
    rows.push(row);
    const problems = row.ours.errors + row.ours.non2xx ? ` (${row.ours.errors} errors, ${row.ours.non2xx} non-2xx)` : '';
    console.log(
      `  pair ${pair + 1}: ours ${fixed(row.ours.requestsPerSecond, 0)} req/s p99 ${row.ours.p99} ms | bare ${fixed(row.bare.requestsPerSecond, 0)} req/s p99 ${row.bare.p99} ms | ratio ${fixed(row.ours.requestsPerSecond / row.bare.requestsPerSecond)} throughput, ${fixed(row.ours.p99 / Math.max(row.bare.p99, 1))} p99${problems}`,
    );
  }
  const result = { throughput: median(rows.map((r) => r.ours.requestsPerSecond / r.bare.requestsPerSecond)), p99: median(rows.map((r) => r.ours.p99 / Math.max(r.bare.p99, 1))) };
  console.log(
    `  median of ${PAIRS} pairs: ours ${fixed(median(rows.map((r) => r.ours.requestsPerSecond)), 0)} req/s, bare ${fixed(median(rows.map((r) => r.bare.requestsPerSecond)), 0)} req/s; ratio ours/bare: throughput ${fixed(result.throughput)}, p99 ${fixed(result.p99)}`,
  );
  return result;
}

/** Clears the cooldown, then times POST /api/refresh, which fetches every room, parses every day and stores them. */
async function coldRefresh(target: { base: string; operator: Redis }, requests: number): Promise<number> {
  await target.operator.del('classrooms:last_refresh', 'classrooms:refresh_claim');
  simulator.resetCounters();
  const started = performance.now();
  const res = await fetch(`${target.base}/api/refresh`, { method: 'POST' });
  await res.arrayBuffer();
  const ms = performance.now() - started;
  if (res.status !== 200 || simulator.requests !== requests) throw new Error(`refresh answered ${res.status} after ${simulator.requests} upstream requests, not 200 after ${requests}`);
  return ms;
}

const requestsPerRefresh = async (target: { base: string }) => Number(/^emptyclassroom_upstream_requests_per_refresh (\d+)$/m.exec(await (await fetch(`${target.base}/metrics`)).text())?.[1]);

try {
  await until(`${base}/api/last-updated`);
  console.log(`machine: ${process.platform} ${process.arch}, ${cpus().length} cores, node ${process.version}; upstream concurrency C=${CONCURRENCY}, simulator latency L=${LATENCY_MS} ms`);
  console.log(`service: node ${nodeFlags.join(' ')} dist/app/run-cli.js serve`);
  memory('once listening');

  // A cold stampede: the process has just started on an empty Redis.
  const answers = await Promise.all(
    Array.from({ length: 1000 }, () =>
      fetch(`${base}/api/open-classrooms`).then(async (res) => {
        await res.arrayBuffer();
        return res.status;
      }),
    ),
  );
  console.log(
    `cold stampede: 1000 concurrent requests at a fresh process on an empty Redis -> ${answers.filter((s) => s === 200).length} answered 200, ${simulator.requests} requests reached the simulator (target ${ROOMS})`,
  );
  memory('after the stampede');

  const refreshTimes: number[] = [];
  for (let run = 0; run < 5; run += 1) refreshTimes.push(await coldRefresh({ base, operator }, ROOMS));
  const dates = ((await (await fetch(`${base}/api/dates`)).json()) as { dates: string[] }).dates;
  const floor = Math.ceil(ROOMS / CONCURRENCY) * LATENCY_MS;
  console.log(
    `cold refresh, every day parsed and stored (${dates.length} days): median ${fixed(median(refreshTimes), 0)} ms of 5 (${refreshTimes.map((t) => fixed(t, 0)).join(', ')}); floor ceil(77/${CONCURRENCY}) x ${LATENCY_MS} = ${floor} ms; target <= ${floor * 1.1} ms (within 10 %)`,
  );
  memory('after 5 cold refreshes');

  // The same refresh in batched mode (UPSTREAM_MODE=batched, 40 rooms a request), beside it on a database of its own.
  const batched = await startServe(1, 'batched');
  try {
    await until(`${batched.base}/api/open-classrooms`); // its wake-up fetch done
    const batchedTimes: number[] = [];
    for (let run = 0; run < 5; run += 1) batchedTimes.push(await coldRefresh(batched, Math.ceil(ROOMS / 40)));
    console.log(
      `cold refresh, batched: median ${fixed(median(batchedTimes), 0)} ms of 5 (${batchedTimes.map((t) => fixed(t, 0)).join(', ')}); floor 1 x ${LATENCY_MS} ms (${Math.ceil(ROOMS / 40)} requests at once)`,
    );
    console.log(`upstream requests per refresh (/metrics emptyclassroom_upstream_requests_per_refresh): per-room ${await requestsPerRefresh({ base })}, batched ${await requestsPerRefresh(batched)}`);
  } finally {
    batched.child.kill('SIGTERM');
    batched.operator.disconnect();
  }

  // 25Live answering 8 rooms with 2.6 MB each: refused at the 2 MB cap, the rest stored.
  simulator.setFailure('oversized', { spaceIds: BU_CATALOG.classrooms.slice(0, CONCURRENCY).map((room) => room.spaceId) });
  await operator.del('classrooms:last_refresh', 'classrooms:refresh_claim');
  const refused = await fetch(`${base}/api/refresh`, { method: 'POST' });
  await refused.arrayBuffer();
  const unknown = (await (await fetch(`${base}/api/open-classrooms`)).json()) as { buildings: Record<string, { classrooms: Array<{ status?: string }> }> };
  const unknownRooms = Object.values(unknown.buildings)
    .flatMap((b) => b.classrooms)
    .filter((r) => r.status === 'unknown').length;
  simulator.setFailure('none');
  console.log(`oversized answers: ${CONCURRENCY} rooms answered 2.6 MB each -> refresh ${refused.status}, ${unknownRooms} rooms unknown (refused at the 2 MB cap)`);
  memory('after refusing oversized answers');
  await sleep(1500); // every process sees the last snapshot within a second

  const today = await pairs('hit path, today', '/api/open-classrooms');
  const future = await pairs(`hit path, a future day (${dates[20]})`, `/api/open-classrooms?date=${dates[20]}`);
  const free = await pairs('free rooms', `/api/free-rooms?date=${dates[1]}&at=14:00&for=60`);

  console.log('');
  console.log(`today: throughput ${fixed(today.throughput)} x bare (target >= 0.60), p99 ${fixed(today.p99)} x bare (target <= 2.00)`);
  console.log(`future day: throughput ${fixed(future.throughput)} x bare (target >= 0.60)`);
  console.log(`free rooms: throughput ${fixed(free.throughput)} x bare (target >= 0.50)`);
  console.log(
    `service peak RSS: ${fixed(status(service, 'VmHWM'), 1)} MB with every day held (target < 150 MB); bare server peak RSS ${fixed(Math.max(...bares.map((bare) => status(bare, 'VmHWM'))), 1)} MB`,
  );
} finally {
  service.kill('SIGTERM');
  for (const bare of bares) bare.kill('SIGTERM');
  operator.disconnect();
  await simulator.close();
  await redis.stop();
}
