import type { ScheduleDay } from '../domain/schedule.ts';

/**
 * Why: the domain needs each room's bookings without knowing 25Live's wire format or transport.
 * Rejects with an `UpstreamError` when the schedule cannot be had; never resolves a failure as data.
 */
export interface ScheduleSourcePort {
  /**
   * The days 25Live reports for one room from `date` (`YYYY-MM-DD`, campus calendar); an adapter
   * may return only the day `date` itself, the one the domain reads.
   */
  fetchRoomSchedule(spaceId: number, date: string): Promise<ScheduleDay[]>;
}
