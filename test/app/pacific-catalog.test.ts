import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTwentyFiveLiveSimulator, type TwentyFiveLiveSimulator } from '../../src/adapters/twenty-five-live-simulator/index.ts';
import { loadCatalog } from '../../src/app/catalog-file.ts';
import { loadConfig, policyOf } from '../../src/app/config.ts';
import { createSource, upstreamOf } from '../../src/app/upstream.ts';
import { createClassroomService } from '../../src/domain/classroom-service.ts';
import { createFakeStore } from '../../src/testing/fake-store.ts';
import { createManualClock, type ManualClock } from '../../src/testing/manual-clock.ts';
import { simulatedSlots } from '../simulated-truth.ts';

// The example catalog of a fictional school on Pacific time, run through the simulator (real HTTP,
// the real 25Live clients) on a manual Los Angeles clock: its midnight and its DST changes, not New York's.
const CATALOG_FILE = 'catalogs/pacific-example.json';
const catalog = loadCatalog(CATALOG_FILE);
const LA = 'America/Los_Angeles';
const SEED = 11;

type Mode = 'per-room' | 'batched';

/** The oracle's slots of every room on `date`, from what the mode's view lists. */
const truth = (date: string, mode: Mode) =>
  Object.fromEntries(catalog.classrooms.map((room) => [String(room.spaceId), simulatedSlots(catalog, room.spaceId, date, SEED, mode === 'per-room' ? 'availability' : 'reservations')]));

describe.each<Mode>(['per-room', 'batched'])('the service on the Pacific example catalog (%s)', (mode) => {
  let simulator: TwentyFiveLiveSimulator;
  const stops: Array<() => Promise<void> | void> = [];
  beforeAll(async () => {
    simulator = await startTwentyFiveLiveSimulator({ catalog, seed: SEED });
  });
  afterAll(() => simulator.close());
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  function start(clock: ManualClock) {
    const config = loadConfig({ CATALOG_FILE, API_URL: simulator.url, UPSTREAM_MODE: mode, UPSTREAM_RETRIES: '0' });
    const upstream = upstreamOf(config, catalog);
    const source = createSource(config, catalog, upstream);
    const store = createFakeStore(() => clock.epochMs);
    const service = createClassroomService({ store, leases: store, backoffs: store, source, sourceId: upstream.sourceId, clock, catalog, policy: policyOf(config) });
    stops.push(
      () => service.stop(),
      () => source.close(),
    );
    simulator.resetCounters();
    return service;
  }
  const slotsOf = (body: { buildings: Record<string, { classrooms: Array<{ id: string; availability: unknown }> }> }) =>
    Object.fromEntries(Object.values(body.buildings).flatMap((b) => b.classrooms.map((room) => [room.id, room.availability])));
  const requestsPerRefresh = mode === 'batched' ? 1 : catalog.classrooms.length;

  it("reads the catalog: its school, its zone, its buildings' hours, and capacity and features on the rooms that have them", async () => {
    expect(catalog.timeZone).toBe(LA);
    const service = start(createManualClock('2026-12-02T12:00:00-08:00', LA));
    const body = await service.openClassrooms();
    expect(Object.keys(body.buildings).sort()).toEqual(['LIB', 'SCI']);
    for (const room of catalog.classrooms) {
      const served = body.buildings[room.building]!.classrooms.find((r) => r.id === String(room.spaceId));
      expect(served).toEqual({
        id: String(room.spaceId),
        name: room.name,
        availability: truth('2026-12-02', mode)[String(room.spaceId)],
        ...(room.capacity === undefined ? {} : { capacity: room.capacity }),
        ...(room.features ? { features: room.features } : {}),
      });
    }
    expect(simulator.requests).toBe(requestsPerRefresh);
  });

  it('at 22:00 in Los Angeles (01:00 tomorrow in New York) it is still today; after Los Angeles midnight the first request fetches the new day', async () => {
    const clock = createManualClock('2026-12-02T22:00:00-08:00', LA);
    const service = start(clock);
    const evening = await service.openClassrooms();
    expect(evening.last_updated).toBe('2026-12-02T22:00:00.000-08:00');
    expect(slotsOf(evening)).toEqual(truth('2026-12-02', mode));
    clock.set('2026-12-02T23:59:30-08:00');
    expect(slotsOf(await service.openClassrooms())).toEqual(truth('2026-12-02', mode));
    expect(simulator.requests).toBe(requestsPerRefresh);
    clock.set('2026-12-03T00:00:30-08:00');
    const morning = await service.openClassrooms();
    expect(morning.last_updated).toBe('2026-12-03T00:00:30.000-08:00');
    expect(slotsOf(morning)).toEqual(truth('2026-12-03', mode));
    expect(simulator.requests).toBe(2 * requestsPerRefresh);
    // The dates held run from the Los Angeles today.
    expect((await service.dates()).dates[0]).toBe('2026-12-03');
  });

  it('on the 25-hour day clocks go back (1 November 2026) and the 23-hour day they go forward (14 March 2027), the day ends at Los Angeles midnight', async () => {
    const clock = createManualClock('2026-11-01T00:30:00-07:00', LA);
    const service = start(clock);
    expect(slotsOf(await service.openClassrooms())).toEqual(truth('2026-11-01', mode));
    for (const moment of ['2026-11-01T01:30:00-07:00', '2026-11-01T01:30:00-08:00', '2026-11-01T23:59:00-08:00']) {
      clock.set(moment);
      const body = await service.openClassrooms();
      expect(body.last_updated?.slice(0, 10), moment).toBe('2026-11-01');
      expect(slotsOf(body), moment).toEqual(truth('2026-11-01', mode));
    }
    clock.set('2026-11-02T00:00:30-08:00');
    expect(slotsOf(await service.openClassrooms())).toEqual(truth('2026-11-02', mode));

    clock.set('2027-03-14T01:59:00-08:00');
    expect(slotsOf(await service.openClassrooms())).toEqual(truth('2027-03-14', mode));
    clock.set('2027-03-14T03:00:00-07:00'); // a minute later on the wall
    expect((await service.openClassrooms()).last_updated?.slice(0, 10)).toBe('2027-03-14');
    clock.set('2027-03-14T23:59:00-07:00');
    expect(slotsOf(await service.openClassrooms())).toEqual(truth('2027-03-14', mode));
    clock.set('2027-03-15T00:00:30-07:00');
    const next = await service.openClassrooms();
    expect(next.last_updated).toBe('2027-03-15T00:00:30.000-07:00');
    expect(slotsOf(next)).toEqual(truth('2027-03-15', mode));
  });

  it('REFRESH_AT runs on the Los Angeles clock: left alone overnight, it fetches the new day at 00:05 Pacific', async () => {
    const clock = createManualClock('2026-12-02T23:50:00-08:00', LA);
    const service = start(clock);
    await service.openClassrooms();
    service.start({ refreshAt: [5] });
    clock.set('2026-12-03T00:04:00-08:00'); // 03:04 in New York: a New York schedule would have run
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(simulator.requests).toBe(requestsPerRefresh);
    clock.set('2026-12-03T00:05:00-08:00');
    await vi.waitFor(() => expect(service.peek()?.last_updated).toBe('2026-12-03T00:05:00.000-08:00'));
    expect(slotsOf(service.peek()!)).toEqual(truth('2026-12-03', mode));
    expect(simulator.requests).toBe(2 * requestsPerRefresh);
  });

  it('free rooms filter by seats and features from the catalog', async () => {
    const service = start(createManualClock('2026-12-02T06:00:00-08:00', LA));
    const query = { at: '18:00', minCapacity: 30, features: ['Projector'] };
    const body = await service.freeRooms(query);
    const everyone = await service.freeRooms({ at: '18:00' });
    const expected = everyone.rooms.filter((room) => (room.capacity ?? 0) >= 30 && (room.features ?? []).includes('Projector'));
    expect(body.rooms).toEqual(expected);
    expect(body.rooms.length).toBeGreaterThan(0);
    expect(body.rooms.length).toBeLessThan(everyone.rooms.length);
  });
});
