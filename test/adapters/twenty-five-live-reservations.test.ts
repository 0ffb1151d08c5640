import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwentyFiveLiveSimulator, type TwentyFiveLiveSimulator } from '../../src/adapters/twenty-five-live-simulator/index.ts';
import { createReservationsSource, reservationsUrlOf } from '../../src/adapters/twenty-five-live-reservations.ts';
import { parseReservationsBody } from '../../src/adapters/twenty-five-live-reservations-parser.ts';
import { BU_CATALOG } from '../../src/catalog/bu.ts';
import { UpstreamError } from '../../src/domain/errors.ts';

const NY = 'America/New_York';
const range = { from: '2026-12-01', days: 3, zone: NY };
const reservation = (start: string, end: string, spaces: unknown, extra: object = {}) => ({
  reservation_start_dt: start,
  reservation_end_dt: end,
  reservation_state: 1,
  spaces,
  event: { event_name: 'CH 101', state_name: 'Confirmed' },
  ...extra,
});
const body = (list: unknown) => JSON.stringify({ space_reservations: { space_reservation: list } });
const day = (days: Map<number, Array<{ date: string; bookings: unknown }>>, id: number, date: string) => days.get(id)!.find((d) => d.date === date)!.bookings;

describe('parseReservationsBody', () => {
  it('reads a single reservation given as a bare object, with spaces as one object, as decimal hours of its day', () => {
    const days = parseReservationsBody(body(reservation('2026-12-01T09:45:00-05:00', '2026-12-01T11:00:00-05:00', { space_id: 342 })), [342, 344], range);
    expect(day(days, 342, '2026-12-01')).toEqual([{ start: 9.75, end: 11, eventState: null, kind: 'event' }]);
    expect(day(days, 342, '2026-12-02')).toEqual([]);
    // A room the answer does not mention has no bookings: its request succeeded.
    expect(days.get(344)!.map((d) => d.bookings)).toEqual([[], [], []]);
    expect(days.get(344)!.map((d) => d.date)).toEqual(['2026-12-01', '2026-12-02', '2026-12-03']);
  });

  it('reads a list, spaces as a list (one reservation in several rooms), ids as strings, and no reservations at all', () => {
    const list = [
      reservation('2026-12-02T13:00:00-05:00', '2026-12-02T14:30:00-05:00', [{ space_id: '342' }, { space_id: 344 }]),
      reservation('2026-12-03T08:00:00-05:00', '2026-12-03T09:00:00-05:00', { space_id: 999 }),
    ];
    const days = parseReservationsBody(body(list), [342, 344], range);
    expect(day(days, 342, '2026-12-02')).toEqual([{ start: 13, end: 14.5, eventState: null, kind: 'event' }]);
    expect(day(days, 344, '2026-12-02')).toEqual([{ start: 13, end: 14.5, eventState: null, kind: 'event' }]);
    for (const empty of ['{}', '{"space_reservations": {}}', '{"space_reservations": null}']) {
      expect(
        parseReservationsBody(empty, [342], range)
          .get(342)!
          .every((d) => Array.isArray(d.bookings) && d.bookings.length === 0),
      ).toBe(true);
    }
  });

  it('marks cancelled reservations (state 99, or "Cancelled") so the rules skip them', () => {
    const list = [
      reservation('2026-12-01T10:00:00-05:00', '2026-12-01T11:00:00-05:00', { space_id: 342 }, { reservation_state: 99 }),
      reservation('2026-12-01T12:00:00-05:00', '2026-12-01T13:00:00-05:00', { space_id: 342 }, { event: { state_name: 'Cancelled' } }),
    ];
    expect((day(parseReservationsBody(body(list), [342], range), 342, '2026-12-01') as Array<{ eventState: number }>).map((b) => b.eventState)).toEqual([99, 99]);
  });

  it('cuts a booking that crosses midnight into the evening of one day and the morning of the next, read on the campus clock', () => {
    const days = parseReservationsBody(body(reservation('2026-12-01T22:00:00-05:00', '2026-12-02T01:30:00-05:00', { space_id: 342 })), [342], range);
    expect(day(days, 342, '2026-12-01')).toEqual([{ start: 22, end: 24, eventState: null, kind: 'event' }]);
    expect(day(days, 342, '2026-12-02')).toEqual([{ start: 0, end: 1.5, eventState: null, kind: 'event' }]);
    // Given in UTC, read on the New York wall clock; on the day clocks go back, 10:00 is 10.
    const fallBack = parseReservationsBody(body(reservation('2026-11-01T15:00:00Z', '2026-11-01T16:00:00Z', { space_id: 342 })), [342], { from: '2026-11-01', days: 1, zone: NY });
    expect(day(fallBack, 342, '2026-11-01')).toEqual([{ start: 10, end: 11, eventState: null, kind: 'event' }]);
  });

  it('refuses an XHTML error page, a body of another shape, and unreadable times, rather than read them as free', () => {
    const cases: Array<[string, RegExp]> = [
      ['<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>Error</body></html>', /an HTML page, not JSON/],
      ['[]', /body must be a JSON object/],
      ['{"space_reservations": []}', /space_reservations must be an object/],
      [body(['x']), /space_reservation\[0\] must be an object/],
      [body(reservation('soon', 'later', { space_id: 342 })), /space_reservation\[0\] has no readable reservation_start_dt/],
    ];
    for (const [text, message] of cases) {
      const error = (() => {
        try {
          parseReservationsBody(text, [342], range);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as UpstreamError).reason).toBe('malformed');
      expect((error as Error).message).toMatch(message);
    }
  });
});

describe('the batched reservations source against the simulator', () => {
  let simulator: TwentyFiveLiveSimulator;
  beforeAll(async () => {
    simulator = await startTwentyFiveLiveSimulator({ catalog: BU_CATALOG, seed: 6 });
  });
  afterAll(() => simulator.close());

  it('finds rm_reservations.json beside availabilitydata.json', () => {
    expect(reservationsUrlOf('https://25live.collegenet.com/25live/data/bu/run/availability/availabilitydata.json')).toBe('https://25live.collegenet.com/25live/data/bu/run/rm_reservations.json');
    expect(reservationsUrlOf(simulator.url)).toBe(simulator.reservationsUrl);
    expect(reservationsUrlOf('https://example.edu/data.json')).toBeNull();
  });

  it('asks for 77 rooms and a month in 2 requests of at most 40 rooms, with literal + between the ids', async () => {
    simulator.resetCounters();
    const source = createReservationsSource({ reservationsUrl: simulator.reservationsUrl, zone: NY });
    try {
      const ids = BU_CATALOG.classrooms.map((room) => room.spaceId);
      const answers = await Promise.all(source.fetchSchedules(ids, '2026-12-01', new AbortController().signal));
      expect(simulator.requests).toBe(2);
      expect(simulator.queries.map((q) => q.split('&')[0]!.split('+').length)).toEqual([40, 37]);
      expect(simulator.queries[0]).toMatch(/^space_id=\d+(\+\d+){39}&start_dt=20261201&end_dt=20270102$/);
      expect(answers).toHaveLength(77);
      for (const days of answers) expect(days.map((d) => d.date)).toHaveLength(32);
    } finally {
      await source.close();
    }
  });

  it('leaves every room of a failed request failed, and those of the other request answered', async () => {
    simulator.setFailure('error500', { spaceIds: [BU_CATALOG.classrooms[50]!.spaceId] });
    const source = createReservationsSource({ reservationsUrl: simulator.reservationsUrl, zone: NY, retries: 0 });
    try {
      const settled = await Promise.allSettled(
        source.fetchSchedules(
          BU_CATALOG.classrooms.map((room) => room.spaceId),
          '2026-12-01',
          new AbortController().signal,
        ),
      );
      expect(settled.slice(0, 40).every((s) => s.status === 'fulfilled')).toBe(true);
      expect(settled.slice(40).every((s) => s.status === 'rejected' && (s.reason as UpstreamError).message.startsWith('25Live answered 500 for spaces '))).toBe(true);
    } finally {
      simulator.setFailure('none');
      await source.close();
    }
  });

  it('scales the size cap with the rooms asked for in a request', async () => {
    const ids = BU_CATALOG.classrooms.slice(0, 40).map((room) => room.spaceId);
    const tight = createReservationsSource({ reservationsUrl: simulator.reservationsUrl, zone: NY, roomsPerRequest: 40, maxBodyBytesPerRoom: 1000 });
    const roomy = createReservationsSource({ reservationsUrl: simulator.reservationsUrl, zone: NY, roomsPerRequest: 40, maxBodyBytesPerRoom: 100_000 });
    try {
      const refused = await Promise.allSettled(tight.fetchSchedules(ids, '2026-12-01', new AbortController().signal));
      expect(refused.every((s) => s.status === 'rejected' && (s.reason as UpstreamError).reason === 'too-large')).toBe(true);
      expect((refused[0] as PromiseRejectedResult).reason.message).toMatch(/exceeds 40000 bytes/);
      expect((await Promise.allSettled(roomy.fetchSchedules(ids, '2026-12-01', new AbortController().signal))).every((s) => s.status === 'fulfilled')).toBe(true);
    } finally {
      await Promise.all([tight.close(), roomy.close()]);
    }
  });
});
