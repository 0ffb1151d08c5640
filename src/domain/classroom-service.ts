import type { CachePort, CachedState, CacheTtls } from '../ports/cache-port.ts';
import type { ClockPort, Instant } from '../ports/clock-port.ts';
import type { ScheduleSourcePort } from '../ports/schedule-source-port.ts';
import type { Catalog } from './catalog.ts';
import { decideCooldown, type Cooldown } from './cooldown.ts';
import { NoDataError } from './errors.ts';
import { decideFreshness, type Freshness } from './freshness.ts';
import { createHeldSnapshot, type Held } from './held-snapshot.ts';
import { unknownRoomCount, type OpenClassrooms } from './organise.ts';
import { DEFAULT_POLICY, type ServicePolicy } from './service-policy.ts';
import type { ServiceEvent } from './service-events.ts';
import { createSharedFetch } from './shared-fetch.ts';
import type { Snapshot } from './snapshot.ts';

export type { ServiceEvent, ServicePolicy };

export interface ServiceDeps {
  cache: CachePort;
  source: ScheduleSourcePort;
  clock: ClockPort;
  catalog: Catalog;
  policy?: Partial<ServicePolicy>;
  onEvent?: (event: ServiceEvent) => void;
}

export type RefreshOutcome = { kind: 'refreshed'; at: string } | { kind: 'cooling'; remainingMs: number };

export interface ServiceStatus {
  lastRefresh: string | null;
  ageMs: number | null;
  freshness: Freshness;
  ttls: CacheTtls;
  cooldown: Cooldown;
}

/**
 * The cache-aside core. A process answers from the snapshot it holds, checks the shared cache for
 * a newer one at most every `recheckMs`, and fetches from 25Live when the data is not today's,
 * one fetch per process and day at a time. A failed fetch is never stored: the process serves
 * today's data if it has it, else the last good data marked stale, else a NoDataError.
 */
export function createClassroomService(deps: ServiceDeps) {
  const { cache, source, clock, catalog } = deps;
  const policy: ServicePolicy = { ...DEFAULT_POLICY, ...deps.policy };
  const emit = deps.onEvent ?? (() => {});
  const copy = createHeldSnapshot(catalog, clock, policy);
  const hold = copy.hold;
  let resolving: { date: string; promise: Promise<Held>; withinWait: Promise<Held | null> } | null = null;
  /** After a failed fetch, 25Live is not asked again for this day before `atMs`. */
  let retryPause: { date: string; atMs: number } | null = null;

  const parseStamp = (raw: string | null): Instant | null => (raw === null ? null : clock.parse(raw));
  const unknownRooms = (snapshot: { availability: CachedState['availability'] }) => (snapshot.availability ? unknownRoomCount(catalog, snapshot.availability) : 0);

  function freshnessOf(state: CachedState, now: Instant): Freshness {
    return decideFreshness({ ...policy, fetchedAt: parseStamp(state.lastRefresh), hasData: state.availability !== null, unknownRooms: unknownRooms(state), now });
  }

  const fetchAndStore = createSharedFetch({
    cache,
    source,
    clock,
    catalog,
    policy,
    emit,
    async freshInCache(now) {
      const state = await cache.read();
      return freshnessOf(state, now).kind === 'fresh' ? { availability: state.availability!, fetchedAt: state.lastRefresh! } : null;
    },
  });

  async function readState(): Promise<CachedState> {
    try {
      return await cache.read();
    } catch (error) {
      emit({ kind: 'cache-read-failed', error });
      const held = copy.current;
      return held ? { availability: held.snapshot.availability, lastRefresh: held.snapshot.fetchedAt } : { availability: null, lastRefresh: null };
    }
  }

  /** Today's data from the shared cache or this process, even if incomplete or past its expiry. */
  function todaysData(state: CachedState, now: Instant): Snapshot | null {
    if (state.availability && parseStamp(state.lastRefresh)?.date === now.date) return { availability: state.availability, fetchedAt: state.lastRefresh! };
    const held = copy.current;
    return held && held.fetchedAt.date === now.date ? held.snapshot : null;
  }

  /** The newer of the shared last good copy and this process's own. */
  async function lastGood(): Promise<Snapshot | null> {
    const stored = await cache.readLastGood().catch(() => null);
    const held = copy.current;
    if (!stored || !held) return stored ?? held?.snapshot ?? null;
    return (parseStamp(stored.fetchedAt)?.epochMs ?? 0) >= held.fetchedAt.epochMs ? stored : held.snapshot;
  }

  async function coolingAt(now: Instant): Promise<Extract<Cooldown, { kind: 'cooling' }> | null> {
    const cooldown = decideCooldown(parseStamp(await cache.readStamp()), now, policy.cooldownMs);
    return cooldown.kind === 'cooling' ? cooldown : null;
  }

  /** Concurrent callers of one day share one look at the cache (and at most one fetch). */
  function current(): NonNullable<typeof resolving> {
    const now = clock.now();
    if (resolving?.date !== now.date) {
      const promise = resolve(now).finally(() => {
        if (resolving?.promise === promise) resolving = null;
      });
      promise.catch(() => {});
      // One wait timer per resolution, started only when a caller waits (not for background looks).
      let wait: Promise<Held | null> | undefined;
      resolving = {
        date: now.date,
        promise,
        get withinWait() {
          if (!wait) {
            wait = Promise.race([promise, clock.sleep(policy.requestWaitMs).then(() => null)]);
            wait.catch(() => {}); // callers that await it still see the failure
          }
          return wait;
        },
      };
    }
    return resolving;
  }

  async function resolve(now: Instant): Promise<Held> {
    const held = copy.current;
    if (held && copy.isFresh(now.epochMs)) {
      const stamp = await cache.readStamp().catch(() => held.snapshot.fetchedAt); // Redis away: ours is still today's
      if (stamp === held.snapshot.fetchedAt) return hold(held.snapshot, false, now);
    }
    const state = await readState();
    // The shared copy cannot tell that some of its rooms were filled from earlier data; this process can.
    const ourIncompleteCopy = held !== null && held.snapshot.fetchedAt === state.lastRefresh && !copy.isFresh(now.epochMs);
    if (freshnessOf(state, now).kind === 'fresh' && !ourIncompleteCopy) return hold({ availability: state.availability!, fetchedAt: state.lastRefresh! }, false, now);
    const today = todaysData(state, now);
    if (retryPause?.date === now.date && now.epochMs < retryPause.atMs) return fallBack(today, now, null);
    try {
      const snapshot = await fetchAndStore(now, today, state.lastRefresh);
      retryPause = null;
      return hold(snapshot, false, now);
    } catch (error) {
      retryPause = { date: now.date, atMs: now.epochMs + policy.retryAfterFailureMs };
      return fallBack(today, now, error);
    }
  }

  /** When 25Live failed or is not to be asked yet: today's data, else the last good marked stale, else nothing. */
  async function fallBack(today: Snapshot | null, now: Instant, error: unknown): Promise<Held> {
    const good = today ? null : await lastGood();
    if (error !== null) emit({ kind: 'fetch-failed', error, serving: today ? 'today' : good ? 'last-good' : 'nothing' });
    if (today) return hold(today, false, now);
    if (good) return hold(good, true, now);
    throw new NoDataError('No data for today yet and 25Live could not be reached; try again shortly', { cause: error ?? undefined });
  }

  /** What to answer when a fetch outlasts `requestWaitMs`: what we hold (stale if not today's), or a clear NoDataError. */
  function whileSlow(): Held {
    const now = clock.now();
    const held = copy.current;
    if (!held) throw new NoDataError("25Live is slow to answer; today's data is still being fetched, try again in a few seconds");
    return held.stale || held.fetchedAt.date === now.date ? held : hold(held.snapshot, true, now);
  }

  return {
    /** The `/api/open-classrooms` body; the same object for as long as the snapshot is unchanged. */
    async openClassrooms(): Promise<OpenClassrooms> {
      const peeked = copy.peek();
      if (peeked) return peeked;
      // A slow 25Live must not hold students for a minute: the fetch goes on for later callers.
      return ((await current().withinWait) ?? whileSlow()).body;
    },

    /**
     * The hot path, with no I/O: the held answer while it is today's and fresh. When its look at
     * the shared cache is due, that look runs in the background and this caller is not kept waiting.
     */
    peek(): OpenClassrooms | undefined {
      const peeked = copy.peek();
      if (peeked || !copy.isFresh()) return peeked;
      current();
      return copy.current!.body;
    },

    /**
     * Fetches now unless within the cooldown. The stored stamp decides the cooldown; the `refresh`
     * claim only makes check-and-act atomic across callers and is given back once the refresh ends,
     * so an operator's DEL of the keys lifts the cooldown as it did in the old system.
     */
    async refresh(options: { force?: boolean } = {}): Promise<RefreshOutcome> {
      const now = clock.now();
      if (!options.force) {
        const cooling = await coolingAt(now);
        if (cooling) return cooling;
        const claim = await cache.claim('refresh', policy.cooldownMs);
        if (claim.kind === 'held') return { kind: 'cooling', remainingMs: claim.remainingMs };
      }
      try {
        // A refresh that ended between the look above and the claim has stored a new stamp.
        const cooling = options.force ? null : await coolingAt(now);
        if (cooling) return cooling;
        const state = await readState();
        const snapshot = await fetchAndStore(now, todaysData(state, now), state.lastRefresh);
        retryPause = null;
        hold(snapshot, false, now);
        return { kind: 'refreshed', at: snapshot.fetchedAt };
      } finally {
        if (!options.force) await cache.release('refresh').catch(() => {});
      }
    },

    /** Reads the shared stamp; rejects rather than guess "no cooldown" when it cannot. */
    async cooldown(): Promise<Cooldown> {
      return decideCooldown(parseStamp(await cache.readStamp()), clock.now(), policy.cooldownMs);
    },

    async lastUpdated(): Promise<string | null> {
      const stamp = await cache.readStamp().catch((error: unknown) => {
        emit({ kind: 'cache-read-failed', error });
        return copy.current?.snapshot.fetchedAt ?? null;
      });
      return parseStamp(stamp) ? stamp : null;
    },

    /** The start-up check: fetch only when the cached data is not today's. */
    async wakeUp(): Promise<Freshness> {
      const freshness = freshnessOf(await readState(), clock.now());
      if (freshness.kind === 'stale') await current().promise;
      return freshness;
    },

    async status(): Promise<ServiceStatus> {
      const [state, ttls] = await Promise.all([cache.read(), cache.ttls()]);
      const now = clock.now();
      const stamp = parseStamp(state.lastRefresh);
      return {
        lastRefresh: stamp ? stamp.iso : null,
        ageMs: stamp ? now.epochMs - stamp.epochMs : null,
        freshness: freshnessOf(state, now),
        ttls,
        cooldown: decideCooldown(stamp, now, policy.cooldownMs),
      };
    },

    clear: () => cache.clear(),
  };
}

export type ClassroomService = ReturnType<typeof createClassroomService>;
