import catalogJson from '../../src/catalog/bu-catalog.json' with { type: 'json' };
import type { Catalog } from '../../src/domain/catalog.ts';
import { createClassroomService, type ServiceEvent, type ServicePolicy } from '../../src/domain/classroom-service.ts';
import type { OpenClassrooms } from '../../src/domain/organise.ts';
import type { ScheduleDay } from '../../src/domain/schedule.ts';
import type { Availability, Snapshot } from '../../src/domain/snapshot.ts';
import { createFakeStore, type FakeStore } from '../../src/testing/fake-store.ts';
import { createManualClock, type ManualClock } from '../../src/testing/manual-clock.ts';
import { createStubScheduleSource } from '../../src/testing/stub-schedule-source.ts';

export const catalog: Catalog = catalogJson;
export const ROOMS = catalog.classrooms.length;
export const SOURCE = 'https://25live.example/25live/data/bu/run/availability/availabilitydata.json';
export const MINUTE = 60_000;
export const HOUR = 3_600_000;

/** Lets promises and real-time stub delays run (the manual clock does not move). */
export const flush = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

/** One service instance on a manual clock, an in-memory store (shared when given) and a stub 25Live. */
export function instance(clock: ManualClock, options: { cache?: FakeStore; policy?: Partial<ServicePolicy>; days?: (spaceId: number, from: string) => ScheduleDay[]; sourceId?: string } = {}) {
  const cache = options.cache ?? createFakeStore(() => clock.epochMs);
  const source = createStubScheduleSource(options.days);
  const events: ServiceEvent[] = [];
  const service = createClassroomService({
    store: cache,
    leases: cache,
    backoffs: cache,
    source,
    sourceId: options.sourceId ?? SOURCE,
    clock,
    catalog,
    policy: options.policy,
    onEvent: (event) => events.push(event),
  });
  return { clock, cache, source, service, events };
}

export function setup(options: { start?: string; policy?: Partial<ServicePolicy>; days?: (spaceId: number, from: string) => ScheduleDay[] } = {}) {
  return instance(createManualClock(options.start ?? '2026-11-26T12:00:00-05:00'), options);
}

/** Every room free all day, as if fetched by another instance that wrote straight to the store. */
export function fullAvailability(): Availability {
  return Object.fromEntries(catalog.classrooms.map((room) => [String(room.spaceId), [{ start: '07:00:00', end: room.building === 'CGS' ? '21:30:00' : '23:00:00' }]]));
}

/** A snapshot another instance would have stored. */
export function storedSnapshot(fetchedAt: string, availability: Availability = fullAvailability(), extra: Partial<Snapshot> = {}): Snapshot {
  return { fetchedAt, source: SOURCE, days: { [fetchedAt.slice(0, 10)]: availability }, ...extra };
}

export const TTLS = { ttlMs: 24 * HOUR, graceMs: 7 * 24 * HOUR };

export const rooms = (body: OpenClassrooms) => Object.values(body.buildings).flatMap((b) => b.classrooms);
export const roomView = (body: OpenClassrooms, spaceId: number) => rooms(body).find((room) => room.id === String(spaceId));

export const storedAvailability = (cache: FakeStore): Availability | null => {
  const entry = cache.raw.get('classrooms:availability');
  return entry ? (JSON.parse(entry.value) as Availability) : null;
};

/** Moves the manual clock in steps until `promise` settles (bounded), as time would pass for real. */
export async function advanceUntilSettled<T>(clock: ManualClock, promise: Promise<T>, stepMs: number, maxSteps = 2000): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let step = 0; step < maxSteps && !settled; step += 1) {
    await flush(1);
    clock.advance(stepMs);
  }
  return promise;
}
