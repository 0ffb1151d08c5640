import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../domain/errors.ts';
import type { ScheduleSourcePort } from '../ports/schedule-source-port.ts';

export interface SourceUnderTest {
  source: ScheduleSourcePort;
  /** Rooms the source knows. */
  spaceIds: number[];
  /** The day asked for. */
  from: string;
  cleanup?(): Promise<void>;
}

/** What every ScheduleSourcePort must do: one promise per room, in order, the day asked for among the days, and an abort that stops everything. */
export function sourceContract(name: string, make: () => Promise<SourceUnderTest>): void {
  describe(`schedule source contract: ${name}`, () => {
    it('answers one promise per room, in the order asked, each with the day asked for among real dates', async () => {
      const { source, spaceIds, from, cleanup } = await make();
      try {
        const answers = source.fetchSchedules(spaceIds, from, new AbortController().signal);
        expect(answers).toHaveLength(spaceIds.length);
        for (const days of await Promise.all(answers)) {
          expect(days.map((day) => day.date)).toContain(from);
          for (const day of days) {
            expect(day.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
            expect(day.bookings === null || Array.isArray(day.bookings)).toBe(true);
          }
        }
      } finally {
        await cleanup?.();
      }
    });

    it('rejects with an UpstreamError, soon, for every room when its signal is aborted', async () => {
      const { source, spaceIds, from, cleanup } = await make();
      try {
        const controller = new AbortController();
        const answers = source.fetchSchedules(spaceIds, from, controller.signal);
        controller.abort();
        const started = Date.now();
        const settled = await Promise.allSettled(answers);
        expect(Date.now() - started).toBeLessThan(2000);
        for (const answer of settled) {
          // A room may have been answered before the abort landed; none may fail with anything but an UpstreamError.
          if (answer.status === 'rejected') expect(answer.reason).toBeInstanceOf(UpstreamError);
        }
      } finally {
        await cleanup?.();
      }
    });
  });
}
