import type { ClockPort, Instant } from '../ports/clock-port.ts';
import type { BackoffGate } from './backoff.ts';
import { candidateOf, decide, type Decision } from './decide.ts';
import { NoDataError } from './errors.ts';
import type { FleetFetch } from './fleet-fetch.ts';
import type { HeldKind, HeldSnapshot } from './held-snapshot.ts';
import { createMinuteClock } from './minute-clock.ts';
import type { OpenClassrooms } from './organise.ts';
import type { ServiceEvent, Serving } from './service-events.ts';
import type { ServicePolicy } from './service-policy.ts';
import type { Snapshot } from './snapshot.ts';
import type { Copies, StoreWatch } from './store-watch.ts';

export interface AnsweringDeps {
  held: HeldSnapshot;
  gate: BackoffGate;
  fetches: FleetFetch;
  watch: StoreWatch;
  clock: ClockPort;
  policy: ServicePolicy;
  sourceId: string;
  emit: (event: ServiceEvent) => void;
}

const KIND: Record<'shared' | 'last-good' | 'partial', HeldKind> = { shared: 'shared', 'last-good': 'fallback', partial: 'partial' };

/**
 * The read side: what the copies are, what `decide` makes of them, and carrying that out (holding a
 * copy, starting a fetch in the background, waiting for one up to the soft timeout).
 */
export function createAnswering({ held, gate, fetches, watch, clock, policy, sourceId, emit }: AnsweringDeps) {
  const minute = createMinuteClock(clock);
  const reported = new WeakSet<object>();
  const candidate = (snapshot: Snapshot | undefined, date: string) => (snapshot ? candidateOf(clock.parse(snapshot.fetchedAt)!, snapshot.failedRooms?.length ?? 0, snapshot.days, date, policy) : null);

  /** The copies there are now (the store's, the last good one, the running fetch's rooms so far) and the decision on them. */
  async function decideNow(now: Instant, date: string, options: { withLastGood: boolean; waited: boolean }): Promise<{ decision: Decision; copies: Copies }> {
    const copies = await watch.look(now, options.withLastGood && held.current?.fetchedAt.date !== now.date);
    const progress = fetches.progress;
    const ours = held.current;
    // Looked at, not copied: a copy is made only if it is served (a stampede decides a thousand times).
    const partial = progress && Object.keys(progress.days).length > 0 ? candidate({ fetchedAt: progress.fetchedAt, source: sourceId, days: progress.days }, date) : null;
    const decision = decide({
      now,
      date,
      held: ours && { fetchedAt: ours.fetchedAt, freshUntilMs: ours.freshUntilMs, hasDate: date in ours.snapshot.days },
      shared: candidate(copies.shared, date),
      lastGood: candidate(copies['last-good'], date),
      partial: partial && { ...partial, freshUntilMs: -Infinity }, // rooms so far are never fresh
      backoffUntilMs: now.epochMs + gate.remainingMs(now.epochMs),
      fetching: fetches.runsFor(now.date),
      waited: options.waited,
    });
    return { decision, copies };
  }

  /** Carries a decision out and installs the answer for today, the hot path's. */
  function apply({ decision, copies }: { decision: Decision; copies: Copies }, now: Instant): OpenClassrooms {
    if (decision.serve === 'fetch' || decision.serve === 'nothing') {
      throw new NoDataError(
        fetches.running ? "25Live is slow to answer; today's data is still being fetched, try again in a few seconds" : 'No data for today yet and 25Live could not be reached; try again shortly',
      );
    }
    if (decision.serve !== 'held') {
      const copy = decision.serve === 'partial' ? roomsSoFar() : copies[decision.serve];
      if (copy) held.hold(copy, clock.parse(copy.fetchedAt)!, KIND[decision.serve]);
    }
    if (!held.current) throw new NoDataError("25Live is slow to answer; today's data is still being fetched, try again in a few seconds");
    if (decision.refetch) kick();
    return held.serve(now, decision.stale);
  }

  /** The running fetch's rooms so far, copied: the fetch goes on writing into its own. */
  function roomsSoFar(): Snapshot | undefined {
    const progress = fetches.progress;
    return progress ? { fetchedAt: progress.fetchedAt, source: sourceId, days: Object.fromEntries(Object.entries(progress.days).map(([day, rooms]) => [day, { ...rooms }])) } : undefined;
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
      // Every caller that joined the one fetch gets the same error: it is reported once.
      if (!(error instanceof Object) || !reported.has(error)) {
        if (error instanceof Object) reported.add(error);
        // Said once the store has been looked at, without holding the callers up for it.
        void servingNow().then(
          (serving) => emit({ kind: 'fetch-failed', error, serving }),
          () => emit({ kind: 'fetch-failed', error, serving: 'nothing' }),
        );
      }
      throw error;
    }
  }

  /** What a request arriving now gets, decided as one is after waiting for the fetch (the store's looks never reject). */
  async function servingNow(): Promise<Serving> {
    const now = clock.now();
    const { decision } = await decideNow(now, now.date, { withLastGood: true, waited: true });
    if (decision.serve === 'fetch' || decision.serve === 'nothing') return 'nothing';
    return decision.stale ? 'stale' : 'today';
  }

  /** A background fetch unless one runs or the backoff holds (checked cheaply: the hot path calls this while a re-fetch is due). */
  function kick(): void {
    if (gate.remainingMs(clock.nowMs()) > 0 || fetches.runsFor(minute().date)) return;
    const now = clock.now();
    fetchAndHold(now).catch(() => {});
  }

  return {
    decideNow,
    apply,
    fetchAndHold,
    servingNow,

    /** The hot path, with no I/O: today's held answer while it lasts; a due re-fetch starts in the background. */
    peek(): OpenClassrooms | undefined {
      const view = held.view;
      const nowMs = clock.nowMs();
      if (!view || nowMs >= view.endsMs) return undefined;
      if (nowMs >= view.refetchAtMs) kick();
      return view.body;
    },

    /** Today's answer: the hot path's, or decided now, waiting for a fetch up to the soft timeout if that is the decision. */
    async today(): Promise<OpenClassrooms> {
      const quick = this.peek();
      if (quick) return quick;
      let now = clock.now();
      let decided = await decideNow(now, now.date, { withLastGood: true, waited: false });
      if (decided.decision.serve === 'fetch') {
        const softTimeout = new AbortController();
        await Promise.race([fetchAndHold(now).catch(() => null), clock.sleep(policy.softTimeoutMs, softTimeout.signal)]);
        softTimeout.abort();
        now = clock.now();
        decided = await decideNow(now, now.date, { withLastGood: true, waited: true });
      }
      return apply(decided, now);
    },
  };
}
