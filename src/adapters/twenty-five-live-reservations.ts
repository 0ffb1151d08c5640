import { addDays } from '../domain/calendar.ts';
import type { ScheduleDay } from '../domain/schedule.ts';
import type { ScheduleSourcePort } from '../ports/schedule-source-port.ts';
import { httpUrl } from './twenty-five-live-source.ts';
import { parseReservationsBody } from './twenty-five-live-reservations-parser.ts';
import { createUpstreamClient, type UpstreamClientOptions } from './upstream-client.ts';

export type ReservationsSourceOptions = Omit<UpstreamClientOptions, 'origin'> & {
  /** The full `rm_reservations.json` URL, e.g. `https://25live.collegenet.com/25live/data/bu/run/rm_reservations.json`. */
  reservationsUrl: string;
  /** The campus time zone the reservations' times are read in. */
  zone: string;
  /** Days asked for from the day asked (the availability view's month). */
  days?: number;
  /** Rooms per request, as public guest clients ask. */
  roomsPerRequest?: number;
  /** The body cap per room: a request for more rooms may answer more. */
  maxBodyBytesPerRoom?: number;
};

/** `rm_reservations.json` beside `availabilitydata.json`: the same tenant's `…/run/` prefix. */
export function reservationsUrlOf(apiUrl: string): string | null {
  const at = apiUrl.indexOf('/run/');
  return at < 0 ? null : `${apiUrl.slice(0, at)}/run/rm_reservations.json`;
}

const compact = (date: string) => date.replaceAll('-', '');

/**
 * The 25Live guest reservations view, batched: one GET for up to 40 rooms and the whole month. It
 * lists reservations only: the closures and blackouts of the availability view are not known to
 * appear in it. A failed request leaves its rooms failed (unknown); a room it does not mention is free.
 */
export function createReservationsSource(options: ReservationsSourceOptions): ScheduleSourcePort & { close(): Promise<void> } {
  const { zone, days = 32, roomsPerRequest = 40, maxBodyBytesPerRoom = 256_000 } = options;
  const url = httpUrl(options.reservationsUrl, 'RESERVATIONS_URL');
  const client = createUpstreamClient({ ...options, origin: url.origin });
  return {
    fetchSchedules(spaceIds, from, signal) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(from)) throw new RangeError(`date must be YYYY-MM-DD: ${from}`);
      const answers: Array<Promise<ScheduleDay[]>> = [];
      for (let i = 0; i < spaceIds.length; i += roomsPerRequest) {
        const batch = spaceIds.slice(i, i + roomsPerRequest);
        // Built by hand: 25Live wants the literal `+` between the ids.
        const path = `${url.pathname}?space_id=${batch.join('+')}&start_dt=${compact(from)}&end_dt=${compact(addDays(from, days))}`;
        const answer = client
          .get({ path, what: `spaces ${batch.join('+')}`, maxBodyBytes: maxBodyBytesPerRoom * batch.length, signal })
          .then((body) => parseReservationsBody(body, batch, { from, days, zone }));
        answer.catch(() => {}); // each room's promise below carries the failure
        for (const id of batch) answers.push(answer.then((rooms) => rooms.get(id)!));
      }
      return answers;
    },
    close: client.close,
  };
}
