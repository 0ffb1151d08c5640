import { BU_CATALOG, createClassroomService } from 'emptyclassroom';
import { clockContract, createManualClock, sourceContract, storeContract } from 'emptyclassroom/testing';
import { createCampusClock } from 'emptyclassroom/clock';
import { describe, expect, it } from 'vitest';
import { createMapStore } from '../src/map-store.js';
import { createTimetableSource } from '../src/timetable-source.js';

storeContract('Map store', async () => {
  const store = createMapStore();
  return { store, other: store, cleanup: async () => {} };
});

sourceContract('timetable source', async () => ({ source: createTimetableSource(), spaceIds: [342, 344], from: '2026-12-02' }));

clockContract('campus clock', () => ({ clock: createCampusClock({ zone: 'America/New_York' }) }));

describe('the service on these adapters', () => {
  it('lists the rooms free at 10:15 on a weekday as none, and at 12:00 as all, free until closing', async () => {
    const clock = createManualClock('2026-12-02T09:00:00-05:00');
    const store = createMapStore(() => clock.epochMs);
    const service = createClassroomService({ store, leases: store, backoffs: store, source: createTimetableSource(), sourceId: 'timetable:v1', clock, catalog: BU_CATALOG });
    expect((await service.freeRooms({ at: '10:15' })).rooms).toEqual([]);
    const noon = await service.freeRooms({ at: '12:00' });
    expect(noon.rooms).toHaveLength(BU_CATALOG.classrooms.length);
    expect(noon.rooms[0]).toMatchObject({ free_until: '23:00:00', minutes: 660 });
  });
});
