import { describe, expect, it } from 'vitest';
import { BU_CATALOG } from '../../src/app/catalog.ts';
import { createClassroomService, type ServicePolicy } from '../../src/domain/classroom-service.ts';
import { NoDataError } from '../../src/domain/errors.ts';
import type { OpenClassrooms } from '../../src/domain/organise.ts';
import { createInMemoryCache } from '../fakes/in-memory-cache.ts';
import { createManualClock, type ManualClock } from '../fakes/manual-clock.ts';
import { createStubScheduleSource } from '../fakes/stub-schedule-source.ts';

const ROOMS = BU_CATALOG.classrooms.length;
const MINUTE = 60_000;

function instance(clock: ManualClock, cache = createInMemoryCache(() => clock.epochMs), policy: Partial<ServicePolicy> = {}) {
  const source = createStubScheduleSource();
  const service = createClassroomService({ cache, source, clock, catalog: BU_CATALOG, policy });
  return { cache, source, service };
}

const rooms = (body: OpenClassrooms) => Object.values(body.buildings).flatMap((b) => b.classrooms);
const flush = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Moves the manual clock in steps until `promise` settles (bounded), as time would pass for real. */
async function advanceUntilSettled<T>(clock: ManualClock, promise: Promise<T>, stepMs: number, maxSteps = 2000): Promise<T> {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  for (let step = 0; step < maxSteps && !settled; step += 1) {
    await flush();
    clock.advance(stepMs);
  }
  return promise;
}

describe('fail-safe serving', () => {
  it('a day later with 25Live down serves the last good data marked stale, then today\'s once 25Live is back', async () => {
    const clock = createManualClock('2026-11-25T15:00:00-05:00');
    const { source, service, cache } = instance(clock);
    await service.openClassrooms();
    clock.set('2026-11-26T09:00:00-05:00');
    source.fail('all');
    const writes = cache.writes;
    const stale = await service.openClassrooms();
    expect(stale.stale).toBe(true);
    expect(stale.last_updated).toBe('2026-11-25T15:00:00.000-05:00');
    expect(cache.writes).toBe(writes);
    // The old keys expired at New York midnight; only the last good copy remains.
    expect(cache.raw.has('classrooms:availability')).toBe(false);
    expect(JSON.parse(cache.raw.get('classrooms:last_good')!.value).fetchedAt).toBe('2026-11-25T15:00:00.000-05:00');

    source.fail('none');
    clock.advance(61_000);
    const fresh = await service.openClassrooms();
    expect(fresh.stale).toBeUndefined();
    expect(fresh.last_updated).toBe('2026-11-26T09:01:01.000-05:00');
  });

  it('asks a failing 25Live again at most once a minute while serving stale data', async () => {
    const clock = createManualClock('2026-11-25T15:00:00-05:00');
    const { source, service } = instance(clock);
    await service.openClassrooms();
    clock.set('2026-11-26T09:00:00-05:00');
    source.fail('all');
    source.calls = 0;
    for (let second = 0; second < 59; second += 1) {
      expect((await service.openClassrooms()).stale).toBe(true);
      clock.advance(1000);
    }
    expect(source.calls).toBe(ROOMS);
    clock.advance(2000);
    await service.openClassrooms();
    expect(source.calls).toBe(2 * ROOMS);
  });

  it('the pause after a failed fetch belongs to its day: the first request after midnight asks 25Live at once', async () => {
    const clock = createManualClock('2026-11-25T23:59:50-05:00');
    const { source, service } = instance(clock);
    source.fail('all');
    await expect(service.openClassrooms()).rejects.toBeInstanceOf(NoDataError);
    source.fail('none');
    source.calls = 0;
    clock.set('2026-11-26T00:00:10-05:00'); // 20 s after the failure, well inside the minute's pause
    const body = await service.openClassrooms();
    expect(source.calls).toBe(ROOMS);
    expect(body.last_updated).toBe('2026-11-26T00:00:10.000-05:00');
  });

  it('a room that fails keeps today\'s earlier slots; a room never seen today is unknown, not booked', async () => {
    const clock = createManualClock();
    const { source, service, cache } = instance(clock);
    source.fail([342]);
    const first = await service.openClassrooms();
    expect(rooms(first).find((r) => r.id === '342')).toMatchObject({ status: 'unknown', availability: [] });
    expect(JSON.parse(cache.raw.get('classrooms:availability')!.value)).not.toHaveProperty('342');

    source.fail('none');
    clock.advance(5 * MINUTE);
    const second = await service.openClassrooms();
    expect(rooms(second).find((r) => r.id === '342')?.status).toBeUndefined();

    source.fail([342, 344]);
    await service.refresh({ force: true });
    const third = await service.openClassrooms();
    expect(rooms(third).find((r) => r.id === '342')).toEqual(rooms(second).find((r) => r.id === '342'));
    expect(rooms(third).every((r) => r.status === undefined)).toBe(true);
  });

  it('a room filled from earlier slots is fetched again after the incomplete-retry pause', async () => {
    const clock = createManualClock();
    const { source, service } = instance(clock);
    await service.openClassrooms();
    clock.advance(MINUTE);
    source.fail([342]);
    await service.refresh({ force: true });
    expect(rooms(await service.openClassrooms()).find((r) => r.id === '342')?.status).toBeUndefined();
    source.fail('none');
    source.calls = 0;
    clock.advance(4 * MINUTE);
    await service.openClassrooms();
    expect(source.calls).toBe(0);
    clock.advance(MINUTE + 1000);
    await service.openClassrooms();
    expect(source.calls).toBe(ROOMS);
  });

  it('answers from its own copy while the cache is down, without asking 25Live', async () => {
    const clock = createManualClock();
    const { source, service, cache } = instance(clock);
    const first = await service.openClassrooms();
    cache.setDown(true);
    clock.advance(10 * MINUTE);
    source.calls = 0;
    expect(await service.openClassrooms()).toBe(first);
    expect(source.calls).toBe(0);
    await expect(service.cooldown()).rejects.toThrow(/down/);
  });

  it('rooms not answered by the refresh deadline count as failed; the rest is served', async () => {
    const clock = createManualClock();
    const { source, service } = instance(clock, undefined, { refreshDeadlineMs: 10_000 });
    const hanging = new Set([342, 344]);
    const original = source.fetchRoomSchedule;
    source.fetchRoomSchedule = (spaceId, date) => (hanging.has(spaceId) ? new Promise(() => {}) : original(spaceId, date));
    const body = await advanceUntilSettled(clock, service.openClassrooms(), 1000);
    const unknown = rooms(body).filter((r) => r.status === 'unknown').map((r) => r.id);
    expect(unknown.sort()).toEqual(['342', '344']);
  });

  it('a request waits at most requestWaitMs for a slow fetch, then hears so; the fetch goes on for later callers', async () => {
    const clock = createManualClock();
    const { source, service } = instance(clock, undefined, { requestWaitMs: 15_000 });
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const original = source.fetchRoomSchedule;
    source.fetchRoomSchedule = async (spaceId, date) => (await gate, original(spaceId, date));
    const waiting = service.openClassrooms();
    await flush();
    clock.advance(15_000);
    await expect(waiting).rejects.toThrow(/slow/);
    release();
    await flush();
    expect(rooms(await service.openClassrooms())).toHaveLength(ROOMS);
    expect(source.calls).toBe(ROOMS);
  });

  it('with nothing to serve and 25Live down, says so (NoDataError) and stores nothing', async () => {
    const clock = createManualClock();
    const { source, service, cache } = instance(clock);
    source.fail('all');
    await expect(service.openClassrooms()).rejects.toBeInstanceOf(NoDataError);
    expect(cache.raw.size).toBe(0);
  });
});

describe('many instances on one cache', () => {
  it('a cold stampede over three instances makes one upstream fetch between them', async () => {
    const clock = createManualClock();
    const first = instance(clock);
    const others = [instance(clock, first.cache.asAnotherInstance()), instance(clock, first.cache.asAnotherInstance())];
    const all = [first, ...others];
    all.forEach((i) => i.source.delay(30));
    const requests = Array.from({ length: 300 }, (_, n) => all[n % 3]!.service.openClassrooms());
    const bodies = await advanceUntilSettled(clock, Promise.all(requests), 100);
    expect(all.reduce((sum, i) => sum + i.source.calls, 0)).toBe(ROOMS);
    expect(new Set(bodies.map((b) => b.last_updated)).size).toBe(1);
  });

  it('takes over when the instance holding the fetch lease dies before storing anything', async () => {
    const clock = createManualClock();
    const survivor = instance(clock, undefined, { fetchLeaseMs: 30_000, requestWaitMs: 120_000 });
    const dead = survivor.cache.asAnotherInstance();
    expect(await dead.claim('fetch', 30_000)).toEqual({ kind: 'claimed' });
    const body = await advanceUntilSettled(clock, survivor.service.openClassrooms(), 1000);
    expect(survivor.source.calls).toBe(ROOMS);
    expect(clock.epochMs - Date.parse('2026-11-26T12:00:00-05:00')).toBeGreaterThanOrEqual(30_000);
    expect(rooms(body)).toHaveLength(ROOMS);
  });

  it('refresh is atomic across instances: simultaneous calls give one refresh', async () => {
    const clock = createManualClock();
    const first = instance(clock);
    const second = instance(clock, first.cache.asAnotherInstance());
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, n) => (n % 2 ? first : second).service.refresh()));
    expect(outcomes.filter((o) => o.kind === 'refreshed')).toHaveLength(1);
    expect(first.source.calls + second.source.calls).toBe(ROOMS);
  });

  it('a refresh waiting on another instance\'s fetch takes only a snapshot stored after it began, never the one already there', async () => {
    const clock = createManualClock();
    const first = instance(clock);
    const second = instance(clock, first.cache.asAnotherInstance());
    const before = await first.service.openClassrooms();
    clock.advance(31 * MINUTE);
    const holder = first.cache.asAnotherInstance();
    expect(await holder.claim('fetch', 30_000)).toEqual({ kind: 'claimed' }); // someone else is fetching
    const refreshing = second.service.refresh();
    await advanceUntilSettled(clock, new Promise((resolve) => setTimeout(resolve, 50)), 100, 5);
    expect(second.source.calls).toBe(0); // still waiting: the fresh snapshot already there does not count
    await holder.release('fetch');
    const outcome = await advanceUntilSettled(clock, refreshing, 100);
    expect(outcome.kind).toBe('refreshed');
    expect(outcome).not.toMatchObject({ at: before.last_updated });
    expect(second.source.calls).toBe(ROOMS);
  });

  it('after an operator deletes the two keys, the cooldown is over for both the status and a refresh', async () => {
    const clock = createManualClock();
    const { service, cache, source } = instance(clock);
    expect(await service.refresh()).toMatchObject({ kind: 'refreshed' });
    expect((await service.cooldown()).kind).toBe('cooling');
    expect((await service.refresh()).kind).toBe('cooling');
    cache.raw.delete('classrooms:availability'); // redis-cli DEL classrooms:availability classrooms:last_refresh
    cache.raw.delete('classrooms:last_refresh');
    expect(await service.cooldown()).toEqual({ kind: 'ready' });
    expect(await service.refresh()).toMatchObject({ kind: 'refreshed' });
    expect(source.calls).toBe(2 * ROOMS);
  });

  it('the hot path never waits on the cache: a due re-check runs in the background while the held answer is served', async () => {
    const clock = createManualClock();
    const first = instance(clock);
    const second = instance(clock, first.cache.asAnotherInstance());
    const before = await second.service.openClassrooms();
    clock.advance(31 * 60_000);
    await first.service.refresh();
    let reads = 0;
    const read = second.cache.readStamp;
    second.cache.readStamp = () => (reads++, read());
    expect(second.service.peek()).toBe(before);
    expect(reads).toBe(1);
    await flush();
    const after = second.service.peek();
    expect(after).not.toBe(before);
    expect(after?.last_updated).toBe('2026-11-26T12:31:00.000-05:00');
    clock.set('2026-11-27T00:00:01-05:00');
    expect(second.service.peek()).toBeUndefined();
  });

  it('a slow background look never puts back a snapshot older than the one a refresh just stored', async () => {
    const clock = createManualClock();
    const { service, cache } = instance(clock);
    await service.openClassrooms();
    clock.advance(31 * MINUTE);
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const read = cache.readStamp;
    let reads = 0;
    cache.readStamp = async () => {
      const stamp = await read();
      if (reads++ === 0) await gate; // only the background look's read stalls
      return stamp;
    };
    service.peek(); // starts the look, which reads the 12:00 stamp and then stalls
    await flush();
    const refreshed = await service.refresh();
    release();
    await flush();
    expect(refreshed).toMatchObject({ kind: 'refreshed', at: '2026-11-26T12:31:00.000-05:00' });
    expect(service.peek()?.last_updated).toBe('2026-11-26T12:31:00.000-05:00');
  });

  it('an instance sees another\'s new snapshot within its re-check interval', async () => {
    const clock = createManualClock();
    const first = instance(clock);
    const second = instance(clock, first.cache.asAnotherInstance());
    const before = await second.service.openClassrooms();
    clock.advance(31 * MINUTE);
    await first.service.refresh();
    expect(await second.service.openClassrooms()).not.toBe(before);
    expect((await second.service.openClassrooms()).last_updated).toBe('2026-11-26T12:31:00.000-05:00');
  });
});
