import type { BackoffPort } from '../ports/backoff-port.ts';
import type { ClockPort } from '../ports/clock-port.ts';
import type { LeasePort } from '../ports/lease-port.ts';
import type { ScheduleSourcePort } from '../ports/schedule-source-port.ts';
import type { SnapshotStorePort } from '../ports/snapshot-store-port.ts';
import { createAnswering } from './answering.ts';
import { createBackground } from './background.ts';
import { createBackoffGate } from './backoff.ts';
import type { Catalog } from './catalog.ts';
import type { Cooldown } from './cooldown.ts';
import { createFleetFetch } from './fleet-fetch.ts';
import { createRefresh } from './refresh.ts';
import { createHeldSnapshot } from './held-snapshot.ts';
import { createDayViews, type DatesBody, type FreeRoomsBody, type FreeRoomsQuery } from './day-views.ts';
import type { OpenClassrooms } from './organise.ts';
import { DEFAULT_POLICY, type ServicePolicy } from './service-policy.ts';
import type { ServiceEvent, Serving } from './service-events.ts';
import { createStoreWatch } from './store-watch.ts';

export type { WakeUp } from './background.ts';
export type { RefreshOutcome } from './refresh.ts';
export type { ServiceEvent, Serving, ServicePolicy };

export interface ServiceDeps {
  store: SnapshotStorePort;
  leases: LeasePort;
  backoffs: BackoffPort;
  source: ScheduleSourcePort;
  /** Names the source in every stored snapshot (its URL): a snapshot from another source is never served. */
  sourceId: string;
  clock: ClockPort;
  catalog: Catalog;
  policy?: Partial<ServicePolicy>;
  onEvent?: (event: ServiceEvent) => void;
}

/**
 * The core. A request is answered from the copy this process holds; a timer looks in the store every
 * `recheckMs` for a newer one. Data that is not today's is fetched once for the whole fleet; a
 * request waits for that at most the soft timeout, then gets what there is (see `decide`).
 */
export function createClassroomService(deps: ServiceDeps) {
  const { store, clock, catalog, sourceId } = deps;
  const policy: ServicePolicy = { ...DEFAULT_POLICY, ...deps.policy };
  const emit = deps.onEvent ?? (() => {});
  // The state, each piece with one owner: the copy this process serves, the fleet's backoff as last
  // seen, the one running fetch, the one running look at the store, and the timers.
  const held = createHeldSnapshot(catalog, policy);
  const gate = createBackoffGate(deps.backoffs, policy, emit);
  const fetches = createFleetFetch({ ...deps, gate, policy, emit });
  const watch = createStoreWatch({ store, clock, held, sourceId, policy, emit });
  const answering = createAnswering({ held, gate, fetches, watch, clock, policy, sourceId, emit });
  const views = createDayViews({ held, clock, catalog });
  const background = createBackground({ answering, gate, clock, policy, emit });
  const { cooldownAt, refresh } = createRefresh({ store, leases: deps.leases, gate, answering, clock, policy });

  return {
    peek: answering.peek,

    /** The hot path for another day: its answer while today's is held, with no I/O; throws for a day out of range. */
    peekDate(date: string): OpenClassrooms | undefined {
      const today = answering.peek();
      return today && views.forDate(date, today);
    },

    /** The hot path for free rooms: from today's held answer, with no I/O; throws for a bad query. */
    peekFreeRooms(query: FreeRoomsQuery): FreeRoomsBody | undefined {
      const today = answering.peek();
      return today && views.freeRooms(query, today);
    },

    /** The `/api/open-classrooms` body for today (the same object while the snapshot is unchanged), or for `date`. */
    async openClassrooms(date?: string): Promise<OpenClassrooms> {
      const today = await answering.today();
      return date === undefined ? today : views.forDate(date, today);
    },

    /** `GET /api/dates`: the days that can be asked for, today first. */
    dates: async (): Promise<DatesBody> => views.dates(await answering.today()),

    /** `GET /api/free-rooms`: the rooms free at a time, for at least some minutes, longest free first. */
    freeRooms: async (query: FreeRoomsQuery = {}): Promise<FreeRoomsBody> => views.freeRooms(query, await answering.today()),

    /** Fetches now unless within the cooldown or the backoff (`force` ignores both). */
    refresh: (options: { force?: boolean } = {}) => refresh(clock.now(), options),

    /** Reads the shared stamp; rejects rather than guess "no cooldown" when it cannot. */
    async cooldown(): Promise<Cooldown> {
      return (await cooldownAt(clock.now())).cooldown;
    },

    /** `GET /api/last-updated`: the store's trusted stamp, or this process's copy's when the store is away. */
    lastUpdated: () => watch.lastUpdated(clock.now()),

    /** For `/readyz` and `/metrics`, with no I/O: whether today's answer is there, the snapshot behind it, the backoff. */
    describe() {
      const nowMs = clock.nowMs();
      const ours = held.current;
      const view = held.view;
      return {
        servingToday: view !== null && nowMs < view.endsMs,
        stale: view?.body.stale === true,
        snapshot: ours && { fetchedAt: ours.snapshot.fetchedAt, kind: ours.kind, ageMs: nowMs - ours.fetchedAt.epochMs },
        backoffMs: gate.remainingMs(nowMs),
      };
    },

    /** The start-up check: fetches when there is nothing fresh for today, and says what happened. */
    wakeUp: background.wakeUp,

    /** Starts the timers: the recheck every `recheckMs`, and the refreshes at the campus times `refreshAt` (minutes past midnight). */
    start: background.start,
    stop: background.stop,
  };
}

export type ClassroomService = ReturnType<typeof createClassroomService>;
