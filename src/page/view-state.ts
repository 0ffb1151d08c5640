// What the student asked to see, as it lives in the URL: ?q=cas&date=2026-12-03&at=14:00&for=60&order=longest&fav=1,
// and, where the catalog has them, &min_capacity=30&feature=Projector (the API's names).
import { minutesOf } from '../domain/refresh-schedule.ts';
import { normaliseFeatures } from './room-filters.ts';

export interface ViewState {
  /** The search text, as typed. */
  q: string;
  /** A day other than today (`YYYY-MM-DD`), or null for today. */
  date: string | null;
  /** A campus time `HH:MM`, or null for now. */
  at: string | null;
  /** Only rooms free at the moment for at least this many minutes; null shows every room. */
  for: number | null;
  /** Rooms by number (natural order), or the longest free first. */
  order: 'name' | 'longest';
  /** Only the student's favourite rooms. */
  fav: boolean;
  /** Only rooms with at least this many seats; null for any. */
  seats: number | null;
  /** Only rooms with every one of these features (any case); sorted, no repeats. */
  features: string[];
}

export const DEFAULT_VIEW: ViewState = { q: '', date: null, at: null, for: null, order: 'name', fav: false, seats: null, features: [] };

const MINUTES = /^\d{1,4}$/;
export const MAX_QUERY = 100;
export const MAX_FEATURES = 10;
export const MAX_FEATURE = 60;
const SEATS = /^[1-9]\d{0,3}$/;

/**
 * The view a query string asks for, against the days that can be shown (today first). Anything
 * unusable (a past day, `at=25:00`, `for=-5`) is dropped rather than refused: a link never breaks.
 */
export function parseViewState(search: string, dates: readonly string[]): ViewState {
  const params = new URLSearchParams(search);
  const date = params.get('date');
  const at = params.get('at');
  const forText = params.get('for');
  const minutes = forText !== null && MINUTES.test(forText) ? Number(forText) : null;
  return {
    q: (params.get('q') ?? '').slice(0, MAX_QUERY),
    date: date !== null && dates.indexOf(date) > 0 ? date : null,
    at: at !== null && minutesOf(at) !== null ? at : null,
    for: minutes !== null && minutes <= 1440 ? minutes : null,
    order: params.get('order') === 'longest' ? 'longest' : 'name',
    fav: params.get('fav') === '1',
    seats: SEATS.test(params.get('min_capacity') ?? '') ? Number(params.get('min_capacity')) : null,
    features: normaliseFeatures(params.getAll('feature').filter((feature) => feature.trim().length <= MAX_FEATURE)).slice(0, MAX_FEATURES),
  };
}

/** The query string of a view, `?…` or empty; defaults are left out, so each view has one URL. */
export function serialiseViewState(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.q !== '') params.set('q', state.q);
  if (state.date !== null) params.set('date', state.date);
  if (state.at !== null) params.set('at', state.at);
  if (state.for !== null) params.set('for', String(state.for));
  if (state.order === 'longest') params.set('order', 'longest');
  if (state.fav) params.set('fav', '1');
  if (state.seats !== null) params.set('min_capacity', String(state.seats));
  for (const feature of state.features) params.append('feature', feature);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
