import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BU_CATALOG } from '../../src/catalog/bu.ts';
import { roomMatcher, type Searchable } from '../../src/page/search.ts';
import { RUNS } from './page-arbitraries.ts';

const rooms = BU_CATALOG.classrooms.map((room) => ({
  id: String(room.spaceId),
  building: room.building,
  name: room.name,
  buildingName: BU_CATALOG.buildings.find((b) => b.code === room.building)!.name,
}));
const found = (query: string) => rooms.filter(roomMatcher(query)).map((r) => r.id);
const room = fc.constantFrom(...rooms);
/** The way a student might type a text: any case, spaces or punctuation between its parts. */
const typed = (parts: string[]) =>
  fc.tuple(fc.array(fc.boolean(), { minLength: parts.join('').length, maxLength: parts.join('').length }), fc.constantFrom('', ' ', '  ', '-', '.')).map(([upper, gap]) => {
    let i = 0;
    return parts.map((part) => [...part].map((c) => (upper[i++] ? c.toUpperCase() : c.toLowerCase())).join('')).join(gap);
  });

describe('search', () => {
  it('finds a room by its code and number typed any way: "CAS 116", "cas116", "Cas-116"', () => {
    fc.assert(
      fc.property(
        room.chain((r) => fc.tuple(fc.constant(r), typed([r.building, r.name]))),
        ([r, query]) => {
          expect(found(query)).toContain(r.id);
          for (const other of rooms.filter(roomMatcher(query))) expect(other.building).toBe(r.building);
        },
      ),
      RUNS,
    );
    fc.assert(
      fc.property(room, (r) => {
        expect(found(`${r.name} ${r.building}`)).toContain(r.id);
      }),
      RUNS,
    );
    expect(found('CAS 116')).toEqual(['342']);
    expect(found('cas116')).toEqual(['342']);
  });

  it('finds every room of a building by its code or its name, and no other', () => {
    for (const building of BU_CATALOG.buildings) {
      const ids = rooms.filter((r) => r.building === building.code).map((r) => r.id);
      expect(found(building.code)).toEqual(ids);
      expect(found(building.code.toLowerCase())).toEqual(ids);
      expect(found(building.name)).toEqual(ids);
      expect(found(building.name.split(' ').at(-1)!.toLowerCase())).toEqual(ids);
    }
  });

  it('finds rooms by number alone, in every building', () => {
    fc.assert(
      fc.property(room, (r) => {
        expect(found(r.name)).toContain(r.id);
        for (const id of found(r.name)) expect(rooms.find((x) => x.id === id)!.name.toLowerCase()).toContain(r.name.toLowerCase());
      }),
      RUNS,
    );
  });

  it('shows everything for an empty query, and never more rooms as the query grows', () => {
    expect(found('')).toHaveLength(rooms.length);
    expect(found('   ')).toHaveLength(rooms.length);
    const text = fc.string({ unit: fc.constantFrom('c', 'a', 's', 'g', '1', '2', '3', '4', 'b', ' ', 'o'), maxLength: 8 });
    fc.assert(
      fc.property(text, text, (query, more) => {
        const narrower = new Set(found(query + more));
        for (const id of narrower) expect(found(query)).toContain(id);
      }),
      RUNS,
    );
  });

  it('takes any text without failing', () => {
    fc.assert(
      fc.property(fc.string(), (query) => {
        rooms.filter(roomMatcher(query) as (r: Searchable) => boolean);
      }),
      RUNS,
    );
  });
});
