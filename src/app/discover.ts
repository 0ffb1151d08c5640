import { setTimeout as sleep } from 'node:timers/promises';
import type { Catalog } from '../domain/catalog.ts';
import { parseTwentyFiveLiveJson } from '../adapters/twenty-five-live-json.ts';
import { retryAfterMs } from '../adapters/upstream-client.ts';

export interface DiscoverOptions {
  /** The tenant's `list/listdata.json` URL. */
  listUrl: string;
  tenant: string;
  /** Only rooms of these building codes (any case); all when empty. */
  buildings: readonly string[];
  school: string;
  timeZone: string;
  userAgent: string;
  /** One line per step, for the operator watching. */
  progress: (line: string) => void;
  /** Tries per page before giving up. */
  tries?: number;
  /** First pause after an error; doubles each try. */
  backoffMs?: number;
  /** Rows per page; 100 by default. */
  pageSize?: number;
}

const listQuery = (page: number, pageSize: number) => `compsubject=location&sort=name&order=asc&page=${page}&page_size=${pageSize}&obj_cache_accl=0&caller=pro-ListService.getData`;

/** One page, asked politely: one request at a time, backing off on 429, 5xx and network errors. */
async function fetchPage(options: DiscoverOptions, page: number): Promise<any> {
  const { tries = 5, backoffMs = 1000 } = options;
  for (let attempt = 1; ; attempt += 1) {
    let reason: string;
    let pauseMs = backoffMs * 2 ** (attempt - 1);
    try {
      const res = await fetch(`${options.listUrl}?${listQuery(page, options.pageSize ?? 100)}`, {
        headers: { accept: 'application/json', 'user-agent': options.userAgent },
        signal: AbortSignal.timeout(30_000),
      });
      if (res.ok) return parseTwentyFiveLiveJson(await res.text());
      reason = `25Live answered ${res.status}`;
      if (res.status !== 429 && res.status < 500) throw new Error(`${reason} for page ${page} of the location list`);
      pauseMs = Math.max(pauseMs, retryAfterMs(res.headers.get('retry-after') ?? undefined) ?? 0);
      await res.arrayBuffer().catch(() => {});
    } catch (error) {
      if ((error as Error).message.includes('of the location list')) throw error;
      reason = (error as Error).message;
    }
    if (attempt >= tries) throw new Error(`page ${page} of the location list failed ${tries} times (${reason})`);
    options.progress(`page ${page}: ${reason}; trying again in ${Math.round(pauseMs / 1000)} s`);
    await sleep(pauseMs);
  }
}

/** A list cell as 25Live sends features: a list, or one string of comma-separated names. */
const featureList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',') : []).map((name) => name.trim()).filter(Boolean);

/**
 * A catalog from the tenant's location list: every page, read in turn, columns looked up by
 * `prefname` (their order differs between tenants). Room names are "CODE NUMBER"; the code names the
 * building. Opening hours are not in the list: each building gets 07:00–23:00, to be edited.
 */
export async function discoverCatalog(options: DiscoverOptions): Promise<Catalog> {
  const wanted = new Set(options.buildings.map((code) => code.toUpperCase()));
  const buildings = new Map<string, { code: string; name: string; opens: number; closes: number }>();
  const classrooms: Catalog['classrooms'] = [];
  for (let page = 1, pages = 1; page <= pages; page += 1) {
    const body = await fetchPage(options, page);
    if (!Array.isArray(body?.cols) || !Array.isArray(body?.rows)) throw new Error(`page ${page} of the location list has no cols and rows`);
    const column = (prefname: string): number => body.cols.findIndex((col: { prefname?: string }) => col?.prefname === prefname);
    const [name, bldgName, capacity, features] = ['name', 'bldg_name', 'max_capacity', 'features'].map(column) as [number, number, number, number];
    if (name < 0) throw new Error(`page ${page} of the location list has no "name" column`);
    pages = Number(body.rows[0]?.pages ?? pages);
    const count = body.rows[0]?.count;
    for (const { row, contextId } of body.rows as Array<{ row: unknown[]; contextId: unknown }>) {
      const [code = '', ...rest] = String(row[name] ?? '')
        .trim()
        .split(/\s+/);
      const spaceId = Number(contextId);
      if (!code || !Number.isInteger(spaceId) || spaceId <= 0 || (wanted.size > 0 && !wanted.has(code.toUpperCase()))) continue;
      if (!buildings.has(code)) buildings.set(code, { code, name: bldgName >= 0 && row[bldgName] ? String(row[bldgName]) : code, opens: 7, closes: 23 });
      const seats = capacity >= 0 ? Number(row[capacity]) : Number.NaN;
      const has = features >= 0 ? featureList(row[features]) : [];
      classrooms.push({ spaceId, name: rest.join(' ') || code, building: code, ...(Number.isInteger(seats) && seats >= 0 ? { capacity: seats } : {}), ...(has.length > 0 ? { features: has } : {}) });
    }
    options.progress(`page ${page} of ${pages}${count === undefined ? '' : ` (${count} locations)`}: ${classrooms.length} rooms so far`);
  }
  if (classrooms.length === 0) throw new Error(`no room of ${wanted.size > 0 ? [...wanted].join(', ') : 'any building'} in ${options.tenant}'s location list`);
  return { school: options.school, timeZone: options.timeZone, tenant: options.tenant, buildings: [...buildings.values()], classrooms };
}
