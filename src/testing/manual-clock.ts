import { createCampusClock } from '../adapters/campus-clock.ts';
import type { ClockPort } from '../ports/clock-port.ts';

/** A campus clock (New York by default) that moves only when told to. */
export interface ManualClock extends ClockPort {
  advance(ms: number): void;
  set(iso: string): void;
  readonly epochMs: number;
}

export function createManualClock(startIso = '2026-11-26T12:00:00-05:00', zone = 'America/New_York'): ManualClock {
  let epochMs = Date.parse(startIso);
  const clock = createCampusClock({ zone, nowMs: () => epochMs });
  // Sleepers wake only when the test moves time past their moment (or their signal aborts), like fake timers.
  let sleepers: Array<{ at: number; wake: () => void }> = [];
  const wakeDue = () => {
    const due = sleepers.filter((s) => s.at <= epochMs);
    sleepers = sleepers.filter((s) => s.at > epochMs);
    for (const s of due) s.wake();
  };
  return {
    ...clock,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const wake = () => {
          sleepers = sleepers.filter((s) => s !== sleeper);
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        const sleeper = { at: epochMs + ms, wake };
        sleepers.push(sleeper);
        signal?.addEventListener('abort', wake, { once: true });
      }),
    advance(ms) {
      epochMs += ms;
      wakeDue();
    },
    set(iso) {
      epochMs = Date.parse(iso);
      wakeDue();
    },
    get epochMs() {
      return epochMs;
    },
  };
}
