// Trouble made visible, made real: 25Live down with only yesterday's data in Redis (stale), and 25Live
// down with nothing at all (503), then back, through the page's retry.
import { DateTime } from 'luxon';
import { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_KEYS } from '../../src/adapters/redis-cache.ts';
import { organiseByBuilding } from '../../src/domain/organise.ts';
import { BU_CATALOG } from '../../src/catalog/bu.ts';
import { truthFor } from '../faults/harness.ts';
import { freeNowOracle, launchBrowser, pageFreeNow, ROOMS, ZONE } from './browser-support.ts';
import { startTestService, type TestService } from '../test-service.ts';
import { seriousViolations } from './browser-tabs.ts';

const SEED = 13;

describe('the stale and error banners in Chromium', { timeout: 40_000 }, () => {
  let browser: Browser;
  let service: TestService;
  let operator: Redis;

  beforeAll(async () => {
    [browser, service] = await Promise.all([launchBrowser(), startTestService(SEED)]);
    operator = new Redis(service.redis.url);
  });
  afterAll(async () => {
    operator?.disconnect();
    await browser?.close();
    await service?.close();
  });

  async function open(): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(service.url);
    await page.waitForFunction(() => document.documentElement.classList.contains('js'));
    return page;
  }

  it("shows yesterday's last good data under the stale banner, with when it was fetched, while 25Live fails", async () => {
    await operator.flushall();
    const yesterday = DateTime.now().setZone(ZONE).minus({ days: 1 }).set({ hour: 21, minute: 7, second: 5, millisecond: 0 });
    const availability = Object.fromEntries(truthFor(yesterday.toISODate()!, SEED));
    const snapshot = JSON.stringify({ fetchedAt: yesterday.toISO(), source: service.simulator.url, days: { [yesterday.toISODate()!]: availability } });
    await operator.set(REDIS_KEYS.lastGood, snapshot, 'PX', 7 * 86_400_000);
    service.simulator.setFailure('error500');
    try {
      await service.start({}, { partial: true });
      const page = await open();
      const banner = page.locator('[data-banner="stale"]');
      expect(await banner.isVisible()).toBe(true);
      expect(await banner.textContent()).toContain(`from ${yesterday.toFormat('ccc, LLL d')}, 9:07 PM`);
      expect(await page.locator('[data-banner="error"]').isHidden()).toBe(true);
      expect(await page.locator('[data-room]').count()).toBe(ROOMS);
      const at = (await page.getAttribute('#rooms', 'data-at'))!;
      expect(await pageFreeNow(page)).toEqual(freeNowOracle(organiseByBuilding(BU_CATALOG, availability, null), `${at}:00`));
      expect(await seriousViolations(page)).toEqual([]);
      await page.context().close();
    } finally {
      service.simulator.setFailure('none');
    }
  });

  it('answers a 503 with the error banner and a retry that brings the rooms once 25Live is back', async () => {
    await operator.flushall();
    service.simulator.setFailure('error500');
    await service.start({ BACKOFF_SECONDS: '1' }, { partial: true });
    const page = await open();
    await page.waitForLoadState('networkidle'); // the page's own first tries (the days, today) have failed too
    const error = page.locator('[data-banner="error"]');
    expect(await error.isVisible()).toBe(true);
    expect(await error.textContent()).toMatch(/No room data right now\..*25Live/);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.locator('[data-room]').count()).toBe(0);
    service.simulator.setFailure('none');
    await new Promise((resolve) => setTimeout(resolve, 1200)); // the backoff
    await page.click('[data-banner="error"] [data-action="retry"]');
    await page.waitForFunction((rooms) => document.querySelectorAll('[data-room]').length === rooms, ROOMS);
    expect(await error.isHidden()).toBe(true);
    expect(await page.locator('[data-building]').count()).toBe(BU_CATALOG.buildings.length);
    expect(await page.$$eval('#date option', (els) => els.length)).toBeGreaterThan(1);
    expect(await page.textContent('#updated')).toMatch(/^Last updated/);
    await page.context().close();
  });
});
