import type { ScheduleSourcePort } from '../ports/schedule-source-port.ts';
import { buildingOf, type Catalog } from './catalog.ts';
import { UpstreamError, type UpstreamReason } from './errors.ts';
import { freeSlots } from './free-slots.ts';
import { bookingsByDate, reservationsOf } from './schedule.ts';
import type { Days } from './snapshot.ts';

export interface RoomFailure {
  spaceId: number;
  error: unknown;
}

export interface FetchedDays {
  days: Days;
  failures: RoomFailure[];
  /** The longest pause 25Live asked for (`Retry-After`), if any room was told to wait. */
  retryAfterMs?: number;
}

const abortedWith = (signal: AbortSignal) => new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));

/**
 * Asks the source for every room of the catalog from `from` and turns each answer into free slots
 * for every day it covers, writing them into `days` as they arrive (a caller may serve them early).
 * A room that fails, answers without the day `from`, or has not answered when `signal` aborts is
 * left out: unknown, never booked. When 25Live asks one room for a pause, the whole fetch stops:
 * requests still running or queued are aborted. Rejects when every room failed.
 */
export async function fetchDays(source: ScheduleSourcePort, catalog: Catalog, from: string, signal: AbortSignal, days: Days = {}): Promise<FetchedDays> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  signal.addEventListener('abort', stop, { once: true });
  if (signal.aborted) stop();
  const failures: RoomFailure[] = [];
  const settled = new Set<number>();
  let retryAfterMs: number | undefined;

  const fail = (spaceId: number, error: unknown) => {
    settled.add(spaceId);
    failures.push({ spaceId, error });
    const asked = error instanceof UpstreamError ? error.retryAfterMs : undefined;
    if (asked !== undefined) {
      retryAfterMs = Math.max(retryAfterMs ?? 0, asked);
      stop();
    }
  };

  const rooms = catalog.classrooms;
  const answers = source.fetchSchedules(
    rooms.map((room) => room.spaceId),
    from,
    controller.signal,
  );
  const handled = rooms.map((room, i) =>
    answers[i]!.then(
      (answer) => {
        if (settled.has(room.spaceId) || controller.signal.aborted) return;
        const byDate = bookingsByDate(answer);
        if (!byDate.has(from)) return fail(room.spaceId, new UpstreamError(`25Live's answer for space ${room.spaceId} has no day ${from}`, 'malformed'));
        settled.add(room.spaceId);
        const hours = buildingOf(catalog, room);
        for (const [date, bookings] of byDate) {
          if (date < from) continue;
          days[date] ??= {};
          days[date][String(room.spaceId)] = freeSlots(reservationsOf(bookings), hours);
        }
      },
      (error: unknown) => {
        // Once the fetch is stopped, the rejections it causes are counted below, by why it stopped.
        if (!settled.has(room.spaceId) && !controller.signal.aborted) fail(room.spaceId, error);
      },
    ),
  );
  await Promise.race([Promise.all(handled), abortedWith(controller.signal)]);
  signal.removeEventListener('abort', stop);
  stop(); // nothing of this fetch may go on running

  const why: [string, UpstreamReason] = retryAfterMs === undefined ? ['before the hard timeout', 'deadline'] : ['before 25Live asked for a pause', 'paused'];
  for (const room of rooms) {
    if (!settled.has(room.spaceId)) failures.push({ spaceId: room.spaceId, error: new UpstreamError(`no answer for space ${room.spaceId} ${why[0]}`, why[1]) });
  }
  const ordered = Object.fromEntries(Object.entries(days).sort(([a], [b]) => (a < b ? -1 : 1)));
  if (rooms.length > 0 && failures.length === rooms.length) {
    throw new UpstreamError(`25Live answered none of the ${rooms.length} rooms`, 'all-rooms', { cause: failures[0]?.error, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  }
  return { days: ordered, failures, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
}
