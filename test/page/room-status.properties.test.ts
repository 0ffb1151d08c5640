import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/domain/catalog.ts';
import { freeRoomsAt } from '../../src/domain/free-rooms.ts';
import type { OpenClassrooms } from '../../src/domain/organise.ts';
import { slotViews, statusTexts } from '../../src/page/room-row.ts';
import { freeFor, statusesAt } from '../../src/page/room-status.ts';
import { formatTime12 } from '../../src/page/twelve-hour.ts';
import { bodyAndMoment, oracleSlotAt, RUNS, toSeconds } from './page-arbitraries.ts';

const rooms = (b: OpenClassrooms) => Object.values(b.buildings).flatMap((building) => building.classrooms);

describe('a room at a moment: free now until, free from, or neither', () => {
  it('is free exactly when a slot holds the moment (start <= at < end), until that slot ends, for its whole minutes', () => {
    fc.assert(
      fc.property(bodyAndMoment, ([b, at]) => {
        const statuses = statusesAt(b, at);
        for (const room of rooms(b)) {
          const status = statuses.get(room.id)!;
          const slot = room.status === 'unknown' ? undefined : oracleSlotAt(room.availability, at);
          if (room.status === 'unknown') expect(status).toEqual({ kind: 'unknown' });
          else if (slot) expect(status).toEqual({ kind: 'free', until: slot.end, minutes: Math.floor((toSeconds(slot.end) - toSeconds(at)) / 60) });
          else expect(status.kind).not.toBe('free');
        }
      }),
      RUNS,
    );
  });

  it('is free from the earliest slot starting after the moment when not free now, and done when there is none', () => {
    fc.assert(
      fc.property(bodyAndMoment, ([b, at]) => {
        const statuses = statusesAt(b, at);
        for (const room of rooms(b)) {
          const status = statuses.get(room.id)!;
          if (status.kind === 'free' || status.kind === 'unknown') continue;
          const later = room.availability.map((s) => s.start).filter((start) => toSeconds(start) > toSeconds(at));
          const earliest = later.sort((x, y) => toSeconds(x) - toSeconds(y))[0];
          expect(status).toEqual(earliest === undefined ? { kind: 'done' } : { kind: 'busy', from: earliest });
        }
      }),
      RUNS,
    );
  });

  it('agrees with the server\'s free rooms (freeRoomsAt) for any "free for at least" length', () => {
    fc.assert(
      fc.property(bodyAndMoment, fc.integer({ min: 0, max: 1440 }), ([b, at], minutes) => {
        const catalog: Catalog = {
          school: '',
          timeZone: 'America/New_York',
          tenant: '',
          buildings: Object.values(b.buildings).map((x) => ({ code: x.code, name: x.name, opens: 7, closes: 23 })),
          classrooms: Object.values(b.buildings).flatMap((x) => x.classrooms.map((r) => ({ spaceId: Number(r.id), name: r.name, building: x.code }))),
        };
        const availability = Object.fromEntries(
          rooms(b)
            .filter((r) => r.status !== 'unknown')
            .map((r) => [r.id, r.availability]),
        );
        const server = new Set(freeRoomsAt(catalog, availability, at, minutes).map((r) => r.id));
        const statuses = statusesAt(b, at);
        expect(
          new Set(
            rooms(b)
              .filter((r) => freeFor(statuses.get(r.id)!, minutes))
              .map((r) => r.id),
          ),
        ).toEqual(server);
      }),
      RUNS,
    );
  });

  it('is put in words: "Free now until" only for now, "Free from" the next slot, with the 12-hour times', () => {
    fc.assert(
      fc.property(bodyAndMoment, fc.boolean(), ([b, at], isNow) => {
        const moment = { date: '2026-12-01', at, isNow };
        for (const room of rooms(b)) {
          const status = statusesAt(b, at).get(room.id)!;
          const { statusText, lengthText } = statusTexts(status, moment, room.availability.length);
          if (status.kind === 'free') {
            expect(statusText).toBe(`Free ${isNow ? 'now ' : ''}until ${formatTime12(status.until)}`);
            expect(lengthText).not.toBe('');
          } else if (status.kind === 'busy') expect(statusText).toBe(`Free from ${formatTime12(status.from)}`);
          else expect(lengthText).toBe('');
        }
      }),
      RUNS,
    );
  });

  it('highlights the slot the moment falls in, and only that one; the slots before it are past', () => {
    fc.assert(
      fc.property(bodyAndMoment, ([b, at]) => {
        for (const room of rooms(b)) {
          const views = slotViews(room, at);
          const held = oracleSlotAt(room.availability, at);
          expect(views.filter((v) => v.current).map((v) => v.start)).toEqual(held ? [held.start] : []);
          for (const view of views) expect(view.past).toBe(toSeconds(view.end) <= toSeconds(at));
        }
      }),
      RUNS,
    );
  });
});
