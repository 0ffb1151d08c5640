// The demo server's page in Chromium: every room by building, free-now at a fixed New York time
// from devices in any zone, with JavaScript off, and on the minute without a reload.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingProxy } from '../../bench/counting-proxy.ts';
import { BU_CATALOG } from '../../src/catalog/bu.ts';
import type { RunningService } from '../../src/app/main.ts';
import type { OpenClassrooms } from '../../src/domain/organise.ts';
import { freeNowOracle, getJson, launchBrowser, nyMs, pageFreeNow, ROOMS, startDemoServer } from './browser-support.ts';

describe("the demo server's page in Chromium", { timeout: 40_000 }, () => {
  let browser: Browser;
  let demo: RunningService;
  let body: OpenClassrooms;
  let today: string;

  beforeAll(async () => {
    [browser, demo] = await Promise.all([launchBrowser(), startDemoServer()]);
    body = await getJson<OpenClassrooms>(`${demo.url}/api/open-classrooms`);
    today = (await getJson<{ dates: string[] }>(`${demo.url}/api/dates`)).dates[0]!;
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  let shared: Page | undefined;
  /** Every URL the shared tab asked for. */
  const asked: string[] = [];
  /** The page at a fixed campus time, its script run; in a context of its own when options are given. */
  async function open(time: string, options: BrowserContextOptions = {}, path = '/'): Promise<Page> {
    let page: Page;
    if (Object.keys(options).length > 0) page = await (await browser.newContext(options)).newPage();
    else if (shared) page = shared;
    else {
      page = shared = await (await browser.newContext()).newPage();
      page.on('request', (req) => asked.push(req.url()));
    }
    await page.clock.setFixedTime(nyMs(today, time));
    await page.goto(`${demo.url}${path}`);
    if (options.javaScriptEnabled !== false) await page.waitForFunction(() => document.documentElement.classList.contains('js') && document.querySelector('#rooms[data-at]'));
    return page;
  }

  it('shows all 77 rooms grouped by building, each free now exactly when the data says, at 2:00 PM New York time', async () => {
    const page = await open('14:00');
    for (const building of BU_CATALOG.buildings) {
      const ids = await page.$$eval(`[data-building="${building.code}"] [data-room]`, (els) => els.map((el) => el.getAttribute('data-room')).sort());
      expect(ids).toEqual(
        BU_CATALOG.classrooms
          .filter((r) => r.building === building.code)
          .map((r) => String(r.spaceId))
          .sort(),
      );
    }
    expect(await page.locator('[data-room]').count()).toBe(ROOMS);
    const oracle = freeNowOracle(body, '14:00:00');
    expect(await pageFreeNow(page)).toEqual(oracle);
    const free = [...oracle].filter(([, isFree]) => isFree).length;
    expect(free).toBeGreaterThan(0);
    expect(free).toBeLessThan(ROOMS);
    await expect.poll(() => page.textContent('#headline')).toBe('Free now, 2:00 PM');
    expect(await page.textContent('#summary')).toBe(`${free} of ${ROOMS} rooms free now`);
    expect(await page.textContent('#updated')).toMatch(/^Last updated \d{1,2}:\d{2} (AM|PM)$/);
  });

  it('says "Free now until" and "Free from" with the times from the data, and highlights the current slot', async () => {
    const page = await open('14:00');
    const rooms = Object.values(body.buildings).flatMap((b) => b.classrooms);
    const free = rooms.find((r) => r.availability.some((s) => s.start <= '14:00:00' && '14:00:00' < s.end))!;
    const busy = rooms.find((r) => r.status !== 'unknown' && !r.availability.some((s) => s.start <= '14:00:00' && '14:00:00' < s.end) && r.availability.some((s) => s.start > '14:00:00'))!;
    const until = free.availability.find((s) => s.start <= '14:00:00' && '14:00:00' < s.end)!.end;
    const from = busy.availability.find((s) => s.start > '14:00:00')!.start;
    const twelve = (t: string) => `${Number(t.slice(0, 2)) % 12 || 12}:${t.slice(3, 5)} ${Number(t.slice(0, 2)) < 12 ? 'AM' : 'PM'}`;
    expect(await page.textContent(`[data-room="${free.id}"] .status`)).toBe(`Free now until ${twelve(until)}`);
    expect(await page.textContent(`[data-room="${busy.id}"] .status`)).toBe(`Free from ${twelve(from)}`);
    expect(await page.locator(`[data-room="${free.id}"] .slots .current`).count()).toBe(1);
    expect(await page.locator(`[data-room="${busy.id}"] .slots .current`).count()).toBe(0);
  });

  it('gives a device set to Tokyo or London the same free-now states as one in New York', async () => {
    const states = [];
    for (const timezoneId of ['America/New_York', 'Asia/Tokyo', 'Europe/London']) {
      const page = await open('09:30', { timezoneId });
      expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(timezoneId);
      states.push(await pageFreeNow(page));
      expect(await page.textContent('#headline')).toBe('Free now, 9:30 AM');
      await page.context().close();
    }
    expect(states[1]).toEqual(states[0]);
    expect(states[2]).toEqual(states[0]);
    expect(states[0]).toEqual(freeNowOracle(body, '09:30:00'));
  });

  it('keeps a first visit within the budget: under 30 kB on the wire in at most 5 requests, the service worker and any icon included', async () => {
    // Counted at a proxy in front of the demo: the worker's own requests too, which the page's DevTools session does not see.
    const proxy = await countingProxy(demo.url);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(proxy.url, { waitUntil: 'networkidle' });
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await page.waitForLoadState('networkidle');
      const { requests, bytes } = proxy.take();
      expect(requests[0]).toBe('GET /');
      expect(requests).toContain('GET /sw.js');
      expect(requests.every((r) => r === 'GET /' || r === 'GET /sw.js' || r.startsWith('GET /assets/'))).toBe(true); // no favicon.ico, nothing else
      expect(requests.length).toBeLessThanOrEqual(5);
      expect(bytes).toBeGreaterThan(5_000); // the count is real: the rooms alone are more
      expect(bytes).toBeLessThan(30_000);
    } finally {
      await context.close();
      await proxy.close();
    }
  });

  it('works with JavaScript off: every room in the document, states as the server rendered them', async () => {
    const page = await open('14:00', { javaScriptEnabled: false });
    expect(await page.locator('[data-room]').count()).toBe(ROOMS);
    // A section closed (natively: no script runs) keeps its rooms, and their states, in the document.
    await page.click('[data-building="CGS"] summary');
    const closed = page.locator('[data-building="CGS"] details:not([open]) [data-room]');
    await expect.poll(() => closed.count()).toBe(body.buildings.CGS!.classrooms.length); // the toggle lands a moment after the click
    expect(await closed.first().isHidden()).toBe(true);
    const at = await page.getAttribute('#rooms', 'data-at'); // the server's own minute
    expect(await pageFreeNow(page)).toEqual(freeNowOracle(body, `${at}:00`));
    expect(await page.locator('#refresh').isVisible()).toBe(false);
    await page.goto(`${demo.url}/?q=cgs`);
    expect(await page.locator('[data-building="CAS"]').isHidden()).toBe(true);
    await page.context().close();
  });

  it("updates on the minute, without a reload, when a room's state changes", async () => {
    // A minute at which some room becomes busy or free.
    const edges = Object.values(body.buildings)
      .flatMap((b) => b.classrooms.flatMap((r) => r.availability.flatMap((s) => [s.start, s.end])))
      .filter((t) => t.endsWith(':00') && t > '08:00:00' && t < '20:00:00');
    const edge = edges.sort()[0]!;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.clock.install({ time: nyMs(today, edge.slice(0, 5)) - 30_000 });
    await page.goto(demo.url);
    await page.waitForFunction(() => document.documentElement.classList.contains('js'));
    const minute = Number(edge.slice(0, 2)) * 60 + Number(edge.slice(3, 5)) - 1;
    const before = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`;
    expect(await pageFreeNow(page)).toEqual(freeNowOracle(body, before));
    await page.clock.runFor(31_000);
    expect(await pageFreeNow(page)).toEqual(freeNowOracle(body, edge));
    expect(await pageFreeNow(page)).not.toEqual(freeNowOracle(body, before));
    await context.close();
  });

  it('asks nothing of any other origin', async () => {
    const page = await open('14:00');
    await page.waitForLoadState('networkidle');
    expect(asked.length).toBeGreaterThan(2);
    for (const url of asked) expect(url.startsWith(demo.url) || url.startsWith('data:'), url).toBe(true);
  });
});
