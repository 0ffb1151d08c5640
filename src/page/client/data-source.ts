import type { DatesBody } from '../../domain/day-views.ts';
import type { OpenClassrooms } from '../../domain/organise.ts';
import { FROM_CACHE_HEADER } from '../offline-keys.ts';
import type { PageData } from '../page-data.ts';

/** What asking the service for a day gave. */
export type Loaded =
  /** `kept`: the service worker answered from its cache, the network having failed. */
  | { kind: 'ok'; body: OpenClassrooms; kept?: boolean }
  /** The service answered with a failure (503: no data yet; 502: 25Live failed). */
  | { kind: 'unavailable'; detail: string }
  /** No answer at all: no network, or the server is unreachable. */
  | { kind: 'offline' }
  /** The day is no longer one that can be asked for (midnight passed). */
  | { kind: 'bad-date' };

async function getJson<T>(path: string): Promise<{ kind: 'ok'; value: T; kept: boolean } | Exclude<Loaded, { kind: 'ok' }>> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { accept: 'application/json' } });
  } catch {
    return { kind: 'offline' };
  }
  const value = (await res.json().catch(() => null)) as (T & { detail?: string }) | null;
  if (res.ok && value) return { kind: 'ok', value, kept: res.headers.has(FROM_CACHE_HEADER) };
  if (res.status === 400) return { kind: 'bad-date' };
  return { kind: 'unavailable', detail: value?.detail ?? `The service answered ${res.status}` };
}

/**
 * The days and their answers: the page's own to start with, then whatever was fetched, kept by
 * date so the day and time pickers reuse what the page already has.
 */
export function createDataSource(initial: PageData) {
  let dates = initial.dates;
  const bodies = new Map<string, OpenClassrooms>();
  if (initial.body) bodies.set(initial.body.date ?? dates[0] ?? '', initial.body);

  return {
    get dates(): readonly string[] {
      return dates;
    },
    get today(): string | undefined {
      return dates[0];
    },
    /** Drops every day fetched so far (a refresh made them old). */
    forget: (): void => bodies.clear(),

    /** A day's answer (`null`: today), from memory unless `fresh`. */
    async load(date: string | null, fresh = false): Promise<Loaded> {
      const key = date ?? dates[0];
      const known = key === undefined ? undefined : bodies.get(key);
      if (known && !fresh) return { kind: 'ok', body: known };
      const got = await getJson<OpenClassrooms>(date === null ? '/api/open-classrooms' : `/api/open-classrooms?date=${encodeURIComponent(date)}`);
      if (got.kind !== 'ok') return got;
      const day = got.value.date ?? key;
      if (day !== undefined && !got.kept) bodies.set(day, got.value);
      return { kind: 'ok', body: got.value, kept: got.kept };
    },

    /** The days that can be asked for, afresh (after midnight, or when the page had none). */
    async loadDates(): Promise<Loaded['kind']> {
      const got = await getJson<DatesBody>('/api/dates');
      if (got.kind === 'ok') dates = got.value.dates;
      return got.kind;
    },
  };
}
