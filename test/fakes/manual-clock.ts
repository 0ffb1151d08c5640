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
  return {
    ...clock,
    advance(ms) {
      epochMs += ms;
    },
    set(iso) {
      epochMs = Date.parse(iso);
    },
    get epochMs() {
      return epochMs;
    },
  };
}
