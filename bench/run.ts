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
import { BU_CATALOG } from '../src/app/catalog.ts';
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
    const ok = await fetch(url).then((res) => res.ok, () => false);
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

const rssMb = (child: ChildProcess) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const peakRssMb = (child: ChildProcess) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

// Started as `npm start` (through `npm run serve`) starts it: the built code with config.node_flags (BENCH_NODE_FLAGS to try others).
const packageJson = JSON.parse(readFileSync('package.json', 'utf8'));
if (packageJson.scripts.serve !== 'exec node $npm_package_config_node_flags dist/app/run-cli.js serve') throw new Error('the serve script no longer runs node with config.node_flags; update bench/run.ts to start the service as it does');
const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? packageJson.config.node_flags).split(' ').filter(Boolean);

const redis = await startEmbeddedRedis();
const operator = new Redis(redis.url);
const simulator = await startTwentyFiveLiveSimulator({ catalog: BU_CATALOG, seed: 1, latencyMs: LATENCY_MS });
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const service = fork('dist/app/run-cli.js', ['serve'], {
  execArgv: nodeFlags,
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', REDIS_URL: redis.url, API_URL: simulator.url, LOG_LEVEL: 'warn', UPSTREAM_CONCURRENCY: String(CONCURRENCY) },
});
let bare: ChildProcess | undefined;
try {
  await until(`${base}/api/last-updated`);
  console.log(`machine: ${process.platform} ${process.arch}, ${cpus().length} cores, node ${process.version}; upstream concurrency C=${CONCURRENCY}, simulator latency L=${LATENCY_MS} ms`);
  console.log(`service: node ${nodeFlags.join(' ')} dist/app/run-cli.js serve`);
  const memory = (phase: string) => console.log(`service RSS ${phase}: ${fixed(rssMb(service), 1)} MB (peak so far ${fixed(peakRssMb(service), 1)} MB)`);
  memory('once listening');

  // A cold stampede: the process has just started on an empty Redis.
  const answers = await Promise.all(Array.from({ length: 1000 }, () => fetch(`${base}/api/open-classrooms`).then(async (res) => (await res.arrayBuffer(), res.status))));
  console.log(`cold stampede: 1000 concurrent requests at a fresh process on an empty Redis -> ${answers.filter((s) => s === 200).length} answered 200, ${simulator.requests} requests reached the simulator (target ${ROOMS})`);
  memory('after the stampede');

  // Cold refreshes: clear the cooldown, then time POST /api/refresh, which fetches every room and stores them.
  const refreshTimes: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    await operator.del('classrooms:last_refresh', 'classrooms:refresh_claim');
    simulator.resetCounters();
    const started = performance.now();
    const res = await fetch(`${base}/api/refresh`, { method: 'POST' });
    await res.arrayBuffer();
    refreshTimes.push(performance.now() - started);
    if (res.status !== 200 || simulator.requests !== ROOMS) throw new Error(`refresh answered ${res.status} after ${simulator.requests} upstream requests, not 200 after ${ROOMS}`);
  }
  const floor = Math.ceil(ROOMS / CONCURRENCY) * LATENCY_MS;
  console.log(`cold refresh: median ${fixed(median(refreshTimes), 0)} ms of 5 (${refreshTimes.map((t) => fixed(t, 0)).join(', ')}); floor ceil(77/${CONCURRENCY}) x ${LATENCY_MS} = ${floor} ms; target <= ${floor + 100} ms`);
  memory('after 5 cold refreshes');
  await sleep(1500); // every process sees the last refresh's snapshot within a second
  console.log('');

  const bodyFile = join(tmpdir(), `emptyclassroom-bench-${process.pid}.json`);
  writeFileSync(bodyFile, Buffer.from(await (await fetch(`${base}/api/open-classrooms`)).arrayBuffer()));
  bare = fork('bench/bare-server.mjs', [bodyFile], { execArgv: [] });
  const barePort = await new Promise<number>((resolve) => bare!.once('message', (m: { port: number }) => resolve(m.port)));
  const targets = { ours: `${base}/api/open-classrooms`, bare: `http://127.0.0.1:${barePort}/` };
  await load(targets.ours, 1);
  await load(targets.bare, 1);

  const rows: Array<{ ours: LoadResult; bare: LoadResult }> = [];
  for (let pair = 0; pair < PAIRS; pair += 1) {
    // Alternate which goes first so drift on a shared machine does not favour one side.
    const first = pair % 2 === 0 ? 'ours' : 'bare';
    const a = await load(targets[first], SECONDS);
    const b = await load(targets[first === 'ours' ? 'bare' : 'ours'], SECONDS);
    const row = first === 'ours' ? { ours: a, bare: b } : { ours: b, bare: a };
    rows.push(row);
    console.log(
      `pair ${pair + 1}: ours ${fixed(row.ours.requestsPerSecond, 0)} req/s p50 ${row.ours.p50} ms p99 ${row.ours.p99} ms | bare ${fixed(row.bare.requestsPerSecond, 0)} req/s p50 ${row.bare.p50} ms p99 ${row.bare.p99} ms | ratio ${fixed(row.ours.requestsPerSecond / row.bare.requestsPerSecond)} throughput, ${fixed(row.ours.p99 / Math.max(row.bare.p99, 1))} p99${row.ours.errors + row.ours.non2xx ? ` (${row.ours.errors} errors, ${row.ours.non2xx} non-2xx)` : ''}`,
    );
  }
  const throughputRatio = median(rows.map((r) => r.ours.requestsPerSecond / r.bare.requestsPerSecond));
  const p99Ratio = median(rows.map((r) => r.ours.p99 / Math.max(r.bare.p99, 1)));
  console.log(`\nmedian of ${PAIRS} pairs: ours ${fixed(median(rows.map((r) => r.ours.requestsPerSecond)), 0)} req/s, bare ${fixed(median(rows.map((r) => r.bare.requestsPerSecond)), 0)} req/s`);
  console.log(`median ratio ours/bare: throughput ${fixed(throughputRatio)} (target >= 0.60), p99 ${fixed(p99Ratio)} (target <= 2.00)`);
  console.log(`service peak RSS: ${fixed(peakRssMb(service), 1)} MB (target < 150 MB); bare server peak RSS ${fixed(peakRssMb(bare), 1)} MB`);
} finally {
  service.kill('SIGTERM');
  bare?.kill('SIGTERM');
  operator.disconnect();
  await simulator.close();
  await redis.stop();
}
