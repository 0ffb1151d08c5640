import type { ClockPort, Instant } from '../ports/clock-port.ts';
import type { Lease, LeasePort } from '../ports/lease-port.ts';
import type { ScheduleSourcePort } from '../ports/schedule-source-port.ts';
import type { SnapshotStorePort } from '../ports/snapshot-store-port.ts';
import type { BackoffGate } from './backoff.ts';
import type { Catalog } from './catalog.ts';
import { BackoffError, UpstreamError } from './errors.ts';
import { fetchDays, type RoomFailure } from './fetch-days.ts';
import { storeTtlMs, trustedStamp } from './freshness.ts';
import type { ServiceEvent } from './service-events.ts';
import type { ServicePolicy } from './service-policy.ts';
import { singleFlight } from './single-flight.ts';
import { keepKnownRooms, type Days, type Snapshot } from './snapshot.ts';

export interface FleetFetchDeps {
  store: SnapshotStorePort;
  leases: LeasePort;
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
 * One fetch at a time for the whole fleet: in this process, callers of the same campus day share one
 * promise; across processes, the instance holding the `fetch` lease fetches and stores while the
 * others wait for its snapshot (or take over when it gives up or dies). A failed fetch starts the
 * fleet's backoff before its lease is let go, so nobody fetches again straight after it.
 */
export function createFleetFetch(deps: FleetFetchDeps) {
  const { store, leases, gate, source, sourceId, clock, catalog, policy, emit } = deps;
  const flight = singleFlight<Fetched>();
  /** The rooms this instance's running fetch has so far. */
  let progress: { fetchedAt: string; days: Days } | null = null;

  /** A snapshot stored by another instance that the caller may take instead of fetching. */
  async function landed(request: FetchRequest): Promise<Snapshot | null> {
    const head = await store.readHead().catch(() => null);
    if (!head || head.stamp === request.seenStamp || head.source !== sourceId) return null;
    const stamp = trustedStamp(head.stamp, clock.now(), clock, policy.clockSkewMs);
    if (!stamp || stamp.date !== request.now.date || stamp.epochMs < (request.notBeforeMs ?? -Infinity)) return null;
    const snapshot = await store.read().catch(() => null);
    return snapshot?.fetchedAt === head.stamp && snapshot.source === sourceId ? snapshot : null;
  }

  async function leaseOrLanded(request: FetchRequest): Promise<{ lease: Lease | null } | { landed: Snapshot }> {
    const waitingSince = clock.nowMs();
    for (;;) {
      if (clock.now().date !== request.now.date) throw new UpstreamError(`the day changed while waiting to fetch ${request.now.date}`, 'deadline');
      if (!request.force) {
        await gate.sync();
        const pausedMs = gate.remainingMs(clock.nowMs());
        if (pausedMs > 0) throw new BackoffError(pausedMs);
      }
      const acquired = await leases.acquire('fetch', policy.leaseMs).catch(() => null);
      if (acquired === null) return { lease: null }; // the store is away: nobody to share with, fetch alone
      if (acquired.kind === 'acquired') {
        // The previous holder may have stored its snapshot and let go just before we took over.
        const snapshot = await landed(request);
        if (!snapshot) return { lease: acquired.lease };
        await acquired.lease.release().catch(() => {});
        return { landed: snapshot };
      }
      if (clock.nowMs() - waitingSince > policy.lockTimeoutMs) throw new UpstreamError(`another instance's fetch did not finish within ${policy.lockTimeoutMs} ms`, 'deadline');
      await clock.sleep(policy.leasePollMs);
      const snapshot = await landed(request);
      if (snapshot) return { landed: snapshot };
    }
  }

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
    const running = (progress = { fetchedAt: now.iso, days: {} });
    try {
      const result = await fetchDays(source, catalog, now.date, done.signal, running.days);
      emit({ kind: 'fetched', rooms: catalog.classrooms.length, failedRooms: result.failures.map(describeFailure), ms: clock.nowMs() - now.epochMs, days: Object.keys(result.days).length });
      if (result.retryAfterMs !== undefined) await gate.start(clock.nowMs(), new UpstreamError('25Live asked for a pause', 'paused', { retryAfterMs: result.retryAfterMs }));
      const failedRooms = result.failures.map((failure) => failure.spaceId);
      // Stamped with the start: the data is for the day the fetch began, even if it ends after midnight.
      const snapshot: Snapshot = { fetchedAt: now.iso, source: sourceId, days: keepKnownRooms(result.days, failedRooms, request.earlier?.days ?? null), ...(failedRooms.length > 0 ? { failedRooms } : {}) };
      const ttls = { ttlMs: Math.max(1, storeTtlMs(now, clock.now(), policy)), graceMs: policy.gracePeriodMs };
      const stored = await store.write(snapshot, ttls).then(
        () => true,
        (error: unknown) => (emit({ kind: 'cache-write-failed', error }), false),
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
    get running(): boolean {
      return flight.running;
    },

    /** True while a fetch for this campus day runs. */
    runsFor(date: string): boolean {
      return flight.runs(date);
    },

    /** The rooms the running fetch of this instance has answered so far, or null. */
    get progress(): { fetchedAt: string; days: Days } | null {
      return progress;
    },

    /** Joins the running fetch of the same day, or starts one (after one of an earlier day has settled). */
    run(request: FetchRequest): Promise<Fetched> {
      return flight.run(request.now.date, async () => {
        const outcome = await leaseOrLanded(request);
        return 'landed' in outcome ? { snapshot: outcome.landed, stored: true } : fetchAndStore(request, outcome.lease);
      });
    },
  };
}

export type FleetFetch = ReturnType<typeof createFleetFetch>;
