import { escapeHtml as e } from './html.ts';
import type { BuildingBlock, PageView, RoomRow } from './page-view.ts';
import { timelineSvg, type DayWindow } from './timeline.ts';

// The rooms as HTML: the server renders them into the page; the script renders a room's body again
// when it changes, and whole sections only when it has no server-rendered rooms (an error page).

const hidden = (visible: boolean): string => (visible ? '' : ' hidden');

function slotList(row: RoomRow): string {
  if (row.slotsNote !== '') return `<p class="slots-note">${e(row.slotsNote)}</p>`;
  const item = (slot: RoomRow['slots'][number]) => `<li${slot.current ? ' class="current" aria-current="true"' : slot.past ? ' class="past"' : ''}>${e(slot.text)}</li>`;
  return `<ul class="slots" aria-label="Free times of ${e(row.label)}">${row.slots.map(item).join('')}</ul>`;
}

/** What changes in a room with the moment and the day: the dot, the texts, the timeline, the slots. */
export function roomBody(row: RoomRow, span: DayWindow, at: string): string {
  return (
    `<p class="room-head"><span class="dot" aria-hidden="true"></span><span class="name">${e(row.label)}</span> <span class="length">${e(row.lengthText)}</span></p>` +
    `<p class="status">${e(row.statusText)}</p>${row.detailsText === '' ? '' : `<p class="details">${e(row.detailsText)}</p>`}${timelineSvg(row.slots, span, at)}${slotList(row)}`
  );
}

/** The attributes that change with the moment: the hooks tests and tools read. */
export const roomAttributes = (row: RoomRow): Array<[string, string]> => [
  ['data-free-now', String(row.status.kind === 'free')],
  ['data-state', row.status.kind],
];

function renderRoom(row: RoomRow, view: PageView): string {
  const attributes = roomAttributes(row)
    .map(([name, value]) => ` ${name}="${e(value)}"`)
    .join('');
  return (
    `<li class="room" data-room="${e(row.id)}"${attributes}${hidden(row.visible)}><div class="room-body">${roomBody(row, view.window, view.moment.at)}</div>` +
    `<button type="button" class="fav" aria-pressed="${row.favourite}" aria-label="Favourite ${e(row.label)}"></button></li>`
  );
}

/** `5 available`, or `unavailable` when none of the rooms shown is free. */
export const availableText = (block: BuildingBlock): string => (block.available === 0 ? 'unavailable' : `${block.available} available`);

function renderBuilding(block: BuildingBlock, view: PageView): string {
  const id = `b-${e(block.code)}`;
  return (
    `<section class="building" data-building="${e(block.code)}" aria-labelledby="${id}"${hidden(block.shown > 0)}><details open>` +
    `<summary><h2 id="${id}"><span class="code">${e(block.code)}</span> ${e(block.name)}</h2> <span class="count">${availableText(block)}</span></summary>` +
    `<ul class="rooms">${block.rooms.map((row) => renderRoom(row, view)).join('')}</ul></details></section>`
  );
}

/** The favourites, pinned above the buildings (the server knows none: they live in the browser). */
function renderPinned(view: PageView): string {
  return `<section class="pinned" id="pinned" aria-labelledby="pinned-title"${hidden(view.pinned.some((r) => r.visible))}><h2 id="pinned-title">Favourites</h2><ul class="rooms">${view.pinned.map((row) => renderRoom(row, view)).join('')}</ul></section>`;
}

export const renderBuildings = (view: PageView): string => renderPinned(view) + view.buildings.map((block) => renderBuilding(block, view)).join('');
