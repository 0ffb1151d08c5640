// `npm run bench:page`: a first visit to the student page in Chromium on a slow phone's network
// (150 ms latency, 1.6 Mbit/s down, CPU 4x slower), beside the floor: a static file with the same
// 77 room rows and no script or CSS, from a bare node:http server. Medians of 5 loads each.
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startEmbeddedRedis } from '../src/adapters/embedded-redis.ts';
import { startTwentyFiveLiveSimulator } from '../src/adapters/twenty-five-live-simulator/index.ts';
import { BU_CATALOG } from '../src/catalog/bu.ts';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/page/browser-support.ts';
import { completeAnswer } from '../test/test-service.ts';
import { countingProxy, type Counted } from './counting-proxy.ts';
import { fixed, median } from './load.ts';

const LOADS = Number(process.env.BENCH_LOADS ?? 5);
const ROOMS = BU_CATALOG.classrooms.length;
const NETWORK = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };
const CPU_SLOWDOWN = 4;

interface Visit {
  /** From navigation start to the first frame with all 77 rows laid out. */
  rowsMs: number;
  fcpMs: number;
  /** What DevTools saw for the page: its requests and their bytes on the wire. */
  pageRequests: number;
  pageBytes: number;
  /** What the server saw, the service worker's requests included. */
  server: Counted;
}

const children: ChildProcess[] = [];
const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
async function until(base: string): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    if (
      await fetch(`${base}/api/last-updated`).then(
        (res) => res.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${base} did not start`);
}
const started = (child: ChildProcess) => new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));

/** One first visit: a fresh context (no cache, no worker), throttled, until the network is quiet. */
async function visit(browser: Browser, url: string, take: () => Counted): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  // A string, not a function: tsx would wrap a function's inner names in a helper the page lacks.
  await page.addInitScript(`(() => {
    const frame = (t) => {
      const rows = document.querySelectorAll('[data-room]');
      if (rows.length >= ${ROOMS} && rows[rows.length - 1].getBoundingClientRect().height > 0) window.rowsShown = t;
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  })()`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.setBypassServiceWorker', { bypass: true });
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  let pageRequests = 0;
  let pageBytes = 0;
  cdp.on('Network.requestWillBeSent', (event) => {
    if (event.request.url.startsWith('http')) pageRequests += 1;
  });
  cdp.on('Network.loadingFinished', (event) => {
    pageBytes += event.encodedDataLength;
  });
  take();
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction('window.rowsShown !== undefined', undefined, { timeout: 20_000 });
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(1500); // the service worker installs after the load
  const { rowsMs, fcpMs } = (await page.evaluate(`({ rowsMs: window.rowsShown, fcpMs: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN })`)) as {
    rowsMs: number;
    fcpMs: number;
  };
  const server = take();
  await context.close();
  return { rowsMs, fcpMs, pageRequests, pageBytes, server };
}

const redis = await startEmbeddedRedis();
const simulator = await startTwentyFiveLiveSimulator({ catalog: BU_CATALOG, seed: 1, latencyMs: 20 });
let browser: Browser | undefined;
try {
  // The service as `npm start` runs it: the built code (with its built page assets) under config.node_flags.
  const flags = (await import('../package.json', { with: { type: 'json' } })).default.config.node_flags.split(' ');
  const port = await freePort();
  children.push(
    fork('dist/app/run-cli.js', ['serve'], {
      execArgv: flags,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', REDIS_URL: redis.url, API_URL: simulator.url, LOG_LEVEL: 'warn', REFRESH_AT: 'off' },
    }),
  );
  const serviceUrl = `http://127.0.0.1:${port}`;
  await until(serviceUrl);
  await completeAnswer(serviceUrl);
  await fetch(`${serviceUrl}/`).then((res) => res.arrayBuffer()); // the page's assets loaded once

  // The floor: our page's room rows alone, as one static file.
  const html = await (await fetch(`${serviceUrl}/`)).text();
  const rows = /<div class="buildings" id="rooms"[^>]*>.*?<\/div><p class="empty"/s.exec(html)![0].replace(/<p class="empty"$/, '');
  const file = join(tmpdir(), `emptyclassroom-floor-${process.pid}.html`);
  writeFileSync(
    file,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Floor</title></head><body>${rows}</body></html>`,
  );
  const floor = fork('bench/page-floor.mjs', [file], { execArgv: [] });
  children.push(floor);
  const floorUrl = `http://127.0.0.1:${await started(floor)}/`;

  const [ours, bare] = await Promise.all([countingProxy(serviceUrl), countingProxy(floorUrl)]);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const results = { ours: [] as Visit[], floor: [] as Visit[] };
  for (let i = 0; i < LOADS; i += 1) {
    // Alternate which goes first, so drift on a shared machine favours neither.
    for (const side of i % 2 === 0 ? (['ours', 'floor'] as const) : (['floor', 'ours'] as const)) {
      const v = await visit(browser, side === 'ours' ? `${ours.url}/` : `${bare.url}/`, side === 'ours' ? ours.take : bare.take);
      results[side].push(v);
      console.log(
        `  ${side.padEnd(5)} load ${i + 1}: rows shown ${fixed(v.rowsMs, 0)} ms (first paint ${fixed(v.fcpMs, 0)} ms); ${v.pageBytes} bytes in ${v.pageRequests} requests (DevTools); server saw ${v.server.requests.length} requests, ${v.server.bytes} bytes: ${v.server.requests.join(', ')}`,
      );
    }
  }
  const rowsOurs = median(results.ours.map((v) => v.rowsMs));
  const rowsFloor = median(results.floor.map((v) => v.rowsMs));
  const bytes = median(results.ours.map((v) => v.server.bytes));
  const requests = Math.max(...results.ours.map((v) => v.server.requests.length));
  console.log('');
  console.log(
    `machine: ${process.platform} ${process.arch}, Chromium ${browser.version()}, network ${NETWORK.latency} ms latency, ${(NETWORK.downloadThroughput * 8) / 1e6} Mbit/s down, CPU ${CPU_SLOWDOWN}x slower; ${LOADS} first visits each`,
  );
  console.log(`first visit: ${bytes} bytes (${fixed(bytes / 1024, 1)} kB) in at most ${requests} requests, HTML, script, worker and data together (target < 30 kB, <= 5 requests)`);
  console.log(`rows shown: ours ${fixed(rowsOurs, 0)} ms, floor ${fixed(rowsFloor, 0)} ms (medians); ratio ${fixed(rowsOurs / rowsFloor)} (target <= 1.30)`);
} finally {
  await browser?.close();
  for (const child of children) child.kill('SIGTERM');
  await simulator.close();
  await redis.stop();
}
