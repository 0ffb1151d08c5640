import type { ClockPort, Instant } from '../ports/clock-port.ts';
import type { Lease } from '../ports/lease-port.ts';
import type { ScheduleSourcePort } from '../ports/schedule-source-port.ts';
import type { SnapshotStorePort } from '../ports/snapshot-store-port.ts';
import type { BackoffGate } from './backoff.ts';
import type { Catalog } from './catalog.ts';
import { UpstreamError } from './errors.ts';
import { fetchDays, type RoomFailure } from './fetch-days.ts';
import { storeTtlMs } from './freshness.ts';
import type { ServiceEvent } from './service-events.ts';
import type { ServicePolicy } from './service-policy.ts';
import { keepKnownRooms, type Days, type Snapshot } from './snapshot.ts';

export interface SnapshotFetchDeps {
  store: SnapshotStorePort;
  gate: BackoffGate;
  source: ScheduleSourcePort;
  sourceId: string;
  clock: ClockPort;
  catalog: Catalog;
  policy: ServicePolicy;
  emit: (event: ServiceEvent) => void;
}

export interface FetchRequest {
  now: Instant;
  /** The store's stamp the caller decided on: only a snapshot stored since then is taken instead of fetching. */
  seenStamp: string | null;
  /** ...and only one fetched at or after this moment (a scheduled refresh). */
  notBeforeMs?: number;
  /** Today's earlier snapshot: rooms that fail this time keep its slots. */
  earlier: Snapshot | null;
  /** An operator's forced refresh ignores the backoff. */
  force?: boolean;
}

export interface Fetched {
  snapshot: Snapshot;
  /** False when the store refused it: the caller holds it and offers it to the store again. */
  stored: boolean;
}

const describeFailure = ({ spaceId, error }: RoomFailure) => ({
  spaceId,
  reason: error instanceof UpstreamError ? error.reason : 'other',
  message: error instanceof Error ? error.message : String(error),
});

/**
 * One fetch of every room, start to end: bounded by the hard timeout (which aborts what is still
 * running), the lease kept alive meanwhile, the snapshot assembled (failed rooms keep earlier slots)
 * and stored. A failure starts the fleet's backoff, from its end, before the lease is let go.
 */
export function createSnapshotFetch({ store, gate, source, sourceId, clock, catalog, policy, emit }: SnapshotFetchDeps) {
  /** The rooms this instance's running fetch has so far. */
  let progress: { fetchedAt: string; days: Days } | null = null;

  async function keepRenewing(lease: Lease, signal: AbortSignal): Promise<void> {
    for (;;) {
      await clock.sleep(policy.leaseMs / 3, signal);
      if (signal.aborted) return;
      await lease.renew(policy.leaseMs).catch(() => false);
    }
  }

  async function fetchAndStore(request: FetchRequest, lease: Lease | null): Promise<Fetched> {
    const { now } = request;
    const done = new AbortController();
    void clock.sleep(policy.hardTimeoutMs, done.signal).then(() => done.abort());
    if (lease) void keepRenewing(lease, done.signal);
    const running = { fetchedAt: now.iso, days: {} };
    progress = running;
    try {
      const result = await fetchDays(source, catalog, now.date, done.signal, running.days);
      emit({ kind: 'fetched', rooms: catalog.classrooms.length, failedRooms: result.failures.map(describeFailure), ms: clock.nowMs() - now.epochMs, days: Object.keys(result.days).length });
      if (result.retryAfterMs !== undefined) await gate.start(clock.nowMs(), new UpstreamError('25Live asked for a pause', 'paused', { retryAfterMs: result.retryAfterMs }));
      const failedRooms = result.failures.map((failure) => failure.spaceId);
      // Stamped with the start: the data is for the day the fetch began, even if it ends after midnight.
      const snapshot: Snapshot = {
        fetchedAt: now.iso,
        source: sourceId,
        days: keepKnownRooms(result.days, failedRooms, request.earlier?.days ?? null),
        ...(failedRooms.length > 0 ? { failedRooms } : {}),
      };
      const ttls = { ttlMs: Math.max(1, storeTtlMs(now, clock.now(), policy)), graceMs: policy.gracePeriodMs };
      const stored = await store.write(snapshot, ttls).then(
        () => true,
        (error: unknown) => {
          emit({ kind: 'cache-write-failed', error });
          return false;
        },
      );
      return { snapshot, stored };
    } catch (error) {
      await gate.start(clock.nowMs(), error); // from the failure's end, and before the lease is let go
      throw error;
    } finally {
      if (progress === running) progress = null;
      done.abort();
      await lease?.release().catch(() => {});
    }
  }

  return {
    get progress(): { fetchedAt: string; days: Days } | null {
      return progress;
    },
    fetchAndStore,
  };
}
