// Offline after a first visit: the service worker keeps the script and the last answer, and renders
// the page from them under "Offline — data from h:mm".
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenClassrooms } from '../../src/domain/organise.ts';
import type { RunningService } from '../../src/app/main.ts';
import { freeNowOracle, getJson, launchBrowser, pageFreeNow, ROOMS, visibleRooms } from './browser-support.ts';
import { startTestService, type TestService } from '../test-service.ts';

describe('offline after a first visit, in Chromium', { timeout: 40_000 }, () => {
  let browser: Browser;
  let service: TestService;
  let running: RunningService;

  beforeAll(async () => {
    [browser, service] = await Promise.all([launchBrowser(), startTestService(17)]);
    running = await service.start();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  /** A first visit, until the worker controls the page and the page's answer is saved for it. */
  async function firstVisit(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    await page.goto(service.url);
    await page.waitForFunction(
      async () => {
        if (!navigator.serviceWorker.controller) return false;
        const saved = await (await caches.open('emptyclassroom-data')).match('/offline/page-data.json');
        return saved !== undefined;
      },
      undefined,
      { timeout: 10_000, polling: 100 },
    );
    return page;
  }

  it('opens with no network, every room shown from the last answer, under the offline banner', async () => {
    const context = await browser.newContext();
    const page = await firstVisit(context);
    const body = await getJson<OpenClassrooms>(`${service.url}/api/open-classrooms`);
    const updated = await page.textContent('#updated');
    expect(await page.locator('[data-banner="offline"]').isHidden()).toBe(true);

    await context.setOffline(true);
    await page.reload({ timeout: 10_000 });
    await page.waitForFunction(() => document.documentElement.classList.contains('js'));
    const banner = page.locator('[data-banner="offline"]');
    expect(await banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toBe(`Offline — data from ${updated!.replace('Last updated ', '')}`);
    expect(await page.locator('[data-room]').count()).toBe(ROOMS);
    const at = (await page.getAttribute('#rooms', 'data-at'))!;
    expect(await pageFreeNow(page)).toEqual(freeNowOracle(body, `${at}:00`));
    // The script came from the worker's cache: search still works.
    await page.fill('input[type=search]', 'cgs');
    expect((await visibleRooms(page)).length).toBeLessThan(ROOMS);
    expect(await page.locator('[data-building="CAS"]').isHidden()).toBe(true);

    await context.setOffline(false);
    await page.waitForFunction(() => (document.querySelector('[data-banner="offline"]') as HTMLElement).hidden);
    await context.close();
  });

  it('shows the offline banner as soon as the network goes, without a reload', async () => {
    const context = await browser.newContext();
    const page = await firstVisit(context);
    await context.setOffline(true);
    await page.waitForFunction(() => !(document.querySelector('[data-banner="offline"]') as HTMLElement).hidden);
    expect(await page.locator('[data-room]').count()).toBe(ROOMS);
    await context.close();
  });
  it('says offline when the server is gone though the browser is online, and still shows a day it fetched before', async () => {
    const context = await browser.newContext();
    const page = await firstVisit(context);
    const day = (await page.$$eval('#date option', (els) => els.map((el) => (el as HTMLOptionElement).value)))[2]!;
    const shows = (date: string) => page.waitForFunction((d) => document.getElementById('rooms')!.getAttribute('data-date') === d, date);
    await page.selectOption('#date', day);
    await shows(day);
    await page.selectOption('#date', '');
    await running.close(); // the last test of the file: the service is gone for good
    await page.reload({ timeout: 15_000 });
    await page.waitForFunction(() => document.documentElement.classList.contains('js'));
    expect(await page.evaluate(() => navigator.onLine)).toBe(true);
    const banner = page.locator('[data-banner="offline"]');
    expect(await banner.isVisible()).toBe(true);
    expect(await page.locator('[data-room]').count()).toBe(ROOMS);
    await page.selectOption('#date', day); // answered from the worker's cache
    await shows(day);
    expect(await banner.isVisible()).toBe(true);
    await context.close();
  });
});
