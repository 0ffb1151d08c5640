// The refresh button in Chromium against the real service: the cooldown's minutes counting down; a
// refresh from two tabs at once (one 200 and its cooldown, one 429); 25Live failing (502, then the
// backoff's 503); Redis gone (cooldown-status 503).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, ROOMS } from './browser-support.ts';
import { startTestService, type TestService } from '../test-service.ts';

describe('the refresh button in Chromium', { timeout: 40_000 }, () => {
  let browser: Browser;
  let service: TestService;

  beforeAll(async () => {
    [browser, service] = await Promise.all([launchBrowser(), startTestService(11)]);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  /** A tab whose button's every label and note is recorded, so no state is missed however fast it passes. */
  async function open(): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      document.addEventListener('DOMContentLoaded', () => {
        const record = () =>
          seen.push(
            `${(document.getElementById('refresh') as HTMLButtonElement).disabled ? 'disabled' : 'enabled'}: ${document.getElementById('refresh')!.textContent} | ${document.getElementById('refresh-note')!.textContent}`,
          );
        new MutationObserver(record).observe(document.querySelector('.moment')!, { subtree: true, childList: true, characterData: true, attributes: true });
      });
    });
    await page.goto(service.url);
    await page.waitForFunction(() => document.documentElement.classList.contains('js'));
    return page;
  }
  const seen = (page: Page) => page.evaluate(() => (window as unknown as { seen: string[] }).seen);
  const button = (page: Page) => page.locator('#refresh');
  const note = (page: Page, pattern: RegExp) => page.waitForFunction((source) => new RegExp(source).test(document.getElementById('refresh-note')!.textContent!), pattern.source);
  const enabled = (page: Page) => page.waitForFunction(() => !(document.getElementById('refresh') as HTMLButtonElement).disabled, undefined, { timeout: 15_000 });

  it('is disabled during the cooldown, with the minutes left counting down, and comes back when it ends', async () => {
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
    await page.clock.fastForward(29 * 60_000);
    expect(await button(page).isDisabled()).toBe(false);
    expect(await button(page).textContent()).toBe('Refresh');
    await context.close();
  });

  it('refreshes once for two tabs asking at once: one shows the new data and holds for the cooldown, the other gets the 429 and holds too', async () => {
    await service.start({ REFRESH_COOLDOWN_MINUTES: '0.1' }); // 6 s
    const [page, other] = await Promise.all([open(), open()]);
    await Promise.all([enabled(page), enabled(other)]);
    const before = service.simulator.requests;
    const asked: string[] = [];
    const cooldowns: Array<{ in_cooldown: boolean }> = [];
    for (const tab of [page, other]) {
      tab.on('request', (req) => asked.push(`${req.method()} ${new URL(req.url()).pathname}`));
      tab.on('response', async (res) => void (res.url().endsWith('/api/cooldown-status') && cooldowns.push(await res.json())));
    }
    await Promise.all([button(page).click(), button(other).click()]);
    // What each tab said, from its record (the cooldown may be over by the time the test looks).
    const said = (tab: Page, pattern: RegExp) => tab.waitForFunction((source) => (window as unknown as { seen: string[] }).seen.some((s) => new RegExp(source).test(s)), pattern.source);
    const first = await Promise.race([said(page, /\| Updated just now\.$/).then(() => page), said(other, /\| Updated just now\.$/).then(() => other)]);
    const [winner, loser] = first === page ? [page, other] : [other, page];
    // The 429 holds for its Retry-After, so this is seen however slow the machine is.
    await said(loser, /^disabled: Refresh in 1 min \| Refreshed recently/);
    await said(winner, /^enabled: Refresh \| Updated just now\.$|^disabled: Refresh in 1 min \| Updated just now\.$/);
    expect(service.simulator.requests - before).toBe(ROOMS);
    // The new data fetched and shown, then the cooldown read; the 429 asks nothing more.
    await expect.poll(() => asked.length).toBe(4);
    expect(asked.sort()).toEqual(['GET /api/cooldown-status', 'GET /api/open-classrooms', 'POST /api/refresh', 'POST /api/refresh']);
    // Whichever the service said, the winner showed it: held through the cooldown, or free again if it was over already.
    await expect.poll(() => cooldowns.length).toBe(1); // its body is read a moment after the response is seen
    const shown = cooldowns[0]!.in_cooldown ? 'disabled: Refresh in 1 min | Updated just now.' : 'enabled: Refresh | Updated just now.';
    await expect.poll(() => seen(winner)).toContainEqual(shown);
    await page.context().close();
    await other.context().close();
  });

  it('says why when 25Live fails (502), then holds through the backoff (503 with Retry-After)', async () => {
    await service.start({ REFRESH_COOLDOWN_MINUTES: '0.02', BACKOFF_SECONDS: '2' });
    const page = await open();
    await enabled(page);
    service.simulator.setFailure('error500');
    try {
      await button(page).click();
      await note(page, /^Refresh failed: /);
      expect(await button(page).isDisabled()).toBe(false);
      await button(page).click();
      await note(page, /25Live failed recently/);
      expect(await seen(page)).toContainEqual(expect.stringMatching(/^disabled: Refresh in 1 min \| 25Live failed recently/));
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
    await note(page, /cooldown cannot be read right now/);
    expect(await page.locator('[data-room]').count()).toBe(ROOMS);
    expect(await button(page).isDisabled()).toBe(false);
    await button(page).click();
    await note(page, /Redis/);
    expect(await button(page).isDisabled()).toBe(true);
    await page.context().close();
  });
});
