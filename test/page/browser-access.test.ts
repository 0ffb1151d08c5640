// Favourites, the keyboard, the phone layout and axe-core, in Chromium against the real service.
import { describe, expect, it } from 'vitest';
import { ROOMS, servedPage, visibleRooms } from './browser-support.ts';
import { createTabs, seriousViolations } from './browser-tabs.ts';

describe('the page for everyone, in Chromium', { timeout: 40_000 }, () => {
  const served = servedPage(7);

  const rooms = () => Object.values(served.body.buildings).flatMap((b) => b.classrooms.map((r) => ({ ...r, building: b.code })));
  const { open, done } = createTabs(
    () => served.browser,
    () => ({ url: served.service.url, date: served.dates[0]!, time: '14:00' }),
  );

  it('keeps favourites across a reload, pinned on top, and filters by them', async () => {
    const context = await served.browser.newContext();
    const page = await open('/', { context });
    const [first, second] = rooms()
      .filter((r) => r.building === 'CGS')
      .slice(0, 2);
    await page.click(`[data-room="${first!.id}"] .fav`);
    await page.click(`[data-room="${second!.id}"] .fav`);
    await page.click(`[data-room="${second!.id}"] .fav`); // and off again
    await page.reload();
    await page.waitForFunction(() => document.documentElement.classList.contains('js') && document.querySelector('#pinned:not([hidden])'));
    expect(await page.getAttribute(`[data-room="${first!.id}"] .fav`, 'aria-pressed')).toBe('true');
    expect(await page.getAttribute(`[data-room="${second!.id}"] .fav`, 'aria-pressed')).toBe('false');
    expect(await page.$$eval('#pinned [data-room]', (els) => els.map((el) => el.getAttribute('data-room')))).toEqual([first!.id]);
    await page.check('#fav');
    expect(await visibleRooms(page)).toEqual([first!.id]);
    expect(await page.locator('[data-room]').count()).toBe(ROOMS);
    await context.close();
  });

  it('can be used from the keyboard: / to search, Escape to clear, Tab to a star, Space to keep it', async () => {
    const page = await open();
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
    await page.keyboard.type('cas116');
    expect(await visibleRooms(page)).toHaveLength(1);
    await page.keyboard.press('Escape');
    expect(await visibleRooms(page)).toHaveLength(ROOMS);
    await page.keyboard.type('cas116');
    const stops: string[] = [];
    for (let i = 0; i < 15 && !(await page.evaluate(() => document.activeElement?.classList.contains('fav'))); i += 1) {
      await page.keyboard.press('Tab');
      stops.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName || ''));
    }
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), stops.join(' ')).toBe('Favourite CAS 116');
    await page.keyboard.press('Space');
    expect(await page.getAttribute('#rooms [data-room]:not([hidden]) .fav', 'aria-pressed')).toBe('true');
    await done(page);
  });

  it('on a phone, folds the filters under the search so rooms start on the first screen, and unfolds them for a view that sets one', async () => {
    const page = await open('/', { contextOptions: { viewport: { width: 390, height: 844 } } });
    expect(await page.locator('#more').getAttribute('open')).toBeNull();
    expect((await page.locator('#rooms [data-room]').first().boundingBox())!.y).toBeLessThan(844 - 100);
    await page.click('#more summary');
    await page.selectOption('#for', '60');
    expect(await page.textContent('#more-set')).toBe('Free 1 h or more');
    await page.goto(`${served.service.url}/?at=15:30&order=longest`);
    expect(await page.locator('#more').getAttribute('open')).toBe('');
    expect(await page.textContent('#more-set')).toBe('3:30 PM · Longest free first');
    await done(page);
  });

  it('passes axe-core with no serious or critical violation, in the light and the dark scheme', async () => {
    const page = await open('/', { contextOptions: { bypassCSP: true } });
    await page.click('[data-room] .fav'); // a pinned favourite too
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      expect(await seriousViolations(page), colorScheme).toEqual([]);
    }
    await done(page);
  });
});
