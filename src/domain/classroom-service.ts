import type { CachePort, CachedState, CacheTtls } from '../ports/cache-port.ts';
import type { ClockPort, Instant } from '../ports/clock-port.ts';
import type { ScheduleSourcePort } from '../ports/schedule-source-port.ts';
import type { Catalog } from './catalog.ts';
import { decideCooldown, type Cooldown } from './cooldown.ts';
import { NoDataError } from './errors.ts';
import { fetchAvailability } from './fetch-availability.ts';
import { decideFreshness, snapshotTtlMs, type Freshness } from './freshness.ts';
import { organiseByBuilding, unknownRoomCount, type OpenClassrooms } from './organise.ts';
import type { Snapshot } from './snapshot.ts';

export interface ServicePolicy {
  cooldownMs: number;
  /** Longest life of a snapshot, cut further at the next campus midnight. */
  maxAgeMs: number;
  /** A snapshot with unknown rooms is fetched again after this long. */
  incompleteRetryMs: number;
}

export const DEFAULT_POLICY: ServicePolicy = { cooldownMs: 30 * 60_000, maxAgeMs: 24 * 3_600_000, incompleteRetryMs: 5 * 60_000 };

export type ServiceEvent =
  | { kind: 'fetched'; rooms: number; failedRooms: number[]; ms: number }
  | { kind: 'cache-write-failed'; error: unknown }
  | { kind: 'cache-read-failed'; error: unknown };

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

/** The cache-aside core: today's free rooms, refreshes under a cooldown, one upstream fetch at a time per process. */
export function createClassroomService(deps: ServiceDeps) {
  const { cache, source, clock, catalog } = deps;
  const policy: ServicePolicy = { ...DEFAULT_POLICY, ...deps.policy };
  const emit = deps.onEvent ?? (() => {});
  let inFlight: Promise<Snapshot> | null = null;
  // The last snapshot this process saw: answers reads while the shared cache is unreachable.
  let remembered: Snapshot | null = null;

  const parseStamp = (raw: string | null): Instant | null => (raw === null ? null : clock.parse(raw));

  function freshnessOf(state: CachedState, now: Instant): Freshness {
    return decideFreshness({
      fetchedAt: parseStamp(state.lastRefresh),
      hasData: state.availability !== null,
      unknownRooms: state.availability ? unknownRoomCount(catalog, state.availability) : 0,
      now,
      maxAgeMs: policy.maxAgeMs,
      incompleteRetryMs: policy.incompleteRetryMs,
    });
  }

  async function readState(): Promise<CachedState> {
    try {
      return await cache.read();
    } catch (error) {
      emit({ kind: 'cache-read-failed', error });
      if (remembered) return { availability: remembered.availability, lastRefresh: remembered.fetchedAt };
      return { availability: null, lastRefresh: null };
    }
  }

  function fetchAndStore(): Promise<Snapshot> {
    inFlight ??= (async () => {
      const now = clock.now();
      const { availability, failures } = await fetchAvailability(source, catalog, now.date);
      emit({ kind: 'fetched', rooms: catalog.classrooms.length, failedRooms: failures.map((f) => f.spaceId), ms: clock.now().epochMs - now.epochMs });
      const snapshot: Snapshot = { availability, fetchedAt: now.iso };
      remembered = snapshot;
      try {
        await cache.write(availability, now.iso, snapshotTtlMs(now, policy.maxAgeMs));
      } catch (error) {
        emit({ kind: 'cache-write-failed', error });
      }
      return snapshot;
    })().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  async function todaysSnapshot(): Promise<Snapshot> {
    const state = await readState();
    if (freshnessOf(state, clock.now()).kind === 'fresh') {
      return { availability: state.availability!, fetchedAt: state.lastRefresh! };
    }
    try {
      return await fetchAndStore();
    } catch (error) {
      throw new NoDataError('No data for today yet and 25Live could not be reached; try again shortly', { cause: error });
    }
  }

  return {
    async openClassrooms(): Promise<OpenClassrooms> {
      const snapshot = await todaysSnapshot();
      return organiseByBuilding(catalog, snapshot.availability, snapshot.fetchedAt);
    },

    /** Fetches now unless within the cooldown; the claim makes the check-and-act atomic across callers. */
    async refresh(options: { force?: boolean } = {}): Promise<RefreshOutcome> {
      if (!options.force) {
        const state = await cache.read();
        const cooldown = decideCooldown(parseStamp(state.lastRefresh), clock.now(), policy.cooldownMs);
        if (cooldown.kind === 'cooling') return cooldown;
        const claim = await cache.claimRefresh(policy.cooldownMs);
        if (claim.kind === 'held') return { kind: 'cooling', remainingMs: claim.remainingMs };
      }
      try {
        const snapshot = await fetchAndStore();
        return { kind: 'refreshed', at: snapshot.fetchedAt };
      } catch (error) {
        if (!options.force) await cache.releaseRefresh().catch(() => {});
        throw error;
      }
    },

    /** Reads the shared cache; rejects rather than guess "no cooldown" when it cannot. */
    async cooldown(): Promise<Cooldown> {
      const state = await cache.read();
      return decideCooldown(parseStamp(state.lastRefresh), clock.now(), policy.cooldownMs);
    },

    async lastUpdated(): Promise<string | null> {
      const state = await readState();
      return parseStamp(state.lastRefresh) ? state.lastRefresh : null;
    },

    /** The start-up check: fetch only when the cached data is not today's. */
    async wakeUp(): Promise<Freshness> {
      const freshness = freshnessOf(await readState(), clock.now());
      if (freshness.kind === 'stale') await fetchAndStore();
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
