// Browser tests' support: Debian's Chromium through playwright-core (never a downloaded browser), the
// real service in this process (embedded Redis, the 25Live simulator), and an oracle for free-now
// read straight from the API's JSON, independent of the page's code.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { BU_CATALOG } from '../../src/catalog/bu.ts';
import { loadConfig } from '../../src/app/config.ts';
import { startDemo } from '../../src/app/demo.ts';
import { createLogger } from '../../src/app/logger.ts';
import type { RunningService } from '../../src/app/main.ts';
import type { OpenClassrooms } from '../../src/domain/organise.ts';
import { completeAnswer, startTestService, type TestService } from '../test-service.ts';

export const ZONE = 'America/New_York';
export const ROOMS = BU_CATALOG.classrooms.length;
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** One browser per test file. */
export const launchBrowser = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

/** Epoch ms of a New York wall-clock time, e.g. `nyMs('2026-12-01', '14:00')`. */
export const nyMs = (date: string, time: string): number => DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toMillis();

/** The oracle: free at `time` (`HH:MM:SS`) when one slot has start <= time < end (zero-padded texts compare as times). */
export function freeNowOracle(body: OpenClassrooms, time: string): Map<string, boolean> {
  const oracle = new Map<string, boolean>();
  for (const building of Object.values(body.buildings)) {
    for (const room of building.classrooms) oracle.set(room.id, room.status !== 'unknown' && room.availability.some((s) => s.start <= time && time < s.end));
  }
  return oracle;
}

/** Every room's `data-free-now` as the page shows it. */
export const pageFreeNow = (page: Page): Promise<Map<string, boolean>> =>
  page.$$eval('[data-room]', (els) => els.map((el) => [el.getAttribute('data-room')!, el.getAttribute('data-free-now') === 'true'] as const)).then((pairs) => new Map(pairs));

/** The ids of the rooms the page shows (not hidden, and in an open or searched section). */
export const visibleRooms = (page: Page): Promise<string[]> =>
  page.$$eval('[data-room]', (els) =>
    els
      .filter((el) => !el.closest('[hidden]'))
      .map((el) => el.getAttribute('data-room')!)
      .sort(),
  );

export async function getJson<T = any>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return (await res.json()) as T;
}

/** `npm run demo` in this process: its own embedded Redis and simulator; its record goes to a temporary TMPDIR. */
export async function startDemoServer(): Promise<RunningService> {
  const dir = await mkdtemp(join(tmpdir(), 'emptyclassroom-page-'));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  const demo = await startDemo(loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }), createLogger('silent'));
  await completeAnswer(demo.url);
  return {
    ...demo,
    async close() {
      await demo.close();
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface ServedPage {
  browser: Browser;
  service: TestService;
  /** Today's answer and the dates on offer, read once every room is in. */
  body: OpenClassrooms;
  dates: string[];
}

/** One Chromium and the real service on a seeded simulator, started before the block's tests and closed after them. */
export function servedPage(seed: number): ServedPage {
  const served = {} as ServedPage;
  beforeAll(async () => {
    [served.browser, served.service] = await Promise.all([launchBrowser(), startTestService(seed)]);
    await served.service.start();
    served.body = await getJson<OpenClassrooms>(`${served.service.url}/api/open-classrooms`);
    served.dates = (await getJson<{ dates: string[] }>(`${served.service.url}/api/dates`)).dates;
  });
  afterAll(async () => {
    await served.browser?.close();
    await served.service?.close();
  });
  return served;
}
