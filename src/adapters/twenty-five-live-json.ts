// Some tenants guard their JSON against hijacking with `)]}',` and a newline; it must go before JSON.parse.
const HIJACK_GUARD = /^\uFEFF?\)\]\}',[ \t]*\r?\n?/;

/** A 25Live body parsed as JSON, without the anti-hijacking prefix when the tenant sends one; throws as `JSON.parse` does. */
export const parseTwentyFiveLiveJson = (text: string): unknown => JSON.parse(text.replace(HIJACK_GUARD, ''));
