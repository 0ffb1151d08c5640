import { createNewYorkClock } from '../../src/adapters/new-york-clock.ts';
import type { ClockPort } from '../../src/ports/clock-port.ts';

/** A New York clock that moves only when told to. */
export interface ManualClock extends ClockPort {
  advance(ms: number): void;
  set(iso: string): void;
  readonly epochMs: number;
}

export function createManualClock(startIso = '2026-11-26T12:00:00-05:00'): ManualClock {
  let epochMs = Date.parse(startIso);
  const clock = createNewYorkClock({ nowMs: () => epochMs });
  // Sleepers wake only when the test moves time past their moment, like fake timers.
  let sleepers: Array<{ at: number; wake: () => void }> = [];
  const wakeDue = () => {
    const due = sleepers.filter((s) => s.at <= epochMs);
    sleepers = sleepers.filter((s) => s.at > epochMs);
    due.forEach((s) => s.wake());
  };
  return {
    ...clock,
    sleep: (ms) => new Promise<void>((wake) => {
      sleepers.push({ at: epochMs + ms, wake });
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
