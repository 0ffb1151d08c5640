import type { BackoffPort } from '../ports/backoff-port.ts';
import type { ClockPort, Instant } from '../ports/clock-port.ts';
import type { Lease, LeasePort } from '../ports/lease-port.ts';
import type { ScheduleSourcePort } from '../ports/schedule-source-port.ts';
import type { SnapshotStorePort } from '../ports/snapshot-store-port.ts';
import { createBackoffGate } from './backoff.ts';
import type { Catalog } from './catalog.ts';
import { decideCooldown, type Cooldown } from './cooldown.ts';
import { candidateOf, decide, type Decision } from './decide.ts';
import { NoDataError } from './errors.ts';
import { createFleetFetch } from './fleet-fetch.ts';
import { freshness, trustedStamp, type Freshness } from './freshness.ts';
import { createHeldSnapshot, type HeldKind } from './held-snapshot.ts';
import type { OpenClassrooms } from './organise.ts';
import { createStoreWatch, type Copies } from './store-watch.ts';
import { DEFAULT_POLICY, type ServicePolicy } from './service-policy.ts';
import type { ServiceEvent } from './service-events.ts';
import type { Snapshot } from './snapshot.ts';

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

export type RefreshOutcome = { kind: 'refreshed'; at: string } | { kind: 'cooling'; remainingMs: number } | { kind: 'backoff'; retryAfterMs: number };

export type WakeUp = { kind: 'fresh' } | { kind: 'fetched'; failedRooms: number } | { kind: 'failed'; error: unknown } | { kind: 'serving-stale'; retryAfterMs: number };

const KIND: Record<'shared' | 'last-good' | 'partial', HeldKind> = { shared: 'shared', 'last-good': 'fallback', partial: 'partial' };

/**
 * The core. A request is answered from the copy this process holds; a timer looks in the store every
 * `recheckMs` for a newer one. Data that is not today's is fetched, once for the whole fleet; a
 * request waits for that at most the soft timeout, then gets what there is (decided by `decide`).
 */
export function createClassroomService(deps: ServiceDeps) {
  const { store, clock, catalog, sourceId } = deps;
  const policy: ServicePolicy = { ...DEFAULT_POLICY, ...deps.policy };
  const emit = deps.onEvent ?? (() => {});
  const held = createHeldSnapshot(catalog, policy); // what this process serves
  const gate = createBackoffGate(deps.backoffs, policy, emit); // the fleet's backoff, as last seen
  const fetches = createFleetFetch({ ...deps, gate, policy, emit }); // the one running fetch
  const watch = createStoreWatch({ store, clock, held, sourceId, policy, emit }); // the one running look at the store
  let loop: AbortController | null = null; // the recheck timer

  async function decideNow(now: Instant, date: string, options: { withLastGood: boolean; waited: boolean }): Promise<{ decision: Decision; copies: Copies }> {
    const copies = await watch.look(now, options.withLastGood && held.current?.fetchedAt.date !== now.date);
    const progress = fetches.progress;
    if (progress) copies.partial = { fetchedAt: progress.fetchedAt, source: sourceId, days: Object.fromEntries(Object.entries(progress.days).map(([d, a]) => [d, { ...a }])) };
    const ours = held.current;
    const candidate = (s: Snapshot | undefined) => (s ? candidateOf(clock.parse(s.fetchedAt)!, s.failedRooms?.length ?? 0, s.days, date, policy) : null);
    const partial = candidate(copies.partial);
    const decision = decide({
      now, date, shared: candidate(copies.shared), lastGood: candidate(copies['last-good']),
      held: ours && { fetchedAt: ours.fetchedAt, freshUntilMs: ours.freshUntilMs, hasDate: date in ours.snapshot.days },
      partial: partial && Object.keys(copies.partial!.days).length > 0 ? { ...partial, freshUntilMs: -Infinity } : null,
      backoffUntilMs: now.epochMs + gate.remainingMs(now.epochMs),
      fetching: fetches.runsFor(now.date),
      waited: options.waited,
    });
    return { decision, copies };
  }

  function apply({ decision, copies }: { decision: Decision; copies: Copies }, now: Instant, date: string | undefined): OpenClassrooms {
    if (decision.serve === 'fetch' || decision.serve === 'nothing') {
      throw new NoDataError(fetches.running ? "25Live is slow to answer; today's data is still being fetched, try again in a few seconds" : 'No data for today yet and 25Live could not be reached; try again shortly');
    }
    const copy = decision.serve === 'held' ? null : copies[decision.serve];
    if (copy) held.hold(copy, clock.parse(copy.fetchedAt)!, KIND[decision.serve as keyof typeof KIND]);
    if (decision.refetch) kick();
    const today = held.serve(now, held.current!.fetchedAt.date !== now.date);
    return date === undefined ? today : held.answerFor(date, held.current!.fetchedAt.date !== now.date);
  }

  /** Fetches (or takes what another instance fetched meanwhile) and holds the result. */
  async function fetchAndHold(now: Instant, options: { seenStamp?: string | null; notBeforeMs?: number; force?: boolean } = {}): Promise<Snapshot> {
    const ours = held.current;
    const earlier = ours && ours.kind !== 'partial' && ours.fetchedAt.date === now.date ? ours.snapshot : null;
    try {
      const { snapshot, stored } = await fetches.run({ now, seenStamp: options.seenStamp ?? ours?.snapshot.fetchedAt ?? null, earlier, ...options });
      const at = clock.now();
      const fetchedAt = clock.parse(snapshot.fetchedAt)!;
      if (held.hold(snapshot, fetchedAt, 'fetched', !stored)) held.serve(at, fetchedAt.date !== at.date);
      return snapshot;
    } catch (error) {
      emit({ kind: 'fetch-failed', error, serving: earlier ? 'today' : held.current ? 'stale' : 'nothing' });
      throw error;
    }
  }

  /** A fetch in the background, unless one runs or 25Live is not to be asked yet. */
  function kick(): void {
    const now = clock.now();
    if (!fetches.runsFor(now.date) && gate.remainingMs(now.epochMs) === 0) fetchAndHold(now).catch(() => {});
  }

  async function answer(date: string | undefined): Promise<OpenClassrooms> {
    let now = clock.now();
    let decided = await decideNow(now, date ?? now.date, { withLastGood: true, waited: false });
    if (decided.decision.serve === 'fetch') {
      const softTimeout = new AbortController();
      await Promise.race([fetchAndHold(now).catch(() => null), clock.sleep(policy.softTimeoutMs, softTimeout.signal)]);
      softTimeout.abort();
      now = clock.now();
      decided = await decideNow(now, date ?? now.date, { withLastGood: true, waited: true });
    }
    return apply(decided, now, date);
  }

  async function coolingAt(now: Instant): Promise<{ cooldown: Cooldown; stamp: string | null }> {
    const { stamp } = await store.readHead();
    return { cooldown: decideCooldown(trustedStamp(stamp, now, clock, policy.clockSkewMs), now, policy.cooldownMs), stamp };
  }

  return {
    /** The hot path, with no I/O: today's held answer while it lasts; a due re-fetch runs in the background. */
    peek(): OpenClassrooms | undefined {
      const view = held.view;
      const nowMs = clock.nowMs();
      if (!view || nowMs >= view.endsMs) return undefined;
      if (nowMs >= view.refetchAtMs) kick();
      return view.body;
    },

    /** The `/api/open-classrooms` body for today (the same object while the snapshot is unchanged), or for `date`. */
    openClassrooms(date?: string): Promise<OpenClassrooms> {
      const quick = date === undefined ? this.peek() : undefined;
      return quick ? Promise.resolve(quick) : answer(date);
    },

    /** Fetches now unless within the cooldown or the backoff; the `refresh` lease makes check-and-act atomic across the fleet. */
    async refresh(options: { force?: boolean } = {}): Promise<RefreshOutcome> {
      const now = clock.now();
      let claim: Lease | null = null;
      let seen = await coolingAt(now);
      if (!options.force) {
        await gate.sync();
        const pausedMs = gate.remainingMs(now.epochMs);
        if (pausedMs > 0) return { kind: 'backoff', retryAfterMs: pausedMs };
        if (seen.cooldown.kind === 'cooling') return seen.cooldown;
        const acquired = await deps.leases.acquire('refresh', policy.cooldownMs);
        if (acquired.kind === 'held') return { kind: 'cooling', remainingMs: acquired.remainingMs };
        claim = acquired.lease;
      }
      try {
        // A refresh that ended between the look above and the claim has stored a new stamp.
        if (claim && (seen = await coolingAt(now)).cooldown.kind === 'cooling') return seen.cooldown as RefreshOutcome;
        const snapshot = await fetchAndHold(now, { seenStamp: seen.stamp, force: options.force });
        return { kind: 'refreshed', at: snapshot.fetchedAt };
      } finally {
        await claim?.release().catch(() => {});
      }
    },

    /** Reads the shared stamp; rejects rather than guess "no cooldown" when it cannot. */
    async cooldown(): Promise<Cooldown> {
      return (await coolingAt(clock.now())).cooldown;
    },

    async lastUpdated(): Promise<string | null> {
      const head = await store.readHead().catch((error: unknown) => (emit({ kind: 'cache-read-failed', error }), null));
      if (!head) return held.current?.snapshot.fetchedAt ?? null;
      return head.source === sourceId && trustedStamp(head.stamp, clock.now(), clock, policy.clockSkewMs) ? head.stamp : null;
    },

    /** The start-up check: fetches when there is nothing fresh for today, and says what happened. */
    async wakeUp(): Promise<WakeUp> {
      const now = clock.now();
      const { decision, copies } = await decideNow(now, now.date, { withLastGood: true, waited: false });
      if (decision.serve !== 'fetch' && !('refetch' in decision && decision.refetch)) {
        if (decision.serve !== 'nothing') apply({ decision, copies }, now, undefined);
        return decision.serve === 'held' || decision.serve === 'shared' ? { kind: 'fresh' } : { kind: 'serving-stale', retryAfterMs: gate.remainingMs(now.epochMs) };
      }
      return fetchAndHold(now).then(
        (snapshot) => ({ kind: 'fetched', failedRooms: snapshot.failedRooms?.length ?? 0 }),
        (error: unknown) => ({ kind: 'failed', error }),
      );
    },

    /** For operators: the stored stamp, its age, freshness for today, the cooldown and the backoff. */
    async status(): Promise<{ lastRefresh: string | null; ageMs: number | null; freshness: Freshness; cooldown: Cooldown; backoffMs: number }> {
      const now = clock.now();
      const head = await store.readHead();
      await gate.sync();
      const stamp = head.source === sourceId ? trustedStamp(head.stamp, now, clock, policy.clockSkewMs) : null;
      const stored = stamp ? await store.read() : null;
      return {
        lastRefresh: stamp?.iso ?? null,
        ageMs: stamp ? now.epochMs - stamp.epochMs : null,
        freshness: freshness(stored ? stamp : null, stored?.failedRooms?.length ?? 0, now, policy),
        cooldown: decideCooldown(stamp, now, policy.cooldownMs),
        backoffMs: gate.remainingMs(now.epochMs),
      };
    },

    /** Starts the recheck timer: the store is looked at every `recheckMs`, whether requests come or not. */
    start(): void {
      if (loop) return;
      const signal = (loop = new AbortController()).signal;
      void (async () => {
        while (!signal.aborted) {
          await clock.sleep(policy.recheckMs, signal);
          if (signal.aborted) return;
          const now = clock.now();
          const decided = await decideNow(now, now.date, { withLastGood: false, waited: true }).catch(() => null);
          // The timer adopts a newer snapshot and keeps today's fresh; a new day is fetched on demand or on schedule.
          if (decided && (decided.decision.serve === 'shared' || (decided.decision.serve === 'held' && decided.decision.refetch))) apply(decided, now, undefined);
        }
      })();
    },

    stop(): void {
      loop?.abort();
      loop = null;
    },
  };
}

export type ClassroomService = ReturnType<typeof createClassroomService>;
