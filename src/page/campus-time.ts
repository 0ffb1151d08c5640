// The campus wall clock from any device: the time zone comes from the catalog, never from the device.

/** A moment on the campus wall clock, to the minute. */
export interface CampusMinute {
  /** `YYYY-MM-DD`. */
  date: string;
  /** `HH:MM`, 24-hour. */
  time: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // hourCycle h23: some engines print midnight as 24:00 with hour12: false.
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The campus date and minute of an epoch-ms moment in `timeZone` (an IANA zone). */
export function campusMinute(epochMs: number, timeZone: string): CampusMinute {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) parts[part.type] = part.value;
  return { date: `${parts.year!.padStart(4, '0')}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/**
 * Milliseconds until the next minute starts. Time zone offsets are whole minutes, so the campus
 * minute turns exactly when the epoch minute does.
 */
export const msToNextMinute = (epochMs: number): number => 60_000 - (((epochMs % 60_000) + 60_000) % 60_000);
