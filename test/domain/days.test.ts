import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSchedule } from '../../src/adapters/twenty-five-live-simulator/index.ts';
import { parseAvailabilityBody } from '../../src/adapters/twenty-five-live-parser.ts';
import { buildingOf } from '../../src/domain/catalog.ts';
import { DateOutOfRangeError, NoDataError, UnknownBuildingError } from '../../src/domain/errors.ts';
import { freeRoomsAt } from '../../src/domain/free-rooms.ts';
import { compareRoomNames } from '../../src/domain/room-order.ts';
import type { Availability } from '../../src/domain/snapshot.ts';
import { createManualClock } from '../../src/testing/manual-clock.ts';
import { secondsOf } from './oracles.ts';
import { simulatedSlots } from '../simulated-truth.ts';
import { catalog, flush, instance, MINUTE, rooms, ROOMS, setup } from './service-setup.ts';

const SEED = 4;
/** What the simulator's 25Live answers for a room: 32 days from `from`, through the real parser. */
const simulated = (spaceId: number, from: string) => {
  const room = catalog.classrooms.find((r) => r.spaceId === spaceId)!;
  return parseAvailabilityBody(JSON.stringify(generateSchedule(room, buildingOf(catalog, room), from, SEED)), spaceId);
};

/** The slot rules from the oracle (not the code under test) on the simulator's own items for `date`. */
const truth = (date: string): Availability => Object.fromEntries(catalog.classrooms.map((room) => [String(room.spaceId), simulatedSlots(catalog, room.spaceId, date, SEED, 'availability')]));
const slotsOf = (body: Awaited<ReturnType<ReturnType<typeof setup>['service']['openClassrooms']>>) => Object.fromEntries(rooms(body).map((room) => [room.id, room.availability]));

describe('every date from one fetch', () => {
  it('tomorrow and 20 days ahead match the slot rules for those days, with no extra request to 25Live', async () => {
    const { service, source } = setup({ days: simulated });
    expect(slotsOf(await service.openClassrooms())).toEqual(truth('2026-11-26'));
    for (const date of ['2026-11-27', '2026-12-16']) {
      const body = await service.openClassrooms(date);
      expect(body.date).toBe(date);
      expect(body.stale).toBeUndefined();
      expect(slotsOf(body)).toEqual(truth(date));
    }
    expect(source.calls).toBe(ROOMS);
  });

  it('lists the dates that can be asked for, today first, and refuses others with a 400 naming the range', async () => {
    const { service } = setup({ days: simulated });
    const { dates, last_updated } = await service.dates();
    expect(dates[0]).toBe('2026-11-26');
    expect(dates).toHaveLength(32);
    expect(dates[31]).toBe('2026-12-27');
    expect(last_updated).toBe('2026-11-26T12:00:00.000-05:00');
    for (const [date, message] of [
      ['2026-11-25', 'No data for 2026-11-25: dates from 2026-11-26 to 2026-12-27 can be asked for'],
      ['2026-12-28', 'No data for 2026-12-28: dates from 2026-11-26 to 2026-12-27 can be asked for'],
      ['2026-02-30', 'date must be a real date written YYYY-MM-DD; dates from 2026-11-26 to 2026-12-27 can be asked for'],
      ['tomorrow', 'date must be a real date written YYYY-MM-DD; dates from 2026-11-26 to 2026-12-27 can be asked for'],
    ] as const) {
      const error = await service.openClassrooms(date).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DateOutOfRangeError);
      expect((error as Error).message).toBe(message);
      expect(() => service.peekDate(date)).toThrow(message);
    }
  });

  it("after New York midnight with 25Live down, today comes from the last fetch's copy of today, marked stale, never from yesterday's slots", async () => {
    const clock = createManualClock('2026-11-26T15:00:00-05:00');
    const { service, source } = instance(clock, { days: simulated });
    await service.openClassrooms();
    clock.set('2026-11-27T08:00:00-05:00');
    source.fail('all');
    const today = await service.openClassrooms();
    expect(today).toMatchObject({ stale: true, last_updated: '2026-11-26T15:00:00.000-05:00' });
    expect(slotsOf(today)).toEqual(truth('2026-11-27'));
    expect(slotsOf(today)).not.toEqual(truth('2026-11-26'));
    expect((await service.openClassrooms('2026-11-28')).stale).toBe(true);
    expect((await service.dates()).dates[0]).toBe('2026-11-27');
    await expect(service.openClassrooms('2026-11-26')).rejects.toBeInstanceOf(DateOutOfRangeError);
  });

  it('a date is answered with the same object while the snapshot is unchanged, from the hot path', async () => {
    const { service } = setup({ days: simulated });
    await service.openClassrooms();
    const body = service.peekDate('2026-12-01');
    expect(body).toBe(await service.openClassrooms('2026-12-01'));
    expect(service.peekDate('2026-12-01')).toBe(body);
    // However many different free-rooms questions come in between (each answer kept, but bounded).
    for (let minute = 0; minute < 3 * 24 * 60; minute += 1) {
      const at = `${String(Math.floor(minute / 60) % 24).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
      service.peekFreeRooms({ date: '2026-12-01', at, forMinutes: Math.floor(minute / 1440) });
    }
    expect(service.peekDate('2026-12-01')).toBe(body);
    expect(service.peek()).toBe(await service.openClassrooms());
  });

  it('with nothing to serve at all, a date is a 503 like today', async () => {
    const { service, source } = setup();
    source.fail('all');
    await expect(service.openClassrooms('2026-11-27')).rejects.toBeInstanceOf(NoDataError);
  });
});

describe('free rooms at any time', () => {
  it('lists the rooms free at a time for at least some minutes, from the slots, longest first', async () => {
    const { service } = setup({ days: simulated });
    await service.openClassrooms();
    for (const [date, at, forMinutes] of [
      ['2026-11-27', '10:15', 0],
      ['2026-12-02', '14:00', 60],
      ['2026-11-26', '07:00', 30],
      ['2026-11-26', '22:59', 0],
    ] as const) {
      const answer = await service.freeRooms({ date, at, forMinutes });
      const expected = Object.entries(truth(date)).flatMap(([id, slots]) => {
        const slot = slots.find((s) => secondsOf(s.start) <= secondsOf(`${at}:00`) && secondsOf(`${at}:00`) < secondsOf(s.end));
        const minutes = slot ? Math.floor((secondsOf(slot.end) - secondsOf(`${at}:00`)) / 60) : -1;
        return slot && minutes >= forMinutes ? [{ id, free_until: slot.end, minutes }] : [];
      });
      expect(answer).toMatchObject({ date, at, last_updated: '2026-11-26T12:00:00.000-05:00', stale: false });
      expect(answer.rooms.map(({ id, free_until, minutes }) => ({ id, free_until, minutes })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(expected.sort((a, b) => a.id.localeCompare(b.id)));
      expect(answer.rooms.map((r) => r.minutes)).toEqual([...answer.rooms.map((r) => r.minutes)].sort((a, b) => b - a));
    }
  });

  it('defaults to today, now on the campus clock, and 0 minutes; filters by building; refuses an unknown one', async () => {
    const clock = createManualClock('2026-11-26T13:37:42-05:00');
    const { service } = instance(clock, { days: simulated });
    const answer = await service.freeRooms();
    expect(answer).toMatchObject({ date: '2026-11-26', at: '13:37' });
    expect(answer).toBe(await service.freeRooms({}));
    const cgs = await service.freeRooms({ building: 'CGS' });
    expect(cgs.rooms.every((r) => r.building === 'CGS')).toBe(true);
    expect(cgs.rooms).toEqual(answer.rooms.filter((r) => r.building === 'CGS'));
    await expect(service.freeRooms({ building: 'XYZ' })).rejects.toBeInstanceOf(UnknownBuildingError);
    await expect(service.freeRooms({ date: '2027-01-05' })).rejects.toBeInstanceOf(DateOutOfRangeError);
  });

  const slot = fc.tuple(fc.integer({ min: 7 * 60, max: 22 * 60 }), fc.integer({ min: 1, max: 300 })).map(([start, length]) => [start, Math.min(start + length, 23 * 60)] as const);
  const hhmmss = (minutes: number, seconds = 0) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;

  it('a room is free at `at` exactly when one of its slots has start <= at < end, for the whole minutes left (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(slot, { maxLength: 4, selector: (s) => s[0] }), { minLength: ROOMS, maxLength: ROOMS }),
        fc.integer({ min: 6 * 60, max: 23 * 60 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 240 }),
        (perRoom, atMinute, endSeconds, forMinutes) => {
          const availability: Availability = Object.fromEntries(
            catalog.classrooms.map((room, i) => {
              // non-overlapping, as the slot rules make them
              const slots = [...perRoom[i]!].sort((a, b) => a[0] - b[0]).filter((s, j, all) => j === 0 || s[0] > all[j - 1]![1]);
              return [String(room.spaceId), slots.map(([s, e]) => ({ start: hhmmss(s), end: hhmmss(e, endSeconds) }))];
            }),
          );
          const at = hhmmss(atMinute).slice(0, 5);
          const listed = freeRoomsAt(catalog, availability, at, forMinutes);
          for (const room of catalog.classrooms) {
            const inside = availability[String(room.spaceId)]!.find((s) => s.start <= `${at}:00` && `${at}:00` < s.end);
            const minutes = inside ? Math.floor((secondsOf(inside.end) - secondsOf(`${at}:00`)) / 60) : -1;
            const entry = listed.find((r) => r.id === String(room.spaceId));
            expect(entry ? { free_until: entry.free_until, minutes: entry.minutes } : null).toEqual(inside && minutes >= forMinutes ? { free_until: inside.end, minutes } : null);
          }
          for (let i = 1; i < listed.length; i += 1) expect(listed[i - 1]!.minutes).toBeGreaterThanOrEqual(listed[i]!.minutes);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('natural room order', () => {
  it('letters first, then by number, a bare number before its lettered variants', () => {
    const names = ['116', '114B', 'Tsai', '114', 'B12', '114A', 'B06A', '323B', '323', '2', 'B06B', '10'];
    expect([...names].sort(compareRoomNames)).toEqual(['B06A', 'B06B', 'B12', 'Tsai', '2', '10', '114', '114A', '114B', '116', '323', '323B']);
  });

  it('is a total order: antisymmetric and transitive (fast-check)', () => {
    const name = fc.oneof(fc.stringMatching(/^[A-Z]?\d{1,3}[A-Z]?$/), fc.constantFrom('Tsai', 'B06A', '114', '114A'));
    fc.assert(
      fc.property(name, name, name, (a, b, c) => {
        expect(Math.sign(compareRoomNames(a, b)) + Math.sign(compareRoomNames(b, a))).toBe(0);
        if (compareRoomNames(a, b) <= 0 && compareRoomNames(b, c) <= 0) expect(compareRoomNames(a, c)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('refreshes nobody waits for (REFRESH_AT)', () => {
  it('a service left running refreshes after New York midnight with no request, and the first student gets the new day at once', async () => {
    const clock = createManualClock('2026-11-26T23:50:00-05:00');
    const { service, source } = instance(clock, { days: simulated });
    await service.openClassrooms();
    service.start({ refreshAt: [5] });
    clock.set('2026-11-27T00:05:00-05:00');
    await flush(20);
    expect(source.calls).toBe(2 * ROOMS);
    const body = service.peek();
    expect(body?.last_updated).toBe('2026-11-27T00:05:00.000-05:00');
    expect(slotsOf(body!)).toEqual(truth('2026-11-27'));
    service.stop();
  });

  it('a scheduled refresh that fails is tried again when the backoff ends, not before, with no request', async () => {
    const clock = createManualClock('2026-11-26T23:50:00-05:00');
    const { service, source } = instance(clock, { days: simulated });
    await service.openClassrooms();
    service.start({ refreshAt: [5] });
    source.fail('all');
    clock.set('2026-11-27T00:05:00-05:00');
    await flush(20);
    const afterFailure = source.calls;
    expect(afterFailure).toBeGreaterThan(ROOMS); // the scheduled try went out, and failed
    for (let second = 0; second < 55; second += 5) {
      clock.advance(5_000);
      await flush(5);
    }
    expect(source.calls).toBe(afterFailure); // nothing during the fleet's backoff (60 s)
    source.fail('none');
    clock.advance(6_000);
    await flush(20);
    expect(source.calls).toBe(afterFailure + ROOMS);
    const body = service.peek();
    expect(body?.last_updated).toBe('2026-11-27T00:06:01.000-05:00');
    expect(slotsOf(body!)).toEqual(truth('2026-11-27'));
    service.stop();
  });

  it('with several instances, one runs each scheduled refresh and the others take its snapshot', async () => {
    const clock = createManualClock('2026-11-26T11:59:00-05:00');
    const first = instance(clock, { days: simulated });
    const all = [first, instance(clock, { cache: first.cache.asAnotherInstance(), days: simulated }), instance(clock, { cache: first.cache.asAnotherInstance(), days: simulated })];
    await first.service.openClassrooms();
    for (const i of all) i.service.start({ refreshAt: [720] });
    clock.set('2026-11-26T12:00:00-05:00');
    for (let step = 0; step < 10; step += 1) {
      await flush(5);
      clock.advance(100);
    }
    expect(all.reduce((sum, i) => sum + i.source.calls, 0)).toBe(2 * ROOMS);
    for (const i of all) expect(i.service.peek()?.last_updated).toBe('2026-11-26T12:00:00.000-05:00');
    clock.advance(10 * MINUTE);
    await flush(5);
    expect(all.reduce((sum, i) => sum + i.source.calls, 0)).toBe(2 * ROOMS);
    for (const i of all) i.service.stop();
  });
});
