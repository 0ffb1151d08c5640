import { secondsOf } from '../domain/free-rooms.ts';
import type { OpenClassrooms } from '../domain/organise.ts';
import { compareRoomNames } from '../domain/room-order.ts';
import type { CampusMinute } from './campus-time.ts';
import { longDate } from './date-labels.ts';
import { roomRow, type Moment, type RoomRow } from './room-row.ts';
import { freeFor, statusesAt, type RoomStatus } from './room-status.ts';
import { hasDetails } from '../domain/room-details.ts';
import { roomMatcher } from './search.ts';
import { dayWindow, type DayWindow } from './timeline.ts';
import { formatTime12 } from './twelve-hour.ts';
import type { ViewState } from './view-state.ts';

export type { RoomRow };

export interface BuildingBlock {
  code: string;
  name: string;
  /** Its rooms, favourites aside (they are pinned on top), in the order asked for. */
  rooms: RoomRow[];
  shown: number;
  /** Rooms shown that are free at the moment: `N available`. */
  available: number;
}

export interface PageView {
  moment: Moment;
  /** Favourite rooms, pinned above the buildings. */
  pinned: RoomRow[];
  buildings: BuildingBlock[];
  /** The hours every room's timeline spans. */
  window: DayWindow;
  /** `Free now, 2:05 PM` or `Free at 2:00 PM`. */
  headline: string;
  /** `Tuesday, December 1`. */
  dateText: string;
  /** `34 of 77 rooms free now`. */
  summary: string;
  shown: number;
  /** A search is typed: every section with a match opens. */
  searching: boolean;
}

interface ViewContext {
  /** The service's today (the first of its dates). */
  today: string;
  /** Now on the campus clock. */
  now: CampusMinute;
  favourites: ReadonlySet<string>;
}

/** Longest free first; then the soonest free again; then the rest. Ties in natural room order. */
const rank = (status: RoomStatus): number => (status.kind === 'free' ? -status.minutes : status.kind === 'busy' ? 1 + secondsOf(status.from) / 60 : 10_000);

/**
 * The page for one answer (the day in `state`) at the moment in `state` or now: every room's
 * status, texts and visibility, buildings in the answer's order, rooms in natural order or longest
 * free first, favourites pinned on top.
 */
export function buildView(body: OpenClassrooms, state: ViewState, context: ViewContext): PageView {
  const date = state.date ?? context.today;
  const moment: Moment = { date, at: state.at ?? context.now.time, isNow: state.at === null && date === context.now.date };
  const statuses = statusesAt(body, moment.at);
  const matches = roomMatcher(state.q);
  const names = new Map<string, string>();
  const rows = Object.values(body.buildings).map((building) =>
    building.classrooms.map((room) => {
      names.set(room.id, room.name);
      const status = statuses.get(room.id) ?? { kind: 'unknown' };
      const favourite = context.favourites.has(room.id);
      const visible =
        matches({ building: building.code, buildingName: building.name, name: room.name }) &&
        (!state.fav || favourite) &&
        (state.for === null || freeFor(status, state.for)) &&
        hasDetails(room, state.seats ?? undefined, state.features);
      return roomRow(room, building.code, status, moment, { visible, favourite });
    }),
  );
  const byName = (a: RoomRow, b: RoomRow) => compareRoomNames(names.get(a.id)!, names.get(b.id)!);
  const order = (list: RoomRow[]) => list.sort(state.order === 'longest' ? (a, b) => rank(a.status) - rank(b.status) || byName(a, b) : byName);
  const buildings = Object.values(body.buildings).map((building, i): BuildingBlock => {
    const rooms = order(rows[i]!.filter((r) => !r.favourite));
    const shown = rooms.filter((r) => r.visible);
    return { code: building.code, name: building.name, rooms, shown: shown.length, available: shown.filter((r) => r.status.kind === 'free').length };
  });
  // Pinned favourites keep the buildings' order under "by number", so CAS rooms come before CGS rooms.
  const pinned = state.order === 'longest' ? order(rows.flat().filter((r) => r.favourite)) : rows.flatMap((list) => order(list.filter((r) => r.favourite)));
  const all = rows.flat();
  const shown = all.filter((r) => r.visible);
  const free = shown.filter((r) => r.status.kind === 'free').length;
  const when = moment.isNow ? 'now' : `at ${formatTime12(moment.at)}`;
  const summary =
    shown.length === 0 ? 'No rooms match' : shown.length === all.length ? `${free} of ${all.length} rooms free ${when}` : `${shown.length} of ${all.length} rooms shown, ${free} free ${when}`;
  return {
    moment,
    pinned,
    buildings,
    window: dayWindow(body),
    headline: moment.isNow ? `Free now, ${formatTime12(moment.at)}` : `Free at ${formatTime12(moment.at)}`,
    dateText: longDate(date),
    summary,
    shown: shown.length,
    searching: state.q.trim() !== '',
  };
}
