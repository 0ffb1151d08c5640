import { describe, expect, it } from 'vitest';
import { remainingMinutes } from '../../src/domain/cooldown.ts';
import { NoDataError, UpstreamError } from '../../src/domain/errors.ts';
import type { ScheduleDay } from '../../src/domain/schedule.ts';
import { dayAfter, HOUR_MS, MINUTE_MS } from './oracles.ts';
import { catalog, flush, fullAvailability, roomView, ROOMS, setup, storedAvailability, storedSnapshot, TTLS, SOURCE } from './service-setup.ts';

const CAS_116 = 342;
const CGS_129 = 719;
const CGS_311 = 723;
const NOON_ISO = '2026-11-26T12:00:00.000-05:00';

/** What 25Live answers: today and tomorrow; CAS 116 has a class today, CGS 129 has `items: null`, the rest nothing; tomorrow all booked. */
function schedule(spaceId: number, date: string): ScheduleDay[] {
  const tomorrow = dayAfter(date);
  const today: ScheduleDay =
    spaceId === CAS_116
      ? {
          date,
          bookings: [
            { start: '12.000000', end: '13.000000', eventState: 99 },
            { start: '9.750000', end: '11.000000', eventState: 2 },
          ],
        }
      : spaceId === CGS_129
        ? { date, bookings: null }
        : { date, bookings: [] };
  return [today, { date: tomorrow, bookings: [{ start: '7.000000', end: '21.000000', eventState: 2 }] }];
}

const withSchedule = (options: Parameters<typeof setup>[0] = {}) => setup({ days: schedule, ...options });

describe('openClassrooms', () => {
  it('on a cold cache fetches each of the 77 rooms once for today, stores every day, and answers in catalog order', async () => {
    const { service, source, cache } = withSchedule();
    const result = await service.openClassrooms();

    expect(source.calls).toBe(ROOMS);
    expect(cache.writes).toBe(1);
    expect(Object.keys(storedAvailability(cache)!)).toHaveLength(ROOMS);
    expect(cache.raw.get('classrooms:last_refresh')?.value).toBe(NOON_ISO);
    expect(cache.raw.get('classrooms:source')?.value).toBe(SOURCE);
    expect(Object.keys(JSON.parse(cache.raw.get('classrooms:snapshot')!.value).days)).toEqual(['2026-11-26', '2026-11-27']);

    expect(result.last_updated).toBe(NOON_ISO);
    expect(result).not.toHaveProperty('date');
    expect(Object.keys(result.buildings)).toEqual(['CAS', 'CGS']);
    for (const code of ['CAS', 'CGS']) {
      expect(result.buildings[code]!.classrooms.map((room) => room.id)).toEqual(catalog.classrooms.filter((room) => room.building === code).map((room) => String(room.spaceId)));
    }
    expect(result.buildings.CAS!.classrooms[0]).toEqual({
      id: '342',
      name: '116',
      availability: [
        { start: '07:00:00', end: '09:44:00' },
        { start: '11:01:00', end: '23:00:00' },
      ],
    });
    expect(roomView(result, CGS_129)).toEqual({ id: '719', name: '129', availability: [{ start: '07:00:00', end: '21:30:00' }] });
  });

  it('answers a later day from the same fetch, with its date, and no extra request', async () => {
    const { service, source } = withSchedule();
    await service.openClassrooms();
    const tomorrow = await service.openClassrooms('2026-11-27');
    expect(source.calls).toBe(ROOMS);
    expect(tomorrow.date).toBe('2026-11-27');
    expect(roomView(tomorrow, CAS_116)!.availability).toEqual([{ start: '21:01:00', end: '23:00:00' }]);
    expect(await service.openClassrooms('2026-11-27')).toBe(tomorrow); // built once per snapshot and day
  });

  it('stores with an expiry of at most 24 h that ends by the next New York midnight', async () => {
    const { service, cache } = setup({ start: '2026-11-26T09:00:00-05:00' });
    await service.openClassrooms();
    expect(await cache.ttls()).toEqual({ availabilityMs: 15 * HOUR_MS, lastRefreshMs: 15 * HOUR_MS });
  });

  it('a room whose answer lacks the day asked for is unknown, never booked', async () => {
    const { service } = setup({ days: (spaceId, date) => (spaceId === CAS_116 ? [{ date: dayAfter(date), bookings: [] }] : [{ date, bookings: [] }]) });
    const result = await service.openClassrooms();
    expect(roomView(result, CAS_116)).toEqual({ id: '342', name: '116', availability: [], status: 'unknown' });
  });

  it('a day listed twice keeps the bookings of both copies', async () => {
    const { service } = setup({
      days: (_, date) => [
        { date, bookings: [] },
        { date, bookings: [{ start: '9', end: '10' }] },
      ],
    });
    expect(roomView(await service.openClassrooms(), CAS_116)!.availability).toEqual([
      { start: '07:00:00', end: '08:59:00' },
      { start: '10:01:00', end: '23:00:00' },
    ]);
  });

  it('100 concurrent cold requests send exactly 77 requests to the source', async () => {
    const { service, source, cache } = setup();
    source.delay(20);
    const results = await Promise.all(Array.from({ length: 100 }, () => service.openClassrooms()));
    expect(source.calls).toBe(ROOMS);
    expect(cache.writes).toBe(1);
    for (const result of results) expect(result).toBe(results[0]);
  });

  it('a warm cache answers without the source, all day', async () => {
    const { service, source, clock } = setup({ start: '2026-11-26T07:00:00-05:00' });
    const first = await service.openClassrooms();
    clock.advance(16 * HOUR_MS + 59 * MINUTE_MS); // 23:59
    expect(await service.openClassrooms()).toBe(first);
    expect(source.calls).toBe(ROOMS);
  });

  it('answers from a snapshot another instance stored today, in the old microsecond stamp format', async () => {
    const { service, source, cache } = setup();
    await cache.write(storedSnapshot('2026-11-26T07:13:32.811234-05:00'), TTLS);
    const result = await service.openClassrooms();
    expect(source.calls).toBe(0);
    expect(result.last_updated).toBe('2026-11-26T07:13:32.811234-05:00');
  });

  it('never serves data from another source, nor data the old system wrote with no source recorded', async () => {
    const { service, source, cache } = setup();
    await cache.write({ ...storedSnapshot('2026-11-26T07:00:00.000-05:00'), source: 'http://127.0.0.1:9999/simulator' }, TTLS);
    expect((await service.openClassrooms()).last_updated).toBe(NOON_ISO);
    expect(source.calls).toBe(ROOMS);

    const other = setup();
    other.cache.raw.set('classrooms:availability', { value: JSON.stringify(fullAvailability()), expiresAt: Infinity });
    other.cache.raw.set('classrooms:last_refresh', { value: '2026-11-26T07:00:00.000-05:00', expiresAt: Infinity });
    expect((await other.service.openClassrooms()).last_updated).toBe(NOON_ISO);
    expect(other.source.calls).toBe(ROOMS);
  });

  it('data fetched yesterday at 23:00 is fetched again the next morning (the old defect), even if the cache kept it 24 h', async () => {
    const { service, source, cache } = withSchedule({ start: '2026-11-26T08:00:00-05:00' });
    await cache.write(storedSnapshot('2026-11-25T23:00:00.811234-05:00'), TTLS);
    const result = await service.openClassrooms();
    expect(source.calls).toBe(ROOMS);
    expect(result.last_updated).toBe('2026-11-26T08:00:00.000-05:00');
    expect(roomView(result, CAS_116)!.availability).toHaveLength(2);
  });

  it('running across New York midnight, the first request of the new day fetches the new day', async () => {
    const { service, source, clock } = setup({ start: '2026-11-25T23:50:00-05:00' });
    await service.openClassrooms();
    await service.openClassrooms();
    expect(source.calls).toBe(ROOMS);
    clock.advance(20 * MINUTE_MS);
    const result = await service.openClassrooms();
    expect(source.calls).toBe(2 * ROOMS);
    expect(result.last_updated).toBe('2026-11-26T00:10:00.000-05:00');
  });

  it("running across midnight with the cache down, the remembered snapshot of yesterday is not served as today's", async () => {
    const { service, source, cache, clock } = setup({ start: '2026-11-25T23:50:00-05:00' });
    await service.openClassrooms();
    cache.setDown(true);
    clock.advance(20 * MINUTE_MS);
    const result = await service.openClassrooms();
    expect(source.calls).toBe(2 * ROOMS);
    expect(result.last_updated).toBe('2026-11-26T00:10:00.000-05:00');
    expect(result.stale).toBeUndefined();
  });

  it('a request after midnight does not get the answer of a fetch that started before midnight', async () => {
    const { service, source, clock } = setup({ start: '2026-11-25T23:59:59.900-05:00' });
    source.delay(40);
    const beforeMidnight = service.openClassrooms();
    await flush(10);
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
    const stored = storedAvailability(cache)!;
    expect(Object.keys(stored)).toHaveLength(ROOMS - 2);
    expect(stored).not.toHaveProperty('342');
    expect(JSON.parse(cache.raw.get('classrooms:snapshot')!.value).failedRooms).toEqual([CAS_116, CGS_311]);
    expect(events).toContainEqual(
      expect.objectContaining({ kind: 'fetched', failedRooms: [expect.objectContaining({ spaceId: CAS_116, reason: 'status' }), expect.objectContaining({ spaceId: CGS_311, reason: 'status' })] }),
    );
  });

  it('an incomplete snapshot is fetched again in the background after incompleteRetryMs; the request is not kept waiting', async () => {
    const { service, source, clock } = withSchedule({ policy: { incompleteRetryMs: 5 * MINUTE_MS } });
    source.fail([CAS_116]);
    const first = await service.openClassrooms();
    source.fail('none');
    clock.advance(5 * MINUTE_MS - 1);
    expect(await service.openClassrooms()).toBe(first);
    expect(source.calls).toBe(ROOMS);
    clock.advance(1);
    expect(await service.openClassrooms()).toBe(first); // served at once; the re-fetch runs behind it
    await flush();
    expect(source.calls).toBe(2 * ROOMS);
    expect(roomView(await service.openClassrooms(), CAS_116)!.availability).toEqual([
      { start: '07:00:00', end: '09:44:00' },
      { start: '11:01:00', end: '23:00:00' },
    ]);
    clock.advance(60 * MINUTE_MS);
    await service.openClassrooms();
    await flush();
    expect(source.calls).toBe(2 * ROOMS);
  });

  it('when every room fails it rejects with NoDataError and writes nothing; the backoff then holds 25Live off for a minute from the failure', async () => {
    const { service, source, cache, clock } = setup();
    source.fail('all');
    const error = await service.openClassrooms().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NoDataError);
    expect(cache.writes).toBe(0);
    expect(cache.raw.has('classrooms:availability')).toBe(false);
    expect(JSON.parse(cache.raw.get('classrooms:backoff')!.value).untilMs).toBe(clock.epochMs + 60_000);
    source.fail('none');
    await expect(service.openClassrooms()).rejects.toBeInstanceOf(NoDataError);
    expect(source.calls).toBe(ROOMS);
    clock.advance(60_000);
    await expect(service.openClassrooms()).resolves.toMatchObject({ last_updated: '2026-11-26T12:01:00.000-05:00' });
    expect(source.calls).toBe(2 * ROOMS);
  });

  it('a Retry-After from 25Live stops the fetch at once and holds every instance off for as long as it asked', async () => {
    const { service, source, cache, clock } = setup({ policy: { backoffMs: 1000 } });
    source.fail([CAS_116], { retryAfterMs: 3_600_000 });
    source.delay(5);
    await expect(service.openClassrooms()).rejects.toBeInstanceOf(NoDataError);
    expect(source.aborted).toBeGreaterThan(0);
    expect(JSON.parse(cache.raw.get('classrooms:backoff')!.value).untilMs).toBeGreaterThanOrEqual(clock.epochMs + 3_600_000);
    const calls = source.calls;
    clock.advance(10 * MINUTE_MS);
    await expect(service.openClassrooms()).rejects.toBeInstanceOf(NoDataError);
    expect(await service.refresh()).toMatchObject({ kind: 'backoff' });
    expect(source.calls).toBe(calls);
  });

  it("yesterday's data is never served as today's: when today's cannot be fetched it comes marked stale", async () => {
    const { service, source, cache } = setup();
    await cache.write(storedSnapshot('2026-11-25T20:00:00.000-05:00'), TTLS);
    source.fail('all');
    const answer = await service.openClassrooms();
    expect(answer.stale).toBe(true);
    expect(answer.last_updated).toBe('2026-11-25T20:00:00.000-05:00');
    expect(cache.raw.get('classrooms:last_refresh')?.value).toBe('2026-11-25T20:00:00.000-05:00');
  });

  it('with the cache down, a remembered snapshot still answers, without the source', async () => {
    const { service, source, cache } = setup();
    const first = await service.openClassrooms();
    cache.setDown(true);
    expect(await service.openClassrooms()).toBe(first);
    expect(source.calls).toBe(ROOMS);
  });

  it('with the cache down and nothing remembered, it fetches once for all concurrent callers and answers', async () => {
    const { service, source, cache, events } = withSchedule();
    cache.setDown(true);
    source.delay(20);
    const results = await Promise.all(Array.from({ length: 20 }, () => service.openClassrooms()));
    expect(source.calls).toBe(ROOMS);
    expect(cache.writes).toBe(0);
    expect(results[0]!.last_updated).toBe(NOON_ISO);
    expect(events.some((e) => e.kind === 'cache-write-failed')).toBe(true);
    await service.openClassrooms();
    expect(source.calls).toBe(ROOMS);
  });
});

describe('refresh', () => {
  it('ready → refreshed; within the cooldown → cooling with the remaining time; at 30 minutes → ready again', async () => {
    const { service, source, clock } = setup();
    expect(await service.refresh()).toEqual({ kind: 'refreshed', at: NOON_ISO });
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
    expect(source.calls).toBe(ROOMS);
  });

  it('a failed refresh starts the backoff: the next refresh answers at once without asking 25Live, until the backoff ends', async () => {
    const { service, source, cache, clock } = setup();
    source.fail('all');
    await expect(service.refresh()).rejects.toBeInstanceOf(UpstreamError);
    expect(cache.writes).toBe(0);
    source.fail('none');
    clock.advance(30_000);
    expect(await service.refresh()).toEqual({ kind: 'backoff', retryAfterMs: 30_000 });
    expect(source.calls).toBe(ROOMS);
    clock.advance(30_000);
    expect(await service.refresh()).toEqual({ kind: 'refreshed', at: '2026-11-26T12:01:00.000-05:00' });
  });

  it('force ignores the cooldown and the backoff', async () => {
    const { service, source, clock } = setup();
    await service.refresh();
    clock.advance(MINUTE_MS);
    expect(await service.refresh({ force: true })).toEqual({ kind: 'refreshed', at: '2026-11-26T12:01:00.000-05:00' });
    source.fail('all');
    await expect(service.refresh({ force: true })).rejects.toBeInstanceOf(UpstreamError);
    source.fail('none');
    expect((await service.refresh({ force: true })).kind).toBe('refreshed');
    expect(source.calls).toBe(4 * ROOMS);
  });

  it("a refresh replaces today's data", async () => {
    const { service, cache, clock } = setup();
    await service.openClassrooms();
    clock.advance(31 * MINUTE_MS);
    await service.refresh();
    expect(cache.raw.get('classrooms:last_refresh')?.value).toBe('2026-11-26T12:31:00.000-05:00');
    expect((await service.openClassrooms()).last_updated).toBe('2026-11-26T12:31:00.000-05:00');
  });
});

describe('the stored stamp', () => {
  it('cooldown: ready with nothing stored; cooling with the remaining time after a refresh', async () => {
    const { service, clock } = setup();
    expect(await service.cooldown()).toEqual({ kind: 'ready' });
    await service.refresh();
    clock.advance(17 * MINUTE_MS + 41_400);
    const cooldown = await service.cooldown();
    expect(cooldown).toEqual({ kind: 'cooling', remainingMs: 12 * MINUTE_MS + 18_600 });
    clock.advance(12 * MINUTE_MS + 18_600);
    expect(await service.cooldown()).toEqual({ kind: 'ready' });
  });

  it('cooldown rejects when the cache is down, never saying "no cooldown"', async () => {
    const { service, cache } = setup();
    await service.refresh();
    cache.setDown(true);
    await expect(service.cooldown()).rejects.toThrow();
  });

  it('a stamp from the future is not trusted: no cooldown, no future last_updated, and a refresh works', async () => {
    const { service, cache } = setup();
    await service.openClassrooms();
    cache.raw.set('classrooms:last_refresh', { value: '2026-11-27T12:00:00.000-05:00', expiresAt: Infinity });
    expect(await service.cooldown()).toEqual({ kind: 'ready' });
    expect(await service.lastUpdated()).toBeNull();
    expect(await service.refresh()).toEqual({ kind: 'refreshed', at: NOON_ISO });
  });

  it('lastUpdated: null when nothing is stored or the stamp is unreadable, else the stored stamp', async () => {
    const { service, cache } = setup();
    expect(await service.lastUpdated()).toBeNull();
    await cache.write(storedSnapshot('not a timestamp'), TTLS);
    expect(await service.lastUpdated()).toBeNull();
    await service.openClassrooms();
    expect(await service.lastUpdated()).toBe(NOON_ISO);
  });
});

describe('wakeUp', () => {
  it('fetches when last_refresh is missing or unreadable, and says so', async () => {
    const { service, source, cache } = setup();
    await cache.write(storedSnapshot('garbage'), TTLS);
    expect(await service.wakeUp()).toEqual({ kind: 'fetched', failedRooms: 0 });
    expect(source.calls).toBe(ROOMS);
    expect(cache.raw.get('classrooms:last_refresh')?.value).toBe(NOON_ISO);
  });

  it('fetches when last_refresh is yesterday in New York (even if it is today in UTC)', async () => {
    const { service, source, cache } = setup({ start: '2026-11-26T06:00:00-05:00' });
    await cache.write({ ...storedSnapshot('2026-11-26T04:30:00.000Z'), days: { '2026-11-25': fullAvailability() } }, TTLS); // 23:30 on the 25th in New York
    await service.wakeUp();
    expect(source.calls).toBe(ROOMS);
  });

  it("skips when today's data is there, even written just after midnight", async () => {
    const { service, source, cache } = setup({ start: '2026-11-26T23:59:00-05:00' });
    await cache.write(storedSnapshot('2026-11-26T00:00:00.000-05:00'), TTLS);
    expect(await service.wakeUp()).toEqual({ kind: 'fresh' });
    expect(source.calls).toBe(0);
  });

  it('reports a failed fetch rather than throwing, and that requests get nothing when nothing is kept', async () => {
    const { service, source } = setup();
    source.fail('all');
    expect(await service.wakeUp()).toMatchObject({ kind: 'failed', error: expect.any(UpstreamError), serving: 'nothing' });
    await expect(service.openClassrooms()).rejects.toThrow(NoDataError);
  });

  it("after a failed fetch, says that requests get yesterday's data, marked stale, when it is kept", async () => {
    const { service, source, cache } = setup();
    await cache.write(storedSnapshot('2026-11-25T12:00:00.000-05:00'), TTLS);
    source.fail('all');
    expect(await service.wakeUp()).toMatchObject({ kind: 'failed', error: expect.any(UpstreamError), serving: 'stale' });
    expect((await service.openClassrooms()).stale).toBe(true);
  });

  it('after a failed fetch, says that requests get the data fetched earlier today when only the last good copy is left', async () => {
    const { service, source, cache } = setup();
    await cache.write(storedSnapshot('2026-11-26T08:00:00.000-05:00'), TTLS);
    cache.raw.delete('classrooms:last_refresh'); // an operator's DEL: fetch afresh
    source.fail('all');
    expect(await service.wakeUp()).toMatchObject({ kind: 'failed', serving: 'today' });
    const body = await service.openClassrooms();
    expect([body.last_updated, body.stale]).toEqual(['2026-11-26T08:00:00.000-05:00', undefined]);
  });
});

describe('single flight across entry points', () => {
  it('a start-up wakeUp and requests arriving meanwhile share one fetch', async () => {
    const { service, source } = setup();
    source.delay(20);
    const [outcome, ...results] = await Promise.all([service.wakeUp(), service.openClassrooms(), service.openClassrooms()]);
    expect(outcome).toEqual({ kind: 'fetched', failedRooms: 0 });
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
