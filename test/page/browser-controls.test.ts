// Search, filters, the time and day pickers and the URL, in Chromium.
import { describe, expect, it } from 'vitest';
import type { OpenClassrooms } from '../../src/domain/organise.ts';
import { freeNowOracle, getJson, pageFreeNow, ROOMS, servedPage, visibleRooms } from './browser-support.ts';
import { createTabs } from './browser-tabs.ts';

describe('finding a room in Chromium', { timeout: 40_000 }, () => {
  const served = servedPage(5);

  const rooms = () => Object.values(served.body.buildings).flatMap((b) => b.classrooms.map((r) => ({ ...r, building: b.code, buildingName: b.name })));

  const { open, done } = createTabs(
    () => served.browser,
    () => ({ url: served.service.url, date: served.dates[0]!, time: '14:00' }),
  );

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
      expect(await visibleRooms(page), query).toEqual(
        rooms()
          .filter(expected)
          .map((r) => r.id)
          .sort(),
      );
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
    const expected = rooms().filter(
      (r) => r.status !== 'unknown' && r.availability.some((s) => s.start <= '10:15:00' && '10:15:00' < s.end && Date.parse(`1970-01-01T${s.end}Z`) - Date.parse('1970-01-01T10:15:00Z') >= 3_600_000),
    );
    expect(await visibleRooms(page)).toEqual(expected.map((r) => r.id).sort());
    expect(await pageFreeNow(page)).toEqual(freeNowOracle(served.body, '10:15:00'));
    expect(await page.textContent('#headline')).toBe('Free at 10:15 AM');
    expect(asked.filter((url) => url.includes('/api/'))).toEqual([]);
    await page.selectOption('#order', 'longest');
    const minutes = await page.$$eval('[data-building="CAS"] [data-room]:not([hidden]) .length', (els) => els.map((el) => el.textContent!));
    const value = (t: string) => Number(/(\d+) h/.exec(t)?.[1] ?? 0) * 60 + Number(/(\d+) min/.exec(t)?.[1] ?? 0);
    expect(minutes.map(value)).toEqual([...minutes.map(value)].sort((a, b) => b - a));
    expect(new URL(page.url()).search).toBe('?at=10%3A15&for=60&order=longest');
    // The same URL opened afresh shows the same view.
    const again = await open(new URL(page.url()).search, { context: await served.browser.newContext() });
    expect(await again.inputValue('#at')).toBe('10:15');
    expect(await again.inputValue('#for')).toBe('60');
    expect(await visibleRooms(again)).toEqual(expected.map((r) => r.id).sort());
    await done(page);
    await done(again);
  });

  it('picks a day from /api/dates, fetches it once, and shows its rooms at the time asked', async () => {
    const page = await open('/?q=cas&at=14:00');
    const options = await page.$$eval('#date option', (els) => els.map((el) => (el as HTMLOptionElement).value));
    expect(options).toEqual(['', ...served.dates.slice(1)]);
    const day = served.dates[2]!;
    const fetched: string[] = [];
    page.on('request', (req) => fetched.push(req.url()));
    await page.selectOption('#date', day);
    await page.waitForFunction((d) => document.querySelector('#rooms')!.getAttribute('data-date') === d, day);
    const other = await getJson<OpenClassrooms>(`${served.service.url}/api/open-classrooms?date=${day}`);
    expect(await pageFreeNow(page)).toEqual(freeNowOracle(other, '14:00:00'));
    expect(new URL(page.url()).search).toBe(`?q=cas&date=${day}&at=14%3A00`);
    await page.selectOption('#date', '');
    await page.selectOption('#date', day);
    expect(fetched.filter((url) => url.includes('/api/open-classrooms'))).toEqual([`${served.service.url}/api/open-classrooms?date=${day}`]);
    await done(page);
  });
});
