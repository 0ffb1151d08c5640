import type { ScheduleDay } from '../domain/schedule.ts';

/**
 * Why: the domain needs rooms' bookings without knowing 25Live's wire format, transport or batching.
 * `fetchSchedules` starts fetching every room at once and returns one promise per room, in the order
 * of `spaceIds`: the days the source reports for that room from `from` (`YYYY-MM-DD`, campus
 * calendar), or a rejection with an `UpstreamError`; never a failure resolved as data. Aborting
 * `signal` must stop every request still running or queued.
 */
export interface ScheduleSourcePort {
  fetchSchedules(spaceIds: readonly number[], from: string, signal: AbortSignal): Array<Promise<ScheduleDay[]>>;
}
