// The page on another school's catalog (the Pacific example): its name, its clock, and the seats and
// features filters its catalog allows, in Chromium.
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../src/adapters/embedded-redis.ts';
import { startTwentyFiveLiveSimulator, type TwentyFiveLiveSimulator } from '../../src/adapters/twenty-five-live-simulator/index.ts';
import { loadCatalog } from '../../src/app/catalog-file.ts';
import { loadConfig } from '../../src/app/config.ts';
import { createLogger } from '../../src/app/logger.ts';
import { startService, type RunningService } from '../../src/app/main.ts';
import { launchBrowser, visibleRooms } from './browser-support.ts';
import { completeAnswer } from '../test-service.ts';

const CATALOG_FILE = 'catalogs/pacific-example.json';
const catalog = loadCatalog(CATALOG_FILE);

describe('the page on the Pacific example catalog', { timeout: 40_000 }, () => {
  let browser: Browser;
  let redis: EmbeddedRedis;
  let simulator: TwentyFiveLiveSimulator;
  let running: RunningService;
  let today: string;

  beforeAll(async () => {
    [browser, redis, simulator] = await Promise.all([launchBrowser(), startEmbeddedRedis(), startTwentyFiveLiveSimulator({ catalog, seed: 4 })]);
    running = await startService(loadConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_URL: redis.url, API_URL: simulator.url, CATALOG_FILE, REFRESH_AT: 'off' }), createLogger('silent'));
    today = (await completeAnswer(running.url)).last_updated!.slice(0, 10);
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
    await simulator?.close();
    await redis?.stop();
  });

  /** The page with the browser's clock at `time` in Los Angeles; the script run unless JavaScript is off. */
  async function open(path: string, time = '14:00', javaScript = true): Promise<Page> {
    const page = await (await browser.newContext({ javaScriptEnabled: javaScript, timezoneId: 'Asia/Tokyo' })).newPage();
    await page.clock.setFixedTime(DateTime.fromISO(`${today}T${time}`, { zone: catalog.timeZone }).toMillis());
    await page.goto(`${running.url}${path}`);
    if (javaScript) await page.waitForFunction(() => document.documentElement.classList.contains('js') && document.querySelector('#rooms [data-room]'));
    return page;
  }
  const wanted = (seats: number, feature: string) =>
    catalog.classrooms
      .filter((room) => (room.capacity ?? -1) >= seats && (room.features ?? []).some((f) => f.toLowerCase() === feature.toLowerCase()))
      .map((room) => String(room.spaceId))
      .sort();

  it('names the school and speaks Pacific time, on a device set to Tokyo', async () => {
    const page = await open('/', '14:00');
    expect(await page.title()).toBe(`EmptyClassroom: free classrooms at ${catalog.school}`);
    expect(await page.locator('.tagline').textContent()).toBe(`Free classrooms at ${catalog.school}`);
    expect(await page.locator('footer').textContent()).toContain('All times are Pacific Time.');
    expect(await page.locator('#headline').textContent()).toBe('Free now, 2:00 PM');
    expect(await page.locator('[data-building]').evaluateAll((els) => els.map((el) => el.getAttribute('data-building')))).toEqual(['LIB', 'SCI']);
    const first = catalog.classrooms[0]!;
    expect(await page.locator(`[data-room="${first.spaceId}"] .details`).textContent()).toBe(`${first.capacity} seats · ${first.features!.join(', ')}`);
    await page.context().close();
  });

  it('filters by seats and features as the student picks them, and keeps them in the URL', async () => {
    const page = await open('/');
    const boxes = await page.locator('input[name="feature"]').evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value));
    expect(boxes).toEqual([...new Set(catalog.classrooms.flatMap((room) => room.features ?? []))].sort((a, b) => a.localeCompare(b)));
    await page.selectOption('#seats', '30');
    expect(await visibleRooms(page)).toEqual(
      catalog.classrooms
        .filter((room) => (room.capacity ?? -1) >= 30)
        .map((room) => String(room.spaceId))
        .sort(),
    );
    await page.check('input[name="feature"][value="Projector"]');
    expect(await visibleRooms(page)).toEqual(wanted(30, 'Projector'));
    expect(wanted(30, 'Projector').length).toBeGreaterThan(0);
    expect(new URL(page.url()).search).toBe('?min_capacity=30&feature=Projector');
    expect(await page.locator('#more-set').textContent()).toBe('30+ seats · Projector');
    await page.reload();
    await page.waitForFunction(() => document.documentElement.classList.contains('js'));
    expect(await visibleRooms(page)).toEqual(wanted(30, 'Projector'));
    expect(await page.locator('#seats').inputValue()).toBe('30');
    await page.context().close();
  });

  it('applies the same filters from the URL with JavaScript off', async () => {
    const page = await open('/?min_capacity=40&feature=projector', '14:00', false);
    expect(await visibleRooms(page)).toEqual(wanted(40, 'Projector'));
    expect(await page.locator('input[name="feature"][value="Projector"]').isChecked()).toBe(true);
    await page.context().close();
  });
});
