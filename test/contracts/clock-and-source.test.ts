import { createCampusClock } from '../../src/adapters/campus-clock.ts';
import { startTwentyFiveLiveSimulator } from '../../src/adapters/twenty-five-live-simulator/index.ts';
import { createTwentyFiveLiveSource } from '../../src/adapters/twenty-five-live-source.ts';
import { BU_CATALOG } from '../../src/catalog/bu.ts';
import { clockContract, createManualClock, createStubScheduleSource, sourceContract } from '../../src/testing.ts';

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
