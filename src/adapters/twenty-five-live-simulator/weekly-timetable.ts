import type { Building, Classroom } from '../../domain/catalog.ts';
import { pick, randomFor, seedOf } from './seeded-random.ts';

/** A recurring class: the same event every listed weekday, like a semester section. */
export interface Section {
  eventId: number;
  name: string;
  weekdays: readonly number[]; // 0 = Sunday
  /** When the class itself runs (25Live `ev_start_time`/`ev_end_time`). */
  evStart: number;
  evEnd: number;
  /** Booked times including setup and teardown (25Live `start`/`end`): what blocks the room. */
  start: number;
  end: number;
  headCount: number;
}

const MWF = [1, 3, 5];
const TTH = [2, 4];
// BU's standard blocks: 50-minute MWF classes every 65 minutes, 75-minute TTh classes every 90.
const MWF_STARTS = [8, 9 + 5 / 60, 10 + 10 / 60, 11.25, 12 + 20 / 60, 13 + 25 / 60, 14.5, 15 + 35 / 60, 16 + 40 / 60];
const TTH_STARTS = [8, 9.5, 11, 12.5, 14, 15.5, 17];
const EVENING_STARTS = [18, 18.5];
const DEPARTMENTS = ['CH', 'PY', 'MA', 'EC', 'PS', 'BI', 'EN', 'HI', 'PH', 'CS', 'LX', 'WR', 'RN', 'AN'];

/**
 * The room's term timetable, stable for a seed: which standard blocks it hosts. Setup is sometimes
 * 15 minutes, so a class booked from 8:50 sits back-to-back with one that ended at 8:50.
 */
export function weeklyTimetable(room: Classroom, building: Building, seed: number): Section[] {
  const random = randomFor(seed, room.spaceId, 'timetable');
  const busyness = 0.3 + random() * 0.5;
  const sections: Section[] = [];
  const add = (weekdays: readonly number[], evStart: number, minutes: number) => {
    const setup = random() < 0.4 ? 0.25 : 0;
    const teardown = random() < 0.2 ? 10 / 60 : 0;
    const evEnd = evStart + minutes / 60;
    const section: Section = {
      eventId: 700_000 + (seedOf(seed, room.spaceId, evStart, weekdays.join()) % 200_000),
      name: `${building.code} ${pick(random, DEPARTMENTS)} ${100 + Math.floor(random() * 500)} ${pick(random, ['A', 'B', 'C'])}${1 + Math.floor(random() * 4)}`,
      weekdays,
      evStart,
      evEnd,
      start: evStart - setup,
      end: evEnd + teardown,
      headCount: 10 + Math.floor(random() * 140),
    };
    if (section.start >= building.opens && section.end <= building.closes) sections.push(section);
  };
  for (const start of MWF_STARTS) if (random() < busyness) add(MWF, start, 50);
  for (const start of TTH_STARTS) if (random() < busyness) add(TTH, start, 75);
  if (random() < busyness) add([pick(random, [1, 2, 3, 4])], pick(random, EVENING_STARTS), 165);
  return sections;
}
