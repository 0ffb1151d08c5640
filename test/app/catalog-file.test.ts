import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import buJson from '../../src/catalog/bu-catalog.json' with { type: 'json' };
import { loadCatalog, parseCatalog } from '../../src/app/catalog-file.ts';
import { ConfigError } from '../../src/app/config.ts';

const bu = () => structuredClone(buJson) as any;
const errorOf = (edit: (catalog: any) => void): string => {
  const catalog = bu();
  edit(catalog);
  try {
    parseCatalog(JSON.stringify(catalog), 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('the catalog file', () => {
  it("defaults to BU's bundled catalog", () => {
    expect(loadCatalog(undefined)).toEqual(buJson);
    expect(loadCatalog(undefined).timeZone).toBe('America/New_York');
    expect(loadCatalog(undefined).classrooms).toHaveLength(77);
  });

  it('reads the bundled catalog written to a file, and the Pacific example with its capacity and features', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-'));
    writeFileSync(join(dir, 'bu.json'), JSON.stringify(buJson));
    expect(loadCatalog(join(dir, 'bu.json'))).toEqual(buJson);
    const pacific = loadCatalog('catalogs/pacific-example.json');
    expect(pacific.timeZone).toBe('America/Los_Angeles');
    expect(pacific.school).toMatch(/fictional/);
    expect(pacific.classrooms.some((room) => room.capacity !== undefined && room.features && room.features.length > 0)).toBe(true);
    expect(pacific.classrooms.some((room) => room.features === undefined)).toBe(true);
  });

  it('names the bad field, for each kind of mistake', () => {
    const cases: Array<[(c: any) => void, RegExp]> = [
      [(c) => (c.timeZone = 'Pacific Time'), /^Invalid catalog test\.json: timeZone must be an IANA time zone/],
      [(c) => delete c.tenant, /tenant/],
      [(c) => (c.tenant = 'b u'), /tenant must be the 25Live tenant/],
      [(c) => (c.buildings[1].closes = 'late'), /buildings\[1\]\.closes must be a number of hours/],
      [(c) => (c.buildings[0].opens = 25), /buildings\[0\]\.opens must be from 0 to 24/],
      [(c) => (c.buildings[0].closes = c.buildings[0].opens), /buildings\[0\]\.closes must be after opens/],
      [(c) => c.buildings.push({ ...c.buildings[0] }), /buildings\[2\]\.code repeats CAS/],
      [(c) => c.buildings.push({ ...c.buildings[0], code: 'cas' }), /buildings\[2\]\.code repeats CAS \(codes are matched in any case\)/],
      [(c) => (c.classrooms[3].spaceId = -4), /classrooms\[3\]\.spaceId must be a 25Live space id/],
      [(c) => (c.classrooms[5].spaceId = c.classrooms[4].spaceId), /classrooms\[5\]\.spaceId repeats space/],
      [(c) => (c.classrooms[2].building = 'XYZ'), /classrooms\[2\]\.building "XYZ" is not one of the buildings \(CAS, CGS\)/],
      [(c) => (c.classrooms[0].capacity = 12.5), /classrooms\[0\]\.capacity must be a whole number of seats/],
      [(c) => (c.classrooms[0].features = 'Projector'), /classrooms\[0\]\.features/],
      [(c) => (c.classrooms[0].seats = 3), /classrooms\[0\].*seats/],
      [(c) => (c.classrooms = []), /classrooms must list at least one room/],
    ];
    for (const [edit, message] of cases) expect(errorOf(edit)).toMatch(message);
  });

  it('says when the file cannot be read or is not JSON', () => {
    expect(() => loadCatalog('/nonexistent/catalog.json')).toThrow(/CATALOG_FILE="\/nonexistent\/catalog\.json": cannot be read \(ENOENT\)/);
    const dir = mkdtempSync(join(tmpdir(), 'catalog-'));
    writeFileSync(join(dir, 'broken.json'), '{"school": ');
    expect(() => loadCatalog(join(dir, 'broken.json'))).toThrow(/^Invalid catalog CATALOG_FILE=".*broken\.json": not JSON/);
  });
});
