import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, dateInTimeZone } from '../../src/domain/dates.ts';
import {
  DAY_MS,
  type DailySchedule,
  dueSlots,
  isLocalTime,
  slotFor,
} from '../../src/domain/schedule.ts';

const tokyo: DailySchedule = {
  localTime: '09:00',
  timeZone: 'Asia/Tokyo',
  businessDaysOnly: true,
  calendar: 'JP',
};
const shanghai: DailySchedule = {
  localTime: '09:00',
  timeZone: 'Asia/Shanghai',
  businessDaysOnly: true,
  calendar: 'CN',
};
const newYork: DailySchedule = {
  localTime: '09:00',
  timeZone: 'America/New_York',
  businessDaysOnly: false,
  calendar: 'NONE',
};

const iso = (date: Date | undefined) => date?.toISOString();

describe(slotFor.name, () => {
  it('fires Tokyo and Shanghai at their own 09:00: 00:00 and 01:00 UTC', () => {
    expect(iso(slotFor(tokyo, '2026-11-24'))).toBe('2026-11-24T00:00:00.000Z');
    expect(iso(slotFor(shanghai, '2026-11-24'))).toBe('2026-11-24T01:00:00.000Z');
  });

  it('has no slot on a Saturday with business days only, and one on the Monday after', () => {
    expect(slotFor(tokyo, '2026-11-28')).toBeUndefined();
    expect(slotFor(tokyo, '2026-11-29')).toBeUndefined();
    expect(iso(slotFor(tokyo, '2026-11-30'))).toBe('2026-11-30T00:00:00.000Z');
    expect(iso(slotFor({ ...tokyo, businessDaysOnly: false }, '2026-11-28'))).toBe(
      '2026-11-28T00:00:00.000Z',
    );
  });

  it('has no slot on 勤労感謝の日 (Monday 2026-11-23) in Japan, but one in China', () => {
    expect(slotFor(tokyo, '2026-11-23')).toBeUndefined();
    expect(iso(slotFor(shanghai, '2026-11-23'))).toBe('2026-11-23T01:00:00.000Z');
  });

  it('follows New York across daylight saving: 09:00 is 14:00 UTC in winter, 13:00 in summer', () => {
    expect(iso(slotFor(newYork, '2026-03-07'))).toBe('2026-03-07T14:00:00.000Z');
    expect(iso(slotFor(newYork, '2026-03-08'))).toBe('2026-03-08T13:00:00.000Z');
    expect(iso(slotFor(newYork, '2026-10-31'))).toBe('2026-10-31T13:00:00.000Z');
    expect(iso(slotFor(newYork, '2026-11-01'))).toBe('2026-11-01T14:00:00.000Z');
  });

  it('moves a time the clocks skip forward by the gap, and takes the first of a repeated one', () => {
    // 2026-03-08 02:30 does not exist in New York (02:00 EST → 03:00 EDT): 03:30 EDT.
    expect(iso(slotFor({ ...newYork, localTime: '02:30' }, '2026-03-08'))).toBe(
      '2026-03-08T07:30:00.000Z',
    );
    // 2026-11-01 01:30 happens twice (EDT, then EST): the first.
    expect(iso(slotFor({ ...newYork, localTime: '01:30' }, '2026-11-01'))).toBe(
      '2026-11-01T05:30:00.000Z',
    );
  });

  it('refuses a local time that is not HH:MM', () => {
    expect(isLocalTime('9:00')).toBe(false);
    expect(isLocalTime('24:00')).toBe(false);
    expect(isLocalTime('23:59')).toBe(true);
    expect(() => slotFor({ ...tokyo, localTime: '9am' }, '2026-11-24')).toThrow(RangeError);
  });

  it('fires at the local time on the local date in any zone (property)', () => {
    const zones = ['Asia/Tokyo', 'Asia/Shanghai', 'America/New_York', 'Europe/London', 'UTC'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 3650 }),
        (timeZone, hour, minute, day) => {
          const localTime = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
          const date = addDays('2024-01-01', day);
          const schedule = {
            localTime,
            timeZone,
            businessDaysOnly: false,
            calendar: 'NONE' as const,
          };
          const at = slotFor(schedule, date);
          expect(at && dateInTimeZone(at, timeZone)).toBe(date);
        },
      ),
    );
  });
});

describe(dueSlots.name, () => {
  it('is due from its instant on, and on time for 15 minutes', () => {
    expect(dueSlots(tokyo, new Date('2026-11-23T23:59:00Z'))).toEqual([]);
    expect(dueSlots(tokyo, new Date('2026-11-24T00:00:00Z'))).toEqual([
      { slotKey: '2026-11-24', at: new Date('2026-11-24T00:00:00Z'), late: false },
    ]);
    expect(dueSlots(tokyo, new Date('2026-11-24T00:15:00Z'))[0]?.late).toBe(false);
    expect(dueSlots(tokyo, new Date('2026-11-24T00:16:00Z'))[0]?.late).toBe(true);
  });

  it('looks back 24 hours: a slot missed in the night is late, an older one is gone', () => {
    const now = new Date('2026-11-25T23:59:00Z'); // Thursday 08:59 in Tokyo
    expect(dueSlots(tokyo, now)).toEqual([
      { slotKey: '2026-11-25', at: new Date('2026-11-25T00:00:00Z'), late: true },
    ]);
    expect(dueSlots(tokyo, now, 3 * DAY_MS).map((s) => s.slotKey)).toEqual([
      '2026-11-24',
      '2026-11-25',
    ]);
  });

  it('gives the Monday slot after a weekend and nothing on the weekend', () => {
    expect(dueSlots(tokyo, new Date('2026-11-29T12:00:00Z'), 2 * DAY_MS)).toEqual([]);
    expect(dueSlots(tokyo, new Date('2026-11-30T00:05:00Z')).map((s) => s.slotKey)).toEqual([
      '2026-11-30',
    ]);
  });

  it('keys every slot by the local date it fires on (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(tokyo, shanghai, newYork),
        fc.date({ min: new Date('2025-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }),
        (schedule, now) => {
          for (const slot of dueSlots(schedule, now)) {
            expect(dateInTimeZone(slot.at, schedule.timeZone)).toBe(slot.slotKey);
            expect(slot.at.getTime()).toBeLessThanOrEqual(now.getTime());
            expect(slot.at.getTime()).toBeGreaterThan(now.getTime() - DAY_MS);
          }
        },
      ),
    );
  });
});
