import type { OpenClassrooms } from '../../domain/organise.ts';
import { campusMinute } from '../campus-time.ts';
import { dataTimeLabel } from '../date-labels.ts';
import type { PageData } from '../page-data.ts';
import { buildView } from '../page-view.ts';
import { DEFAULT_VIEW, parseViewState, serialiseViewState, type ViewState } from '../view-state.ts';
import { showBanners } from './banners.ts';
import { createControls } from './controls.ts';
import { createDataSource } from './data-source.ts';
import { byId, setText } from './dom.ts';
import { createFavourites } from './favourites.ts';
import { saveForOffline } from './offline-copy.ts';
import { createRefreshButton } from './refresh-button.ts';
import { createRoomsDom } from './rooms-dom.ts';
import { everyMinute } from './ticker.ts';

/** A page rendered this long ago came from a cache (the service worker's, or the back button's). */
const CACHED_AFTER_MS = 90_000;
/** How often a page left open asks for newer data (a 304 when there is none). */
const REVALIDATE_MINUTES = 10;
/** How soon an offline page asks again once the network is back. */
const RETRY_MS = 3000;

/** The page's program: the data it came with, kept live by the minute and by what the student asks. */
export function startPage(data: PageData): void {
  const source = createDataSource(data);
  const favourites = createFavourites(storageOrNull());
  const rooms = createRoomsDom();
  let state: ViewState = parseViewState(location.search, source.dates);
  let body: OpenClassrooms | null = data.body;
  let error: string | null = data.body ? null : data.error;
  let offline = data.offline || !navigator.onLine;
  let minutes = 0;

  const rendered = campusMinute(data.renderedAt, data.timeZone);
  let first = true;

  function render(): void {
    const now = campusMinute(Date.now(), data.timeZone);
    const today = source.today ?? now.date;
    // The rooms as the server rendered them hold until the minute turns (favourites and filters change no room's body).
    const asRendered = first && !data.offline && body === data.body && now.date === rendered.date && now.time === rendered.time;
    first = false;
    if (body) rooms.show(buildView(body, state, { today, now, favourites: favourites.all() }), asRendered);
    const since = body && dataTimeLabel(body.last_updated, today);
    setText(byId('updated'), since ? `Last updated ${since}` : '');
    showBanners({ stale: body?.stale === true, error, offline, since });
    const search = serialiseViewState(state);
    if (search !== location.search) history.replaceState(null, '', search || location.pathname);
  }

  /** Shows the day the view asks for, fetching it when the page does not have it yet. */
  async function load(fresh = false): Promise<void> {
    const wanted = state.date;
    byId('rooms').setAttribute('aria-busy', 'true');
    const got = await source.load(wanted, fresh);
    byId('rooms').removeAttribute('aria-busy');
    if (state.date !== wanted) return; // the student picked another day meanwhile
    offline = got.kind === 'offline' || (got.kind === 'ok' && got.kept === true) || !navigator.onLine;
    if (got.kind === 'bad-date') return newDay();
    if (got.kind === 'ok') {
      [body, error] = [got.body, null];
      if (wanted === null && !offline) void saveForOffline({ ...data, dates: [...source.dates] }, got.body);
    } else if (got.kind === 'unavailable') error = got.detail;
    render();
  }

  /** Midnight passed (or the page had no days): new days, and today's data. */
  async function newDay(): Promise<void> {
    if ((await source.loadDates()) === 'ok') {
      state = parseViewState(serialiseViewState(state), source.dates);
      controls.write(state, source.dates);
    }
    await load(true);
  }

  const refresh = createRefreshButton(byId<HTMLButtonElement>('refresh'), byId('refresh-note'), {
    refreshed: () => {
      source.forget();
      return load(true);
    },
    offline: () => {
      offline = true;
      render();
    },
  });
  const controls = createControls((next) => {
    const dayChanged = next.date !== state.date;
    state = next;
    if (dayChanged) void load();
    else render();
  });
  controls.write(state, source.dates);

  byId('rooms').addEventListener('click', (event) => {
    const id = (event.target as Element).closest('.fav')?.closest<HTMLElement>('[data-room]')?.dataset.room;
    if (id) {
      favourites.toggle(id);
      render();
    }
  });
  document.querySelector('[data-action="clear"]')?.addEventListener('click', () => {
    state = { ...DEFAULT_VIEW, date: state.date, order: state.order };
    controls.write(state, source.dates);
    render();
  });
  document.querySelector('[data-banner="error"] form')?.addEventListener('submit', (event) => {
    event.preventDefault();
    void (source.dates.length === 0 ? newDay() : load(true));
  });
  // Back online: fetch afresh, and keep trying while the network says it is up but nothing answers.
  let retry: ReturnType<typeof setTimeout> | undefined;
  async function reconnect(): Promise<void> {
    clearTimeout(retry);
    await load(true);
    if (offline && navigator.onLine) retry = setTimeout(() => void reconnect(), RETRY_MS);
  }
  addEventListener('online', () => void reconnect());
  addEventListener('offline', () => {
    offline = true;
    render();
  });

  everyMinute(() => {
    minutes += 1;
    const now = campusMinute(Date.now(), data.timeZone);
    if (offline) void reconnect();
    else if (source.today !== undefined && now.date > source.today) void newDay();
    else if (minutes % REVALIDATE_MINUTES === 0 && document.visibilityState === 'visible' && state.date === null) void load(true);
    else render();
  });

  if (data.cooldownUntil === null) void refresh.check();
  else refresh.hold(data.cooldownUntil);
  render();
  const cached = data.offline || Math.abs(Date.now() - data.renderedAt) > CACHED_AFTER_MS;
  if (body && !cached && !body.date) void saveForOffline(data, body);
  if (source.dates.length === 0) void newDay();
  else if (cached || (body && (body.date ?? null) !== state.date)) void load(true);
}

function storageOrNull(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null; // storage blocked
  }
}
