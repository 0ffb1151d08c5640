import { escapeHtml as e } from './html.ts';
import type { BuildingBlock, PageView, RoomRow } from './page-view.ts';

// The rooms as HTML: the server renders them into the page, and the script renders them the same
// way when it has no server-rendered rooms to update (the page came as an error).

const hidden = (visible: boolean): string => (visible ? '' : ' hidden');

/** One room: its status at the moment in the summary, the whole day's free slots inside. */
export function renderRoom(row: RoomRow): string {
  return (
    `<li class="room" data-room="${e(row.id)}" data-free-now="${row.status.kind === 'free'}" data-state="${row.status.kind}"${hidden(row.visible)}>` +
    `<details><summary><span class="name">${e(row.label)}</span> <span class="status">${e(row.statusText)}</span> <span class="length">${e(row.lengthText)}</span></summary>` +
    `<p class="slots">${e(row.slotsText)}</p></details>` +
    `<button type="button" class="fav" aria-pressed="${row.favourite}" aria-label="Favourite ${e(row.label)}"></button></li>`
  );
}

/** `20 of 50 free`: the building at the moment, whatever the filters. */
export const buildingCount = (block: BuildingBlock): string => `${block.free} of ${block.rooms.length} free`;

export function renderBuilding(block: BuildingBlock): string {
  const id = `b-${e(block.code)}`;
  return (
    `<section class="building" data-building="${e(block.code)}" aria-labelledby="${id}"${hidden(block.shown > 0)}><details open>` +
    `<summary><h2 id="${id}"><span class="code">${e(block.code)}</span> ${e(block.name)}</h2> <span class="count">${buildingCount(block)}</span></summary>` +
    `<ul class="rooms">${block.rooms.map(renderRoom).join('')}</ul></details></section>`
  );
}

export const renderBuildings = (view: PageView): string => view.buildings.map(renderBuilding).join('');
