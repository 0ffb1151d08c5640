import { describe, expect, it } from 'vitest';
import { NoDataError } from '../../src/domain/errors.ts';
import { createManualClock } from '../../src/testing/manual-clock.ts';
import { advanceUntilSettled, catalog, flush, instance, MINUTE, rooms, ROOMS, storedSnapshot, TTLS } from './service-setup.ts';

const NOON = '2026-11-26T12:00:00-05:00';

describe('fail-safe serving', () => {
  it("a day later with 25Live down serves the last good data marked stale, then today's once 25Live is back", async () => {
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
    expect(await cache.readHead()).toEqual({ stamp: null, source: null });
    expect(JSON.parse(cache.raw.get('classrooms:last_good')!.value).fetchedAt).toBe('2026-11-25T15:00:00.000-05:00');

    source.fail('none');
    clock.advance(61_000);
    expect(service.peek()).toBe(stale); // stale data is served at once; the fetch runs behind it
    await flush();
    const fresh = await service.openClassrooms();
    expect(fresh.stale).toBeUndefined();
    expect(fresh.last_updated).toBe('2026-11-26T09:01:01.000-05:00');
  });

  it('a fresh process with only the last good copy in the store serves it stale while 25Live is down', async () => {
    const clock = createManualClock(NOON);
    const first = instance(clock);
    await first.cache.write(storedSnapshot('2026-11-24T10:00:00.000-05:00'), { ...TTLS, ttlMs: 1 });
    clock.advance(1000);
    const { service, source } = instance(clock, { cache: first.cache.asAnotherInstance() });
    source.fail('all');
    const body = await service.openClassrooms();
    expect(body).toMatchObject({ stale: true, last_updated: '2026-11-24T10:00:00.000-05:00' });
    // Its free rooms say which day they are of: the copy's own, never today's.
    expect(await service.freeRooms({ at: '12:00' })).toMatchObject({ date: '2026-11-24', stale: true });
  });

  it('says the same thing in the wake-up and the failure event: with only the last good copy, what is served is stale', async () => {
    const clock = createManualClock(NOON);
    const first = instance(clock);
    await first.cache.write(storedSnapshot('2026-11-24T10:00:00.000-05:00'), { ...TTLS, ttlMs: 1 });
    clock.advance(1000);
    const { service, source, events } = instance(clock, { cache: first.cache.asAnotherInstance() });
    source.fail('all');
    expect(await service.wakeUp()).toMatchObject({ kind: 'failed', serving: 'stale' });
    await flush(5);
    expect(events.filter((e) => e.kind === 'fetch-failed')).toEqual([expect.objectContaining({ serving: 'stale' })]);
  });

  it('asks a failing 25Live again at most once a backoff, counted from the end of the failed fetch', async () => {
    const clock = createManualClock('2026-11-25T15:00:00-05:00');
    const { source, service, cache } = instance(clock);
    await service.openClassrooms();
    clock.set('2026-11-26T09:00:00-05:00');
    source.fail('all');
    source.delay(20);
    const failing = service.openClassrooms(); // the fetch takes 20 ms of real time; the clock moves 45 s meanwhile
    await flush(2);
    clock.advance(45_000);
    expect((await failing).stale).toBe(true); // answered at the soft timeout, while the fetch still fails
    await flush(40);
    const endedAt = clock.epochMs;
    expect(JSON.parse(cache.raw.get('classrooms:backoff')!.value).untilMs).toBe(endedAt + 60_000);
    for (let second = 0; second < 59; second += 1) {
      expect((await service.openClassrooms()).stale).toBe(true);
      clock.advance(1000);
    }
    await flush(30);
    expect(source.calls).toBe(2 * ROOMS);
    clock.advance(2000);
    await service.openClassrooms();
    await flush(30);
    expect(source.calls).toBe(3 * ROOMS);
  });

  it("a room that fails keeps today's earlier slots; a room never seen today is unknown, not booked", async () => {
    const clock = createManualClock(NOON);
    const { source, service, cache } = instance(clock);
    source.fail([342]);
    const first = await service.openClassrooms();
    expect(rooms(first).find((r) => r.id === '342')).toMatchObject({ status: 'unknown', availability: [] });
    expect(JSON.parse(cache.raw.get('classrooms:availability')!.value)).not.toHaveProperty('342');

    source.fail('none');
    await service.refresh({ force: true });
    const second = await service.openClassrooms();
    expect(rooms(second).find((r) => r.id === '342')?.status).toBeUndefined();

    source.fail([342, 344]);
    await service.refresh({ force: true });
    const third = await service.openClassrooms();
    expect(rooms(third).find((r) => r.id === '342')).toEqual(rooms(second).find((r) => r.id === '342'));
    expect(rooms(third).every((r) => r.status === undefined)).toBe(true);
  });

  it('answers from its own copy while the cache is down, without asking 25Live', async () => {
    const clock = createManualClock(NOON);
    const { source, service, cache } = instance(clock);
    const first = await service.openClassrooms();
    cache.setDown(true);
    clock.advance(10 * MINUTE);
    expect(await service.openClassrooms()).toBe(first);
    expect(source.calls).toBe(ROOMS);
    await expect(service.cooldown()).rejects.toThrow(/failed/);
  });

  it('rooms not answered by the hard timeout count as failed and are aborted; the rest is served', async () => {
    const clock = createManualClock(NOON);
    const { source, service } = instance(clock, { policy: { hardTimeoutMs: 10_000, softTimeoutMs: 60_000 } });
    source.hang([342, 344]);
    const body = await advanceUntilSettled(clock, service.openClassrooms(), 1000);
    expect(
      rooms(body)
        .filter((r) => r.status === 'unknown')
        .map((r) => r.id)
        .sort(),
    ).toEqual(['342', '344']);
    expect(source.aborted).toBe(2);
  });

  it('after the soft timeout a request gets the rooms answered so far; the fetch goes on and replaces them', async () => {
    const clock = createManualClock(NOON);
    const { source, service, cache } = instance(clock, { policy: { softTimeoutMs: 5_000, hardTimeoutMs: 60_000 } });
    source.hang([342]);
    const waiting = service.openClassrooms();
    await flush();
    clock.advance(5_000);
    const partial = await waiting;
    expect(
      rooms(partial)
        .filter((r) => r.status === 'unknown')
        .map((r) => r.id),
    ).toEqual(['342']);
    expect(cache.writes).toBe(0); // the answer so far is never stored
    expect(await service.openClassrooms()).toBe(partial); // held for the hot path meanwhile
    clock.advance(55_000); // the hard timeout ends the fetch
    await flush();
    expect(cache.writes).toBe(1);
    expect(JSON.parse(cache.raw.get('classrooms:snapshot')!.value).failedRooms).toEqual([342]);
  });

  it('with nothing to serve and 25Live slow, a request hears so after the soft timeout', async () => {
    const clock = createManualClock(NOON);
    const { source, service } = instance(clock, { policy: { softTimeoutMs: 5_000 } });
    source.hang(catalog.classrooms.map((room) => room.spaceId));
    const waiting = service.openClassrooms();
    await flush();
    clock.advance(5_000);
    await expect(waiting).rejects.toThrow(/slow/);
  });

  it('with nothing to serve and 25Live down, says so (NoDataError) and stores nothing', async () => {
    const clock = createManualClock(NOON);
    const { source, service, cache } = instance(clock);
    source.fail('all');
    await expect(service.openClassrooms()).rejects.toBeInstanceOf(NoDataError);
    expect([...cache.raw.keys()]).toEqual(['classrooms:backoff']);
  });

  it('one failed fetch, however many callers joined it, is reported once', async () => {
    const clock = createManualClock(NOON);
    const { source, service, events } = instance(clock, { policy: { softTimeoutMs: 50 } });
    source.fail('all');
    const callers = await Promise.allSettled(Array.from({ length: 5 }, () => service.openClassrooms()));
    expect(callers.every((c) => c.status === 'rejected')).toBe(true);
    expect(source.calls).toBe(ROOMS); // one fetch
    expect(events.filter((e) => e.kind === 'fetch-failed')).toHaveLength(1);
  });

  it('a store that refuses writes: the process serves its copy, offers it to the store again, and never re-fetches for that', async () => {
    const clock = createManualClock(NOON);
    const { source, service, cache, events } = instance(clock, { policy: { storeRetryMs: 5_000 } });
    cache.setRefusingWrites(true);
    service.start();
    const first = await service.openClassrooms();
    for (let second = 0; second < 10; second += 1) {
      clock.advance(1000);
      await flush(1);
      expect(await service.openClassrooms()).toBe(first);
    }
    expect(source.calls).toBe(ROOMS);
    cache.setRefusingWrites(false);
    for (let second = 0; second < 6; second += 1) {
      clock.advance(1000);
      await flush(1);
    }
    expect(cache.raw.get('classrooms:last_refresh')?.value).toBe(first.last_updated);
    expect(events.some((e) => e.kind === 'stored-late')).toBe(true);
    expect(source.calls).toBe(ROOMS);
    service.stop();
  });
});

describe('many instances on one store', () => {
  it('a cold stampede over three instances makes one upstream fetch between them', async () => {
    const clock = createManualClock(NOON);
    const first = instance(clock);
    const all = [first, instance(clock, { cache: first.cache.asAnotherInstance() }), instance(clock, { cache: first.cache.asAnotherInstance() })];
    for (const i of all) i.source.delay(30);
    const requests = Array.from({ length: 300 }, (_, n) => all[n % 3]!.service.openClassrooms());
    const bodies = await advanceUntilSettled(clock, Promise.all(requests), 100);
    expect(all.reduce((sum, i) => sum + i.source.calls, 0)).toBe(ROOMS);
    expect(new Set(bodies.map((b) => b.last_updated)).size).toBe(1);
  });

  it('a failed fetch holds off every instance for the backoff', async () => {
    const clock = createManualClock(NOON);
    const first = instance(clock);
    const second = instance(clock, { cache: first.cache.asAnotherInstance() });
    first.source.fail('all');
    await expect(first.service.openClassrooms()).rejects.toBeInstanceOf(NoDataError);
    clock.advance(30_000);
    await expect(second.service.openClassrooms()).rejects.toBeInstanceOf(NoDataError);
    expect(await second.service.refresh()).toEqual({ kind: 'backoff', retryAfterMs: 30_000 });
    expect(second.source.calls).toBe(0);
  });

  it('takes over when the instance holding the fetch lease dies before storing anything', async () => {
    const clock = createManualClock(NOON);
    const survivor = instance(clock, { policy: { leaseMs: 30_000, softTimeoutMs: 120_000 } });
    const dead = survivor.cache.asAnotherInstance();
    expect((await dead.acquire('fetch', 30_000)).kind).toBe('acquired');
    const body = await advanceUntilSettled(clock, survivor.service.openClassrooms(), 1000);
    expect(survivor.source.calls).toBe(ROOMS);
    expect(clock.epochMs - Date.parse(NOON)).toBeGreaterThanOrEqual(30_000);
    expect(rooms(body)).toHaveLength(ROOMS);
  });

  it('refresh is atomic across instances: simultaneous calls give one refresh', async () => {
    const clock = createManualClock(NOON);
    const first = instance(clock);
    const second = instance(clock, { cache: first.cache.asAnotherInstance() });
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, n) => (n % 2 ? first : second).service.refresh()));
    expect(outcomes.filter((o) => o.kind === 'refreshed')).toHaveLength(1);
    expect(first.source.calls + second.source.calls).toBe(ROOMS);
  });

  it("a refresh waiting on another instance's fetch takes only a snapshot stored after it began, never the one already there", async () => {
    const clock = createManualClock(NOON);
    const first = instance(clock);
    const second = instance(clock, { cache: first.cache.asAnotherInstance() });
    const before = await first.service.openClassrooms();
    clock.advance(31 * MINUTE);
    const holder = await first.cache.asAnotherInstance().acquire('fetch', 30_000); // someone else is fetching
    if (holder.kind !== 'acquired') return expect.unreachable();
    const refreshing = second.service.refresh();
    await advanceUntilSettled(clock, flush(50), 100, 5);
    expect(second.source.calls).toBe(0); // still waiting: the fresh snapshot already there does not count
    await holder.lease.release();
    const outcome = await advanceUntilSettled(clock, refreshing, 100);
    expect(outcome.kind).toBe('refreshed');
    expect(outcome).not.toMatchObject({ at: before.last_updated });
    expect(second.source.calls).toBe(ROOMS);
  });

  it('after an operator deletes the two keys, the cooldown is over; every instance fetches again within a second, once between them, with no request', async () => {
    const clock = createManualClock(NOON);
    const first = instance(clock);
    const second = instance(clock, { cache: first.cache.asAnotherInstance() });
    expect(await first.service.refresh()).toMatchObject({ kind: 'refreshed' });
    await second.service.openClassrooms();
    expect((await first.service.refresh()).kind).toBe('cooling');
    for (const i of [first, second]) i.service.start();
    clock.advance(5 * MINUTE);
    first.cache.raw.delete('classrooms:availability'); // redis-cli DEL classrooms:availability classrooms:last_refresh
    first.cache.raw.delete('classrooms:last_refresh');
    expect(await first.service.cooldown()).toEqual({ kind: 'ready' });
    clock.advance(1000);
    await flush(20);
    clock.advance(1000);
    await flush(20);
    expect(first.source.calls + second.source.calls).toBe(2 * ROOMS);
    const stamp = first.cache.raw.get('classrooms:last_refresh')?.value;
    expect(stamp).toBe('2026-11-26T12:05:01.000-05:00');
    expect(first.service.peek()?.last_updated).toBe(stamp);
    expect(second.service.peek()?.last_updated).toBe(stamp);
    for (const i of [first, second]) i.service.stop();
  });

  it("the hot path never does I/O: an instance adopts another's new snapshot on its timer, within a second, even after a quiet spell", async () => {
    const clock = createManualClock(NOON);
    const first = instance(clock);
    const second = instance(clock, { cache: first.cache.asAnotherInstance() });
    const before = await second.service.openClassrooms();
    second.service.start();
    clock.advance(31 * MINUTE);
    await flush();
    await first.service.refresh();
    let reads = 0;
    const readHead = second.cache.readHead;
    second.cache.readHead = () => {
      reads += 1;
      return readHead();
    };
    expect(second.service.peek()).toBe(before);
    expect(reads).toBe(0);
    clock.advance(1000);
    await flush();
    expect(reads).toBe(1);
    expect(second.service.peek()?.last_updated).toBe('2026-11-26T12:31:00.000-05:00');
    clock.set('2026-11-27T00:00:01-05:00');
    expect(second.service.peek()).toBeUndefined();
    second.service.stop();
  });

  it('a slow look never puts back a snapshot older than the one a refresh just stored', async () => {
    const clock = createManualClock(NOON);
    const first = instance(clock);
    const { service, cache } = instance(clock, { cache: first.cache.asAnotherInstance() });
    await first.service.openClassrooms();
    await service.openClassrooms(); // holds the 12:00 snapshot another instance stored
    clock.advance(31 * MINUTE);
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const read = cache.read;
    cache.read = async () => {
      const snapshot = await read();
      await gate; // the look stalls after reading
      return snapshot;
    };
    await first.service.refresh({ force: true }); // 12:31 stored by the other instance
    service.start();
    clock.advance(1000); // the timer's look reads 12:31 ... and stalls
    await flush();
    cache.read = read;
    clock.advance(60_000);
    const refreshed = await service.refresh({ force: true }); // 12:32:01, its own
    release();
    await flush();
    expect(refreshed).toMatchObject({ kind: 'refreshed', at: '2026-11-26T12:32:01.000-05:00' });
    expect(service.peek()?.last_updated).toBe('2026-11-26T12:32:01.000-05:00');
    service.stop();
  });
});
