import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { startTwentyFiveLiveSimulator, type TwentyFiveLiveSimulator } from '../../src/adapters/twenty-five-live-simulator/index.ts';
import { listBody } from '../../src/adapters/twenty-five-live-simulator/simulator-list.ts';
import { BU_CATALOG } from '../../src/catalog/bu.ts';
import { main } from '../../src/app/cli.ts';
import { DEFAULT_USER_AGENT, loadConfig } from '../../src/app/config.ts';
import { discoverCatalog, type DiscoverOptions } from '../../src/app/discover.ts';
import { createLogger } from '../../src/app/logger.ts';
import { startService, type RunningService } from '../../src/app/main.ts';
import { simulatedSlots } from '../simulated-truth.ts';

const SEED = 3;

/** What the simulator's list says of a room, read by column name (the oracle: not the code under test). */
function listed(seed: number) {
  const body = listBody(BU_CATALOG, 1, 10_000, seed) as { cols: Array<{ prefname: string }>; rows: Array<{ row: unknown[]; contextId: number }> };
  const at = (name: string) => body.cols.findIndex((col) => col.prefname === name);
  return { columns: body.cols.map((col) => col.prefname), rows: new Map(body.rows.map((r) => [r.contextId, { capacity: r.row[at('max_capacity')], features: String(r.row[at('features')]) }])) };
}

describe("catalog discover against the simulator's location list", () => {
  let simulator: TwentyFiveLiveSimulator;
  const progress: string[] = [];
  const options = (extra: Partial<DiscoverOptions> = {}): DiscoverOptions => ({
    listUrl: `${simulator.dataRoot}bu/run/list/listdata.json`,
    tenant: 'bu',
    buildings: [],
    school: 'Boston University',
    timeZone: 'America/New_York',
    userAgent: 'EmptyClassroom/test (+discover)',
    progress: (line) => progress.push(line),
    backoffMs: 5,
    ...extra,
  });

  beforeAll(async () => {
    simulator = await startTwentyFiveLiveSimulator({ catalog: BU_CATALOG, seed: SEED });
  });
  afterAll(() => simulator.close());
  afterEach(() => {
    simulator.setFailure('none');
    simulator.resetCounters();
    progress.length = 0;
  });

  it('pages through the list one page at a time and finds every room with its space id, building, capacity and features', async () => {
    const catalog = await discoverCatalog(options({ buildings: ['cas', 'CGS'], pageSize: 10 }));
    const oracle = listed(SEED).rows;
    expect(simulator.listRequests).toBe(9); // 82 locations, 10 a page
    expect(simulator.userAgents).toEqual(new Set(['EmptyClassroom/test (+discover)']));
    expect(progress.filter((line) => /^page \d of 9/.test(line))).toHaveLength(9);
    expect(catalog.classrooms.map((room) => room.spaceId).sort()).toEqual(BU_CATALOG.classrooms.map((room) => room.spaceId).sort());
    for (const room of catalog.classrooms) {
      const truth = BU_CATALOG.classrooms.find((r) => r.spaceId === room.spaceId)!;
      const row = oracle.get(room.spaceId)!;
      expect(room).toEqual({ spaceId: truth.spaceId, name: truth.name, building: truth.building, capacity: row.capacity, ...(row.features ? { features: row.features.split(', ') } : {}) });
    }
    expect(catalog.buildings.map((b) => b.code).sort()).toEqual(['CAS', 'CGS']);
    expect(catalog.buildings.find((b) => b.code === 'CAS')?.name).toBe(BU_CATALOG.buildings.find((b) => b.code === 'CAS')?.name);
    expect(catalog).toMatchObject({ tenant: 'bu', school: 'Boston University', timeZone: 'America/New_York' });
  });

  it("looks columns up by name: another tenant's column order gives the same catalog", async () => {
    const other = await startTwentyFiveLiveSimulator({ catalog: BU_CATALOG, seed: SEED + 1 });
    try {
      // Same rooms, capacities and features only when the seed's rows agree; compare the column orders and the names read.
      expect(listed(SEED + 1).columns).not.toEqual(listed(SEED).columns);
      const a = await discoverCatalog(options());
      const b = await discoverCatalog({ ...options(), listUrl: `${other.dataRoot}bu/run/list/listdata.json` });
      const names = (c: typeof a) => c.classrooms.map((room) => [room.spaceId, room.building, room.name]);
      expect(names(b)).toEqual(names(a));
      expect(b.classrooms.map((room) => room.capacity)).toEqual(b.classrooms.map((room) => listed(SEED + 1).rows.get(room.spaceId)!.capacity));
      // Without a building filter, the spaces of other buildings come too.
      expect(a.classrooms.filter((room) => room.building === 'ADM')).toHaveLength(5);
    } finally {
      await other.close();
    }
  });

  it('backs off and tries again on a 500 or a 429, then goes on; gives up after its tries with the reason', async () => {
    simulator.setFailure('error500', { times: 2 });
    const catalog = await discoverCatalog(options({ buildings: ['CAS'] }));
    expect(catalog.classrooms.length).toBe(BU_CATALOG.classrooms.filter((room) => room.building === 'CAS').length);
    expect(simulator.listRequests).toBe(3);
    expect(progress.filter((line) => line.includes('25Live answered 500; trying again'))).toHaveLength(2);

    simulator.resetCounters();
    simulator.setFailure('error429', { retryAfterSeconds: 0 });
    await expect(discoverCatalog(options({ tries: 3 }))).rejects.toThrow('page 1 of the location list failed 3 times (25Live answered 429)');
    expect(simulator.listRequests).toBe(3);
  });

  it("reads the list of a tenant that puts )]}', before its JSON: the same catalog as without it", async () => {
    const guarded = await startTwentyFiveLiveSimulator({ catalog: BU_CATALOG, seed: SEED, jsonPrefix: true });
    try {
      const listUrl = `${guarded.dataRoot}bu/run/list/listdata.json`;
      expect((await (await fetch(`${listUrl}?page=1&page_size=10`)).text()).startsWith(")]}',\n{")).toBe(true);
      const plain = await discoverCatalog(options({ buildings: ['CAS', 'CGS'], pageSize: 10 }));
      expect(await discoverCatalog({ ...options({ buildings: ['CAS', 'CGS'], pageSize: 10 }), listUrl })).toEqual(plain);
      expect(guarded.listRequests).toBe(1 + 9); // no page asked twice
    } finally {
      await guarded.close();
    }
  });

  it('does not retry an answer that will not change, and refuses a list it cannot read', async () => {
    await expect(discoverCatalog({ ...options(), listUrl: `${simulator.dataRoot}nosuchtenant/run/list/listdata.json` })).rejects.toThrow('25Live answered 404 for page 1 of the location list');
    expect(simulator.listRequests).toBe(0); // the simulator's 404 for an unknown path is not a list request
    await expect(discoverCatalog(options({ buildings: ['XYZ'] }))).rejects.toThrow("no room of XYZ in bu's location list");
  });
});

describe('emptyclassroom catalog discover, then the service on what it wrote', () => {
  let simulator: TwentyFiveLiveSimulator;
  let running: RunningService | undefined;
  beforeAll(async () => {
    simulator = await startTwentyFiveLiveSimulator({ catalog: BU_CATALOG, seed: SEED });
  });
  afterAll(async () => {
    await running?.close();
    await simulator.close();
  });

  /** `catalog discover` of CAS and CGS from `from`'s list into a new file: its exit code, stderr lines and the file. */
  async function discoverTo(from: TwentyFiveLiveSimulator) {
    const out = join(mkdtempSync(join(tmpdir(), 'discover-')), 'bu.json');
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const origin = new URL(from.url).origin;
      const args = ['catalog', 'discover', '--tenant', 'bu', '--time-zone', 'America/New_York', '--origin', origin, '--building', 'CAS', '--building', 'CGS', '--school', 'Boston University'];
      const code = await main([...args, '--out', out], {});
      return { code, lines: stderr.mock.calls.map((call) => String(call[0])), out };
    } finally {
      stderr.mockRestore();
    }
  }

  it('writes a valid catalog file, and the service runs on it with capacity, features and the slots the rules give in its answers', async () => {
    const { code, lines, out } = await discoverTo(simulator);
    expect(code).toBe(0);
    expect(lines.at(-1)).toMatch(new RegExp(`wrote 77 rooms in 2 buildings to ${out.replace(/[.]/g, '\\.')}`));
    expect(simulator.userAgents).toEqual(new Set([DEFAULT_USER_AGENT]));
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect(written.classrooms).toHaveLength(77);
    expect(written.timeZone).toBe('America/New_York');

    running = await startService(loadConfig({ PORT: '0', HOST: '127.0.0.1', CATALOG_FILE: out, API_URL: simulator.url }), createLogger('silent')); // an embedded Redis of its own
    const body = (await (await fetch(`${running.url}/api/open-classrooms`)).json()) as any;
    const served = Object.values(body.buildings).flatMap((b: any) => b.classrooms);
    expect(served).toHaveLength(77);
    const oracle = listed(SEED).rows;
    for (const room of served as any[]) expect(room.capacity).toBe(oracle.get(Number(room.id))!.capacity);
    // Discovery gives every building 07:00-23:00, CAS's hours in the simulator too: there the oracle's day is the service's.
    expect(written.buildings.find((b: { code: string }) => b.code === 'CAS')).toMatchObject({ opens: 7, closes: 23 });
    expect(BU_CATALOG.buildings.find((b) => b.code === 'CAS')).toMatchObject({ opens: 7, closes: 23 });
    const date = body.last_updated.slice(0, 10);
    const cas = body.buildings.CAS.classrooms as Array<{ id: string; availability: unknown }>;
    for (const room of cas.filter((_, i) => i % 10 === 0)) expect(room.availability, `CAS ${room.id} on ${date}`).toEqual(simulatedSlots(BU_CATALOG, Number(room.id), date, SEED, 'availability'));
    const freeRooms = async (query: string) => ((await (await fetch(`${running!.url}/api/free-rooms?at=12:00${query}`)).json()) as any).rooms;
    const everyFree = await freeRooms('');
    const big = await freeRooms('&min_capacity=100');
    expect(big).toEqual(everyFree.filter((room: any) => room.capacity >= 100));
    expect(big.length).toBeGreaterThan(0);
    expect(big.length).toBeLessThan(everyFree.length);
  });

  it("writes the same catalog from a tenant that puts )]}', before its JSON", async () => {
    const guarded = await startTwentyFiveLiveSimulator({ catalog: BU_CATALOG, seed: SEED, jsonPrefix: true });
    try {
      const plain = await discoverTo(simulator);
      const prefixed = await discoverTo(guarded);
      expect(prefixed.code).toBe(0);
      expect(guarded.listRequests).toBe(1);
      expect(readFileSync(prefixed.out, 'utf8')).toBe(readFileSync(plain.out, 'utf8'));
    } finally {
      await guarded.close();
    }
  });

  it('the default User-Agent names this version and the project', () => {
    expect(DEFAULT_USER_AGENT).toBe(`EmptyClassroom/${pkg.version} (+${pkg.repository.url})`);
  });
});
