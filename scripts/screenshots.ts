// `npm run screenshots`: the page at phone and desktop widths, light and dark, into docs/screenshots/.
// The demo runs in this process (its own Redis and 25Live simulator); the browser's clock is set to
// 2:05 PM New York time, with one favourite pinned, so the pictures show a busy afternoon.
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, getJson, nyMs, startDemoServer } from '../test/page/browser-support.ts';

const OUT = new URL('../docs/screenshots/', import.meta.url);
const SHOTS = [
  { name: 'phone-light', viewport: { width: 390, height: 844 }, scale: 2, colorScheme: 'light' },
  { name: 'phone-dark', viewport: { width: 390, height: 844 }, scale: 2, colorScheme: 'dark' },
  { name: 'desktop-light', viewport: { width: 1280, height: 800 }, scale: 1, colorScheme: 'light' },
  { name: 'desktop-dark', viewport: { width: 1280, height: 800 }, scale: 1, colorScheme: 'dark' },
] as const;

await mkdir(OUT, { recursive: true });
const demo = await startDemoServer();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  const today = (await getJson<{ dates: string[] }>(`${demo.url}/api/dates`)).dates[0]!;
  for (const shot of SHOTS) {
    const context = await browser.newContext({ viewport: shot.viewport, deviceScaleFactor: shot.scale, colorScheme: shot.colorScheme });
    await context.addInitScript(`localStorage.setItem('emptyclassroom.favourites', '["342"]')`); // CAS 116
    const page = await context.newPage();
    await page.clock.setFixedTime(nyMs(today, '14:05'));
    await page.goto(demo.url);
    await page.waitForFunction('document.querySelector("#pinned:not([hidden]) [data-room]")');
    await page.waitForTimeout(300);
    const file = new URL(`${shot.name}.png`, OUT);
    await page.screenshot({ path: file.pathname });
    console.log(`docs/screenshots/${shot.name}.png`);
    await context.close();
  }
} finally {
  await browser.close();
  await demo.close();
}
