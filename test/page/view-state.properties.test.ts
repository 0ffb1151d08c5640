import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/calendar.ts';
import { normaliseFeatures } from '../../src/page/room-filters.ts';
import { MAX_FEATURE, MAX_FEATURES, MAX_QUERY, parseViewState, serialiseViewState, type ViewState } from '../../src/page/view-state.ts';
import { minuteOfDay, hhmm, RUNS } from './page-arbitraries.ts';

const DATES = Array.from({ length: 32 }, (_, i) => addDays('2026-12-01', i));
const state: fc.Arbitrary<ViewState> = fc.record({
  q: fc.string({ maxLength: MAX_QUERY }),
  date: fc.option(fc.constantFrom(...DATES.slice(1)), { nil: null }),
  at: fc.option(minuteOfDay.map(hhmm), { nil: null }),
  for: fc.option(fc.integer({ min: 0, max: 1440 }), { nil: null }),
  order: fc.constantFrom('name' as const, 'longest' as const),
  fav: fc.boolean(),
  seats: fc.option(fc.integer({ min: 1, max: 9999 }), { nil: null }),
  features: fc.array(fc.string({ minLength: 1, maxLength: MAX_FEATURE }), { maxLength: MAX_FEATURES }).map(normaliseFeatures),
});
const junk = fc.oneof(fc.string(), fc.constantFrom('25:00', '14:60', '-5', '1441', '2026-11-30', '2027-02-30', '0x10', ' 60', '14:00:00', 'longest ', '1'));

describe('the view in the URL', () => {
  it('comes back as it went: parse(serialise(view)) is the view', () => {
    fc.assert(
      fc.property(state, (s) => {
        expect(parseViewState(serialiseViewState(s), DATES)).toEqual(s);
      }),
      RUNS,
    );
    expect(serialiseViewState({ q: 'cas', date: '2026-12-03', at: '14:00', for: 60, order: 'name', fav: false, seats: null, features: [] })).toBe('?q=cas&date=2026-12-03&at=14%3A00&for=60');
    expect(serialiseViewState({ q: '', date: null, at: null, for: null, order: 'name', fav: false, seats: 30, features: ['Projector', 'Lab benches'] })).toBe(
      '?min_capacity=30&feature=Projector&feature=Lab+benches',
    );
  });

  it('drops what cannot be shown (a past day, 25:00, -5 minutes) and keeps the rest, for any query string', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('q', 'date', 'at', 'for', 'order', 'fav', 'min_capacity', 'feature', 'x'), junk), (params) => {
        const parsed = parseViewState(new URLSearchParams(params).toString(), DATES);
        expect(parsed.date === null || DATES.slice(1).includes(parsed.date)).toBe(true);
        expect(parsed.at === null || /^([01]\d|2[0-3]):[0-5]\d$/.test(parsed.at)).toBe(true);
        expect(parsed.for === null || (Number.isInteger(parsed.for) && parsed.for >= 0 && parsed.for <= 1440)).toBe(true);
        expect(parsed.q.length).toBeLessThanOrEqual(MAX_QUERY);
        expect(parsed.seats === null || (Number.isInteger(parsed.seats) && parsed.seats >= 1 && parsed.seats <= 9999)).toBe(true);
        expect(parsed.features.length).toBeLessThanOrEqual(MAX_FEATURES);
        // One URL per view: what it writes back parses to the same view.
        expect(parseViewState(serialiseViewState(parsed), DATES)).toEqual(parsed);
      }),
      RUNS,
    );
  });

  it('reads repeated features in any order and case as one set: one URL per view', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('Projector', 'projector', 'Whiteboard', ' Lab benches ', 'WHITEBOARD', ''), { maxLength: 8 }), (features) => {
        const params = new URLSearchParams(features.map((f) => ['feature', f]));
        const parsed = parseViewState(params.toString(), DATES);
        const expected = [...new Set(features.map((f) => f.trim().toLowerCase()).filter(Boolean))].sort();
        expect(parsed.features.map((f) => f.toLowerCase()).sort()).toEqual(expected);
        const shuffled = new URLSearchParams([...params].reverse());
        expect(serialiseViewState(parseViewState(shuffled.toString(), DATES)).toLowerCase()).toBe(serialiseViewState(parsed).toLowerCase());
      }),
      RUNS,
    );
    expect(parseViewState('?min_capacity=0', DATES).seats).toBeNull();
    expect(parseViewState('?min_capacity=12.5', DATES).seats).toBeNull();
    expect(parseViewState('?min_capacity=40', DATES).seats).toBe(40);
  });

  it('leaves today out of the URL, and every default', () => {
    expect(parseViewState('?date=2026-12-01', DATES).date).toBeNull();
    expect(serialiseViewState(parseViewState('', DATES))).toBe('');
  });
});
