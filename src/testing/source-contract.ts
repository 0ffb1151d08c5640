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

/** The rules every ScheduleSourcePort must keep, each a check that rejects on a breach: `sourceContract` runs them, and they run on their own too. */
export const sourceChecks: Record<string, (subject: SourceUnderTest) => Promise<void>> = {
  'answers one promise per room, in the order asked, each with the day asked for among real dates': async ({ source, spaceIds, from }) => {
    const answers = source.fetchSchedules(spaceIds, from, new AbortController().signal);
    expect(answers).toHaveLength(spaceIds.length);
    for (const days of await Promise.all(answers)) {
      expect(days.map((day) => day.date)).toContain(from);
      for (const day of days) {
        expect(day.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(day.bookings === null || Array.isArray(day.bookings)).toBe(true);
      }
    }
  },
  'rejects with an UpstreamError, soon, for every room when its signal is aborted': async ({ source, spaceIds, from }) => {
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
  },
};

/** What every ScheduleSourcePort must do: one promise per room, in order, the day asked for among the days, and an abort that stops everything. */
export function sourceContract(name: string, make: () => Promise<SourceUnderTest>): void {
  describe(`schedule source contract: ${name}`, () => {
    for (const [rule, check] of Object.entries(sourceChecks)) {
      it(rule, async () => {
        const subject = await make();
        try {
          await check(subject);
        } finally {
          await subject.cleanup?.();
        }
      });
    }
  });
}
