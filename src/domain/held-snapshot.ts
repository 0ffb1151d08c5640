import type { Instant } from '../ports/clock-port.ts';
import type { Catalog } from './catalog.ts';
import { freshWindow } from './freshness.ts';
import { organiseByBuilding, type OpenClassrooms } from './organise.ts';
import type { ServicePolicy } from './service-policy.ts';
import type { Snapshot } from './snapshot.ts';

/**
 * How this process came to hold its copy: its own fetch, the store's copy, the rooms a running fetch
 * has so far (after the soft timeout), or the last good copy served while 25Live fails.
 */
export type HeldKind = 'fetched' | 'shared' | 'partial' | 'fallback';

export interface Held {
  snapshot: Snapshot;
  fetchedAt: Instant;
  kind: HeldKind;
  /** When it stops being fresh by the freshness rule; 0 once the store lost it (an operator's DEL). */
  freshUntilMs: number;
  /** The store refused it: it is offered again, never fetched again for that. */
  unstored: boolean;
}

/** Today's answer as the hot path serves it, with no I/O, until the day ends. */
interface View {
  endsMs: number;
  body: OpenClassrooms;
  /** From then on each answer also asks for a fetch in the background. */
  refetchAtMs: number;
}

const MEMO_LIMIT = 2_000;

const replaceable = (kind: HeldKind) => kind === 'partial' || kind === 'fallback';

/** The copy this process serves, with its answers built once per day asked for. Its one owner is the service. */
export function createHeldSnapshot(catalog: Catalog, policy: ServicePolicy) {
  let held: Held | null = null;
  let view: View | null = null;
  let nextStoreTryMs = 0;
  /**
   * Answers built from the held snapshot, once each. The days' bodies and lists are few (a handful a
   * covered day) and kept until the next snapshot; the answers to queries, which callers can vary at
   * will (free rooms at any minute), are bounded apart, so that no flood of them evicts a day's body
   * (its bytes, ETag and compressed variants are cached by that object).
   */
  const answers = new Map<string, unknown>();
  const queries = new Map<string, unknown>();
  function remembered<T>(memos: Map<string, unknown>, key: string, build: () => T, limit = Number.POSITIVE_INFINITY): T {
    if (memos.has(key)) return memos.get(key) as T;
    if (memos.size >= limit) memos.clear();
    const value = build();
    memos.set(key, value);
    return value;
  }
  const memo = <T>(key: string, build: () => T): T => remembered(answers, key, build);
  const memoQuery = <T>(key: string, build: () => T): T => remembered(queries, key, build, MEMO_LIMIT);

  /** The day of the held copy that answers for `date`: that day, or, in a copy that lacks it (only the fallback for today), the copy's own first day. */
  const dayFor = (date: string): string => (held!.snapshot.days[date] ? date : Object.keys(held!.snapshot.days)[0]!);

  function body(date: string, options: { stale: boolean; labelled: boolean }): OpenClassrooms {
    const { snapshot } = held!;
    // A copy that lacks the day shows its own day (labelled with it when asked by date), marked stale.
    const day = dayFor(date);
    return memo(`body|${day}|${options.stale}|${options.labelled}`, () =>
      organiseByBuilding(catalog, snapshot.days[day] ?? {}, snapshot.fetchedAt, { stale: options.stale, ...(options.labelled ? { date: day } : {}) }),
    );
  }

  return {
    get current(): Held | null {
      return held;
    },

    get view(): View | null {
      return view;
    },

    /** Holds `snapshot` unless it is older than the fetched or shared copy held now (a slow look must not undo a refresh). */
    hold(snapshot: Snapshot, fetchedAt: Instant, kind: HeldKind, unstored = false): boolean {
      if (held && !replaceable(held.kind) && (fetchedAt.epochMs < held.fetchedAt.epochMs || (fetchedAt.epochMs === held.fetchedAt.epochMs && kind !== 'fetched'))) return false;
      const failed = kind === 'partial' ? catalog.classrooms.length : (snapshot.failedRooms?.length ?? 0);
      const freshUntilMs = replaceable(kind) ? -Infinity : freshWindow(fetchedAt, failed, policy).untilMs;
      held = { snapshot, fetchedAt, kind, freshUntilMs, unstored };
      view = null;
      nextStoreTryMs = 0;
      answers.clear();
      queries.clear();
      return true;
    },

    /** Installs the held copy as today's answer for the hot path, and returns it. */
    serve(now: Instant, stale: boolean): OpenClassrooms {
      const answer = body(now.date, { stale, labelled: false });
      view = { endsMs: now.nextMidnightMs, body: answer, refetchAtMs: stale ? -Infinity : held!.freshUntilMs };
      return answer;
    },

    /** The answer for another day (or today asked for by date): built once per snapshot and day. */
    answerFor(date: string, stale: boolean): OpenClassrooms {
      return body(date, { stale, labelled: true });
    },

    memo,
    memoQuery,
    dayFor,

    /** The store lost our copy (an operator deleted the keys): it is fetched again, served meanwhile. */
    supersede(): void {
      if (!held) return;
      held.freshUntilMs = 0;
      if (view) view.refetchAtMs = 0;
    },

    /** True when a refused copy is due to be offered to the store again; counts the try. */
    storeDue(nowMs: number): boolean {
      if (!held?.unstored || nowMs < nextStoreTryMs) return false;
      nextStoreTryMs = nowMs + policy.storeRetryMs;
      return true;
    },

    stored(): void {
      if (held) held.unstored = false;
    },
  };
}

export type HeldSnapshot = ReturnType<typeof createHeldSnapshot>;
