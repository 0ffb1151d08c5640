import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import buCatalog from '../../src/catalog/bu-catalog.json' with { type: 'json' };
import {
  generateDay,
  generateSchedule,
  startTwentyFiveLiveSimulator,
  type SimulatedItem,
  type SimulatedSubject,
  type TwentyFiveLiveSimulator,
} from '../../src/adapters/twenty-five-live-simulator/index.ts';
import { overnightEvent } from '../../src/adapters/twenty-five-live-simulator/overnight-event.ts';
import { reservationsBody } from '../../src/adapters/twenty-five-live-simulator/simulator-reservations.ts';
import { parseReservationsBody } from '../../src/adapters/twenty-five-live-reservations-parser.ts';
import { addDays } from '../../src/domain/calendar.ts';
import { buildingOf, type Catalog } from '../../src/domain/catalog.ts';

const catalog: Catalog = buCatalog;
const QUERY = (spaceId: number | string, startDt = '2026-11-26T00:00:00') =>
  `obj_cache_accl=0&start_dt=${startDt}&comptype=availability_daily&compsubject=location&page_size=100&space_id=${spaceId}&include=closed+blackouts+pending+related+empty&caller=pro-AvailService.getData`;

const schedulesOf = (seed: number, start = '2026-11-02') => catalog.classrooms.map((room) => generateSchedule(room, buildingOf(catalog, room), start, seed));

describe('generateSchedule', () => {
  const all = schedulesOf(1);
  const subjects = all.flatMap((body) => body.subjects);
  const items = subjects.flatMap((subject) => subject.items ?? []);
  const isWeekend = (subject: SimulatedSubject) => [0, 6].includes(new Date(`${subject.item_date.slice(0, 10)}Z`).getUTCDay());
  const bookedCount = (subject: SimulatedSubject) => (subject.items ?? []).filter((item) => item.type_id !== 3).length;
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

  it('is deterministic for a seed and differs between seeds', () => {
    expect(JSON.stringify(schedulesOf(1))).toBe(JSON.stringify(all));
    expect(JSON.stringify(schedulesOf(2))).not.toBe(JSON.stringify(all));
  });

  it('keeps each room-day stable whatever the start date', () => {
    const room = catalog.classrooms[0]!;
    const fromMonday = generateSchedule(room, buildingOf(catalog, room), '2026-11-02', 1).subjects;
    const fromWednesday = generateSchedule(room, buildingOf(catalog, room), '2026-11-04', 1).subjects;
    expect(fromWednesday[0]).toEqual(fromMonday[2]);
  });

  it('lists 32 consecutive days from the start date, across month ends', () => {
    const room = catalog.classrooms[3]!;
    const { subjects: days } = generateSchedule(room, buildingOf(catalog, room), '2026-12-15', 1);
    expect(days).toHaveLength(32);
    expect(days[0]?.item_date).toBe('2026-12-15T00:00:00');
    expect(days[17]?.item_date).toBe('2027-01-01T00:00:00');
    expect(days[31]?.item_date).toBe('2027-01-15T00:00:00');
    expect(days.every((day) => day.itemId === room.spaceId && day.itemName === `${room.building} ${room.name}`)).toBe(true);
  });

  it('closes each building outside its opening hours with type 3, itemId 0', () => {
    all.forEach((body, index) => {
      const building = buildingOf(catalog, catalog.classrooms[index]!);
      for (const subject of body.subjects.filter((day) => Array.isArray(day.items))) {
        const closed = subject.items!.filter((item) => item.type_id === 3).map((item) => [Number(item.start), Number(item.end), item.itemId, item.itemName]);
        expect(closed.sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
          [0, building.opens, 0, 'Closed'],
          [building.closes, 24, 0, 'Closed'],
        ]);
      }
    });
  });

  it('has the variety 25Live shows: private, cancelled, deleted, null and missing items, string and numeric hours', () => {
    expect(items.some((item) => item.itemName === '(Private)')).toBe(true);
    expect(items.some((item) => item.cur_event_state === 99)).toBe(true);
    expect(items.some((item) => item.cur_event_state === 98)).toBe(true);
    expect(subjects.some((subject) => subject.items === null)).toBe(true);
    expect(subjects.some((subject) => !('items' in subject))).toBe(true);
    expect(subjects.some((subject) => Array.isArray(subject.items) && subject.items.length > 0)).toBe(true);
    const hours = items.flatMap((item) => [item.start, item.end]);
    expect(hours.some((value) => typeof value === 'number')).toBe(true);
    expect(hours.some((value) => typeof value === 'string' && /^\d+\.\d{6}$/.test(value))).toBe(true);
    expect(hours.every((value) => Number.isFinite(Number(value)))).toBe(true);
  });

  it('books weekdays in standard MWF 50-minute and TTh 75-minute blocks and weekends sparsely', () => {
    const classes = items.filter((item) => item.type_id === 1 && item.ev_start_time !== undefined);
    const minutes = (item: SimulatedItem) => Math.round((Number(item.ev_end_time) - Number(item.ev_start_time)) * 60);
    expect(classes.some((item) => minutes(item) === 50)).toBe(true);
    expect(classes.some((item) => minutes(item) === 75)).toBe(true);
    const weekday = mean(subjects.filter((s) => !isWeekend(s)).map(bookedCount));
    const weekend = mean(subjects.filter(isWeekend).map(bookedCount));
    expect(weekend).toBeLessThan(weekday / 2);
  });

  it('has overlapping and back-to-back bookings', () => {
    const pairs = (subject: SimulatedSubject) => {
      const booked = (subject.items ?? []).filter((item) => item.type_id !== 3).map((item) => [Number(item.start), Number(item.end)] as const);
      return booked.flatMap((a, i) => booked.slice(i + 1).map((b) => [a, b] as const));
    };
    const all = subjects.flatMap(pairs);
    expect(all.some(([a, b]) => a[0] === b[0] && a[1] === b[1])).toBe(true);
    expect(all.some(([a, b]) => a[1] === b[0] || b[1] === a[0])).toBe(true);
    expect(all.some(([a, b]) => a[0] < b[1] && b[0] < a[1] && (a[0] !== b[0] || a[1] !== b[1]))).toBe(true);
  });
});

describe('a late event across midnight, in both views of the simulator', () => {
  const days = Array.from({ length: 120 }, (_, i) => addDays('2026-11-02', i));
  const crossings = catalog.classrooms.flatMap((room) => days.map((date) => ({ room, date, event: overnightEvent(room, date, 1) }))).filter((c) => c.event !== null);
  const minutes = (hours: unknown) => Math.round(Number(hours) * 60);

  it('comes on a few evenings, from 21:00 or later to 01:45 at the latest, listed by the availability view on both days: the evening to 24, the morning from 0', () => {
    expect(crossings.length / (catalog.classrooms.length * days.length)).toBeGreaterThan(0.01);
    expect(crossings.length / (catalog.classrooms.length * days.length)).toBeLessThan(0.05);
    for (const { room, date, event } of crossings) {
      const [evening, morning] = [date, addDays(date, 1)].map((day) => (generateDay(room, buildingOf(catalog, room), day, 1).items ?? []).find((item) => item.itemId === event!.evening.itemId));
      expect(event!.start).toBeGreaterThanOrEqual(21);
      expect(event!.end).toBeLessThanOrEqual(1.75);
      expect([minutes(evening?.start), minutes(evening?.end)]).toEqual([event!.start * 60, 24 * 60]);
      expect([minutes(morning?.start), minutes(morning?.end)]).toEqual([0, event!.end * 60]);
      expect({ ...morning, start: 0, end: 0, ev_start_time: 0, ev_end_time: 0 }).toEqual({ ...evening, start: 0, end: 0, ev_start_time: 0, ev_end_time: 0 });
    }
  });

  it('the reservations view, cut to campus days, lists on every day of any range the events the availability view lists that day', () => {
    const ids = catalog.classrooms.map((room) => room.spaceId);
    const compact = (date: string) => date.replaceAll('-', '');
    let cutAtMidnight = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 3 * 365 }), fc.integer({ min: 1, max: 4 }), (seed, offset, length) => {
        const from = addDays('2026-01-01', offset);
        const body = reservationsBody(catalog, ids, compact(from), compact(addDays(from, length)), seed);
        const cut = parseReservationsBody(JSON.stringify(body), ids, { from, days: length, zone: catalog.timeZone });
        for (const room of catalog.classrooms) {
          cut.get(room.spaceId)!.forEach(({ date, bookings }) => {
            const listed = (generateDay(room, buildingOf(catalog, room), date, seed).items ?? []).filter((item) => item.type_id === 1 && item.cur_event_state !== 98);
            const times = (list: Array<{ start: unknown; end: unknown; cancelled: boolean }>) => list.map((b) => `${minutes(b.start)}-${minutes(b.end)}${b.cancelled ? ' cancelled' : ''}`).sort();
            const read = bookings!.map((b) => ({ ...b, cancelled: b.eventState === 99 }));
            expect(times(read), `${room.spaceId} on ${date}`).toEqual(times(listed.map((item) => ({ ...item, cancelled: item.cur_event_state === 99 }))));
            cutAtMidnight += read.filter((b) => b.start === 0 || b.end === 24).length;
          });
        }
      }),
      { numRuns: 40 },
    );
    expect(cutAtMidnight).toBeGreaterThan(0);
  });
});

describe('startTwentyFiveLiveSimulator', () => {
  let simulator: TwentyFiveLiveSimulator;
  const get = (query: string) => fetch(`${simulator.url}?${query}`);

  beforeAll(async () => {
    simulator = await startTwentyFiveLiveSimulator({ catalog, seed: 3 });
  });
  beforeEach(() => {
    simulator.setFailure('none');
    simulator.setLatency(0);
    simulator.resetCounters();
  });
  afterAll(async () => {
    await simulator.close();
  });

  it('serves the 25Live path on loopback and counts requests', async () => {
    expect(simulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/25live\/data\/bu\/run\/availability\/availabilitydata\.json$/);
    const response = await get(QUERY(342));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { subjects: SimulatedSubject[] };
    const room = catalog.classrooms.find((r) => r.spaceId === 342)!;
    expect(body).toEqual(generateSchedule(room, buildingOf(catalog, room), '2026-11-26', 3));
    expect(simulator.requests).toBe(1);
    expect(simulator.queries).toEqual([QUERY(342)]);
  });

  it('answers the same body to the same request and another to another seed', async () => {
    const first = await (await get(QUERY(342))).text();
    expect(await (await get(QUERY(342))).text()).toBe(first);
    const other = await startTwentyFiveLiveSimulator({ catalog, seed: 4, jsonPrefix: true });
    try {
      const text = await (await fetch(`${other.url}?${QUERY(342)}`)).text();
      expect(text.startsWith(")]}',\n{")).toBe(true);
      expect(text.slice(6)).not.toBe(first);
    } finally {
      await other.close();
    }
  });

  it('keeps only the latest 100 queries, and answers a new start date and then the old one again alike', async () => {
    const room = catalog.classrooms.find((r) => r.spaceId === 342)!;
    for (const date of ['2026-11-26', '2026-11-27', '2026-11-26']) {
      const body = await (await get(QUERY(342, `${date}T00:00:00`))).json();
      expect(body).toEqual(generateSchedule(room, buildingOf(catalog, room), date, 3));
    }
    const before = Date.now();
    for (let i = 0; i < 100; i += 1) await (await get(QUERY(344))).arrayBuffer();
    expect(simulator.requests).toBe(103);
    expect(simulator.queries).toHaveLength(100);
    expect(simulator.queries.every((query) => query === QUERY(344))).toBe(true);
    expect(simulator.requestTimes).toHaveLength(100);
    expect(simulator.requestTimes[0]).toBeGreaterThanOrEqual(before);
    expect(simulator.requestTimes.at(-1)).toBeLessThanOrEqual(Date.now());
    expect([...simulator.requestTimes].sort((a, b) => a - b)).toEqual(simulator.requestTimes);
    simulator.resetCounters();
    expect([simulator.requests, simulator.queries.length, simulator.requestTimes.length]).toEqual([0, 0, 0]);
  });

  it.each(['caller', 'space_id', 'start_dt'])('rejects a request without %s with 400', async (name) => {
    const query = QUERY(342)
      .split('&')
      .filter((pair) => !pair.startsWith(`${name}=`))
      .join('&');
    expect((await get(query)).status).toBe(400);
  });

  it('answers 404 for an unknown space or path', async () => {
    expect((await get(QUERY(1))).status).toBe(404);
    expect((await fetch(`${simulator.url.replace('/bu/', '/umd/')}?${QUERY(342)}`)).status).toBe(404);
  });

  it('fails on request: 500, 429 with Retry-After, malformed, only for chosen rooms and times', async () => {
    simulator.setFailure('error500', { spaceIds: [342], times: 1 });
    expect((await get(QUERY(344))).status).toBe(200);
    expect((await get(QUERY(342))).status).toBe(500);
    expect((await get(QUERY(342))).status).toBe(200);
    simulator.setFailure('error429', { retryAfterSeconds: 3 });
    const limited = await get(QUERY(342));
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
    simulator.setFailure('malformed');
    const malformed = await get(QUERY(342));
    expect(malformed.status).toBe(200);
    const text = await malformed.text();
    expect(() => JSON.parse(text)).toThrow();
  });

  it('answers 503 with Retry-After (default 1 s) in error503 mode', async () => {
    simulator.setFailure('error503');
    const first = await get(QUERY(342));
    expect([first.status, first.headers.get('retry-after')]).toEqual([503, '1']);
    simulator.setFailure('error503', { retryAfterSeconds: 42 });
    const second = await get(QUERY(342));
    expect([second.status, second.headers.get('retry-after')]).toEqual([503, '42']);
    expect(await second.json()).toEqual({ error: 'unavailable' });
  });

  it('answers a well-formed 200 without the requested day in missing-day mode (the days start the day after)', async () => {
    simulator.setFailure('missing-day', { spaceIds: [342] });
    const room = catalog.classrooms.find((r) => r.spaceId === 342)!;
    const response = await get(QUERY(342));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { subjects: SimulatedSubject[] };
    expect(body.subjects.some((subject) => subject.item_date.startsWith('2026-11-26'))).toBe(false);
    expect(body).toEqual(generateSchedule(room, buildingOf(catalog, room), '2026-11-27', 3));
    // Other rooms answer normally.
    const other = catalog.classrooms.find((r) => r.spaceId === 344)!;
    expect(await (await get(QUERY(344))).json()).toEqual(generateSchedule(other, buildingOf(catalog, other), '2026-11-26', 3));
  });

  it("answers another space's days, all with items null, in wrong-space mode", async () => {
    simulator.setFailure('wrong-space', { spaceIds: [342] });
    const room = catalog.classrooms.find((r) => r.spaceId === 342)!;
    const normal = generateSchedule(room, buildingOf(catalog, room), '2026-11-26', 3);
    const response = await get(QUERY(342));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { subjects: SimulatedSubject[] };
    expect(body.subjects.map((subject) => subject.item_date)).toEqual(normal.subjects.map((subject) => subject.item_date));
    expect(body.subjects.every((subject) => subject.itemId === 100_342 && subject.items === null)).toBe(true);
  });

  it('lists the requested day twice in duplicate-day mode: an empty copy first, then the real one', async () => {
    simulator.setFailure('duplicate-day', { spaceIds: [342] });
    const room = catalog.classrooms.find((r) => r.spaceId === 342)!;
    const normal = generateSchedule(room, buildingOf(catalog, room), '2026-11-26', 3);
    const body = (await (await get(QUERY(342))).json()) as { headers: unknown; subjects: SimulatedSubject[] };
    expect(body.headers).toEqual(normal.headers);
    expect(body.subjects).toEqual([{ ...normal.subjects[0], items: [] }, ...normal.subjects]);
    expect(body.subjects.filter((subject) => subject.item_date === '2026-11-26T00:00:00')).toHaveLength(2);
    expect(normal.subjects[0]!.items?.length).toBeGreaterThan(0); // the real copy is booked
  });

  it('pads a well-formed body past 2.5 MB in oversized mode', async () => {
    simulator.setFailure('oversized', { spaceIds: [342] });
    const room = catalog.classrooms.find((r) => r.spaceId === 342)!;
    const text = await (await get(QUERY(342))).text();
    expect(text.length).toBeGreaterThan(2_500_000);
    const { padding, ...rest } = JSON.parse(text) as { padding: string };
    expect(padding).toMatch(/^x+$/);
    expect(rest).toEqual(generateSchedule(room, buildingOf(catalog, room), '2026-11-26', 3));
  });

  it('drips a 200 body one byte per interval, and stops when the client goes away', async () => {
    simulator.setFailure('drip', { dripIntervalMs: 50 });
    const room = catalog.classrooms.find((r) => r.spaceId === 342)!;
    const expected = JSON.stringify(generateSchedule(room, buildingOf(catalog, room), '2026-11-26', 3));
    const client = new AbortController();
    const started = Date.now();
    const response = await fetch(`${simulator.url}?${QUERY(342)}`, { signal: client.signal });
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(500); // the headers come at once
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const reader = response.body!.getReader();
    let text = '';
    while (text.length < 6) text += Buffer.from((await reader.read()).value!).toString('utf8');
    const elapsed = Date.now() - started;
    expect(text).toBe(expected.slice(0, text.length));
    expect(elapsed).toBeGreaterThanOrEqual(6 * 50 - 20);
    expect(elapsed).toBeLessThan(6 * 50 + 1000);
    expect(simulator.inFlight).toBe(1);
    client.abort();
    await expect.poll(() => simulator.inFlight, { timeout: 2000 }).toBe(0);
  });

  it('drips at one byte a second by default, and close() stops the drip and the hanging requests', async () => {
    const other = await startTwentyFiveLiveSimulator({ catalog });
    other.setFailure('drip');
    const started = Date.now();
    const response = await fetch(`${other.url}?${QUERY(342)}`);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString('utf8')).toBe('{');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(other.inFlight).toBe(1);
    other.setFailure('hang', { spaceIds: [344] });
    const hanging = fetch(`${other.url}?${QUERY(344)}`).then(
      () => 'answered',
      (error: unknown) => error,
    );
    await expect.poll(() => other.inFlight).toBe(2);
    const closing = Date.now();
    await other.close();
    expect(Date.now() - closing).toBeLessThan(1000);
    await expect(reader.read()).rejects.toThrow();
    expect(await hanging).toBeInstanceOf(Error);
    await expect.poll(() => other.inFlight, { timeout: 1000 }).toBe(0);
  });

  it('fails about 30% of requests when flaky', async () => {
    simulator.setFailure('flaky');
    const statuses = await Promise.all(Array.from({ length: 100 }, () => get(QUERY(342)).then((r) => r.status)));
    const failed = statuses.filter((status) => status === 503).length;
    expect(failed).toBeGreaterThan(10);
    expect(failed).toBeLessThan(50);
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
  });

  it('adds latency, tracks requests in flight, and never answers in timeout mode until closed', async () => {
    simulator.setLatency(100);
    const started = Date.now();
    await Promise.all([get(QUERY(342)), get(QUERY(344)), get(QUERY(345))]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(simulator.maxInFlight).toBe(3);
    expect(simulator.inFlight).toBe(0);

    const hanging = await startTwentyFiveLiveSimulator({ catalog });
    hanging.setFailure('timeout');
    const pending = fetch(`${hanging.url}?${QUERY(342)}`);
    await expect.poll(() => hanging.requests).toBe(1);
    await hanging.close();
    await expect(pending).rejects.toThrow();
  });
});
