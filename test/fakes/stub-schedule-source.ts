import type { ScheduleDay } from '../../src/domain/schedule.ts';
import { UpstreamError } from '../../src/domain/errors.ts';
import type { ScheduleSourcePort } from '../../src/ports/schedule-source-port.ts';

/** Answers each room from a table (default: nothing booked today); counts calls; can fail rooms. */
export function createStubScheduleSource(days: (spaceId: number, date: string) => ScheduleDay[] = (_, date) => [{ date, bookings: [] }]) {
  const failing = new Set<number>();
  let failAll = false;
  let delayMs = 0;
  const source: ScheduleSourcePort & {
    calls: number;
    fail(spaceIds: number[] | 'all' | 'none'): void;
    delay(ms: number): void;
  } = {
    calls: 0,
    fail(spaceIds) {
      failing.clear();
      failAll = spaceIds === 'all';
      if (Array.isArray(spaceIds)) spaceIds.forEach((id) => failing.add(id));
    },
    delay(ms) {
      delayMs = ms;
    },
    async fetchRoomSchedule(spaceId, date) {
      source.calls += 1;
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (failAll || failing.has(spaceId)) throw new UpstreamError(`stub: room ${spaceId} fails`, 'status');
      return days(spaceId, date);
    },
  };
  return source;
}
