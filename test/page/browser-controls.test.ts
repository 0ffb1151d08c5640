// Search, filters, the time and day pickers, the URL, favourites, keyboard and axe-core, in Chromium.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenClassrooms } from '../../src/domain/organise.ts';
import { freeNowOracle, getJson, launchBrowser, nyMs, pageFreeNow, ROOMS, startTestService, visibleRooms, type TestService } from './browser-support.ts';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

describe('finding a room in Chromium', { timeout: 40_000 }, () => {
  let browser: Browser;
  let service: TestService;
  let body: OpenClassrooms;
  let dates: string[];

  beforeAll(async () => {
    [browser, service] = await Promise.all([launchBrowser(), startTestService(5)]);
    await service.start();
    body = await getJson<OpenClassrooms>(`${service.url}/api/open-classrooms`);
    dates = (await getJson<{ dates: string[] }>(`${service.url}/api/dates`)).dates;
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  const rooms = () => Object.values(body.buildings).flatMap((b) => b.classrooms.map((r) => ({ ...r, building: b.code, buildingName: b.name })));

  let shared: Page | undefined;
  /** The page at `path` at 2:00 PM New York time; one tab serves the tests that keep no state. */
  async function open(path = '/', context?: BrowserContext, options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
    let page: Page;
    if (context || Object.keys(options).length > 0) page = await (context ?? (await browser.newContext(options))).newPage();
    else page = shared ??= await (await browser.newContext()).newPage();
    await page.clock.setFixedTime(nyMs(dates[0]!, '14:00'));
    await page.goto(`${service.url}${path}`);
    await page.waitForFunction(() => document.documentElement.classList.contains('js') && document.querySelector('#rooms [data-room]'));
    return page;
  }
  /** Closes a page's own context; the shared tab stays for the next test. */
  const done = async (page: Page) => {
    if (page !== shared) await page.context().close();
  };

  it('searches by building code, building name, room number, "CAS 116" and "cas116"', async () => {
    const page = await open();
    const search = page.locator('input[type=search]');
    const cases: Array<[string, (r: ReturnType<typeof rooms>[number]) => boolean]> = [
      ['CGS', (r) => r.building === 'CGS'],
      ['arts & sciences', (r) => r.building === 'CAS'],
      ['general studies', (r) => r.building === 'CGS'],
      ['116', (r) => r.name.includes('116')],
      ['CAS 116', (r) => r.building === 'CAS' && r.name.startsWith('116')],
      ['cas116', (r) => r.building === 'CAS' && r.name.startsWith('116')],
      ['b0', (r) => r.name.toLowerCase().includes('b0')],
    ];
    for (const [query, expected] of cases) {
      await search.fill(query);
      expect(await visibleRooms(page), query).toEqual(rooms().filter(expected).map((r) => r.id).sort());
    }
    expect(await visibleRooms(page)).not.toHaveLength(0);
    await search.fill('no such room');
    expect(await visibleRooms(page)).toEqual([]);
    expect(await page.locator('#empty').isVisible()).toBe(true);
    await page.click('[data-action="clear"]');
    expect(await visibleRooms(page)).toHaveLength(ROOMS);
    await done(page);
  });

  it('opens every section with a match while searching, even one the student closed', async () => {
    const page = await open();
    await page.click('[data-building="CGS"] summary');
    expect(await page.locator('[data-building="CGS"] details').getAttribute('open')).toBeNull();
    await page.fill('input[type=search]', 'cgs');
    expect(await page.locator('[data-building="CGS"] details').getAttribute('open')).toBe('');
    expect(await page.locator('[data-building="CAS"]').isHidden()).toBe(true);
    expect(await page.textContent('[data-building="CGS"] .count')).toMatch(/^(\d+ available|unavailable)$/);
    await done(page);
  });

  it('shows the rooms free at a picked time for at least so long, from the data it has, and puts the view in the URL', async () => {
    const page = await open();
    const asked: string[] = [];
    page.on('request', (req) => asked.push(req.url()));
    await page.fill('#at', '10:15');
    await page.selectOption('#for', '60');
    const expected = rooms().filter((r) => r.status !== 'unknown' && r.availability.some((s) => s.start <= '10:15:00' && '10:15:00' < s.end && Date.parse(`1970-01-01T${s.end}Z`) - Date.parse('1970-01-01T10:15:00Z') >= 3_600_000));
    expect(await visibleRooms(page)).toEqual(expected.map((r) => r.id).sort());
    expect(await pageFreeNow(page)).toEqual(freeNowOracle(body, '10:15:00'));
    expect(await page.textContent('#headline')).toBe('Free at 10:15 AM');
    expect(asked.filter((url) => url.includes('/api/'))).toEqual([]);
    await page.selectOption('#order', 'longest');
    const minutes = await page.$$eval('[data-building="CAS"] [data-room]:not([hidden]) .length', (els) => els.map((el) => el.textContent!));
    const value = (t: string) => Number(/(\d+) h/.exec(t)?.[1] ?? 0) * 60 + Number(/(\d+) min/.exec(t)?.[1] ?? 0);
    expect(minutes.map(value)).toEqual([...minutes.map(value)].sort((a, b) => b - a));
    expect(new URL(page.url()).search).toBe('?at=10%3A15&for=60&order=longest');
    // The same URL opened afresh shows the same view.
    const again = await open(new URL(page.url()).search, await browser.newContext());
    expect(await again.inputValue('#at')).toBe('10:15');
    expect(await again.inputValue('#for')).toBe('60');
    expect(await visibleRooms(again)).toEqual(expected.map((r) => r.id).sort());
    await done(page);
    await done(again);
  });

  it('picks a day from /api/dates, fetches it once, and shows its rooms at the time asked', async () => {
    const page = await open('/?q=cas&at=14:00');
    const options = await page.$$eval('#date option', (els) => els.map((el) => (el as HTMLOptionElement).value));
    expect(options).toEqual(['', ...dates.slice(1)]);
    const day = dates[2]!;
    const fetched: string[] = [];
    page.on('request', (req) => fetched.push(req.url()));
    await page.selectOption('#date', day);
    await page.waitForFunction((d) => document.querySelector('#rooms')!.getAttribute('data-date') === d, day);
    const other = await getJson<OpenClassrooms>(`${service.url}/api/open-classrooms?date=${day}`);
    expect(await pageFreeNow(page)).toEqual(freeNowOracle(other, '14:00:00'));
    expect(new URL(page.url()).search).toBe(`?q=cas&date=${day}&at=14%3A00`);
    await page.selectOption('#date', '');
    await page.selectOption('#date', day);
    expect(fetched.filter((url) => url.includes('/api/open-classrooms'))).toEqual([`${service.url}/api/open-classrooms?date=${day}`]);
    await done(page);
  });

  it('keeps favourites across a reload, pinned on top, and filters by them', async () => {
    const context = await browser.newContext();
    const page = await open('/', context);
    const [first, second] = rooms().filter((r) => r.building === 'CGS').slice(0, 2);
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
    const page = await open('/', undefined, { viewport: { width: 390, height: 844 } });
    expect(await page.locator('#more').getAttribute('open')).toBeNull();
    expect((await page.locator('#rooms [data-room]').first().boundingBox())!.y).toBeLessThan(844 - 100);
    await page.click('#more summary');
    await page.selectOption('#for', '60');
    expect(await page.textContent('#more-set')).toBe('Free 1 h or more');
    await page.goto(`${service.url}/?at=15:30&order=longest`);
    expect(await page.locator('#more').getAttribute('open')).toBe('');
    expect(await page.textContent('#more-set')).toBe('3:30 PM · Longest free first');
    await done(page);
  });

  it('passes axe-core with no serious or critical violation, in the light and the dark scheme', async () => {
    const page = await open('/', undefined, { bypassCSP: true });
    await page.click('[data-room] .fav'); // a pinned favourite too
    await page.evaluate(AXE);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      const results = await page.evaluate(() => (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe.run(document, { resultTypes: ['violations'] }));
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length})`);
      expect(bad, colorScheme).toEqual([]);
    }
    await done(page);
  });
});
