import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SharedStore } from '../adapters/shared-store.ts';
import type { Snapshot } from '../domain/snapshot.ts';
import type { BackoffPort } from '../ports/backoff-port.ts';
import type { LeasePort } from '../ports/lease-port.ts';
import type { SnapshotStorePort } from '../ports/snapshot-store-port.ts';

/** The three ports the core needs from a shared store; one object may implement all of them. */
export type StorePorts = SnapshotStorePort & LeasePort & BackoffPort;

export interface StoreUnderTest<Store extends StorePorts = StorePorts> {
  store: Store;
  /** A second client of the same store (another instance). */
  other: Store;
  cleanup(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SOURCE = 'https://25live.example/run/availability/availabilitydata.json';
const morning: Snapshot = {
  fetchedAt: '2025-03-04T09:15:00.123-05:00',
  source: SOURCE,
  days: {
    '2025-03-04': {
      '101': [
        { start: '08:00:00', end: '09:30:00' },
        { start: '12:15:00', end: '22:00:00' },
      ],
      '202': [],
    },
    '2025-03-05': { '101': [], '202': [{ start: '07:00:00', end: '23:00:00' }] },
  },
};
const afternoon: Snapshot = { fetchedAt: '2025-03-04T14:00:00.000-05:00', source: SOURCE, days: { '2025-03-04': { '303': [{ start: '14:00:00', end: '15:00:00' }] } }, failedRooms: [101, 202] };
const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
/** Slack for the time between writing and asking, on a slow machine. */
const TOLERANCE_MS = 2_000;

/**
 * What every store must do, for each method of the snapshot store, lease and backoff ports. Runs
 * against the memory store and the Redis adapter (standalone, Cluster, Sentinel), and against any
 * store of your own (under your vitest), so no store can drift from what the core relies on.
 */
export function storeContract(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(`store contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: StorePorts;

    beforeEach(async () => {
      subject = await make();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    it('reads nothing when nothing was written', async () => {
      expect(await store.readHead()).toEqual({ stamp: null, source: null });
      expect(await store.read()).toBeNull();
      expect(await store.readLastGood()).toBeNull();
      expect(await store.readBackoff()).toBeNull();
    });

    it('reads back what was written, whole: head, snapshot (every day, failed rooms) and last good, from another client too', async () => {
      await store.write(morning, { ttlMs: HOUR, graceMs: WEEK });
      for (const reader of [store, subject.other]) {
        expect(await reader.readHead()).toEqual({ stamp: morning.fetchedAt, source: SOURCE });
        expect(await reader.read()).toStrictEqual(morning);
        expect(await reader.readLastGood()).toStrictEqual(morning);
      }
      await store.write(afternoon, { ttlMs: HOUR, graceMs: WEEK });
      expect(await store.read()).toStrictEqual(afternoon);
      expect((await store.readHead()).stamp).toBe(afternoon.fetchedAt);
    });

    it('forgets the snapshot after its ttl but keeps the last good one for its grace period', async () => {
      await store.write(afternoon, { ttlMs: 150, graceMs: HOUR });
      expect(await store.read()).toStrictEqual(afternoon);
      await sleep(300);
      expect(await store.read()).toBeNull();
      expect(await store.readHead()).toEqual({ stamp: null, source: null });
      expect(await store.readLastGood()).toStrictEqual(afternoon);
    });

    it('gives a lease once; another client learns how long it is held', async () => {
      const first = await store.acquire('fetch', 30_000);
      expect(first.kind).toBe('acquired');
      for (const client of [store, subject.other]) {
        const second = await client.acquire('fetch', 30_000);
        expect(second.kind).toBe('held');
        if (second.kind === 'held') {
          expect(second.remainingMs).toBeGreaterThan(0);
          expect(second.remainingMs).toBeLessThanOrEqual(30_000);
        }
      }
      expect((await store.acquire('refresh', 30_000)).kind).toBe('acquired'); // leases are independent
    });

    it('a released lease can be taken again; releasing twice is harmless', async () => {
      const first = await store.acquire('fetch', 30_000);
      if (first.kind !== 'acquired') return expect.unreachable();
      await first.lease.release();
      await first.lease.release();
      expect((await subject.other.acquire('fetch', 30_000)).kind).toBe('acquired');
    });

    it('renewal extends our lease; a lapsed lease taken by another can be neither renewed nor released by us', async () => {
      const ours = await store.acquire('fetch', 200);
      if (ours.kind !== 'acquired') return expect.unreachable();
      expect(await ours.lease.renew(30_000)).toBe(true);
      const held = await subject.other.acquire('fetch', 200);
      expect(held.kind === 'held' && held.remainingMs > 200).toBe(true);

      const short = await store.acquire('refresh', 80);
      if (short.kind !== 'acquired') return expect.unreachable();
      await sleep(200);
      const theirs = await subject.other.acquire('refresh', 30_000);
      expect(theirs.kind).toBe('acquired');
      expect(await short.lease.renew(30_000)).toBe(false);
      await short.lease.release();
      expect((await store.acquire('refresh', 30_000)).kind).toBe('held');
    });

    it('keeps a backoff until its end, for every client, then forgets it', async () => {
      const backoff = { untilMs: Date.now() + 250, reason: '25Live answered 500' };
      await store.writeBackoff(backoff);
      expect(await store.readBackoff()).toEqual(backoff);
      expect(await subject.other.readBackoff()).toEqual(backoff);
      await sleep(400);
      expect(await store.readBackoff()).toBeNull();
      await store.writeBackoff({ untilMs: Date.now() - 1, reason: 'already over' });
      expect(await store.readBackoff()).toBeNull();
    });
  });
}

/** Beyond the ports: what operators rely on in this project's own stores (the CLI's status and clear). */
export function operatorStoreContract(name: string, make: () => Promise<StoreUnderTest<SharedStore>>): void {
  describe(`operator store contract: ${name}`, () => {
    let subject: StoreUnderTest<SharedStore>;
    let store: SharedStore;

    beforeEach(async () => {
      subject = await make();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    it('reports no ttls when nothing was written', async () => {
      expect(await store.ttls()).toEqual({ availabilityMs: null, lastRefreshMs: null });
    });

    it('reports the remaining life of the old keys from the ttl given', async () => {
      await store.write(morning, { ttlMs: HOUR, graceMs: WEEK });
      const { availabilityMs, lastRefreshMs } = await store.ttls();
      for (const ttl of [availabilityMs, lastRefreshMs]) {
        expect(ttl).not.toBeNull();
        expect(ttl!).toBeGreaterThan(HOUR - TOLERANCE_MS);
        expect(ttl!).toBeLessThanOrEqual(HOUR);
      }
    });

    it('clear removes the snapshot, the refresh lease and the backoff, not the last good copy', async () => {
      await store.write(morning, { ttlMs: HOUR, graceMs: WEEK });
      await store.acquire('refresh', HOUR);
      await store.writeBackoff({ untilMs: Date.now() + HOUR, reason: 'test' });
      await store.clear();
      expect(await store.read()).toBeNull();
      expect(await store.readHead()).toEqual({ stamp: null, source: null });
      expect(await store.readBackoff()).toBeNull();
      expect((await store.acquire('refresh', HOUR)).kind).toBe('acquired');
      expect(await store.readLastGood()).toStrictEqual(morning);
    });
  });
}
