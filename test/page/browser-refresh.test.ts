// The refresh button in Chromium against the real service: a refresh, then the cooldown; a 429 from
// another tab; 25Live failing (502, then the backoff's 503); and Redis gone (cooldown-status 503).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, ROOMS, startTestService, type TestService } from './browser-support.ts';

describe('the refresh button in Chromium', () => {
  let browser: Browser;
  let service: TestService;

  beforeAll(async () => {
    [browser, service] = await Promise.all([launchBrowser(), startTestService(11)]);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function open(): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(service.url);
    await page.waitForFunction(() => document.documentElement.classList.contains('js'));
    return page;
  }
  const button = (page: Page) => page.locator('#refresh');
  const enabled = (page: Page, timeout = 8000) => page.waitForFunction(() => !(document.getElementById('refresh') as HTMLButtonElement).disabled, undefined, { timeout });

  it('is disabled during the cooldown with the minutes left, counting down on the minute', async () => {
    await service.start(); // the default cooldown: 30 minutes from the wake-up fetch
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(service.url);
    await page.waitForFunction(() => document.documentElement.classList.contains('js'));
    expect(await button(page).isDisabled()).toBe(true);
    expect(await button(page).textContent()).toBe('Refresh in 30 min');
    await page.clock.runFor(61_000);
    expect(await button(page).textContent()).toBe('Refresh in 29 min');
    await context.close();
  });

  it('refreshes, shows the new data, then holds for the cooldown; another tab gets the 429 and holds too', async () => {
    await service.start({ REFRESH_COOLDOWN_MINUTES: '0.05' }); // 3 s
    const page = await open();
    const other = await open();
    await enabled(page);
    await enabled(other);
    const before = service.simulator.requests;
    const asked: string[] = [];
    page.on('request', (req) => asked.push(`${req.method()} ${new URL(req.url()).pathname}`));
    await button(page).click();
    await page.waitForFunction(() => document.getElementById('refresh-note')!.textContent === 'Updated just now.');
    expect(service.simulator.requests - before).toBe(ROOMS);
    // The new data is fetched and shown, then the cooldown read.
    expect(asked).toEqual(['POST /api/refresh', 'GET /api/open-classrooms', 'GET /api/cooldown-status']);
    await page.waitForFunction(() => (document.getElementById('refresh') as HTMLButtonElement).disabled && document.getElementById('refresh')!.textContent === 'Refresh in 1 min');
    await button(other).click();
    await other.waitForFunction(() => /Refreshed recently/.test(document.getElementById('refresh-note')!.textContent!));
    expect(await button(other).isDisabled()).toBe(true);
    expect(await button(other).textContent()).toBe('Refresh in 1 min');
    expect(service.simulator.requests - before).toBe(ROOMS);
    await enabled(page);
    await enabled(other);
    expect(await button(page).textContent()).toBe('Refresh');
    await page.context().close();
    await other.context().close();
  });

  it('says why when 25Live fails (502), then holds through the backoff (503 with Retry-After)', async () => {
    await service.start({ REFRESH_COOLDOWN_MINUTES: '0.05', BACKOFF_SECONDS: '3' });
    const page = await open();
    await enabled(page);
    service.simulator.setFailure('error500');
    try {
      await button(page).click();
      await page.waitForFunction(() => /^Refresh failed: /.test(document.getElementById('refresh-note')!.textContent!));
      expect(await button(page).isDisabled()).toBe(false);
      await button(page).click();
      await page.waitForFunction(() => /25Live failed recently/.test(document.getElementById('refresh-note')!.textContent!));
      expect(await button(page).isDisabled()).toBe(true);
      expect(await button(page).textContent()).toBe('Refresh in 1 min');
      expect(await page.locator('[data-room]').count()).toBe(ROOMS); // the data shown stays
    } finally {
      service.simulator.setFailure('none');
    }
    await enabled(page);
    await page.context().close();
  });

  it('says so when the cooldown cannot be read (Redis down: /api/cooldown-status answers 503), and keeps the rooms', async () => {
    await service.start();
    await fetch(`${service.url}/api/open-classrooms`); // the process holds its copy; its page is not rendered yet
    await service.redis.stop();
    const page = await open();
    await page.waitForFunction(() => /cooldown cannot be read right now/.test(document.getElementById('refresh-note')!.textContent!));
    expect(await page.locator('[data-room]').count()).toBe(ROOMS);
    expect(await button(page).isDisabled()).toBe(false);
    await button(page).click();
    await page.waitForFunction(() => /Redis/.test(document.getElementById('refresh-note')!.textContent!));
    expect(await button(page).isDisabled()).toBe(true);
    await page.context().close();
  });
});
