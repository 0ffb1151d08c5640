import type { Status } from './status.ts';
import { remainingMinutes } from '../domain/cooldown.ts';
import type { RoomView } from '../domain/organise.ts';

export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const text = minutes >= 60 ? `${Math.floor(minutes / 60)}h ${minutes % 60}m` : `${minutes}m`;
  return ms < 0 ? `-${text}` : text;
}

export function formatStatus(status: Status): string {
  const ttl = (ms: number | null) => (ms === null ? 'missing' : formatDuration(ms));
  const fresh = status.freshness.kind === 'fresh' ? 'yes' : `no (${status.freshness.reason})`;
  const cooldown = status.cooldown.kind === 'cooling' ? `${remainingMinutes(status.cooldown.remainingMs, 1).toFixed(1)} minutes left` : 'none, a refresh may run now';
  return [
    `last refresh    ${status.lastRefresh ?? (status.foreignSource ? `none from this 25Live (the stored data came from ${status.foreignSource})` : 'never')}${status.ageMs === null ? '' : ` (${formatDuration(status.ageMs)} ago)`}`,
    `fresh for today ${fresh}`,
    `TTL             classrooms:availability ${ttl(status.ttls.availabilityMs)}, classrooms:last_refresh ${ttl(status.ttls.lastRefreshMs)}`,
    `cooldown        ${cooldown}`,
    `backoff         ${status.backoffMs > 0 ? `25Live is not asked for ${Math.ceil(status.backoffMs / 1000)} more seconds` : 'none'}`,
  ].join('\n');
}

export function formatRoom(label: string, room: RoomView): string {
  if (room.status === 'unknown') return `${label}: unknown today (25Live did not answer for this room)`;
  if (room.availability.length === 0) return `${label}: no free time today`;
  const lines = room.availability.map((slot) => `  ${slot.start.slice(0, 5)}–${slot.end.slice(0, 5)}`);
  return [`${label} is free today:`, ...lines].join('\n');
}
