import { minutesOf } from '../../domain/refresh-schedule.ts';
import type { FreeRoomsQuery } from '../../domain/day-views.ts';
import { BadRequestError } from './error-middleware.ts';

export type RawQuery = Record<string, string | string[] | undefined>;

/** A caller's text cut to `max` characters, for a message or a log line (it could be any length). */
export const shortened = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}…` : text);

/** A caller's value as a message quotes it. */
export const shown = (value: string): string => JSON.stringify(shortened(value, 20));

/**
 * The query parameters an endpoint takes, each at most once; any other name is a clear 400 rather
 * than silently ignored (with `ignoreUnknown`, only a bracketed form of a name, `building[]`, is).
 */
export function readQuery<const Name extends string>(
  query: RawQuery,
  names: readonly Name[],
  options: { ignoreUnknown?: boolean; repeatable?: readonly Name[] } = {},
): Partial<Record<Name, string>> & { repeated: Partial<Record<Name, string[]>> } {
  const read = { repeated: {} } as Partial<Record<Name, string>> & { repeated: Partial<Record<Name, string[]>> };
  for (const [name, value] of Object.entries(query)) {
    if (!(names as readonly string[]).includes(name)) {
      if (options.ignoreUnknown && !/[[\]]/.test(name)) continue;
      throw new BadRequestError(`Unknown query parameter ${shown(name)}; this endpoint takes ${names.length > 0 ? names.join(', ') : 'none'}`);
    }
    if ((options.repeatable as readonly string[] | undefined)?.includes(name)) {
      read.repeated[name as Name] = value === undefined ? [] : Array.isArray(value) ? value : [value];
      continue;
    }
    if (Array.isArray(value)) throw new BadRequestError(`Query parameter "${name}" may be given only once`);
    if (value !== undefined) (read as Partial<Record<Name, string>>)[name as Name] = value;
  }
  return read;
}

/** `HH:MM` on the campus clock. */
function timeParam(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (minutesOf(value) === null) throw new BadRequestError(`Query parameter "${name}" must be a time of day written HH:MM (00:00 to 23:59), not ${shown(value)}`);
  return value;
}

/** A whole number of seats. */
function seatsParam(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,5}$/.test(value)) throw new BadRequestError(`Query parameter "${name}" must be a whole number of seats, not ${shown(value)}`);
  return Number(value);
}

/** A whole number of minutes in 0..1440. */
function minutesParam(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,4}$/.test(value) || Number(value) > 1440) throw new BadRequestError(`Query parameter "${name}" must be a whole number of minutes from 0 to 1440, not ${shown(value)}`);
  return Number(value);
}

/** A building code, as the catalog writes it (case does not matter). */
export const buildingParam = (value: string | undefined): string | undefined => value?.trim();

/** A query string as Koa reads it: a name given twice holds a list. */
export function parseSearch(search: string): RawQuery {
  const query: RawQuery = {};
  for (const [name, value] of new URLSearchParams(search)) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return query;
}

/** `GET /api/free-rooms`'s parameters, checked. */
export function freeRoomsQuery(raw: RawQuery): FreeRoomsQuery {
  const query = readQuery(raw, ['date', 'at', 'for', 'building', 'min_capacity', 'feature'], { repeatable: ['feature'] });
  const at = timeParam(query.at, 'at');
  const forMinutes = minutesParam(query.for, 'for');
  const building = buildingParam(query.building);
  const minCapacity = seatsParam(query.min_capacity, 'min_capacity');
  const features = (query.repeated.feature ?? []).map((feature) => feature.trim()).filter(Boolean);
  return {
    ...(query.date === undefined ? {} : { date: query.date }),
    ...(at === undefined ? {} : { at }),
    ...(forMinutes === undefined ? {} : { forMinutes }),
    ...(building === undefined ? {} : { building }),
    ...(minCapacity === undefined ? {} : { minCapacity }),
    ...(features.length > 0 ? { features } : {}),
  };
}
