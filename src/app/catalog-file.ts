import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isKnownZone } from '../adapters/campus-clock.ts';
import { findBuildingCode, type Catalog } from '../domain/catalog.ts';
import { BU_CATALOG } from '../catalog/bu.ts';
import { ConfigError } from './config.ts';

const hours = z.number({ error: 'must be a number of hours (7.5 is 07:30)' }).min(0, { error: 'must be from 0 to 24' }).max(24, { error: 'must be from 0 to 24' });

const catalogSchema = z
  .strictObject({
    school: z.string().trim().min(1, { error: 'must name the school' }),
    timeZone: z.string().refine(isKnownZone, { error: 'must be an IANA time zone, e.g. America/New_York' }),
    tenant: z.string().regex(/^[a-z0-9_-]+$/i, { error: 'must be the 25Live tenant, e.g. bu' }),
    buildings: z
      .array(
        z.strictObject({
          code: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, { error: 'must be a short code of letters and digits' }),
          name: z.string().trim().min(1),
          opens: hours,
          closes: hours,
        }),
      )
      .min(1, { error: 'must list at least one building' }),
    classrooms: z
      .array(
        z.strictObject({
          spaceId: z.number().int().positive({ error: 'must be a 25Live space id (a positive whole number)' }),
          name: z.string().trim().min(1),
          building: z.string(),
          capacity: z.number({ error: 'must be a whole number of seats' }).int({ error: 'must be a whole number of seats' }).nonnegative({ error: 'must be a whole number of seats' }).optional(),
          features: z.array(z.string().trim().min(1)).optional(),
        }),
      )
      .min(1, { error: 'must list at least one room' }),
  })
  .superRefine((catalog, ctx) => {
    const codes = new Set<string>();
    catalog.buildings.forEach((building, i) => {
      const repeated = findBuildingCode(codes, building.code);
      if (repeated !== undefined)
        ctx.addIssue({ code: 'custom', path: ['buildings', i, 'code'], message: `repeats ${repeated}${repeated === building.code ? '' : ' (codes are matched in any case)'}` });
      codes.add(building.code);
      if (building.closes <= building.opens) ctx.addIssue({ code: 'custom', path: ['buildings', i, 'closes'], message: 'must be after opens' });
    });
    const ids = new Set<number>();
    catalog.classrooms.forEach((room, i) => {
      if (!codes.has(room.building)) ctx.addIssue({ code: 'custom', path: ['classrooms', i, 'building'], message: `"${room.building}" is not one of the buildings (${[...codes].join(', ')})` });
      if (ids.has(room.spaceId)) ctx.addIssue({ code: 'custom', path: ['classrooms', i, 'spaceId'], message: `repeats space ${room.spaceId}` });
      ids.add(room.spaceId);
    });
  });

const where = (path: PropertyKey[]) => path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('') || 'the file';

/** A catalog as JSON, checked whole; every problem is named by its field. */
export function parseCatalog(text: string, origin: string): Catalog {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Invalid catalog ${origin}: not JSON (${(error as Error).message})`);
  }
  const parsed = catalogSchema.safeParse(json);
  if (parsed.success) return parsed.data as Catalog;
  const problems = parsed.error.issues.slice(0, 5).map((issue) => `${where(issue.path)} ${issue.message}`);
  throw new ConfigError(`Invalid catalog ${origin}: ${problems.join('; ')}`);
}

/** The catalog `CATALOG_FILE` names, or BU's bundled one. */
export function loadCatalog(file: string | undefined): Catalog {
  if (file === undefined) return BU_CATALOG;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Invalid configuration: CATALOG_FILE="${file}": cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseCatalog(text, `CATALOG_FILE="${file}"`);
}
