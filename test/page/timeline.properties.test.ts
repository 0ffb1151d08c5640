import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { slotViews } from '../../src/page/room-row.ts';
import { dayWindow, timelineSvg } from '../../src/page/timeline.ts';
import { bodyAndMoment, oracleSlotAt, toSeconds } from './page-arbitraries.ts';

const rects = (svg: string) => [...svg.matchAll(/<rect class="([^"]+)" x="([\d.]+)" width="([\d.]+)"/g)].map((m) => ({ current: m[1] === 'free current', x: Number(m[2]), width: Number(m[3]) }));

describe("a room's day as a timeline bar", () => {
  it('spans whole hours holding every slot of the answer, the same for every room', () => {
    fc.assert(
      fc.property(bodyAndMoment, ([b]) => {
        const span = dayWindow(b);
        expect(span.from % 60).toBe(0);
        expect(span.to % 60).toBe(0);
        for (const room of Object.values(b.buildings).flatMap((x) => x.classrooms)) {
          for (const slot of room.availability) {
            expect(toSeconds(slot.start) / 60).toBeGreaterThanOrEqual(span.from);
            expect(toSeconds(slot.end) / 60).toBeLessThanOrEqual(span.to);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('draws each free slot in place, in order, inside the bar, marking the current one and the moment', () => {
    fc.assert(
      fc.property(bodyAndMoment, ([b, at]) => {
        const span = dayWindow(b);
        for (const room of Object.values(b.buildings).flatMap((x) => x.classrooms)) {
          const svg = timelineSvg(slotViews(room, at), span, at);
          const bars = rects(svg);
          expect(bars).toHaveLength(room.availability.length);
          bars.forEach((bar, i) => {
            expect(bar.x).toBeCloseTo(toSeconds(room.availability[i]!.start) / 60 - span.from, 0);
            expect(bar.x + bar.width).toBeLessThanOrEqual(span.to - span.from + 0.05);
            if (i > 0) expect(bar.x).toBeGreaterThanOrEqual(bars[i - 1]!.x);
          });
          expect(bars.filter((bar) => bar.current).length).toBe(oracleSlotAt(room.availability, at) ? 1 : 0);
          const minutes = toSeconds(at) / 60;
          expect(svg.includes('class="now"')).toBe(minutes >= span.from && minutes <= span.to);
        }
      }),
      { numRuns: 150 },
    );
  });
});
