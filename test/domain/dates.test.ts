import { describe, expect, it } from 'vitest';
import { dateInTimeZone } from '../../src/domain/dates.ts';

describe(dateInTimeZone.name, () => {
  it('names the day of an instant in each time zone, whichever was asked before', () => {
    const evening = new Date('2026-11-23T20:30:00Z');
    for (let round = 0; round < 2; round++) {
      expect(dateInTimeZone(evening, 'Asia/Tokyo')).toBe('2026-11-24');
      expect(dateInTimeZone(evening, 'America/Los_Angeles')).toBe('2026-11-23');
      expect(dateInTimeZone(evening, 'Asia/Shanghai')).toBe('2026-11-24');
      expect(dateInTimeZone(new Date('2026-11-23T14:59:59Z'), 'Asia/Tokyo')).toBe('2026-11-23');
    }
  });

  it('refuses a time zone that does not exist, every time', () => {
    for (let round = 0; round < 2; round++) {
      expect(() => dateInTimeZone(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
    }
  });
});
