import { secondsOf } from '../domain/free-rooms.ts';
import type { RoomView } from '../domain/organise.ts';
import { detailsText } from './room-filters.ts';
import type { RoomStatus } from './room-status.ts';
import { formatDuration, formatSlot, formatTime12 } from './twelve-hour.ts';

/** The moment the page answers for: a campus date and minute, and whether that is now. */
export interface Moment {
  date: string;
  at: string;
  isNow: boolean;
}

/** One free slot as listed under a room. */
export interface SlotView {
  start: string;
  end: string;
  /** `7:00 AM – 9:44 AM`. */
  text: string;
  /** The moment falls in it: highlighted. */
  current: boolean;
  /** It ended before the moment. */
  past: boolean;
}

/** One room as the page shows it at the moment asked for. */
export interface RoomRow {
  id: string;
  building: string;
  /** `CAS 116`. */
  label: string;
  /** `40 seats · Projector`, or empty when the catalog knows neither. */
  detailsText: string;
  status: RoomStatus;
  /** `Free now until 3:45 PM`, `Free from 1:30 PM`. */
  statusText: string;
  /** How long it stays free (`1 h 39 min`), or empty. */
  lengthText: string;
  slots: SlotView[];
  /** What to say instead of slots (none that day, or unknown), or empty. */
  slotsNote: string;
  visible: boolean;
  favourite: boolean;
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

/** A room's slots, each marked current (the moment falls in it, as `freeRoomsAt` counts it) or past. */
export function slotViews(room: RoomView, at: string): SlotView[] {
  const moment = secondsOf(at);
  return room.availability.map((slot) => ({
    start: slot.start,
    end: slot.end,
    text: formatSlot(slot),
    current: secondsOf(slot.start) <= moment && moment < secondsOf(slot.end),
    past: secondsOf(slot.end) <= moment,
  }));
}

export function roomRow(room: RoomView, building: string, status: RoomStatus, moment: Moment, flags: { visible: boolean; favourite: boolean }): RoomRow {
  const slotsNote = status.kind === 'unknown' ? '25Live did not answer for this room.' : room.availability.length === 0 ? 'No free time this day.' : '';
  return {
    id: room.id,
    building,
    label: `${building} ${room.name}`,
    detailsText: detailsText(room),
    status,
    ...statusTexts(status, moment, room.availability.length),
    slots: status.kind === 'unknown' ? [] : slotViews(room, moment.at),
    slotsNote,
    ...flags,
  };
}
