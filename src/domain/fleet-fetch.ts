import type { LeasePort, Lease } from '../ports/lease-port.ts';
import { BackoffError, UpstreamError } from './errors.ts';
import { createSnapshotFetch, type Fetched, type FetchRequest, type SnapshotFetchDeps } from './fetch-snapshot.ts';
import { trustedStamp } from './freshness.ts';
import { singleFlight } from './single-flight.ts';
import type { Days, Snapshot } from './snapshot.ts';

export type FleetFetchDeps = SnapshotFetchDeps & { leases: LeasePort };

/**
 * One fetch at a time for the whole fleet: in this process, callers of the same campus day share one
 * promise; across processes, the instance holding the `fetch` lease fetches and stores while the
 * others wait for its snapshot (or take over when it gives up or dies). A failed fetch starts the
 * fleet's backoff before its lease is let go, so nobody fetches again straight after it.
 */
export function createFleetFetch(deps: FleetFetchDeps) {
  const { store, leases, gate, sourceId, clock, policy } = deps;
  const flight = singleFlight<Fetched>();
  const snapshots = createSnapshotFetch(deps);

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
      return snapshots.progress;
    },

    /** Joins the running fetch of the same day, or starts one (after one of an earlier day has settled). */
    run(request: FetchRequest): Promise<Fetched> {
      return flight.run(request.now.date, async () => {
        const outcome = await leaseOrLanded(request);
        return 'landed' in outcome ? { snapshot: outcome.landed, stored: true } : snapshots.fetchAndStore(request, outcome.lease);
      });
    },
  };
}

export type FleetFetch = ReturnType<typeof createFleetFetch>;
