import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Availability } from '../../src/domain/snapshot.ts';
import type { CachePort } from '../../src/ports/cache-port.ts';

export interface CacheUnderTest {
  cache: CachePort;
  cleanup(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const morning: Availability = {
  '101': [
    { start: '08:00:00', end: '09:30:00' },
    { start: '12:15:00', end: '22:00:00' },
  ],
  '202': [],
};
const afternoon: Availability = { '303': [{ start: '14:00:00', end: '15:00:00' }] };
const fetchedAt = '2025-03-04T09:15:00.123-05:00';
const HOUR = 3_600_000;
/** Slack for the time between writing and asking, on a slow machine. */
const TOLERANCE_MS = 2_000;

/**
 * The behaviour every CachePort must show. Runs against the in-memory fake and the Redis
 * adapter, so the fake the domain tests rely on cannot drift from the real thing.
 */
export function cacheContract(name: string, makeCache: () => Promise<CacheUnderTest>): void {
  describe(`CachePort contract: ${name}`, () => {
    let subject: CacheUnderTest;
    let cache: CachePort;

    beforeEach(async () => {
      subject = await makeCache();
      cache = subject.cache;
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    it('reads nulls and no ttls when nothing was written', async () => {
      expect(await cache.read()).toEqual({ availability: null, lastRefresh: null });
      expect(await cache.ttls()).toEqual({ availabilityMs: null, lastRefreshMs: null });
    });

    it('reads back what was written: availability deep-equal, lastRefresh the exact string', async () => {
      await cache.write({ availability: morning, fetchedAt: fetchedAt }, { ttlMs: HOUR, keepMs: 7 * 24 * 3_600_000 });
      const state = await cache.read();
      expect(state.availability).toEqual(morning);
      expect(state.lastRefresh).toBe(fetchedAt);
    });

    it('replaces the whole snapshot on a second write', async () => {
      await cache.write({ availability: morning, fetchedAt: fetchedAt }, { ttlMs: HOUR, keepMs: 7 * 24 * 3_600_000 });
      await cache.write({ availability: afternoon, fetchedAt: '2025-03-04T14:00:00.000-05:00' }, { ttlMs: HOUR, keepMs: 7 * 24 * 3_600_000 });
      expect(await cache.read()).toEqual({ availability: afternoon, lastRefresh: '2025-03-04T14:00:00.000-05:00' });
    });

    it('reports the remaining life of both keys from the ttl given', async () => {
      await cache.write({ availability: morning, fetchedAt: fetchedAt }, { ttlMs: HOUR, keepMs: 7 * 24 * 3_600_000 });
      const { availabilityMs, lastRefreshMs } = await cache.ttls();
      for (const ttl of [availabilityMs, lastRefreshMs]) {
        expect(ttl).not.toBeNull();
        expect(ttl!).toBeGreaterThan(HOUR - TOLERANCE_MS);
        expect(ttl!).toBeLessThanOrEqual(HOUR);
      }
    });

    it('clear removes both keys, their ttls and the refresh claim', async () => {
      await cache.write({ availability: morning, fetchedAt: fetchedAt }, { ttlMs: HOUR, keepMs: 7 * 24 * 3_600_000 });
      await cache.claim('refresh', HOUR);
      await cache.clear();
      expect(await cache.read()).toEqual({ availability: null, lastRefresh: null });
      expect(await cache.ttls()).toEqual({ availabilityMs: null, lastRefreshMs: null });
      expect(await cache.claim('refresh', HOUR)).toEqual({ kind: 'claimed' });
    });

    it('gives the refresh claim once; a second claimant learns how long it is held', async () => {
      expect(await cache.claim('refresh', 30_000)).toEqual({ kind: 'claimed' });
      const second = await cache.claim('refresh', 30_000);
      expect(second.kind).toBe('held');
      if (second.kind !== 'held') return;
      expect(second.remainingMs).toBeGreaterThan(0);
      expect(second.remainingMs).toBeLessThanOrEqual(30_000);
    });

    it('can be claimed again after releaseRefresh', async () => {
      expect(await cache.claim('refresh', 30_000)).toEqual({ kind: 'claimed' });
      await cache.release('refresh');
      expect(await cache.claim('refresh', 30_000)).toEqual({ kind: 'claimed' });
    });

    it('releasing without holding the claim is harmless', async () => {
      await expect(cache.release('refresh')).resolves.toBeUndefined();
      expect(await cache.claim('refresh', 30_000)).toEqual({ kind: 'claimed' });
    });

    it('lets a claim lapse after its ttl', async () => {
      expect(await cache.claim('refresh', 80)).toEqual({ kind: 'claimed' });
      await sleep(200);
      expect(await cache.claim('refresh', 80)).toEqual({ kind: 'claimed' });
    });

    it('keeps the last good snapshot whole (filledRooms too) after its data expires', async () => {
      expect(await cache.readLastGood()).toBeNull();
      await cache.write({ availability: morning, fetchedAt: fetchedAt }, { ttlMs: HOUR, keepMs: HOUR });
      expect(await cache.readLastGood()).toStrictEqual({ availability: morning, fetchedAt: fetchedAt });
      const filled = { availability: afternoon, fetchedAt: '2025-03-04T14:00:00.000-05:00', filledRooms: 2 };
      await cache.write(filled, { ttlMs: 150, keepMs: HOUR });
      await sleep(300);
      expect(await cache.read()).toEqual({ availability: null, lastRefresh: null });
      expect(await cache.readLastGood()).toStrictEqual(filled);
    });

    it('forgets written data after its ttl', async () => {
      await cache.write({ availability: morning, fetchedAt: fetchedAt }, { ttlMs: 150, keepMs: 7 * 24 * 3_600_000 });
      expect((await cache.read()).lastRefresh).toBe(fetchedAt);
      await sleep(300);
      expect(await cache.read()).toEqual({ availability: null, lastRefresh: null });
      expect(await cache.ttls()).toEqual({ availabilityMs: null, lastRefreshMs: null });
    });
  });
}
