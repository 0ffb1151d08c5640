import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/domain/catalog.ts';
import { freeRoomsAt } from '../../src/domain/free-rooms.ts';
import type { OpenClassrooms } from '../../src/domain/organise.ts';
import { buildView } from '../../src/page/page-view.ts';
import { renderControls } from '../../src/page/render-controls.ts';
import { detailsText, offeredFilters } from '../../src/page/room-filters.ts';
import { DEFAULT_VIEW } from '../../src/page/view-state.ts';
import { RUNS } from './page-arbitraries.ts';

const FEATURES = ['Projector', 'Whiteboard', 'Lab benches', 'Video conferencing'];
const room = fc.record({
  capacity: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
  features: fc.option(
    fc.subarray(FEATURES).chain((list) => fc.constant(list.map((f, i) => (i % 2 ? f.toUpperCase() : f)))),
    { nil: undefined },
  ),
});
const query = fc.record({
  seats: fc.option(fc.integer({ min: 1, max: 300 }), { nil: null }),
  features: fc.subarray(
    FEATURES.map((f) => f.toLowerCase()),
    { maxLength: 2 },
  ),
});

/** Free all day, so every room is in the API's free rooms and only the filters decide. */
function fixture(rooms: Array<{ capacity?: number; features?: string[] }>) {
  const classrooms = rooms.map((r, i) => ({
    spaceId: i + 1,
    name: String(100 + i),
    building: 'LIB',
    ...(r.capacity === undefined ? {} : { capacity: r.capacity }),
    ...(r.features === undefined ? {} : { features: r.features }),
  }));
  const catalog: Catalog = { school: 'Example', timeZone: 'America/Los_Angeles', tenant: 'example', buildings: [{ code: 'LIB', name: 'Library', opens: 8, closes: 22 }], classrooms };
  const body: OpenClassrooms = {
    buildings: {
      LIB: {
        code: 'LIB',
        name: 'Library',
        classrooms: classrooms.map((c) => ({
          id: String(c.spaceId),
          name: c.name,
          availability: [{ start: '08:00:00', end: '22:00:00' }],
          ...(c.capacity === undefined ? {} : { capacity: c.capacity }),
          ...(c.features ? { features: c.features } : {}),
        })),
      },
    },
    last_updated: '2026-12-01T07:00:00.000-08:00',
  };
  return { catalog, body, availability: Object.fromEntries(classrooms.map((c) => [String(c.spaceId), [{ start: '08:00:00', end: '22:00:00' }]])) };
}

describe("the page's seats and features filters", () => {
  it("show exactly the rooms a plain oracle passes, and the same rooms the API's free rooms gives for the same filters", () => {
    fc.assert(
      fc.property(fc.array(room, { minLength: 1, maxLength: 12 }), query, (rooms, q) => {
        const { catalog, body, availability } = fixture(rooms);
        const view = buildView(body, { ...DEFAULT_VIEW, seats: q.seats, features: q.features }, { today: '2026-12-01', now: { date: '2026-12-01', time: '12:00' }, favourites: new Set() });
        const shown = view.buildings
          .flatMap((b) => b.rooms)
          .filter((r) => r.visible)
          .map((r) => r.id)
          .sort();
        const oracle = rooms
          .map((r, i) => ({ ...r, id: String(i + 1) }))
          .filter((r) => (q.seats === null || (r.capacity !== undefined && r.capacity >= q.seats)) && q.features.every((f) => (r.features ?? []).some((has) => has.toLowerCase() === f)))
          .map((r) => r.id)
          .sort();
        expect(shown).toEqual(oracle);
        const api = freeRoomsAt(catalog, availability, '12:00', 0, { ...(q.seats === null ? {} : { minCapacity: q.seats }), features: q.features });
        expect(api.map((r) => r.id).sort()).toEqual(oracle);
      }),
      RUNS,
    );
  });

  it('are offered only where the catalog has capacities or features, with each feature once', () => {
    const bare = fixture([{}, {}]).body;
    expect(offeredFilters(bare)).toEqual({ capacities: false, features: [] });
    expect(renderControls(DEFAULT_VIEW, ['2026-12-01'], offeredFilters(bare))).not.toMatch(/min_capacity|name="feature"/);
    const rich = fixture([{ capacity: 40, features: ['Projector', 'whiteboard'] }, { features: ['PROJECTOR', 'Lab benches'] }]).body;
    expect(offeredFilters(rich)).toEqual({ capacities: true, features: ['Lab benches', 'Projector', 'whiteboard'] });
    const html = renderControls({ ...DEFAULT_VIEW, seats: 30, features: ['projector'] }, ['2026-12-01'], offeredFilters(rich));
    expect(html).toContain('<select id="seats" name="min_capacity">');
    expect(html).toContain('<option value="30" selected>30+ seats</option>');
    expect(html.match(/name="feature"/g)).toHaveLength(3);
    expect(html).toMatch(/value="Projector" checked>/);
    expect(html).not.toMatch(/value="Lab benches" checked/);
  });

  it('say what the catalog knows of a room in words', () => {
    expect(detailsText({ capacity: 40, features: ['Projector', 'Whiteboard'] })).toBe('40 seats · Projector, Whiteboard');
    expect(detailsText({ capacity: 1 })).toBe('1 seat');
    expect(detailsText({ features: ['Lab benches'] })).toBe('Lab benches');
    expect(detailsText({})).toBe('');
  });
});
