/**
 * Test-side oracles written from the spec text, independent of the code under test.
 * Nothing here imports from src/.
 */

export const MICROS_PER_HOUR = 3_600_000_000;
export const MINUTE_US = 60_000_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

/** Spec rule 5: decimal hours kept to the microsecond. */
export function micros(hours: number): number {
  return Math.round(hours * MICROS_PER_HOUR);
}

/** `HH:MM:SS`, truncated to the whole second. */
export function clockText(us: number): string {
  const totalSeconds = Math.floor(us / 1_000_000);
  const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  return `${two(Math.floor(totalSeconds / 3600))}:${two(Math.floor(totalSeconds / 60) % 60)}:${two(totalSeconds % 60)}`;
}

/** `HH:MM:SS` back to whole seconds since midnight. */
export function secondsOf(text: string): number {
  const match = /^(\d\d):(\d\d):(\d\d)$/.exec(text);
  if (!match) throw new Error(`not HH:MM:SS: ${text}`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/**
 * The free intervals (µs since midnight) without a cursor walk: the day is cut into elementary
 * pieces at every boundary, each piece is tested against every reservation's blocked zone
 * (one minute of margin on each side), free pieces are glued, and components longer than 15
 * minutes are kept. The day ends at closing, or earlier when the first reservation starting at or
 * after closing starts less than a minute after it (a reservation starting exactly at closing
 * leaves the room free up to closing).
 */
export function oracleFreeIntervals(reservations: ReadonlyArray<{ start: number; end: number }>, opens: number, closes: number): Array<[number, number]> {
  const o = micros(opens);
  const c = micros(closes);
  const rs = reservations.map((r) => ({ s: micros(r.start), e: micros(r.end) }));
  const atOrAfterClosing = rs.filter((r) => r.s >= c).map((r) => r.s);
  let dayEnd = c;
  if (atOrAfterClosing.length > 0) {
    const first = Math.min(...atOrAfterClosing);
    dayEnd = first === c ? c : Math.min(first - MINUTE_US, c);
  }
  const blocked = rs.filter((r) => r.s < c).map((r) => [r.s - MINUTE_US, r.e + MINUTE_US] as const);
  if (dayEnd <= o) return [];
  const points = new Set<number>([o, dayEnd]);
  for (const [a, b] of blocked) {
    if (a > o && a < dayEnd) points.add(a);
    if (b > o && b < dayEnd) points.add(b);
  }
  const sorted = [...points].sort((x, y) => x - y);
  const components: Array<[number, number]> = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i]!;
    const b = sorted[i + 1]!;
    const mid = (a + b) / 2;
    const free = blocked.every(([l, r]) => !(mid > l && mid < r));
    if (!free) continue;
    const last = components[components.length - 1];
    if (last && last[1] === a) last[1] = b;
    else components.push([a, b]);
  }
  return components.filter(([a, b]) => b - a > 15 * MINUTE_US);
}

const nyDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** `YYYY-MM-DD` of an epoch-ms moment on the New York wall clock, by the platform's ICU. */
export function nyDate(epochMs: number): string {
  return nyDateFormat.format(new Date(epochMs));
}

/** The first millisecond after `epochMs` whose New York date differs (bisection on nyDate). */
export function nextNyMidnight(epochMs: number): number {
  const today = nyDate(epochMs);
  let lo = epochMs; // same date
  let hi = epochMs + 26 * HOUR_MS; // surely a later date
  if (nyDate(hi) === today) throw new Error('no midnight within 26 h');
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (nyDate(mid) === today) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The calendar day after `YYYY-MM-DD`, by UTC arithmetic on the date alone. */
export function dayAfter(date: string): string {
  const ms = Date.parse(`${date}T00:00:00Z`) + 24 * HOUR_MS;
  return new Date(ms).toISOString().slice(0, 10);
}
