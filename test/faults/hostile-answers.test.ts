// Hostile cases against a REAL service process: answers 25Live should not have given: a missing day, another space, a day listed twice.
import { describe, expect, it } from 'vitest';
import { KEYS, call, servedRooms, truthFor, waitFor, waitForQuiet } from './harness.ts';
import {
  NO_DATA,
  ROOM,
  SEED,
  SHORT_COOLDOWN_MINUTES,
  bookedRoomToday,
  dateOf,
  describeAnswer,
  expectNone,
  expectServedTruth,
  expectStoredTruthful,
  todayInNewYork,
  useHostileEnvironment,
} from './hostile-support.ts';

describe('hostile cases: answers 25Live should not have given', { timeout: 60_000 }, () => {
  const { env, start, open, refresh } = useHostileEnvironment();

  // Current code: a body without the requested day reads as "25Live said nothing, nothing is free":
  // every room is served (and stored) as booked all day, `[]` with no status.
  it('hostile 5a: answers without the requested day at a cold start: a 503 or every room "unknown", nothing stored as booked', async () => {
    env.simulator.setFailure('missing-day');
    const service = await start({ UPSTREAM_RETRIES: '0' });
    const answer = await open(service.url);
    expect([200, 503], describeAnswer(answer)).toContain(answer.status);
    const truth = truthFor(answer.status === 200 ? dateOf(answer.body.last_updated) : todayInNewYork(), SEED);
    if (answer.status === 200) {
      const known = servedRooms(answer.body).filter((room) => room.status !== 'unknown');
      expectNone(
        known.map((room) => `${room.id} served ${JSON.stringify(room.availability)}`),
        'rooms served as known from answers without the day',
      );
      expect(servedRooms(answer.body).every((room) => room.availability.length === 0)).toBe(true);
    } else {
      expect(answer.body.detail).toMatch(NO_DATA);
    }
    await waitForQuiet(env.simulator);
    expectStoredTruthful(await env.operator.get(KEYS.availability), truth);
  });

  // Current code: the refresh turns every room into `[]` (booked all day) over the good data, serves and stores it.
  it('hostile 5b: answers without the requested day on a refresh: good data is kept or rooms are "unknown", never replaced by "booked"', async () => {
    const service = await start({ UPSTREAM_RETRIES: '0', REFRESH_COOLDOWN_MINUTES: String(SHORT_COOLDOWN_MINUTES) });
    const first = await open(service.url);
    expect(first.status, describeAnswer(first)).toBe(200);
    const truth = truthFor(dateOf(first.body.last_updated), SEED);
    expectServedTruth(first.body, truth);
    await waitForQuiet(env.simulator, 300);

    env.simulator.setFailure('missing-day');
    const cooled = await waitFor(async () => (await call(service.url, '/api/cooldown-status')).body.in_cooldown === false, 5000);
    expect(cooled, 'the 60 ms cooldown never ended').toBe(true);
    const before = env.simulator.requests;
    const refreshed = await refresh(service.url);
    expect([200, 502, 503], describeAnswer(refreshed)).toContain(refreshed.status);
    expect(env.simulator.requests - before, 'the refresh asked 25Live').toBeGreaterThan(0);

    const after = await open(service.url);
    expect(after.status, describeAnswer(after)).toBe(200);
    const wrong = servedRooms(after.body)
      .filter((room) => (room.status === 'unknown' ? room.availability.length > 0 : JSON.stringify(room.availability) !== JSON.stringify(truth.get(room.id))))
      .map((room) => `${room.id}${room.status ? ` (${room.status})` : ''}: served ${JSON.stringify(room.availability)}, truth ${JSON.stringify(truth.get(room.id))}`);
    expectNone(wrong, 'rooms served with untrue slots after the refresh');
    expectStoredTruthful(await env.operator.get(KEYS.availability), truth);
  });

  // Current code: the parser never checks `itemId`, so another space's `items: null` day reads as "free all day".
  it('hostile 6: an answer for another space: that room is "unknown", every other room is right', async () => {
    env.simulator.setFailure('wrong-space', { spaceIds: [ROOM] });
    const service = await start();
    const answer = await open(service.url);
    expect(answer.status, describeAnswer(answer)).toBe(200);
    expectServedTruth(answer.body, truthFor(dateOf(answer.body.last_updated), SEED), new Set([String(ROOM)]));
  });

  // Current code: the first listing of the day wins, and the first is the empty (free) copy.
  it('hostile 8: the requested day listed twice (an empty copy first): the room shows its real bookings', async () => {
    const date = todayInNewYork();
    const truth = truthFor(date, SEED);
    const room = bookedRoomToday(truth);
    env.simulator.setFailure('duplicate-day', { spaceIds: [room.spaceId] });
    const service = await start();
    const answer = await open(service.url);
    expect(answer.status, describeAnswer(answer)).toBe(200);
    expect(dateOf(answer.body.last_updated), 'the service fetched another day than the test chose its room for').toBe(date);
    const id = String(room.spaceId);
    expect(
      servedRooms(answer.body).find((served) => served.id === id),
      `room ${id}`,
    ).toEqual({ id, name: room.name, availability: truth.get(id) });
    expectServedTruth(answer.body, truth);
  });
});
