import type { BackoffPort } from '../ports/backoff-port.ts';
import type { ClockPort } from '../ports/clock-port.ts';
import type { LeasePort } from '../ports/lease-port.ts';
import type { ScheduleSourcePort } from '../ports/schedule-source-port.ts';
import type { SnapshotStorePort } from '../ports/snapshot-store-port.ts';
import { createAnswering } from './answering.ts';
import { createBackoffGate } from './backoff.ts';
import type { Catalog } from './catalog.ts';
import type { Cooldown } from './cooldown.ts';
import { createFleetFetch } from './fleet-fetch.ts';
import { createRefresh } from './refresh.ts';
import { trustedStamp } from './freshness.ts';
import { createHeldSnapshot } from './held-snapshot.ts';
import type { OpenClassrooms } from './organise.ts';
import { DEFAULT_POLICY, type ServicePolicy } from './service-policy.ts';
import type { ServiceEvent } from './service-events.ts';
import { createStoreWatch } from './store-watch.ts';

export type { RefreshOutcome } from './refresh.ts';
export type { ServiceEvent, ServicePolicy };

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

export type WakeUp = { kind: 'fresh' } | { kind: 'fetched'; failedRooms: number } | { kind: 'failed'; error: unknown } | { kind: 'serving-stale'; retryAfterMs: number };

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
  // seen, the one running fetch, the one running look at the store, and the recheck timer.
  const held = createHeldSnapshot(catalog, policy);
  const gate = createBackoffGate(deps.backoffs, policy, emit);
  const fetches = createFleetFetch({ ...deps, gate, policy, emit });
  const watch = createStoreWatch({ store, clock, held, sourceId, policy, emit });
  const answering = createAnswering({ held, gate, fetches, watch, clock, policy, sourceId, emit });
  let timer: AbortController | null = null;

  const { cooldownAt, refresh } = createRefresh({ store, leases: deps.leases, gate, answering, clock, policy });

  /** One tick of the timer: adopt a newer stored snapshot, keep today's fresh; a new day is fetched on demand or on schedule. */
  async function recheck(): Promise<void> {
    const now = clock.now();
    const decided = await answering.decideNow(now, now.date, { withLastGood: false, waited: true });
    const { decision } = decided;
    if (decision.serve === 'shared' || (decision.serve === 'held' && decision.refetch)) answering.apply(decided, now, undefined);
  }

  return {
    peek: answering.peek,

    /** The `/api/open-classrooms` body for today (the same object while the snapshot is unchanged), or for `date`. */
    openClassrooms(date?: string): Promise<OpenClassrooms> {
      const quick = date === undefined ? answering.peek() : undefined;
      return quick ? Promise.resolve(quick) : answering.answer(date);
    },

    /** Fetches now unless within the cooldown or the backoff (`force` ignores both). */
    refresh: (options: { force?: boolean } = {}) => refresh(clock.now(), options),

    /** Reads the shared stamp; rejects rather than guess "no cooldown" when it cannot. */
    async cooldown(): Promise<Cooldown> {
      return (await cooldownAt(clock.now())).cooldown;
    },

    async lastUpdated(): Promise<string | null> {
      const head = await store.readHead().catch((error: unknown) => (emit({ kind: 'cache-read-failed', error }), null));
      if (!head) return held.current?.snapshot.fetchedAt ?? null;
      return head.source === sourceId && trustedStamp(head.stamp, clock.now(), clock, policy.clockSkewMs) ? head.stamp : null;
    },

    /** The start-up check: fetches when there is nothing fresh for today, and says what happened. */
    async wakeUp(): Promise<WakeUp> {
      const now = clock.now();
      const decided = await answering.decideNow(now, now.date, { withLastGood: true, waited: false });
      const { decision } = decided;
      if (decision.serve !== 'fetch' && !('refetch' in decision && decision.refetch)) {
        if (decision.serve !== 'nothing') answering.apply(decided, now, undefined);
        return decision.serve === 'held' || decision.serve === 'shared' ? { kind: 'fresh' } : { kind: 'serving-stale', retryAfterMs: gate.remainingMs(now.epochMs) };
      }
      return answering.fetchAndHold(now).then(
        (snapshot) => ({ kind: 'fetched', failedRooms: snapshot.failedRooms?.length ?? 0 }),
        (error: unknown) => ({ kind: 'failed', error }),
      );
    },

    /** Starts the recheck timer: the store is looked at every `recheckMs`, whether requests come or not. */
    start(): void {
      if (timer) return;
      const { signal } = (timer = new AbortController());
      void (async () => {
        for (await clock.sleep(policy.recheckMs, signal); !signal.aborted; await clock.sleep(policy.recheckMs, signal)) await recheck().catch(() => {});
      })();
    },

    stop(): void {
      timer?.abort();
      timer = null;
    },
  };
}

export type ClassroomService = ReturnType<typeof createClassroomService>;
