// Some tenants guard their JSON against hijacking with `)]}',` and a newline; it must go before JSON.parse.
const HIJACK_GUARD = /^\uFEFF?\)\]\}',[ \t]*\r?\n?/;

/** A 25Live body parsed as JSON, without the anti-hijacking prefix when the tenant sends one; throws as `JSON.parse` does. */
export const parseTwentyFiveLiveJson = (text: string): unknown => JSON.parse(text.replace(HIJACK_GUARD, ''));

/** A JSON object (not null, not a list). */
export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An integer as 25Live sends one: a JSON integer, or a string of digits; anything else is null. */
export function integerOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  return null;
}
