import { describe, expect, it } from 'vitest';
import catalogJson from '../../src/catalog/bu-catalog.json' with { type: 'json' };
import type { Catalog } from '../../src/domain/catalog.ts';
import { createClassroomService, type ServiceEvent, type ServicePolicy } from '../../src/domain/classroom-service.ts';
import { remainingMinutes } from '../../src/domain/cooldown.ts';
import { NoDataError, ServiceError } from '../../src/domain/errors.ts';
import type { ScheduleDay } from '../../src/domain/schedule.ts';
import type { Availability } from '../../src/domain/snapshot.ts';
import { createInMemoryCache } from '../fakes/in-memory-cache.ts';
import { createManualClock } from '../fakes/manual-clock.ts';
import { createStubScheduleSource } from '../fakes/stub-schedule-source.ts';
import { dayAfter, HOUR_MS, MINUTE_MS } from './oracles.ts';

const catalog: Catalog = catalogJson;
const ROOMS = 77;
const CAS_116 = 342;
const CGS_129 = 719;
const CGS_311 = 723;
const NOON = '2026-11-26T12:00:00-05:00';
const NOON_ISO = '2026-11-26T12:00:00.000-05:00';

/** What 25Live answers: a month of days from `date`; CAS 116 has a class today, CGS 129 has `items: null`, the rest nothing. */
function schedule(spaceId: number, date: string): ScheduleDay[] {
  const tomorrow = dayAfter(date);
  const today: ScheduleDay =
    spaceId === CAS_116
      ? { date, bookings: [{ start: '12.000000', end: '13.000000', eventState: 99 }, { start: '9.750000', end: '11.000000', eventState: 2 }] }
      : spaceId === CGS_129
        ? { date, bookings: null }
        : { date, bookings: [] };
  return [today, { date: tomorrow, bookings: [{ start: '7.000000', end: '21.000000', eventState: 2 }] }];
}

function setup(options: { start?: string; policy?: Partial<ServicePolicy> } = {}) {
  const clock = createManualClock(options.start ?? NOON);
  const cache = createInMemoryCache(() => clock.epochMs);
  const requested: Array<{ spaceId: number; date: string }> = [];
  const source = createStubScheduleSource((spaceId, date) => {
    requested.push({ spaceId, date });
    return schedule(spaceId, date);
  });
  const events: ServiceEvent[] = [];
  const service = createClassroomService({ cache, source, clock, catalog, policy: options.policy, onEvent: (event) => events.push(event) });
  return { clock, cache, source, service, requested, events };
}

/** Every room free all day, as if fetched on `date` by an instance (or the old system) that wrote straight to the cache. */
function fullAvailability(): Availability {
  return Object.fromEntries(
    catalog.classrooms.map((room) => [String(room.spaceId), [{ start: '07:00:00', end: room.building === 'CGS' ? '21:30:00' : '23:00:00' }]]),
  );
}

const storedAvailability = (cache: ReturnType<typeof createInMemoryCache>): Availability | null => {
  const entry = cache.raw.get('classrooms:availability');
  return entry ? (JSON.parse(entry.value) as Availability) : null;
};
const roomView = (result: Awaited<ReturnType<ReturnType<typeof setup>['service']['openClassrooms']>>, spaceId: number) =>
  Object.values(result.buildings)
    .flatMap((b) => b.classrooms)
    .find((room) => room.id === String(spaceId));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('openClassrooms', () => {
  it('on a cold cache fetches each of the 77 rooms once for today, stores, and answers in catalog order', async () => {
    const { service, source, cache, requested } = setup();
    const result = await service.openClassrooms();

    expect(source.calls).toBe(ROOMS);
    expect(requested.map((r) => r.spaceId).sort()).toEqual(catalog.classrooms.map((r) => r.spaceId).sort());
    expect(new Set(requested.map((r) => r.date))).toEqual(new Set(['2026-11-26']));
    expect(cache.writes).toBe(1);
    expect(Object.keys(storedAvailability(cache)!)).toHaveLength(ROOMS);
    expect(cache.raw.get('classrooms:last_refresh')?.value).toBe(NOON_ISO);

    expect(result.last_updated).toBe(NOON_ISO);
    expect(Object.keys(result.buildings)).toEqual(['CAS', 'CGS']);
    expect(result.buildings.CAS!.name).toBe('College of Arts & Sciences');
    for (const code of ['CAS', 'CGS']) {
      expect(result.buildings[code]!.code).toBe(code);
      expect(result.buildings[code]!.classrooms.map((room) => room.id)).toEqual(
        catalog.classrooms.filter((room) => room.building === code).map((room) => String(room.spaceId)),
      );
    }
    expect(result.buildings.CAS!.classrooms).toHaveLength(54);
    expect(result.buildings.CGS!.classrooms).toHaveLength(23);
    expect(result.buildings.CAS!.classrooms[0]).toEqual({
      id: '342',
      name: '116',
      availability: [
        { start: '07:00:00', end: '09:44:00' },
        { start: '11:01:00', end: '23:00:00' },
      ],
    });
    expect(roomView(result, CGS_129)).toEqual({ id: '719', name: '129', availability: [{ start: '07:00:00', end: '21:30:00' }] });
    expect(roomView(result, CGS_311)!.availability).toEqual([{ start: '07:00:00', end: '21:30:00' }]);
  });

  it('stores with an expiry of at most 24 h that ends by the next New York midnight', async () => {
    const { service, cache } = setup({ start: '2026-11-26T09:00:00-05:00' });
    await service.openClassrooms();
    const ttls = await cache.ttls();
    expect(ttls.availabilityMs).toBe(15 * HOUR_MS);
    expect(ttls.lastRefreshMs).toBe(15 * HOUR_MS);
  });

  it('a room whose day is missing from the answer has no free slots', async () => {
    const clock = createManualClock(NOON);
    const cache = createInMemoryCache(() => clock.epochMs);
    const source = createStubScheduleSource((spaceId, date) => (spaceId === CAS_116 ? [{ date: dayAfter(date), bookings: [] }] : [{ date, bookings: [] }]));
    const service = createClassroomService({ cache, source, clock, catalog });
    const result = await service.openClassrooms();
    expect(roomView(result, CAS_116)).toEqual({ id: '342', name: '116', availability: [] });
  });

  it('100 concurrent cold requests send exactly 77 requests to the source', async () => {
    const { service, source, cache } = setup();
    source.delay(20);
    const results = await Promise.all(Array.from({ length: 100 }, () => service.openClassrooms()));
    expect(source.calls).toBe(ROOMS);
    expect(cache.writes).toBe(1);
    for (const result of results) expect(result).toEqual(results[0]);
  });

  it('a warm cache answers without the source, all day', async () => {
    const { service, source, clock } = setup({ start: '2026-11-26T07:00:00-05:00' });
    const first = await service.openClassrooms();
    source.calls = 0;
    expect(await service.openClassrooms()).toEqual(first);
    clock.advance(16 * HOUR_MS + 59 * MINUTE_MS); // 23:59
    expect(await service.openClassrooms()).toEqual(first);
    expect(source.calls).toBe(0);
  });

  it('answers from data another instance (or the old system) stored today, in the old microsecond format', async () => {
    const { service, source, cache } = setup();
    await cache.write({ availability: fullAvailability(), fetchedAt: '2026-11-26T07:13:32.811234-05:00' }, { ttlMs: 24 * HOUR_MS, keepMs: 7 * 24 * 3_600_000 });
    const result = await service.openClassrooms();
    expect(source.calls).toBe(0);
    expect(result.last_updated).toBe('2026-11-26T07:13:32.811234-05:00');
  });

  it('data fetched yesterday at 23:00 is fetched again the next morning (the old defect), even if the cache kept it 24 h', async () => {
    const { service, source, cache, clock, requested } = setup({ start: '2026-11-26T08:00:00-05:00' });
    await cache.write({ availability: fullAvailability(), fetchedAt: '2026-11-25T23:00:00.811234-05:00' }, { ttlMs: 24 * HOUR_MS, keepMs: 7 * 24 * 3_600_000 });
    const result = await service.openClassrooms();
    expect(source.calls).toBe(ROOMS);
    expect(new Set(requested.map((r) => r.date))).toEqual(new Set(['2026-11-26']));
    expect(result.last_updated).toBe('2026-11-26T08:00:00.000-05:00');
    expect(roomView(result, CAS_116)!.availability).toHaveLength(2);
    expect(clock.now().date).toBe('2026-11-26');
  });

  it('data this service fetched yesterday at 23:00 is fetched again the next morning', async () => {
    const { service, source, clock, requested } = setup({ start: '2026-11-25T23:00:00-05:00' });
    await service.openClassrooms();
    clock.set('2026-11-26T08:00:00-05:00');
    const result = await service.openClassrooms();
    expect(source.calls).toBe(2 * ROOMS);
    expect(requested.slice(ROOMS).every((r) => r.date === '2026-11-26')).toBe(true);
    expect(result.last_updated).toBe('2026-11-26T08:00:00.000-05:00');
  });

  it('running across New York midnight, the first request of the new day fetches the new day', async () => {
    const { service, source, clock, requested } = setup({ start: '2026-11-25T23:50:00-05:00' });
    await service.openClassrooms();
    await service.openClassrooms();
    expect(source.calls).toBe(ROOMS);
    clock.advance(20 * MINUTE_MS);
    const result = await service.openClassrooms();
    expect(source.calls).toBe(2 * ROOMS);
    expect(requested.slice(ROOMS).every((r) => r.date === '2026-11-26')).toBe(true);
    expect(result.last_updated).toBe('2026-11-26T00:10:00.000-05:00');
  });

  it('running across midnight with the cache down, the remembered snapshot of yesterday is not served', async () => {
    const { service, source, cache, clock } = setup({ start: '2026-11-25T23:50:00-05:00' });
    await service.openClassrooms();
    cache.setDown(true);
    clock.advance(20 * MINUTE_MS);
    const result = await service.openClassrooms();
    expect(source.calls).toBe(2 * ROOMS);
    expect(result.last_updated).toBe('2026-11-26T00:10:00.000-05:00');
  });

  it('a request after midnight does not get the answer of a fetch that started before midnight', async () => {
    const { service, source, clock } = setup({ start: '2026-11-25T23:59:59.900-05:00' });
    source.delay(40);
    const beforeMidnight = service.openClassrooms();
    await sleep(10); // that fetch is in flight, stamped 23:59:59.900 on the 25th
    clock.set('2026-11-26T00:00:00.100-05:00');
    const afterMidnight = await service.openClassrooms();
    await beforeMidnight;
    expect(afterMidnight.last_updated?.slice(0, 10)).toBe('2026-11-26');
  });

  it('rooms that failed are "unknown", not booked, and are not stored', async () => {
    const { service, source, cache, events } = setup();
    source.fail([CAS_116, CGS_311]);
    const result = await service.openClassrooms();
    expect(roomView(result, CAS_116)).toEqual({ id: '342', name: '116', availability: [], status: 'unknown' });
    expect(roomView(result, CGS_311)).toEqual({ id: '723', name: '311', availability: [], status: 'unknown' });
    expect(roomView(result, CGS_129)).toEqual({ id: '719', name: '129', availability: [{ start: '07:00:00', end: '21:30:00' }] });
    const unknown = Object.values(result.buildings).flatMap((b) => b.classrooms).filter((room) => room.status !== undefined);
    expect(unknown.map((room) => room.id)).toEqual(['342', '723']);
    const stored = storedAvailability(cache)!;
    expect(Object.keys(stored)).toHaveLength(ROOMS - 2);
    expect(stored).not.toHaveProperty('342');
    expect(stored).not.toHaveProperty('723');
    expect(stored['719']).toEqual([{ start: '07:00:00', end: '21:30:00' }]);
    expect(events).toContainEqual(
      expect.objectContaining({
        kind: 'fetched',
        failedRooms: [expect.objectContaining({ spaceId: CAS_116, reason: 'status' }), expect.objectContaining({ spaceId: CGS_311, reason: 'status' })],
      }),
    );
  });

  it('an incomplete snapshot is fetched again after incompleteRetryMs, and a complete one is then kept', async () => {
    const { service, source, clock } = setup({ policy: { incompleteRetryMs: 5 * MINUTE_MS } });
    source.fail([CAS_116]);
    await service.openClassrooms();
    source.fail('none');
    source.calls = 0;
    clock.advance(5 * MINUTE_MS - 1);
    expect(roomView(await service.openClassrooms(), CAS_116)!.status).toBe('unknown');
    expect(source.calls).toBe(0);
    clock.advance(1);
    const result = await service.openClassrooms();
    expect(source.calls).toBe(ROOMS);
    expect(roomView(result, CAS_116)).toEqual({ id: '342', name: '116', availability: [{ start: '07:00:00', end: '09:44:00' }, { start: '11:01:00', end: '23:00:00' }] });
    clock.advance(60 * MINUTE_MS);
    await service.openClassrooms();
    expect(source.calls).toBe(ROOMS);
  });

  it('when the retry of an incomplete snapshot fails entirely, today\'s partial data is still served', async () => {
    const { service, source, clock } = setup();
    source.fail([CAS_116]);
    await service.openClassrooms();
    clock.advance(10 * MINUTE_MS);
    source.fail('all');
    const result = await service.openClassrooms();
    expect(result.last_updated).toBe(NOON_ISO);
    expect(roomView(result, CGS_129)!.availability).toEqual([{ start: '07:00:00', end: '21:30:00' }]);
  });

  it('when every room fails it rejects with NoDataError and writes nothing; a call after the retry pause tries again', async () => {
    const { service, source, cache, clock } = setup();
    source.fail('all');
    const error = await service.openClassrooms().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NoDataError);
    expect((error as NoDataError).code).toBe('NO_DATA');
    expect(cache.writes).toBe(0);
    expect(cache.raw.size).toBe(0);
    source.fail('none');
    await expect(service.openClassrooms()).rejects.toBeInstanceOf(NoDataError);
    expect(source.calls).toBe(ROOMS);
    clock.advance(60_000);
    await expect(service.openClassrooms()).resolves.toMatchObject({ last_updated: '2026-11-26T12:01:00.000-05:00' });
    expect(source.calls).toBe(2 * ROOMS);
  });

  it('yesterday\'s data is never served as today\'s: when today\'s cannot be fetched it comes marked stale', async () => {
    const { service, source, cache } = setup();
    await cache.write({ availability: fullAvailability(), fetchedAt: '2026-11-25T20:00:00.000-05:00' }, { ttlMs: 24 * HOUR_MS, keepMs: 7 * 24 * 3_600_000 });
    source.fail('all');
    const answer = await service.openClassrooms();
    expect(answer.stale).toBe(true);
    expect(answer.last_updated).toBe('2026-11-25T20:00:00.000-05:00');
    expect(cache.raw.get('classrooms:last_refresh')?.value).toBe('2026-11-25T20:00:00.000-05:00');
  });

  it('with nothing cached at all and 25Live down, it rejects with NoDataError and stores nothing', async () => {
    const { service, source, cache } = setup();
    source.fail('all');
    await expect(service.openClassrooms()).rejects.toBeInstanceOf(NoDataError);
    expect(cache.writes).toBe(0);
  });

  it('with the cache down, a remembered snapshot still answers, without the source', async () => {
    const { service, source, cache } = setup();
    const first = await service.openClassrooms();
    cache.setDown(true);
    source.calls = 0;
    expect(await service.openClassrooms()).toEqual(first);
    expect(source.calls).toBe(0);
  });

  it('with the cache down and nothing remembered, it fetches once for all concurrent callers and answers', async () => {
    const { service, source, cache, events } = setup();
    cache.setDown(true);
    source.delay(20);
    const results = await Promise.all(Array.from({ length: 20 }, () => service.openClassrooms()));
    expect(source.calls).toBe(ROOMS);
    expect(cache.writes).toBe(0);
    expect(results[0]!.last_updated).toBe(NOON_ISO);
    expect(roomView(results[0]!, CAS_116)!.availability).toHaveLength(2);
    expect(events.some((e) => e.kind === 'cache-write-failed')).toBe(true);
    await service.openClassrooms();
    expect(source.calls).toBe(ROOMS);
  });
});

describe('refresh', () => {
  it('ready → refreshed; within the cooldown → cooling with the remaining time; at 30 minutes → ready again', async () => {
    const { service, source, clock } = setup();
    expect(await service.refresh()).toEqual({ kind: 'refreshed', at: NOON_ISO });
    expect(source.calls).toBe(ROOMS);
    clock.advance(10 * MINUTE_MS);
    expect(await service.refresh()).toEqual({ kind: 'cooling', remainingMs: 20 * MINUTE_MS });
    expect(source.calls).toBe(ROOMS);
    clock.advance(20 * MINUTE_MS);
    expect(await service.refresh()).toEqual({ kind: 'refreshed', at: '2026-11-26T12:30:00.000-05:00' });
    expect(source.calls).toBe(2 * ROOMS);
  });

  it('the cooldown also runs from a fetch made by a request', async () => {
    const { service, clock } = setup();
    await service.openClassrooms();
    clock.advance(17 * MINUTE_MS + 41_400);
    const outcome = await service.refresh();
    expect(outcome).toEqual({ kind: 'cooling', remainingMs: 12 * MINUTE_MS + 18_600 });
    expect(remainingMinutes((outcome as { remainingMs: number }).remainingMs, 1)).toBe(12.3);
  });

  it('two simultaneous refreshes: one refreshes, the other is told to cool down, 77 source calls', async () => {
    const { service, source } = setup();
    source.delay(20);
    const outcomes = await Promise.all([service.refresh(), service.refresh()]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['cooling', 'refreshed']);
    const cooling = outcomes.find((o) => o.kind === 'cooling') as { remainingMs: number };
    expect(cooling.remainingMs).toBeGreaterThan(0);
    expect(cooling.remainingMs).toBeLessThanOrEqual(30 * MINUTE_MS);
    expect(source.calls).toBe(ROOMS);
  });

  it('a failed refresh releases its claim, so a retry right away works', async () => {
    const { service, source, cache } = setup();
    source.fail('all');
    await expect(service.refresh()).rejects.toBeInstanceOf(ServiceError);
    expect(cache.writes).toBe(0);
    source.fail('none');
    expect(await service.refresh()).toEqual({ kind: 'refreshed', at: NOON_ISO });
  });

  it('force ignores the cooldown', async () => {
    const { service, source, clock } = setup();
    await service.refresh();
    clock.advance(MINUTE_MS);
    expect(await service.refresh({ force: true })).toEqual({ kind: 'refreshed', at: '2026-11-26T12:01:00.000-05:00' });
    expect(source.calls).toBe(2 * ROOMS);
  });

  it('a refresh replaces today\'s data', async () => {
    const { service, cache, clock } = setup();
    await service.openClassrooms();
    clock.advance(31 * MINUTE_MS);
    await service.refresh();
    expect(cache.raw.get('classrooms:last_refresh')?.value).toBe('2026-11-26T12:31:00.000-05:00');
    expect((await service.openClassrooms()).last_updated).toBe('2026-11-26T12:31:00.000-05:00');
  });
});

describe('cooldown', () => {
  it('ready with nothing stored; cooling with the remaining time after a refresh', async () => {
    const { service, clock } = setup();
    expect(await service.cooldown()).toEqual({ kind: 'ready' });
    await service.refresh();
    clock.advance(17 * MINUTE_MS + 41_400);
    const cooldown = await service.cooldown();
    expect(cooldown).toEqual({ kind: 'cooling', remainingMs: 12 * MINUTE_MS + 18_600 });
    expect(remainingMinutes((cooldown as { remainingMs: number }).remainingMs, 2)).toBe(12.31);
    clock.advance(12 * MINUTE_MS + 18_600);
    expect(await service.cooldown()).toEqual({ kind: 'ready' });
  });

  it('rejects when the cache is down, never saying "no cooldown"', async () => {
    const { service, cache } = setup();
    await service.refresh();
    cache.setDown(true);
    await expect(service.cooldown()).rejects.toThrow();
  });
});

describe('lastUpdated', () => {
  it('null when nothing is stored or the stamp is unreadable, else the stored stamp', async () => {
    const { service, cache } = setup();
    expect(await service.lastUpdated()).toBeNull();
    await cache.write({ availability: fullAvailability(), fetchedAt: 'not a timestamp' }, { ttlMs: HOUR_MS, keepMs: 7 * 24 * 3_600_000 });
    expect(await service.lastUpdated()).toBeNull();
    await service.openClassrooms();
    expect(await service.lastUpdated()).toBe(NOON_ISO);
  });
});

describe('wakeUp', () => {
  it('fetches when last_refresh is missing', async () => {
    const { service, source, cache } = setup();
    await service.wakeUp();
    expect(source.calls).toBe(ROOMS);
    expect(cache.raw.get('classrooms:last_refresh')?.value).toBe(NOON_ISO);
  });

  it('fetches when last_refresh is unreadable', async () => {
    const { service, source, cache } = setup();
    await cache.write({ availability: fullAvailability(), fetchedAt: 'garbage' }, { ttlMs: 24 * HOUR_MS, keepMs: 7 * 24 * 3_600_000 });
    await service.wakeUp();
    expect(source.calls).toBe(ROOMS);
    expect(cache.raw.get('classrooms:last_refresh')?.value).toBe(NOON_ISO);
  });

  it('fetches when last_refresh is yesterday in New York (even if it is today in UTC)', async () => {
    const { service, source, cache } = setup({ start: '2026-11-26T06:00:00-05:00' });
    await cache.write({ availability: fullAvailability(), fetchedAt: '2026-11-26T04:30:00.000Z' }, { ttlMs: 24 * HOUR_MS, keepMs: 7 * 24 * 3_600_000 }); // 23:30 on the 25th in New York
    await service.wakeUp();
    expect(source.calls).toBe(ROOMS);
  });

  it('skips when today\'s data is there', async () => {
    const { service, source, cache } = setup();
    await cache.write({ availability: fullAvailability(), fetchedAt: '2026-11-26T06:00:00.123456-05:00' }, { ttlMs: 24 * HOUR_MS, keepMs: 7 * 24 * 3_600_000 });
    expect(await service.wakeUp()).toEqual({ kind: 'fresh' });
    expect(source.calls).toBe(0);
    expect(cache.writes).toBe(1);
  });

  it('skips when today\'s data was written just after New York midnight', async () => {
    const { service, source, cache } = setup({ start: '2026-11-26T23:59:00-05:00' });
    await cache.write({ availability: fullAvailability(), fetchedAt: '2026-11-26T00:00:00.000-05:00' }, { ttlMs: 24 * HOUR_MS, keepMs: 7 * 24 * 3_600_000 });
    await service.wakeUp();
    expect(source.calls).toBe(0);
  });
});

describe('single flight across entry points', () => {
  it('a start-up wakeUp and requests arriving meanwhile share one fetch', async () => {
    const { service, source } = setup();
    source.delay(20);
    const [freshness, ...results] = await Promise.all([service.wakeUp(), service.openClassrooms(), service.openClassrooms()]);
    expect(freshness).toEqual({ kind: 'stale', reason: 'missing' });
    expect(source.calls).toBe(ROOMS);
    expect(results[0]!.last_updated).toBe(NOON_ISO);
  });

  it('a refresh during a cold request joins its fetch', async () => {
    const { service, source } = setup();
    source.delay(20);
    const [result, outcome] = await Promise.all([service.openClassrooms(), service.refresh()]);
    expect(source.calls).toBe(ROOMS);
    expect(outcome).toEqual({ kind: 'refreshed', at: NOON_ISO });
    expect(result.last_updated).toBe(NOON_ISO);
  });
});
