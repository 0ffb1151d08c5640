// Campus times as students read them: a 12-hour clock, minutes only.

/**
 * `HH:MM[:SS]` (24-hour) as `9:44 AM`. Seconds are dropped, not rounded: slots are printed truncated
 * (`09:18:59` is the last second before a 9:19 booking), so a room free until 9:18:59 reads 9:18 AM.
 */
export function formatTime12(time: string): string {
  const [h = 0, m = 0] = time.split(':').map(Number);
  const hour = h % 24;
  return `${hour % 12 === 0 ? 12 : hour % 12}:${String(m).padStart(2, '0')} ${hour < 12 ? 'AM' : 'PM'}`;
}

/** Whole minutes as `45 min`, `1 h`, `2 h 5 min`. */
export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** A free slot as `7:00–9:44 AM`, or `11:01 AM–4:29 PM` across noon. */
export function formatSlot(slot: { start: string; end: string }): string {
  const [start, end] = [formatTime12(slot.start), formatTime12(slot.end)];
  return start.slice(-2) === end.slice(-2) ? `${start.slice(0, -3)}–${end}` : `${start}–${end}`;
}
