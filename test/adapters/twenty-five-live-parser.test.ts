import { describe, expect, it } from 'vitest';
import { parseAvailabilityBody } from '../../src/adapters/twenty-five-live-parser.ts';
import { UpstreamError } from '../../src/domain/errors.ts';

const body = (subjects: unknown) => JSON.stringify({ headers: { data: [{ header_id: 7 }] }, subjects });

function failure(text: string, spaceId?: number): UpstreamError {
  try {
    parseAvailabilityBody(text, spaceId);
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).code).toBe('UPSTREAM_FAILED');
    return error as UpstreamError;
  }
  throw new Error('expected parseAvailabilityBody to throw');
}

describe('parseAvailabilityBody', () => {
  it('reads the documented example: dates, hours untouched, event states', () => {
    const text = body([
      {
        itemId: 342,
        itemName: 'CAS 116',
        item_date: '2026-11-26T00:00:00',
        items: [
          { itemId: 0, itemId2: 0, itemName: 'Closed', type_id: 3, start: '0.000000', end: '7.000000' },
          { itemId: 812345, itemName: 'CAS CH 101 A1', type_id: 1, start: '9.750000', end: 11, cur_event_state: 2, exp_head_count: 32 },
        ],
      },
    ]);
    expect(parseAvailabilityBody(text)).toEqual([
      {
        date: '2026-11-26',
        bookings: [
          { start: '0.000000', end: '7.000000', eventState: null, kind: 'closure' },
          { start: '9.750000', end: 11, eventState: 2, kind: 'event' },
        ],
      },
    ]);
  });

  it('strips the anti-hijacking prefix', () => {
    const text = `)]}',\n${body([{ item_date: '2026-11-26T00:00:00', items: [] }])}`;
    expect(parseAvailabilityBody(text)).toEqual([{ date: '2026-11-26', bookings: [] }]);
    expect(parseAvailabilityBody(`)]}',\r\n${body([])}`)).toEqual([]);
  });

  it('gives bookings null when items is null or missing, and [] when empty', () => {
    const days = parseAvailabilityBody(body([{ item_date: '2026-11-26T00:00:00', items: null }, { item_date: '2026-11-27T00:00:00' }, { item_date: '2026-11-28T00:00:00', items: [] }]));
    expect(days.map((day) => day.bookings)).toEqual([null, null, []]);
    expect(days.map((day) => day.date)).toEqual(['2026-11-26', '2026-11-27', '2026-11-28']);
  });

  it('passes string, numeric and junk hours through for the domain to judge', () => {
    const [day] = parseAvailabilityBody(body([{ item_date: '2026-11-26', items: [{ start: '8.0', end: 10.833333 }, { start: 'soon', end: null }, {}] }]));
    expect(day?.bookings).toEqual([
      { start: '8.0', end: 10.833333, eventState: null },
      { start: 'soon', end: null, eventState: null },
      { start: undefined, end: undefined, eventState: null },
    ]);
  });

  it('reads cancelled and deleted states, numeric strings included; anything else is null', () => {
    const states = [99, 98, '99', 'cancelled', 2.5, null].map((cur_event_state) => ({ start: 9, end: 10, cur_event_state }));
    const [day] = parseAvailabilityBody(body([{ item_date: '2026-11-26', items: states }]));
    expect(day?.bookings?.map((booking) => booking.eventState)).toEqual([99, 98, 99, null, null, null]);
  });

  it('allows fields it does not know about', () => {
    const text = JSON.stringify({ extra: true, subjects: [{ item_date: '2026-11-26T00:00:00', surprise: [1], items: [{ start: 1, end: 2, new_field: 'x' }] }] });
    expect(parseAvailabilityBody(text)).toHaveLength(1);
  });

  it.each([
    ['not JSON', '<html>Service Unavailable</html>', 'body is not JSON'],
    ['truncated JSON', '{"subjects": [{"item_d', 'body is not JSON'],
    ['an empty body', '', 'body is not JSON'],
    ['a JSON array', '[]', 'body must be a JSON object'],
    ['JSON null', 'null', 'body must be a JSON object'],
    ['no subjects', '{"headers": {}}', 'subjects is missing'],
    ['subjects not a list', '{"subjects": {}}', 'subjects must be a list'],
    ['a subject that is not an object', body([3]), 'subjects[0] must be an object'],
    ['a subject without item_date', body([{ items: [] }]), 'subjects[0].item_date is missing'],
    ['a numeric item_date', body([{ item_date: 20261126 }]), 'subjects[0].item_date must be a string'],
    ['an item_date that is not a date', body([{ item_date: 'tomorrow' }]), 'subjects[0].item_date must start with YYYY-MM-DD'],
    ['items that is an object', body([{ item_date: '2026-11-26', items: {} }]), 'subjects[0].items must be a list or null'],
    ['items that is a string', body([{ item_date: '2026-11-26', items: 'none' }]), 'subjects[0].items must be a list or null'],
    ['an item that is not an object', body([{ item_date: '2026-11-26', items: [null] }]), 'subjects[0].items[0] must be an object'],
  ])('rejects %s with an UpstreamError saying why', (_, text, reason) => {
    expect(failure(text, 342).message).toBe(`malformed 25Live response for space 342: ${reason}`);
  });

  it('names no room when it is not told one', () => {
    expect(failure('{}').message).toBe('malformed 25Live response: subjects is missing');
  });

  it('returns every day in order; a broken day sinks the whole answer (a clear error, never half a room)', () => {
    const good = { item_date: '2026-11-26T00:00:00', items: [{ start: '9.0', end: '10.0', cur_event_state: 2 }] };
    expect(parseAvailabilityBody(JSON.stringify({ subjects: [good, { item_date: '2026-11-27T00:00:00', items: null }] }), 342)).toEqual([
      { date: '2026-11-26', bookings: [{ start: '9.0', end: '10.0', eventState: 2 }] },
      { date: '2026-11-27', bookings: null },
    ]);
    const text = JSON.stringify({ subjects: [good, { item_date: '2026-11-27T00:00:00', items: 'garbage' }] });
    expect(() => parseAvailabilityBody(text, 342)).toThrow(/subjects\[1\]\.items must be a list or null/);
  });

  it('refuses an answer about another space, by number or numeric string; a subject without itemId is accepted', () => {
    const body = (itemId: unknown) => JSON.stringify({ subjects: [{ itemId, item_date: '2026-11-26T00:00:00', items: null }] });
    expect(() => parseAvailabilityBody(body(343), 342)).toThrow('malformed 25Live response for space 342: subjects[0] is about space 343');
    expect(() => parseAvailabilityBody(body('343'), 342)).toThrow(/is about space 343/);
    expect(parseAvailabilityBody(body(342), 342)).toHaveLength(1);
    expect(parseAvailabilityBody(body('342'), 342)).toHaveLength(1);
    expect(parseAvailabilityBody(body(undefined), 342)).toHaveLength(1);
  });
});
