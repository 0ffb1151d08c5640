// The simulator's ways of misbehaving: which modes exist, the wrong-but-well-formed bodies some of
// them answer with, and the slow drip of a body.
import type { ServerResponse } from 'node:http';
import type { Building, Classroom } from '../../domain/catalog.ts';
import { addDays } from '../../domain/calendar.ts';
import { generateSchedule, type AvailabilityBody } from './generate-schedule.ts';

export type FailureMode =
  | 'none'
  | 'error500'
  | 'error429'
  | 'error503'
  | 'timeout'
  /** The same as `timeout`: the request is read and never answered. */
  | 'hang'
  | 'malformed'
  | 'flaky'
  | 'drip'
  | 'missing-day'
  | 'wrong-space'
  | 'duplicate-day'
  /** A well-formed body padded past 2.5 MB: more than a client's size cap allows. */
  | 'oversized';

export interface FailureOptions {
  /** Only these rooms misbehave; default every room. */
  spaceIds?: readonly number[];
  /** Misbehave for this many matching requests, then answer normally again; default forever. */
  times?: number;
  /** `Retry-After` seconds sent with 429s and 503s; default 1. */
  retryAfterSeconds?: number;
  /** `drip`: one byte of the body every this many ms; default 1000. */
  dripIntervalMs?: number;
}

/** The modes that answer 200 with a well-formed body that is wrong for the request. */
export type WrongBodyMode = Extract<FailureMode, 'missing-day' | 'wrong-space' | 'duplicate-day' | 'oversized'>;

export const isWrongBodyMode = (mode: FailureMode): mode is WrongBodyMode => mode === 'missing-day' || mode === 'wrong-space' || mode === 'duplicate-day' || mode === 'oversized';

/** How far `oversized` pads a body. */
const OVERSIZED_BYTES = 2_600_000;

/** Far from any real space id: a body for "another space" can never be mistaken for one of ours. */
const OTHER_SPACE_OFFSET = 100_000;

/**
 * A normal-looking body that does not answer the question asked:
 * - `missing-day`: the days start the day after `startDate`, so the requested day is absent;
 * - `wrong-space`: another space's days (every `itemId` is another number), each with `items: null`,
 *   which a client that does not check the id would read as "free all day";
 * - `duplicate-day`: `startDate` listed twice, first as an empty (free) copy, then the real booked one;
 * - `oversized`: the real days with a field of padding that takes the body past 2.5 MB.
 */
export function wrongBody(mode: WrongBodyMode, room: Classroom, building: Building, startDate: string, seed: number): AvailabilityBody {
  if (mode === 'missing-day') return generateSchedule(room, building, addDays(startDate, 1), seed);
  const body = generateSchedule(room, building, startDate, seed);
  if (mode === 'oversized') return { ...body, padding: 'x'.repeat(OVERSIZED_BYTES) } as AvailabilityBody;
  if (mode === 'wrong-space') {
    const other = room.spaceId + OTHER_SPACE_OFFSET;
    return { ...body, subjects: body.subjects.map((subject) => ({ ...subject, itemId: other, itemName: `OTHER ${other}`, items: null })) };
  }
  const [first, ...rest] = body.subjects;
  return { ...body, subjects: [{ ...first!, items: [] }, first!, ...rest] };
}

/**
 * Sends the 200 headers at once, then `body` one byte every `intervalMs`. Stops as soon as the
 * client goes away (the response closes) or `stopAll` is called; returns the stopper.
 */
export function drip(res: ServerResponse, body: string, intervalMs: number, headers: Record<string, string>): () => void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(200, headers);
  res.flushHeaders();
  let sent = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return stop();
    res.write(bytes.subarray(sent, sent + 1));
    sent += 1;
    if (sent >= bytes.length) {
      stop();
      res.end();
    }
  }, intervalMs);
  function stop() {
    clearInterval(timer);
  }
  res.once('close', stop);
  return stop;
}
