import { dayOption } from './date-labels.ts';
import { escapeHtml as e } from './html.ts';
import { formatDuration, formatTime12 } from './twelve-hour.ts';
import type { OfferedFilters } from './room-filters.ts';
import type { ViewState } from './view-state.ts';

/** The "Show" choices: every room, or rooms free at the moment for at least so long. */
const LENGTHS = [0, 30, 60, 120, 180];
/** The "Seats" choices, where the catalog knows capacities. */
export const SEATS = [10, 20, 30, 50, 100];

const option = (value: string, label: string, selected: boolean) => `<option value="${e(value)}"${selected ? ' selected' : ''}>${e(label)}</option>`;

const lengthLabel = (minutes: number): string => (minutes === 0 ? 'Free rooms' : `Free ${formatDuration(minutes)} or more`);

/** The day picker's options: today as the empty value (today needs no `date=` in the URL). */
export function dayOptions(dates: readonly string[], selected: string | null): string {
  const today = dates[0];
  if (today === undefined) return option('', 'Today', true);
  return dates.map((date, i) => option(i === 0 ? '' : date, dayOption(date, today), i === 0 ? selected === null : date === selected)).join('');
}

export function lengthOptions(selected: number | null): string {
  const lengths = selected === null || LENGTHS.includes(selected) ? LENGTHS : [...LENGTHS, selected].sort((a, b) => a - b);
  return option('', 'All rooms', selected === null) + lengths.map((m) => option(String(m), lengthLabel(m), m === selected)).join('');
}

const seatsLabel = (seats: number): string => `${seats}+ seats`;

export function seatsOptions(selected: number | null): string {
  const choices = selected === null || SEATS.includes(selected) ? SEATS : [...SEATS, selected].sort((a, b) => a - b);
  return option('', 'Any size', selected === null) + choices.map((n) => option(String(n), seatsLabel(n), n === selected)).join('');
}

/** One checkbox per feature any room has (a feature asked for in the URL that no room has is kept, checked, so it can be unticked). */
function featureBoxes(features: readonly string[], selected: readonly string[]): string {
  const wanted = new Set(selected.map((f) => f.toLowerCase()));
  const all = [...features, ...selected.filter((f) => !features.some((known) => known.toLowerCase() === f.toLowerCase()))];
  return all
    .map(
      (feature, i) =>
        `<span class="feature"><input type="checkbox" id="feature-${i}" name="feature" value="${e(feature)}"${wanted.has(feature.toLowerCase()) ? ' checked' : ''}><label for="feature-${i}">${e(feature)}</label></span>`,
    )
    .join('');
}

/** What the collapsed filters hold, e.g. `Tomorrow · 2:00 PM · Free 1 h or more`; empty when none is set. */
export function filtersSummary(state: ViewState, dates: readonly string[]): string {
  const parts = [
    state.date === null || dates[0] === undefined ? null : dayOption(state.date, dates[0]),
    state.at === null ? null : formatTime12(state.at),
    state.for === null ? null : lengthLabel(state.for),
    state.order === 'longest' ? 'Longest free first' : null,
    state.fav ? 'Favourites only' : null,
    state.seats === null ? null : seatsLabel(state.seats),
    state.features.length === 0 ? null : state.features.join(', '),
  ];
  return parts.filter((part) => part !== null).join(' · ');
}

/**
 * The search and filters: a plain GET form, so they work without the script (the server renders
 * the view the query asks for); the script applies them as they change and keeps the URL in step.
 * On a phone the filters fold away under the search, so the rooms start high on the screen.
 */
export function renderControls(state: ViewState, dates: readonly string[], details: OfferedFilters = { capacities: false, features: [] }): string {
  const set = filtersSummary(state, dates);
  return (
    `<form class="controls" id="controls" method="get" action="/" role="search" aria-label="Find a free room">` +
    `<div class="field field-q"><label for="q">Search rooms</label>` +
    `<input type="search" id="q" name="q" value="${e(state.q)}" maxlength="100" placeholder="CAS 116, CGS, 204" autocomplete="off" spellcheck="false" aria-describedby="q-hint">` +
    `<span class="hint" id="q-hint">A building, a room or both, like cas116. Press / to search from anywhere.</span></div>` +
    `<details class="more" id="more"${set === '' ? '' : ' open'}><summary>Day, time and filters <span class="more-set" id="more-set">${e(set)}</span></summary><div class="more-fields">` +
    `<div class="field"><label for="date">Day</label><select id="date" name="date">${dayOptions(dates, state.date)}</select></div>` +
    `<div class="field"><label for="at">Time</label><span class="with-button"><input type="time" id="at" name="at" step="60" value="${e(state.at ?? '')}" aria-describedby="at-hint">` +
    `<button type="button" class="js-only" id="now">Now</button></span><span class="hint" id="at-hint">Empty for now</span></div>` +
    `<div class="field"><label for="for">Show</label><select id="for" name="for">${lengthOptions(state.for)}</select></div>` +
    `<div class="field"><label for="order">Order</label><select id="order" name="order">${option('', 'Room number', state.order === 'name')}${option('longest', 'Longest free', state.order === 'longest')}</select></div>` +
    `<div class="field field-check js-only"><input type="checkbox" id="fav" name="fav" value="1"${state.fav ? ' checked' : ''}><label for="fav">Favourites only</label></div>` +
    // Seats and features only where the catalog has them: BU's page is unchanged.
    (details.capacities || state.seats !== null ? `<div class="field"><label for="seats">Seats</label><select id="seats" name="min_capacity">${seatsOptions(state.seats)}</select></div>` : '') +
    (details.features.length > 0 || state.features.length > 0
      ? `<fieldset class="field field-features" id="features"><legend>Features</legend>${featureBoxes(details.features, state.features)}</fieldset>`
      : '') +
    `<button type="submit" class="apply no-js-only">Show rooms</button></div></details></form>`
  );
}
