import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ADJUST_RULES,
  adjustToBusinessDay,
  CALENDARS,
  calendarCoverage,
  endOfMonth,
  isBusinessDay,
} from '../../src/domain/calendar.ts';
import { addDays } from '../../src/domain/dates.ts';

const businessDays = (from: string, to: string, calendar: (typeof CALENDARS)[number]) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (isBusinessDay(d, calendar)) out.push(d);
  return out;
};

describe('isBusinessDay, Japan', () => {
  it('closes for Golden Week 2026, including the substitute holiday on Wednesday 5/6', () => {
    // 4/29 (Wed) 昭和の日; 5/2–5/3 weekend (5/3 憲法記念日 on a Sunday); 5/4 みどりの日;
    // 5/5 こどもの日; 5/6 振替休日 for 5/3.
    expect(businessDays('2026-04-28', '2026-05-08', 'JP')).toEqual([
      '2026-04-28',
      '2026-04-30',
      '2026-05-01',
      '2026-05-07',
      '2026-05-08',
    ]);
  });

  it('treats New Year 2027 as a public holiday, and 12/31–1/3 as closed only for banks', () => {
    expect(isBusinessDay('2027-01-01', 'JP')).toBe(false);
    expect(isBusinessDay('2026-12-31', 'JP')).toBe(true);
    expect(isBusinessDay('2026-12-31', 'JP_BANK')).toBe(false);
    expect(isBusinessDay('2026-12-30', 'JP_BANK')).toBe(true);
    expect(businessDays('2026-12-29', '2027-01-05', 'JP_BANK')).toEqual([
      '2026-12-29',
      '2026-12-30',
      '2027-01-04',
      '2027-01-05',
    ]);
  });

  it('keeps the fixed-date holidays after the data ends', () => {
    const last = calendarCoverage('JP') ?? 0;
    const after = last + 1;
    expect(isBusinessDay(`${after}-11-03`, 'JP')).toBe(
      // 文化の日 is a holiday whatever the weekday; a weekend is closed anyway.
      false,
    );
    expect(isBusinessDay(`${after}-01-02`, 'JP_BANK')).toBe(false);
  });
});

describe('isBusinessDay, China', () => {
  it('closes for National Day 2026 (10/1–10/7) and works the 调休 days 9/20 (Sun) and 10/10 (Sat)', () => {
    for (let d = '2026-10-01'; d <= '2026-10-07'; d = addDays(d, 1)) {
      expect(isBusinessDay(d, 'CN'), d).toBe(false);
    }
    expect(isBusinessDay('2026-10-08', 'CN')).toBe(true);
    expect(isBusinessDay('2026-10-10', 'CN')).toBe(true);
    expect(isBusinessDay('2026-09-20', 'CN')).toBe(true);
    // The same Saturday is a day off in Japan and under the weekends-only calendar.
    expect(isBusinessDay('2026-10-10', 'NONE')).toBe(false);
    expect(isBusinessDay('2026-10-10', 'JP')).toBe(false);
  });

  it('works the Spring Festival make-up Saturdays of 2026 (2/14 and 2/28)', () => {
    expect(isBusinessDay('2026-02-14', 'CN')).toBe(true);
    expect(isBusinessDay('2026-02-28', 'CN')).toBe(true);
    expect(isBusinessDay('2026-02-17', 'CN')).toBe(false);
  });

  it('covers at least 2026, and after that knows only weekends and fixed-date holidays', () => {
    const last = calendarCoverage('CN') ?? 0;
    expect(last).toBeGreaterThanOrEqual(2026);
    const after = last + 1;
    expect(isBusinessDay(`${after}-10-01`, 'CN')).toBe(false);
    expect(isBusinessDay(`${after}-05-02`, 'CN')).toBe(false);
  });
});

describe('isBusinessDay, weekends only', () => {
  it('closes only on Saturdays and Sundays', () => {
    expect(businessDays('2027-01-01', '2027-01-04', 'NONE')).toEqual(['2027-01-01', '2027-01-04']);
    expect(calendarCoverage('NONE')).toBeUndefined();
  });
});

describe('adjustToBusinessDay', () => {
  it('moves a due date on New Year 2027 forward or back, per the customer', () => {
    expect(adjustToBusinessDay('2027-01-01', 'JP', 'following')).toBe('2027-01-04');
    expect(adjustToBusinessDay('2027-01-01', 'JP', 'preceding')).toBe('2026-12-31');
    expect(adjustToBusinessDay('2027-01-01', 'JP_BANK', 'preceding')).toBe('2026-12-30');
    expect(adjustToBusinessDay('2027-01-01', 'JP_BANK', 'following')).toBe('2027-01-04');
    expect(adjustToBusinessDay('2027-01-01', 'JP', 'none')).toBe('2027-01-01');
  });

  it('leaves a business day alone whatever the rule', () => {
    for (const rule of ADJUST_RULES) {
      expect(adjustToBusinessDay('2026-12-30', 'JP_BANK', rule)).toBe('2026-12-30');
    }
  });

  it('moves past the whole Chinese National Day week', () => {
    expect(adjustToBusinessDay('2026-10-01', 'CN', 'following')).toBe('2026-10-08');
    expect(adjustToBusinessDay('2026-10-07', 'CN', 'preceding')).toBe('2026-09-30');
  });

  it('modified following keeps a month-end payment in its month', () => {
    // 2026-05-31 is a Sunday: following would be 6/1, so modified following pays Fri 5/29.
    expect(adjustToBusinessDay('2026-05-31', 'JP', 'following')).toBe('2026-06-01');
    expect(adjustToBusinessDay('2026-05-31', 'JP', 'modified_following')).toBe('2026-05-29');
    // Saturday 2026-10-31: 10/30 (Fri). Mid-month it behaves like following: 5/2 → 5/7.
    expect(adjustToBusinessDay('2026-10-31', 'NONE', 'modified_following')).toBe('2026-10-30');
    expect(adjustToBusinessDay('2026-05-02', 'JP', 'modified_following')).toBe('2026-05-07');
  });

  it('always lands on a business day, in the same direction, and modified following in the same month', () => {
    const day = fc.integer({ min: 0, max: 365 * 6 }).map((n) => addDays('2024-01-01', n));
    fc.assert(
      fc.property(day, fc.constantFrom(...CALENDARS), (date, calendar) => {
        const following = adjustToBusinessDay(date, calendar, 'following');
        const preceding = adjustToBusinessDay(date, calendar, 'preceding');
        const modified = adjustToBusinessDay(date, calendar, 'modified_following');
        expect(isBusinessDay(following, calendar)).toBe(true);
        expect(isBusinessDay(preceding, calendar)).toBe(true);
        expect(following >= date && preceding <= date).toBe(true);
        expect(modified.slice(0, 7)).toBe(date.slice(0, 7));
      }),
    );
  });
});

describe(endOfMonth.name, () => {
  it('knows month lengths and leap years', () => {
    expect(endOfMonth('2027-02-10')).toBe('2027-02-28');
    expect(endOfMonth('2028-02-10')).toBe('2028-02-29');
    expect(endOfMonth('2026-04-01')).toBe('2026-04-30');
    expect(endOfMonth('2026-12-31')).toBe('2026-12-31');
  });
});
