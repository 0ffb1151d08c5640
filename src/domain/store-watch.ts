import type { ClockPort, Instant } from '../ports/clock-port.ts';
import type { SnapshotStorePort } from '../ports/snapshot-store-port.ts';
import { storeTtlMs, trustedStamp } from './freshness.ts';
import type { Held, HeldSnapshot } from './held-snapshot.ts';
import type { ServiceEvent } from './service-events.ts';
import type { ServicePolicy } from './service-policy.ts';
import { singleFlight } from './single-flight.ts';
import type { Snapshot } from './snapshot.ts';

/** Copies in the store that a decision may choose over the held one. */
export interface Copies {
  shared?: Snapshot;
  'last-good'?: Snapshot;
}

export interface StoreWatchDeps {
  store: SnapshotStorePort;
  clock: ClockPort;
  held: HeldSnapshot;
  sourceId: string;
  policy: ServicePolicy;
  emit: (event: ServiceEvent) => void;
}

/**
 * The look at the store, one at a time however many ask: the store's snapshot when it is ours and
 * newer than the held one; and the held copy kept in step with the store. A copy the store refused
 * is offered to it again (never fetched again for that); a stored copy whose stamp the store lost (an
 * operator's DEL) is no longer fresh, so it is fetched again.
 */
export type StoreWatch = ReturnType<typeof createStoreWatch>;

export function createStoreWatch({ store, clock, held, sourceId, policy, emit }: StoreWatchDeps) {
  const looks = singleFlight<Copies>();
  /** A stamp whose snapshot could not be read whole: not read again every second. */
  let unreadable: string | null = null;

  async function storeAgain(ours: Held, now: Instant): Promise<void> {
    const ttlMs = storeTtlMs(ours.fetchedAt, now, policy);
    if (ttlMs <= 0) return held.stored(); // its life is over: nothing to store any more
    await store.write(ours.snapshot, { ttlMs, graceMs: policy.gracePeriodMs }).then(
      () => {
        held.stored();
        emit({ kind: 'stored-late', fetchedAt: ours.snapshot.fetchedAt });
      },
      () => {}, // reported when it was first refused
    );
  }

  /** The store's head, or null when it cannot be read (reported as such). */
  const readHead = () =>
    store.readHead().catch((error: unknown) => {
      emit({ kind: 'cache-read-failed', error });
      return null;
    });

  async function sharedCopy(now: Instant): Promise<Snapshot | undefined> {
    const head = await readHead();
    const ours = held.current;
    if (!head) return undefined;
    if (ours && head.stamp === ours.snapshot.fetchedAt && head.source === sourceId) return void held.stored();
    if (ours?.unstored) return void (held.storeDue(now.epochMs) && (await storeAgain(ours, now)));
    const foreign = head.stamp !== null && head.source !== sourceId;
    const stamp = foreign ? null : trustedStamp(head.stamp, now, clock, policy.clockSkewMs);
    if (!stamp) {
      // Gone or untrustworthy: ours is fetched again (and its write replaces it). Another source's data is left alone.
      if (!foreign && (ours?.kind === 'fetched' || ours?.kind === 'shared')) held.supersede();
      return undefined;
    }
    const newer = !ours || ours.kind === 'partial' || ours.kind === 'fallback' || stamp.epochMs > ours.fetchedAt.epochMs;
    if (!newer || head.stamp === unreadable) return undefined;
    const snapshot = await store.read().catch(() => null);
    if (snapshot?.fetchedAt === head.stamp && snapshot.source === sourceId) return snapshot;
    unreadable = head.stamp;
    return undefined;
  }

  async function look(now: Instant, withLastGood: boolean): Promise<Copies> {
    const copies: Copies = {};
    const shared = await sharedCopy(now);
    if (shared) copies.shared = shared;
    if (withLastGood) {
      const good = await store.readLastGood().catch(() => null);
      if (good?.source === sourceId && clock.parse(good.fetchedAt)) copies['last-good'] = good;
    }
    return copies;
  }

  return {
    /** `withLastGood` reads the last good copy too, when a stale answer may be needed. */
    look: (now: Instant, withLastGood: boolean): Promise<Copies> => looks.run(String(withLastGood), () => look(now, withLastGood)),

    /** The stamp of the store's snapshot when it is ours to trust, or this process's copy's when the store cannot be read. */
    async lastUpdated(now: Instant): Promise<string | null> {
      const head = await readHead();
      if (!head) return held.current?.snapshot.fetchedAt ?? null;
      return head.source === sourceId && trustedStamp(head.stamp, now, clock, policy.clockSkewMs) ? head.stamp : null;
    },
  };
}
