import { createCampusClock } from '../../src/adapters/campus-clock.ts';
import { startTwentyFiveLiveSimulator } from '../../src/adapters/twenty-five-live-simulator/index.ts';
import { createTwentyFiveLiveSource } from '../../src/adapters/twenty-five-live-source.ts';
import { BU_CATALOG } from '../../src/catalog/bu.ts';
import { describe, expect, it } from 'vitest';
import type { ClockPort } from '../../src/ports/clock-port.ts';
import type { ScheduleSourcePort } from '../../src/ports/schedule-source-port.ts';
import { clockChecks, clockContract, createManualClock, createStubScheduleSource, sourceChecks, sourceContract } from '../../src/testing.ts';

clockContract('campus clock (luxon), New York', () => ({ clock: createCampusClock({ zone: 'America/New_York' }) }));
clockContract('campus clock (luxon), Los Angeles', () => ({ clock: createCampusClock({ zone: 'America/Los_Angeles' }) }));
clockContract('manual clock', () => {
  const clock = createManualClock('2026-03-08T01:30:00-05:00');
  return { clock, advance: (ms) => clock.advance(ms) };
});

const spaceIds = BU_CATALOG.classrooms.slice(0, 12).map((room) => room.spaceId);
sourceContract('stub source', async () => ({ source: createStubScheduleSource(), spaceIds, from: '2026-11-26' }));
sourceContract('25Live source over real HTTP, against the simulator', async () => {
  const simulator = await startTwentyFiveLiveSimulator({ catalog: BU_CATALOG, seed: 2, latencyMs: 30 });
  const source = createTwentyFiveLiveSource({ apiUrl: simulator.url, concurrency: 4 });
  return { source, spaceIds, from: '2026-11-26', cleanup: async () => void (await Promise.all([source.close(), simulator.close()])) };
});

// The contracts bite: an adapter that breaks one rule fails that rule's check, and a sound one passes it.
describe('the clock and source contracts catch a broken adapter', () => {
  const sound = createCampusClock({ zone: 'America/New_York' });
  const consistentNow = clockChecks['gives one consistent view of now: epoch ms, campus date and time, ISO text, next midnight']!;
  const parsing = clockChecks['parses its own ISO text back to the same moment, and anything else to null']!;

  it('a clock whose campus date is not that of its moment, or whose parse takes junk, fails; the sound one passes', async () => {
    await consistentNow({ clock: sound });
    await parsing({ clock: sound });
    const wrongDate: ClockPort = { ...sound, now: () => ({ ...sound.now(), date: '2001-01-01' }) };
    await expect(async () => consistentNow({ clock: wrongDate })).rejects.toThrow();
    const credulous: ClockPort = { ...sound, parse: (iso) => sound.parse(iso) ?? sound.now() };
    await expect(async () => parsing({ clock: credulous })).rejects.toThrow();
  });

  it('a source that leaves out the day asked for, or fails an abort with a plain Error, fails; the stub passes', async () => {
    const answers = sourceChecks['answers one promise per room, in the order asked, each with the day asked for among real dates']!;
    const abort = sourceChecks['rejects with an UpstreamError, soon, for every room when its signal is aborted']!;
    const stub = createStubScheduleSource();
    const subject = { spaceIds, from: '2026-11-26' };
    await answers({ ...subject, source: stub });
    await abort({ ...subject, source: stub });
    const dayless: ScheduleSourcePort = {
      fetchSchedules: (ids, from, signal) => stub.fetchSchedules(ids, from, signal).map(async (days) => (await days).filter((day) => day.date !== from)),
    };
    await expect(answers({ ...subject, source: dayless })).rejects.toThrow();
    const careless: ScheduleSourcePort = { fetchSchedules: (ids) => ids.map(() => Promise.reject(new Error('aborted, somehow'))) };
    await expect(abort({ ...subject, source: careless })).rejects.toThrow();
  });
});
