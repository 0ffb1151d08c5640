import type { ClockPort, Instant } from '../ports/clock-port.ts';
import type { Catalog } from './catalog.ts';
import { freshUntilMs } from './freshness.ts';
import { organiseByBuilding, unknownRoomCount, type OpenClassrooms } from './organise.ts';
import type { ServicePolicy } from './service-policy.ts';
import type { Snapshot } from './snapshot.ts';

/** The snapshot a process serves, with its answer built once and the moment to look at the shared cache again. */
export interface Held {
  snapshot: Snapshot;
  fetchedAt: Instant;
  body: OpenClassrooms;
  stale: boolean;
  recheckAtMs: number;
  /** When the data stops being fresh (never, for stale data, which is never fresh). */
  freshUntilMs: number;
}

/**
 * This process's copy of the data: answers without I/O until `recheckAtMs`, which never passes the
 * moment the data stops being fresh, and keeps the same answer object while the snapshot is unchanged.
 */
export function createHeldSnapshot(catalog: Catalog, clock: ClockPort, policy: ServicePolicy) {
  let held: Held | null = null;
  // Rooms filled from earlier data count as unknown here: the fetching process tries them again soon.
  const unknownRooms = (snapshot: Snapshot) => unknownRoomCount(catalog, snapshot.availability) + (snapshot.filledRooms ?? 0);

  return {
    get current(): Held | null {
      return held;
    },

    /** The answer while no look at the shared cache is due. */
    peek(): OpenClassrooms | undefined {
      return held && clock.nowMs() < held.recheckAtMs ? held.body : undefined;
    },

    /** True while the held data is today's and fresh by the clock alone (stale answers are never fresh). */
    isFresh(nowMs: number = clock.nowMs()): boolean {
      return held !== null && nowMs < held.freshUntilMs;
    },

    hold(snapshot: Snapshot, stale: boolean, now: Instant): Held {
      // A look that started before a newer snapshot landed must not put the older one back.
      const older = held !== null && !held.stale && !stale && (clock.parse(snapshot.fetchedAt)?.epochMs ?? 0) < held.fetchedAt.epochMs;
      if (held && older) return held;
      if (!held || held.snapshot.fetchedAt !== snapshot.fetchedAt || held.stale !== stale) {
        const body = organiseByBuilding(catalog, snapshot.availability, snapshot.fetchedAt);
        if (stale) body.stale = true;
        const fetchedAt = clock.parse(snapshot.fetchedAt) ?? now;
        held = { snapshot, fetchedAt, body, stale, recheckAtMs: 0, freshUntilMs: stale ? -Infinity : freshUntilMs(fetchedAt, unknownRooms(snapshot), policy) };
      }
      // Never a moment already past: data kept after its freshness (25Live failing) is looked at once a re-check.
      const nextLook = now.epochMs + policy.recheckMs;
      held.recheckAtMs = held.freshUntilMs > now.epochMs ? Math.min(nextLook, held.freshUntilMs) : nextLook;
      return held;
    },
  };
}
