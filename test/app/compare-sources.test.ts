import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTwentyFiveLiveSimulator, type TwentyFiveLiveSimulator } from '../../src/adapters/twenty-five-live-simulator/index.ts';
import { BU_CATALOG } from '../../src/catalog/bu.ts';
import { main } from '../../src/app/cli.ts';
import { compareSources } from '../../src/app/compare-sources.ts';
import { loadConfig } from '../../src/app/config.ts';
import { createSource, upstreamOf } from '../../src/app/upstream.ts';
import { buildingOf } from '../../src/domain/catalog.ts';
import { clockText } from '../domain/oracles.ts';
import { simulatedSlots } from '../simulated-truth.ts';

const SEED = 5;
const DATE = '2026-12-07';

/** The oracle's slots of a room's day, as `start-end` strings, from what each view lists. */
const slots = (spaceId: number, date: string, only: 'all' | 'events') =>
  simulatedSlots(BU_CATALOG, spaceId, date, SEED, only === 'all' ? 'availability' : 'reservations').map((s) => `${s.start}-${s.end}`);
const differing = (date: string) => BU_CATALOG.classrooms.filter((room) => slots(room.spaceId, date, 'all').join() !== slots(room.spaceId, date, 'events').join()).map((room) => room.spaceId);

describe('compare-sources on the simulator', () => {
  let simulator: TwentyFiveLiveSimulator;
  beforeAll(async () => {
    simulator = await startTwentyFiveLiveSimulator({ catalog: BU_CATALOG, seed: SEED });
  });
  afterAll(() => simulator.close());

  it('reports exactly the rooms whose slots the two views make different, each explained by the closures only the availability view lists', async () => {
    const config = loadConfig({ API_URL: simulator.url, UPSTREAM_RETRIES: '0' });
    const upstream = upstreamOf(config, BU_CATALOG);
    const perRoom = createSource(config, BU_CATALOG, upstream, { mode: 'per-room' });
    const batched = createSource(config, BU_CATALOG, upstream, { mode: 'batched' });
    try {
      simulator.resetCounters();
      const differences = await compareSources(BU_CATALOG, perRoom, batched, DATE);
      expect(simulator.requests).toBe(BU_CATALOG.classrooms.length + 2);
      const expected = differing(DATE);
      expect(expected.length).toBeGreaterThan(0);
      expect(differences.map((d) => d.room.spaceId)).toEqual(expected);
      for (const d of differences) {
        expect(d.explained, `${d.room.spaceId}`).toMatch(/^(closed|blackout) \d\d:\d\d–\d\d:\d\d(, (closed|blackout) \d\d:\d\d–\d\d:\d\d)*$/);
        expect(d.availability!.map((s) => `${s.start}-${s.end}`)).toEqual(slots(d.room.spaceId, DATE, 'all'));
        expect(d.reservations!.map((s) => `${s.start}-${s.end}`)).toEqual(slots(d.room.spaceId, DATE, 'events'));
      }
      // The 07:00 closure of the availability view moves an opening to 07:01 under the one-minute rule.
      expect(differences.some((d) => d.availability![0]?.start === '07:01:00' && d.reservations![0]?.start === '07:00:00' && d.explained?.includes('closed 00:00–07:00'))).toBe(true);
    } finally {
      await Promise.all([perRoom.close(), batched.close()]);
    }
  });

  it('a room whose view failed is reported as a difference nobody explains, and the command exits 1', async () => {
    simulator.setFailure('error500', { spaceIds: [BU_CATALOG.classrooms[0]!.spaceId] });
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const code = await main(['compare-sources', '--date', DATE], { API_URL: simulator.url, UPSTREAM_RETRIES: '0' });
      const lines = out.mock.calls.map((call) => String(call[0]));
      expect(code).toBe(1);
      expect(lines.some((line) => line.includes(`(${BU_CATALOG.classrooms[0]!.spaceId}): availability view unknown (failed)`) && line.includes('UNEXPLAINED'))).toBe(true);
      expect(lines.at(-1)).toMatch(/^77 rooms on 2026-12-07: \d+ differ, \d+ explained by closures or blackouts that only the availability view lists, \d+ unexplained$/);
    } finally {
      out.mockRestore();
      simulator.setFailure('none');
    }
  });

  it('prints JSON with --json, and exits 0 when every difference is explained', async () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const code = await main(['compare-sources', '--date', DATE, '--json'], { API_URL: simulator.url });
      const body = JSON.parse(String(out.mock.calls[0]![0]));
      expect(code).toBe(0);
      expect(body).toMatchObject({ date: DATE, rooms: 77 });
      expect(body.differences.map((d: { id: string }) => Number(d.id))).toEqual(differing(DATE));
    } finally {
      out.mockRestore();
    }
  });
});

describe('compare-sources on a holiday', () => {
  it('every room is closed all day in the availability view and free all day in the reservations view: 77 explained differences', async () => {
    const simulator = await startTwentyFiveLiveSimulator({ catalog: BU_CATALOG, seed: SEED });
    const config = loadConfig({ API_URL: simulator.url, UPSTREAM_RETRIES: '0' });
    const upstream = upstreamOf(config, BU_CATALOG);
    const perRoom = createSource(config, BU_CATALOG, upstream, { mode: 'per-room' });
    const batched = createSource(config, BU_CATALOG, upstream, { mode: 'batched' });
    try {
      const differences = await compareSources(BU_CATALOG, perRoom, batched, '2026-12-25');
      expect(differences).toHaveLength(77);
      for (const d of differences) {
        const { opens, closes } = buildingOf(BU_CATALOG, d.room);
        expect(d.availability).toEqual([]);
        expect(d.reservations).toEqual([{ start: clockText(opens * 3_600_000_000), end: clockText(closes * 3_600_000_000) }]);
        expect(d.explained).toBe('closed 00:00–24:00');
      }
    } finally {
      await Promise.all([perRoom.close(), batched.close(), simulator.close()]);
    }
  });
});
