import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OpenClassrooms } from '../../src/domain/organise.ts';
import { buildView, type PageView } from '../../src/page/page-view.ts';
import { DEFAULT_VIEW, type ViewState } from '../../src/page/view-state.ts';
import { bodyAndMoment, oracleSlotAt, RUNS, toSeconds } from './page-arbitraries.ts';

const slot = (start: string, end: string) => ({ start: `${start}:00`, end: `${end}:00` });
const BODY: OpenClassrooms = {
  buildings: {
    CAS: {
      code: 'CAS',
      name: 'College of Arts & Sciences',
      classrooms: [
        { id: '1', name: '116', availability: [slot('07:00', '09:44'), slot('11:01', '23:00')] },
        { id: '2', name: '114B', availability: [slot('07:00', '15:00')] },
        { id: '3', name: 'B12', availability: [slot('16:00', '23:00')] },
        { id: '4', name: '114A', availability: [] },
        { id: '5', name: '114', availability: [], status: 'unknown' },
      ],
    },
    CGS: { code: 'CGS', name: 'College of General Studies', classrooms: [{ id: '9', name: '511', availability: [slot('13:00', '14:30')] }] },
  },
  last_updated: '2026-12-01T07:13:32.811-05:00',
};
const NOW = { today: '2026-12-01', now: { date: '2026-12-01', time: '14:00' }, favourites: new Set<string>() };
const view = (state: Partial<ViewState> = {}, context: Partial<typeof NOW> = {}): PageView => buildView(BODY, { ...DEFAULT_VIEW, ...state }, { ...NOW, ...context });
const ids = (v: PageView, code = 'CAS') => v.buildings.find((b) => b.code === code)!.rooms.map((r) => r.id);

describe('the page view', () => {
  it('puts rooms in natural order: letters first, a bare number before its lettered variants', () => {
    expect(view().buildings[0]!.rooms.map((r) => r.label)).toEqual(['CAS B12', 'CAS 114', 'CAS 114A', 'CAS 114B', 'CAS 116']);
  });

  it('puts the longest free first, then the soonest free again, then the rest', () => {
    expect(ids(view({ order: 'longest' }))).toEqual(['1', '2', '3', '5', '4']);
  });

  it('pins favourites on top, out of their buildings, in building order', () => {
    const v = view({}, { favourites: new Set(['9', '1']) });
    expect(v.pinned.map((r) => r.label)).toEqual(['CAS 116', 'CGS 511']);
    expect(ids(v)).not.toContain('1');
    expect(ids(v, 'CGS')).toEqual([]);
    expect(view({ fav: true }, { favourites: new Set(['2']) }).shown).toBe(1);
  });

  it('counts the rooms available in each section, under the search, and says "unavailable" for none', () => {
    const v = view({ q: 'cas 11' });
    expect(v.buildings.map((b) => [b.code, b.shown, b.available])).toEqual([
      ['CAS', 4, 2],
      ['CGS', 0, 0],
    ]);
    expect(v.searching).toBe(true);
    expect(v.summary).toBe('4 of 6 rooms shown, 2 free now');
  });

  it('shows a picked time and day as such, not as now', () => {
    expect(view().headline).toBe('Free now, 2:00 PM');
    expect(view().buildings[0]!.rooms.find((r) => r.id === '1')!.statusText).toBe('Free now until 11:00 PM');
    const later = view({ at: '15:30' });
    expect(later.headline).toBe('Free at 3:30 PM');
    expect(later.summary).toBe('1 of 6 rooms free at 3:30 PM');
    expect(later.buildings[0]!.rooms.find((r) => r.id === '3')!.statusText).toBe('Free from 4:00 PM');
    expect(view({ date: '2026-12-02' }).moment).toEqual({ date: '2026-12-02', at: '14:00', isNow: false });
    expect(view({ date: '2026-12-02' }).dateText).toBe('Wednesday, December 2');
  });

  it('shows, with "for", exactly the rooms free at the moment for at least that long', () => {
    fc.assert(
      fc.property(bodyAndMoment, fc.integer({ min: 0, max: 600 }), ([b, at], minutes) => {
        const v = buildView(b, { ...DEFAULT_VIEW, at, for: minutes }, NOW);
        const expected = Object.values(b.buildings)
          .flatMap((x) => x.classrooms)
          .filter((r) => {
            const held = r.status === 'unknown' ? undefined : oracleSlotAt(r.availability, at);
            return held !== undefined && Math.floor((toSeconds(held.end) - toSeconds(at)) / 60) >= minutes;
          });
        const shown = v.buildings.flatMap((x) => x.rooms).filter((r) => r.visible);
        expect(shown.map((r) => r.id).sort()).toEqual(expected.map((r) => r.id).sort());
        expect(v.shown).toBe(expected.length);
      }),
      RUNS,
    );
  });
});
