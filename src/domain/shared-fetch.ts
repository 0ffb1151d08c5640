import type { CachePort } from '../ports/cache-port.ts';
import type { ClockPort, Instant } from '../ports/clock-port.ts';
import type { ScheduleSourcePort } from '../ports/schedule-source-port.ts';
import type { Catalog } from './catalog.ts';
import { UpstreamError } from './errors.ts';
import { fetchAvailability, type RoomFailure } from './fetch-availability.ts';
import { snapshotTtlMs } from './freshness.ts';
import type { ServiceEvent } from './service-events.ts';
import type { ServicePolicy } from './service-policy.ts';
import { keepKnownRooms, type Snapshot } from './snapshot.ts';

const describeFailure = ({ spaceId, error }: RoomFailure) => ({
  spaceId,
  reason: error instanceof UpstreamError ? error.reason : 'other',
  message: error instanceof Error ? error.message : String(error),
});

export interface SharedFetchDeps {
  cache: CachePort;
  source: ScheduleSourcePort;
  clock: ClockPort;
  catalog: Catalog;
  policy: ServicePolicy;
  emit: (event: ServiceEvent) => void;
  /** Today's fresh snapshot in the shared cache, if there is one. */
  freshInCache: (now: Instant) => Promise<Snapshot | null>;
}

/**
 * One upstream fetch at a time, for the whole fleet: in a process, callers of the same New York
 * day share one promise; across processes, the instance holding the `fetch` lease fetches while
 * the others wait for its snapshot to land in the cache (or take over if it gives up or dies).
 */
export function createSharedFetch(deps: SharedFetchDeps) {
  const { cache, source, clock, catalog, policy, emit } = deps;
  let inFlight: { date: string; promise: Promise<Snapshot> } | null = null;

  /** A snapshot stored since the caller read `seenStamp`, if it is fresh; looks at the stamp alone first. */
  async function landedSince(now: Instant, seenStamp: string | null): Promise<{ snapshot: Snapshot | null; stamp: string | null }> {
    const stamp = await cache.readStamp().catch(() => seenStamp);
    if (stamp === null || stamp === seenStamp) return { snapshot: null, stamp };
    return { snapshot: await deps.freshInCache(now).catch(() => null), stamp };
  }

  async function leaseOrSnapshot(now: Instant, seenStamp: string | null): Promise<Snapshot | 'leased' | 'unshared'> {
    let seen = seenStamp;
    for (;;) {
      // Past midnight this day's data is no use: the new day's own fetch takes over.
      if (clock.now().date !== now.date) throw new UpstreamError(`the day changed while waiting to fetch ${now.date}`, 'deadline');
      const claim = await cache.claim('fetch', policy.fetchLeaseMs).catch(() => null);
      if (claim === null) return 'unshared'; // cache away: nobody to share with, fetch alone
      if (claim.kind === 'claimed') {
        // The previous holder may have stored its snapshot and let go just before our claim.
        const landed = await landedSince(now, seen);
        if (!landed.snapshot) return 'leased';
        await cache.release('fetch').catch(() => {});
        return landed.snapshot;
      }
      await clock.sleep(policy.leasePollMs);
      const landed = await landedSince(now, seen);
      if (landed.snapshot) return landed.snapshot;
      seen = landed.stamp; // a new stamp that is not fresh (another day's, or incomplete) is not looked at again
    }
  }

  /** Keeps a long fetch's lease alive, so no other instance starts a second fetch meanwhile. */
  async function renewWhile(running: () => boolean): Promise<void> {
    for (;;) {
      await clock.sleep(policy.fetchLeaseMs / 3);
      if (!running()) return;
      await cache.renew('fetch', policy.fetchLeaseMs).catch(() => false);
    }
  }

  async function fetchAndStore(now: Instant, earlierToday: Snapshot | null, seenStamp: string | null): Promise<Snapshot> {
    const lease = await leaseOrSnapshot(now, seenStamp);
    if (typeof lease === 'object') return lease;
    let done = false;
    if (lease === 'leased') void renewWhile(() => !done);
    try {
      const { availability, failures } = await fetchAvailability(source, catalog, now.date, clock.sleep(policy.refreshDeadlineMs));
      emit({ kind: 'fetched', rooms: catalog.classrooms.length, failedRooms: failures.map(describeFailure), ms: clock.nowMs() - now.epochMs });
      // Stamped with the start: the data is for the day the fetch began, even if it ends after midnight.
      const { availability: merged, filledRooms } = keepKnownRooms(availability, earlierToday?.availability ?? null);
      const snapshot: Snapshot = { availability: merged, fetchedAt: now.iso, ...(filledRooms > 0 ? { filledRooms } : {}) };
      await cache.write(snapshot, { ttlMs: snapshotTtlMs(now, policy.maxAgeMs), keepMs: policy.keepLastGoodMs }).catch((error: unknown) => emit({ kind: 'cache-write-failed', error }));
      return snapshot;
    } finally {
      done = true;
      if (lease === 'leased') await cache.release('fetch').catch(() => {});
    }
  }

  /** `seenStamp` is the cache's stamp the caller decided on: only a snapshot stored after it is taken instead of fetching. */
  return function fetchShared(now: Instant, earlierToday: Snapshot | null, seenStamp: string | null): Promise<Snapshot> {
    if (inFlight?.date === now.date) return inFlight.promise;
    // A fetch for an earlier day (started before midnight) holds the lease: let it finish first.
    const earlier = inFlight?.promise.catch(() => null);
    const promise = (async () => {
      await earlier;
      return fetchAndStore(now, earlierToday, seenStamp);
    })().finally(() => {
      if (inFlight?.promise === promise) inFlight = null;
    });
    inFlight = { date: now.date, promise };
    return promise;
  };
}
