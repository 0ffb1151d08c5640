import { dataTimeLabel } from './date-labels.ts';
import { escapeHtml as e, jsonForScript } from './html.ts';
import type { PageModel } from './page-data.ts';
import { buildView, type PageView } from './page-view.ts';
import { renderControls } from './render-controls.ts';
import { offeredFilters } from './room-filters.ts';
import { renderBuildings } from './render-rooms.ts';

/** The tab icon, inline: a favicon request would be one of the five a first visit may make. */
const ICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='7' fill='%23c00'/%3E%3Cpath d='M10 7h13v4h-8.5v3.2H22v3.6h-7.5V21H23v4H10z' fill='%23fff'/%3E%3C/svg%3E";

const hidden = (visible: boolean) => (visible ? '' : ' hidden');

function banners(model: PageModel, today: string): string {
  const { body, error } = model.data;
  const since = e(dataTimeLabel(body?.last_updated ?? null, today) ?? 'earlier');
  return (
    `<div class="banner stale" data-banner="stale" role="status"${hidden(body?.stale === true)}><strong>Old data.</strong> 25Live is not answering, so these are the last free times we have, from <span class="since">${since}</span>. Rooms may have been booked since.</div>` +
    `<div class="banner error" data-banner="error" role="alert"${hidden(body === null)}><p><strong>No room data right now.</strong> <span class="detail">${e(error ?? '')}</span></p>` +
    `<form method="get" action="/"><button type="submit" data-action="retry">Try again</button></form></div>` +
    `<div class="banner offline" data-banner="offline" role="status"${hidden(model.data.offline)}><strong>Offline</strong> — <span class="since">${body ? `data from ${since}` : 'no data saved on this device yet'}</span></div>`
  );
}

function rooms(view: PageView | null, model: PageModel): string {
  const moment = view ? ` data-date="${e(view.moment.date)}" data-at="${e(view.moment.at)}"` : '';
  return (
    `<p class="summary" id="summary" role="status">${e(view?.summary ?? '')}</p>` +
    `<div class="buildings" id="rooms"${moment}>${view ? renderBuildings(view) : ''}</div>` +
    `<p class="empty" id="empty"${hidden(view !== null && view.shown === 0)}>No rooms match. <button type="button" class="js-only" data-action="clear">Clear search and filters</button></p>` +
    `<script type="application/json" id="page-data">${jsonForScript(model.data)}</script>`
  );
}

/**
 * The whole page for one model: the rooms of the day shown, at the moment asked for, readable with
 * no script at all. The server renders it; the script then keeps it live.
 */
/** `Eastern Time`, `Pacific Time`: the zone as people say it (its IANA name where Intl has no other). */
function zoneName(timeZone: string): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longGeneric' }).formatToParts(0).find((part) => part.type === 'timeZoneName')?.value;
  return name && !name.startsWith('GMT') ? name : `${timeZone} time`;
}

export function renderPage(model: PageModel): string {
  const { data, state, now, assets } = model;
  const today = data.dates[0] ?? now.date;
  // Favourites live in the browser: the server shows every room, and the script then applies `fav`.
  const view = data.body && buildView(data.body, { ...state, fav: false }, { today, now, favourites: new Set() });
  const updated = dataTimeLabel(data.body?.last_updated ?? null, today);
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>EmptyClassroom: free classrooms at ${e(data.school)}</title><meta name="description" content="Which ${e(data.school)} classrooms are free right now, and until when.">` +
    `<meta name="color-scheme" content="light dark"><link rel="icon" href="${ICON}"><style>${assets.css}</style><script defer src="${e(assets.script)}"></script></head>` +
    `<body><a class="skip" href="#rooms">Skip to the rooms</a>` +
    `<header class="top"><span class="logo" aria-hidden="true">E</span><div><h1>EmptyClassroom</h1><p class="tagline">Free classrooms at ${e(data.school)}</p></div></header>` +
    `<main id="main"><div class="moment"><p class="headline"><strong id="headline">${e(view?.headline ?? 'Free classrooms')}</strong> <span id="date-text">${e(view?.dateText ?? '')}</span></p>` +
    `<div class="data-line"><p class="updated" id="updated">${updated ? `Last updated ${e(updated)}` : ''}</p><button type="button" class="js-only" id="refresh">Refresh</button></div>` +
    `<p class="note" id="refresh-note" role="status"></p></div>` +
    banners(model, today) +
    renderControls(state, data.dates, offeredFilters(data.body)) +
    rooms(view, model) +
    `</main><footer><ul class="notes"><li>Availability reflects official 25Live schedules only.</li><li>Rooms may be in use informally.</li>` +
    `<li>Access to some rooms may be restricted to students of certain colleges.</li><li>All times are ${e(zoneName(data.timeZone))}. <a href="/api/open-classrooms">The data as JSON</a>.</li></ul></footer></body></html>`
  );
}
