import type { OpenClassrooms } from '../domain/organise.ts';
import { compareRoomNames } from '../domain/room-order.ts';
import type { CampusMinute } from './campus-time.ts';
import { longDate } from './date-labels.ts';
import { freeFor, statusesAt, type RoomStatus } from './room-status.ts';
import { roomMatcher } from './search.ts';
import { formatDuration, formatSlot, formatTime12 } from './twelve-hour.ts';
import type { ViewState } from './view-state.ts';

/** One room as the page shows it at the moment asked for. */
export interface RoomRow {
  id: string;
  building: string;
  /** `CAS 116`. */
  label: string;
  status: RoomStatus;
  statusText: string;
  /** How long it stays free (`1 h 39 min`), or empty. */
  lengthText: string;
  /** The whole day's free slots. */
  slotsText: string;
  visible: boolean;
  favourite: boolean;
}

export interface BuildingBlock {
  code: string;
  name: string;
  rooms: RoomRow[];
  /** Rooms shown under the search and filters. */
  shown: number;
  /** Rooms free at the moment, shown or not. */
  free: number;
}

/** The moment the page answers for: a campus date and minute, and whether that is now. */
export interface Moment {
  date: string;
  at: string;
  isNow: boolean;
}

export interface PageView {
  moment: Moment;
  buildings: BuildingBlock[];
  /** `Free now, 2:05 PM` or `Free at 2:00 PM`. */
  headline: string;
  /** `Tuesday, December 1`. */
  dateText: string;
  /** `34 of 77 rooms free now`. */
  summary: string;
  shown: number;
}

export interface ViewContext {
  /** The service's today (the first of its dates). */
  today: string;
  /** Now on the campus clock. */
  now: CampusMinute;
  favourites: ReadonlySet<string>;
}

/** The "free now until / free from" rules in words. */
export function statusTexts(status: RoomStatus, moment: Moment, slotCount: number): Pick<RoomRow, 'statusText' | 'lengthText'> {
  switch (status.kind) {
    case 'free':
      return { statusText: `Free ${moment.isNow ? 'now ' : ''}until ${formatTime12(status.until)}`, lengthText: formatDuration(status.minutes) };
    case 'busy':
      return { statusText: `Free from ${formatTime12(status.from)}`, lengthText: '' };
    case 'done':
      return { statusText: slotCount === 0 ? 'Booked all day' : `No free time left ${moment.isNow ? 'today' : 'that day'}`, lengthText: '' };
    case 'unknown':
      return { statusText: 'Schedule unknown', lengthText: '' };
  }
}

/**
 * The page for one answer (the day in `state`), at the moment in `state` or now: every room's
 * status, text and visibility, buildings in the answer's order and rooms in natural order.
 */
export function buildView(body: OpenClassrooms, state: ViewState, context: ViewContext): PageView {
  const date = state.date ?? context.today;
  const moment: Moment = { date, at: state.at ?? context.now.time, isNow: state.at === null && date === context.now.date };
  const statuses = statusesAt(body, moment.at);
  const matches = roomMatcher(state.q);
  let shown = 0;
  let free = 0;
  const buildings = Object.values(body.buildings).map((building): BuildingBlock => {
    const rooms = [...building.classrooms]
      .sort((a, b) => compareRoomNames(a.name, b.name))
      .map((room): RoomRow => {
        const status = statuses.get(room.id) ?? { kind: 'unknown' };
        const favourite = context.favourites.has(room.id);
        const visible = matches({ building: building.code, buildingName: building.name, name: room.name }) && (!state.fav || favourite) && (state.for === null || freeFor(status, state.for));
        const slotsText = status.kind === 'unknown' ? '25Live did not answer for this room' : room.availability.length === 0 ? 'No free time this day' : `Free ${room.availability.map(formatSlot).join(', ')}`;
        return { id: room.id, building: building.code, label: `${building.code} ${room.name}`, status, ...statusTexts(status, moment, room.availability.length), slotsText, visible, favourite };
      });
    const block = { code: building.code, name: building.name, rooms, shown: rooms.filter((r) => r.visible).length, free: rooms.filter((r) => r.status.kind === 'free').length };
    shown += block.shown;
    free += rooms.filter((r) => r.visible && r.status.kind === 'free').length;
    return block;
  });
  const total = buildings.reduce((sum, b) => sum + b.rooms.length, 0);
  const when = moment.isNow ? 'now' : `at ${formatTime12(moment.at)}`;
  const summary = shown === 0 ? 'No rooms match' : shown === total ? `${free} of ${total} rooms free ${when}` : `${shown} of ${total} rooms shown, ${free} free ${when}`;
  return {
    moment,
    buildings,
    headline: moment.isNow ? `Free now, ${formatTime12(moment.at)}` : `Free at ${formatTime12(moment.at)}`,
    dateText: longDate(date),
    summary,
    shown,
  };
}
