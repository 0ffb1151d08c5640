// Tabs for the browser tests: one shared tab for the tests that keep no state (a context costs a
// renderer process), a context of their own for the others; and axe-core run inside a page.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { nyMs } from './browser-support.ts';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Tabs {
  /** The page at `path` with its script run, the browser's clock fixed at the campus time. */
  open(path?: string, options?: { context?: BrowserContext; contextOptions?: BrowserContextOptions }): Promise<Page>;
  /** Closes a page's own context; the shared tab stays for the next test. */
  done(page: Page): Promise<void>;
}

/** `browser` and `at` are read when a tab opens: both are set up in the test file's beforeAll. */
export function createTabs(browser: () => Browser, at: () => { url: string; date: string; time: string }): Tabs {
  let shared: Page | undefined;
  return {
    async open(path = '/', { context, contextOptions } = {}) {
      if (!context && !contextOptions) shared ??= await (await browser().newContext()).newPage();
      const page = context || contextOptions ? await (context ?? (await browser().newContext(contextOptions))).newPage() : shared!;
      const { url, date, time } = at();
      await page.clock.setFixedTime(nyMs(date, time));
      await page.goto(`${url}${path}`);
      await page.waitForFunction(() => document.documentElement.classList.contains('js') && document.querySelector('#rooms [data-room]'));
      return page;
    },
    async done(page) {
      if (page !== shared) await page.context().close();
    },
  };
}

/** axe-core's serious and critical violations on the page as it is now, as `rule (count)`. The context must bypass the page's CSP. */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE);
  const results = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as { violations: Array<{ id: string; impact: string; nodes: unknown[] }> };
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length})`);
}
