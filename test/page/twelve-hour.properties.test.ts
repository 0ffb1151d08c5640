import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, formatSlot, formatTime12 } from '../../src/page/twelve-hour.ts';
import { clock, RUNS } from './page-arbitraries.ts';

/** Reads `9:44 AM` back as minutes since midnight: the inverse the page's texts must allow. */
function readTime12(text: string): number {
  const match = /^(1[0-2]|[1-9]):([0-5]\d) (AM|PM)$/.exec(text);
  if (!match) throw new Error(`not a 12-hour time: ${text}`);
  return ((Number(match[1]) % 12) + (match[3] === 'PM' ? 12 : 0)) * 60 + Number(match[2]);
}

describe('12-hour times', () => {
  it('name the same minute, seconds dropped (never rounded up into a booking), AM before noon', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_399 }), (seconds) => {
        const text = formatTime12(clock(seconds));
        expect(readTime12(text)).toBe(Math.floor(seconds / 60));
        expect(text.endsWith('AM')).toBe(seconds < 12 * 3600);
        expect(formatTime12(clock(seconds).slice(0, 5))).toBe(text);
      }),
      RUNS,
    );
  });

  it('read as students expect at the edges', () => {
    expect(formatTime12('00:00:00')).toBe('12:00 AM');
    expect(formatTime12('00:59')).toBe('12:59 AM');
    expect(formatTime12('09:18:59')).toBe('9:18 AM');
    expect(formatTime12('12:00:00')).toBe('12:00 PM');
    expect(formatTime12('13:05')).toBe('1:05 PM');
    expect(formatTime12('23:00:00')).toBe('11:00 PM');
    expect(formatTime12('24:00:00')).toBe('12:00 AM');
  });

  it('durations add back up to the minutes given', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1440 }), (minutes) => {
        const match = /^(?:(\d+) h)?(?: ?(\d+) min)?$/.exec(formatDuration(minutes))!;
        expect(match).not.toBeNull();
        expect(Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0)).toBe(minutes);
      }),
      RUNS,
    );
    expect([formatDuration(0), formatDuration(45), formatDuration(60), formatDuration(99)]).toEqual(['0 min', '45 min', '1 h', '1 h 39 min']);
  });

  it('a slot names its start and end, writing AM or PM once when both share it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_399 }), fc.integer({ min: 0, max: 86_399 }), (a, b) => {
        const [start, end] = [clock(Math.min(a, b)), clock(Math.max(a, b))];
        const text = formatSlot({ start, end });
        const [first, second] = text.split('–') as [string, string];
        expect(readTime12(second)).toBe(Math.floor(Math.max(a, b) / 60));
        const sameHalf = Math.min(a, b) < 43_200 === Math.max(a, b) < 43_200;
        expect(readTime12(sameHalf ? `${first} ${second.slice(-2)}` : first)).toBe(Math.floor(Math.min(a, b) / 60));
      }),
      RUNS,
    );
    expect(formatSlot({ start: '07:00:00', end: '09:44:00' })).toBe('7:00–9:44 AM');
    expect(formatSlot({ start: '11:01:00', end: '16:29:00' })).toBe('11:01 AM–4:29 PM');
  });
});
