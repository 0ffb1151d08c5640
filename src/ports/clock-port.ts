/** A moment as seen on the campus wall clock (America/New_York for BU). */
export interface Instant {
  epochMs: number;
  /** Calendar date on the campus wall clock, `YYYY-MM-DD`. */
  date: string;
  /** Wall-clock time of day, `HH:MM:SS`. */
  time: string;
  /** ISO 8601 with the campus offset, e.g. `2026-11-26T07:13:32.811-05:00`. */
  iso: string;
  /** Epoch ms of the next campus midnight (days are 23 or 25 hours at DST changes). */
  nextMidnightMs: number;
}

/** Why: the domain decides by the campus calendar day and must never read the system clock or start a timer itself. */
export interface ClockPort {
  now(): Instant;
  /** Epoch milliseconds only: the cheap reading for the hot path. */
  nowMs(): number;
  /** The campus view of any moment. */
  at(epochMs: number): Instant;
  /** Resolves once `ms` have passed, or at once when `signal` aborts (it never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Reads a stored ISO timestamp; null when it is not one. */
  parse(iso: string): Instant | null;
}
