const PARTS = /^([A-Za-z]*)(\d*)(.*)$/;

/**
 * Natural room order: names that start with a letter first (B06A, B12, Tsai), then by number, a
 * bare number before its lettered variants (114, 114A, 114B, 116).
 */
export function compareRoomNames(a: string, b: string): number {
  const [, letters1 = '', digits1 = '', rest1 = ''] = PARTS.exec(a.trim()) ?? [];
  const [, letters2 = '', digits2 = '', rest2 = ''] = PARTS.exec(b.trim()) ?? [];
  const group = (letters: string) => (letters === '' ? 1 : 0);
  return (
    group(letters1) - group(letters2) ||
    letters1.toUpperCase().localeCompare(letters2.toUpperCase()) ||
    (digits1 === '' ? -1 : Number(digits1)) - (digits2 === '' ? -1 : Number(digits2)) ||
    rest1.toUpperCase().localeCompare(rest2.toUpperCase()) ||
    a.localeCompare(b)
  );
}
