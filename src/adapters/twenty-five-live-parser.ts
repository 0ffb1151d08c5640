import { z } from 'zod';
import { UpstreamError } from '../domain/errors.ts';
import type { Booking, ScheduleDay } from '../domain/schedule.ts';

// Some tenants guard their JSON against hijacking with this prefix; it must go before JSON.parse.
const HIJACK_GUARD = /^\uFEFF?\)\]\}',[ \t]*\r?\n?/;

const missingOr = (otherwise: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is missing' : otherwise;

// Liberal on purpose: 25Live adds fields freely, so only what we read is checked. Hours stay
// `unknown` because the domain alone decides which values count as numbers.
const itemSchema = z.looseObject(
  { start: z.unknown().optional(), end: z.unknown().optional(), cur_event_state: z.unknown().optional() },
  { error: 'must be an object' },
);

const itemsSchema = z.array(itemSchema, { error: 'must be a list or null' }).nullish();

const subjectSchema = z.looseObject(
  {
    item_date: z
      .string({ error: missingOr('must be a string') })
      .regex(/^\d{4}-\d{2}-\d{2}/, { error: 'must start with YYYY-MM-DD' }),
    items: z.unknown().optional(),
    itemId: z.unknown().optional(),
  },
  { error: 'must be an object' },
);

const bodySchema = z.looseObject(
  { subjects: z.array(subjectSchema, { error: missingOr('must be a list') }) },
  { error: 'must be a JSON object' },
);

/** 25Live sometimes sends integers as strings; anything else is unknown and so not "deleted". */
function eventStateOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  return null;
}

function describe(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return 'body';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}

/** A subject's `itemId` as a number, when it carries one (25Live may send it as a string). */
const itemIdOf = (value: unknown): number | null => (typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : null);

/**
 * Turns the body of `availabilitydata.json` into schedule days. Throws `UpstreamError` when the body
 * is not the shape we rely on, or is about another space than `spaceId`, so a broken answer is never
 * mistaken for an empty room.
 */
export function parseAvailabilityBody(text: string, spaceId?: number): ScheduleDay[] {
  const where = spaceId === undefined ? '' : ` for space ${spaceId}`;
  const malformed = (reason: string, cause?: unknown) =>
    new UpstreamError(`malformed 25Live response${where}: ${reason}`, 'malformed', { cause });
  const invalid = (error: z.ZodError, prefix: PropertyKey[] = []) => {
    const issue = error.issues[0];
    return malformed(issue ? `${describe([...prefix, ...issue.path])} ${issue.message}` : 'unexpected shape', error);
  };

  let json: unknown;
  try {
    json = JSON.parse(text.replace(HIJACK_GUARD, ''));
  } catch (error) {
    throw malformed('body is not JSON', error);
  }
  const parsed = bodySchema.safeParse(json);
  if (!parsed.success) throw invalid(parsed.error);
  const days: ScheduleDay[] = [];
  parsed.data.subjects.forEach((subject, index) => {
    const date = subject.item_date.slice(0, 10);
    const about = itemIdOf(subject.itemId);
    if (spaceId !== undefined && about !== null && about !== spaceId) throw malformed(`subjects[${index}] is about space ${about}`);
    const items = itemsSchema.safeParse(subject.items);
    if (!items.success) throw invalid(items.error, ['subjects', index, 'items']);
    days.push({
      date,
      bookings: items.data == null ? null : items.data.map((item): Booking => ({ start: item.start, end: item.end, eventState: eventStateOf(item.cur_event_state) })),
    });
  });
  return days;
}
