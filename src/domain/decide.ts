import type { Instant } from '../ports/clock-port.ts';
import { freshWindow } from './freshness.ts';
import type { ServicePolicy } from './service-policy.ts';

/** A copy of the data the service could serve, reduced to what the decision needs. */
export interface Candidate {
  fetchedAt: Instant;
  /** From the freshness rule (`freshWindow`); 0 or less for a copy that is never fresh. */
  freshUntilMs: number;
  /** It holds the day asked for. */
  hasDate: boolean;
}

export interface DecisionInput {
  now: Instant;
  /** The day asked for (`YYYY-MM-DD`); today unless a date was given. */
  date: string;
  /** This process's copy. */
  held: Candidate | null;
  /** The store's copy, when it differs from the held one. */
  shared: Candidate | null;
  /** The last good copy, when it was read. */
  lastGood: Candidate | null;
  /** The rooms a running fetch of this process has so far. */
  partial: Candidate | null;
  /** 25Live may not be asked before this (the fleet's backoff). */
  backoffUntilMs: number;
  /** A fetch for today is running already: it is joined, not started twice. */
  fetching: boolean;
  /** The caller has already waited for a fetch (up to the soft timeout): it is served what there is. */
  waited: boolean;
}

export type CopyName = 'held' | 'shared' | 'last-good' | 'partial';

export type Decision =
  /** Serve that copy; `stale` unless it is today's fetch of the day asked for; `refetch` starts a fetch in the background. */
  | { serve: CopyName; stale: boolean; refetch: boolean }
  /** Nothing of today's is here and a fetch runs or may start: join or start it, and wait for it up to the soft timeout. */
  | { serve: 'fetch' }
  | { serve: 'nothing' };

/** The copy fetched last; on equal stamps the one listed first (ours: nothing new to read). */
const newest = (pairs: Array<[CopyName, Candidate | null]>): [CopyName, Candidate] | undefined =>
  pairs.filter((pair): pair is [CopyName, Candidate] => pair[1] !== null).sort((a, b) => b[1].fetchedAt.epochMs - a[1].fetchedAt.epochMs)[0];

/**
 * What to serve, in order: a fresh copy (the newer of ours and the store's); else today's data
 * even if incomplete or expired, at once, with a fetch in the background (a re-fetch never makes a
 * request wait); else a fetch, running or allowed to start, waited for once; else the newest copy that has the day, marked
 * stale unless fetched today (the last good copy may be); else what a running fetch has so far; else, for today, the newest copy of an earlier day,
 * marked stale; else nothing.
 */
export function decide(input: DecisionInput): Decision {
  const { now, held, shared } = input;
  const fetchedToday = (c: Candidate | null): c is Candidate => c?.hasDate === true && c.fetchedAt.date === now.date;
  const fresh = (c: Candidate | null): c is Candidate => fetchedToday(c) && now.epochMs < c.freshUntilMs;
  const mayStart = !input.fetching && now.epochMs >= input.backoffUntilMs;

  for (const test of [fresh, fetchedToday]) {
    const best = newest([
      ['held', test(held) ? held : null],
      ['shared', test(shared) ? shared : null],
    ]);
    if (best) return { serve: best[0], stale: false, refetch: test === fetchedToday && mayStart };
  }
  if (!input.waited && (input.fetching || mayStart)) return { serve: 'fetch' };

  const copies: Array<[CopyName, Candidate | null]> = [
    ['held', held],
    ['shared', shared],
    ['last-good', input.lastGood],
  ];
  const withDate = newest(copies.map(([name, c]) => [name, c?.hasDate ? c : null]));
  if (withDate) return { serve: withDate[0], stale: !fetchedToday(withDate[1]), refetch: false };
  if (input.partial?.hasDate) return { serve: 'partial', stale: false, refetch: false };
  // Today falls back to another day's data only when no copy has today at all.
  const any = input.date === now.date ? newest(copies) : undefined;
  return any ? { serve: any[0], stale: true, refetch: false } : { serve: 'nothing' };
}

/** A stored or fetched snapshot as a candidate for the day asked for, by the freshness rule. */
export function candidateOf(fetchedAt: Instant, failedRooms: number, days: Record<string, unknown>, date: string, policy: Pick<ServicePolicy, 'ttlMs' | 'incompleteRetryMs'>): Candidate {
  return { fetchedAt, freshUntilMs: freshWindow(fetchedAt, failedRooms, policy).untilMs, hasDate: date in days };
}
