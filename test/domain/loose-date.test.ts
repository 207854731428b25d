import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, isIsoDate } from '../../src/domain/dates.ts';
import { DomainError } from '../../src/domain/errors.ts';
import {
  LOOSE_DATE_DAYS_AHEAD,
  LOOSE_DATE_DAYS_BACK,
  parseLooseDate,
} from '../../src/domain/loose-date.ts';

const today = '2026-11-23';

function refusal(text: string, on = today): unknown {
  try {
    parseLooseDate(text, on);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe(parseLooseDate.name, () => {
  it('reads dates with a year as written, in ISO, slash and Japanese/Chinese form', () => {
    for (const text of ['2026-12-05', '2026/12/05', '2026/12/5', '2026.12.05', '2026年12月5日']) {
      expect(parseLooseDate(text, today), text).toBe('2026-12-05');
    }
    expect(parseLooseDate('2025年3月31日', today)).toBe('2025-03-31');
    expect(parseLooseDate('2027年1月10号', today)).toBe('2027-01-10');
  });

  it('reads month-then-day without a year, as ja/zh/ISO write it', () => {
    for (const text of ['12/5', '12-05', '12月5日', '12月5号', '12月5']) {
      expect(parseLooseDate(text, today), text).toBe('2026-12-05');
    }
  });

  it('reads full-width digits and separators typed with an IME', () => {
    expect(parseLooseDate('１２／５', today)).toBe('2026-12-05');
    expect(parseLooseDate('１２月５日', today)).toBe('2026-12-05');
    expect(parseLooseDate('２０２６－１２－０５', today)).toBe('2026-12-05');
  });

  it('reads today and tomorrow in all three languages', () => {
    for (const text of ['today', 'Today', '今日', '今天']) {
      expect(parseLooseDate(text, today), text).toBe('2026-11-23');
    }
    for (const text of ['tomorrow', '明日', '明天']) {
      expect(parseLooseDate(text, today), text).toBe('2026-11-24');
    }
    expect(parseLooseDate('tomorrow', '2026-12-31')).toBe('2027-01-01');
  });

  it('puts a promise in January into next year when logged in late November', () => {
    expect(parseLooseDate('1/10', today)).toBe('2027-01-10');
    expect(parseLooseDate('9/1', today)).toBe('2027-09-01');
  });

  it('keeps a contact logged a few weeks late in this year', () => {
    expect(parseLooseDate('11/1', today)).toBe('2026-11-01');
    expect(parseLooseDate('9/24', today)).toBe('2026-09-24');
    expect(parseLooseDate('9/23', today)).toBe('2027-09-23');
  });

  it('reaches back into last year early in January', () => {
    expect(parseLooseDate('12/20', '2027-01-05')).toBe('2026-12-20');
    expect(parseLooseDate('2/29', '2028-01-10')).toBe('2028-02-29');
  });

  it('takes the nearer year when the window holds the same day twice', () => {
    // 2026-03-02: the window runs from 2026-01-01 to 2027-01-01.
    expect(parseLooseDate('1/1', '2026-03-02')).toBe('2026-01-01');
  });

  it('refuses impossible dates with the text the user typed', () => {
    for (const text of ['2/30', '13/1', '0/5', '2026-02-29', '2026年13月1日', '12/32']) {
      const error = refusal(text);
      expect(error, text).toBeInstanceOf(DomainError);
      expect(error, text).toMatchObject({
        code: 'errors.date.invalid_loose',
        params: { value: text },
      });
    }
  });

  it('refuses 29 February when no leap day falls in the window', () => {
    expect(refusal('2/29')).toMatchObject({ code: 'errors.date.invalid_loose' });
  });

  it('refuses text that is not a date, including day-first dots', () => {
    for (const text of ['next week', '来週', '', '5.12', '500万', '12/5/2026']) {
      expect(refusal(text), text).toMatchObject({
        code: 'errors.date.invalid_loose',
        params: { value: text },
      });
    }
  });

  it('always lands a yearless date within 60 days back and 305 days ahead', () => {
    const day = fc.integer({ min: 0, max: 365 * 40 }).map((n) => addDays('2000-01-01', n));
    fc.assert(
      fc.property(
        day,
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (on, month, dayOfMonth) => {
          let result: string;
          try {
            result = parseLooseDate(`${month}/${dayOfMonth}`, on);
          } catch (error) {
            // Only a day no calendar has, or a leap day, may be refused.
            expect(error).toMatchObject({ code: 'errors.date.invalid_loose' });
            const mm = String(month).padStart(2, '0');
            const dd = String(dayOfMonth).padStart(2, '0');
            const inLeapYear = `2000-${mm}-${dd}`;
            expect(!isIsoDate(inLeapYear) || (month === 2 && dayOfMonth === 29)).toBe(true);
            return;
          }
          const offset = daysBetween(on, result);
          expect(offset).toBeGreaterThanOrEqual(-LOOSE_DATE_DAYS_BACK);
          expect(offset).toBeLessThanOrEqual(LOOSE_DATE_DAYS_AHEAD);
          expect(Number(result.slice(5, 7))).toBe(month);
          expect(Number(result.slice(8, 10))).toBe(dayOfMonth);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
