// One 25Live item in its wire shape, and the varied ways the simulator writes an event's fields.

/** One item of a day in 25Live's wire shape. */
export interface SimulatedItem {
  itemId: number;
  itemId2: number;
  itemName: string;
  type_id: number;
  start: string | number;
  end: string | number;
  ev_start_time?: string | number;
  ev_end_time?: string | number;
  cur_event_state?: number;
  exp_head_count?: number;
}

export type Random = () => number;

// 25Live's clients have seen "9.750000", "8.0" and 9.75; a simulator must send all of them.
export function hours(random: Random, value: number): string | number {
  const rounded = Math.round(value * 1e6) / 1e6;
  const roll = random();
  if (roll < 0.6) return rounded.toFixed(6);
  if (roll < 0.75) return Number.isInteger(rounded) ? rounded.toFixed(1) : String(rounded);
  return rounded;
}

function eventState(random: Random): number {
  const roll = random();
  if (roll < 0.04) return 99; // cancelled
  if (roll < 0.06) return 98; // deleted
  return roll < 0.1 ? 1 : roll < 0.15 ? 3 : 2;
}

/** An event (type 1) booked `start`–`end`, running `evStart`–`evEnd`, in a state drawn from `random`. */
export function event(random: Random, id: number, name: string, start: number, end: number, evStart = start, evEnd = end): SimulatedItem {
  return {
    itemId: id,
    itemId2: 900_000 + (id % 99_991),
    itemName: name,
    type_id: 1,
    start: hours(random, start),
    end: hours(random, end),
    ev_start_time: hours(random, evStart),
    ev_end_time: hours(random, evEnd),
    cur_event_state: eventState(random),
    exp_head_count: 5 + Math.floor(random() * 60),
  };
}
