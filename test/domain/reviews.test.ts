import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RATINGS } from '../../src/domain/credit.ts';
import { addDays, daysBetween, isIsoDate } from '../../src/domain/dates.ts';
import { type DomainError, isDomainError } from '../../src/domain/errors.ts';
import {
  addMonths,
  DEFAULT_REVIEW_POLICY,
  nextReviewOn,
  parseReviewPolicy,
  reviewState,
  reviewsDue,
} from '../../src/domain/reviews.ts';

function failure(raw: unknown): DomainError {
  try {
    parseReviewPolicy(raw);
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const policy = DEFAULT_REVIEW_POLICY;
const withCadence = (change: Record<string, number>) => ({
  ...policy,
  cadenceMonths: { ...policy.cadenceMonths, ...change },
});

describe('the shipped review policy', () => {
  it('config/reviews.json parses and matches the built-in default', () => {
    const raw: unknown = JSON.parse(
      readFileSync(new URL('../../config/reviews.json', import.meta.url), 'utf8'),
    );
    expect(parseReviewPolicy(raw)).toEqual(DEFAULT_REVIEW_POLICY);
  });

  it('reviews A and B yearly, C half-yearly, D quarterly and E monthly', () => {
    expect(policy.cadenceMonths).toEqual({ A: 12, B: 12, C: 6, D: 3, E: 1 });
  });
});

describe(addMonths.name, () => {
  it('keeps the day of the month when the target month has it', () => {
    expect(addMonths('2026-11-23', 1)).toBe('2026-12-23');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonths('2026-03-10', -3)).toBe('2025-12-10');
  });

  it('clamps to the end of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-08-31', 1)).toBe('2026-09-30');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  });

  it('knows leap years: 29 February in 2028, not in 2029 or 2100, again in 2000', () => {
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonths('2099-11-30', 3)).toBe('2100-02-28');
    expect(addMonths('1999-11-30', 3)).toBe('2000-02-29');
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => addMonths('2026-02-30', 1)).toThrowError(
      expect.objectContaining({ code: 'errors.date.invalid' }),
    );
  });

  it('always lands in the right month, never on a later day of the month', () => {
    const date = fc
      .integer({ min: 0, max: 365 * 200 })
      .map((offset) => addDays('1950-01-01', offset));
    fc.assert(
      fc.property(date, fc.integer({ min: -600, max: 600 }), (from, months) => {
        const to = addMonths(from, months);
        expect(isIsoDate(to)).toBe(true);
        const monthIndex = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7));
        expect(monthIndex(to) - monthIndex(from)).toBe(months);
        expect(Number(to.slice(8))).toBeLessThanOrEqual(Number(from.slice(8)));
      }),
    );
  });
});

describe(nextReviewOn.name, () => {
  it('adds the rating cadence to the assessment date', () => {
    expect(nextReviewOn('2026-11-23', 'A', policy)).toBe('2027-11-23');
    expect(nextReviewOn('2026-08-31', 'C', policy)).toBe('2027-02-28');
    expect(nextReviewOn('2026-11-30', 'D', policy)).toBe('2027-02-28');
    expect(nextReviewOn('2026-01-31', 'E', policy)).toBe('2026-02-28');
    expect(nextReviewOn('2028-02-29', 'B', policy)).toBe('2029-02-28');
  });

  it('never reviews a worse rating later than a better one', () => {
    const date = fc.integer({ min: 0, max: 3650 }).map((offset) => addDays('2020-01-01', offset));
    fc.assert(
      fc.property(date, (assessedOn) => {
        const dates = RATINGS.map((rating) => nextReviewOn(assessedOn, rating, policy));
        for (let i = 1; i < dates.length; i++) {
          expect(daysBetween(dates[i] ?? '', dates[i - 1] ?? '')).toBeGreaterThanOrEqual(0);
        }
        expect(daysBetween(assessedOn, dates[4] ?? '')).toBeGreaterThan(0);
      }),
    );
  });
});

describe(reviewState.name, () => {
  it('is due from 7 days before the date through the date itself, overdue the day after', () => {
    expect(reviewState('2026-11-30', '2026-11-22')).toBe('scheduled');
    expect(reviewState('2026-11-30', '2026-11-23')).toBe('due');
    expect(reviewState('2026-11-30', '2026-11-30')).toBe('due');
    expect(reviewState('2026-11-30', '2026-12-01')).toBe('overdue');
  });

  it('takes another window', () => {
    expect(reviewState('2026-11-30', '2026-11-16', 14)).toBe('due');
    expect(reviewState('2026-11-30', '2026-11-29', 0)).toBe('scheduled');
    expect(reviewState('2026-11-30', '2026-11-30', 0)).toBe('due');
  });
});

describe(reviewsDue.name, () => {
  it('lists overdue and due reviews, longest overdue first, leaving scheduled ones out', () => {
    const list = reviewsDue(
      [
        { id: 7, nextReviewOn: '2026-12-25' },
        { id: 3, nextReviewOn: '2026-11-27' },
        { id: 5, nextReviewOn: '2026-10-31' },
        { id: 2, nextReviewOn: '2026-11-27' },
        { id: 9, nextReviewOn: '2026-11-22' },
      ],
      '2026-11-23',
    );
    expect(list).toEqual([
      { id: 5, nextReviewOn: '2026-10-31', state: 'overdue', daysOverdue: 23 },
      { id: 9, nextReviewOn: '2026-11-22', state: 'overdue', daysOverdue: 1 },
      { id: 2, nextReviewOn: '2026-11-27', state: 'due', daysOverdue: 0 },
      { id: 3, nextReviewOn: '2026-11-27', state: 'due', daysOverdue: 0 },
    ]);
  });

  it('works with customer codes as ids and an empty list', () => {
    expect(
      reviewsDue(
        [
          { id: 'C-0102', nextReviewOn: '2026-11-01' },
          { id: 'C-0011', nextReviewOn: '2026-11-01' },
        ],
        '2026-11-23',
        0,
      ).map((r) => r.id),
    ).toEqual(['C-0011', 'C-0102']);
    expect(reviewsDue([], '2026-11-23')).toEqual([]);
  });
});

describe(parseReviewPolicy.name, () => {
  it('refuses a cadence outside 1–24 months, naming the rating', () => {
    const zero = failure(withCadence({ E: 0 }));
    expect(zero.code).toBe('errors.policy.invalid');
    expect(zero.params).toEqual({ policy: 'reviews', field: 'cadenceMonths.E' });
    expect(failure(withCadence({ A: 25 })).params.field).toBe('cadenceMonths.A');
  });

  it('refuses reviewing a worse rating less often than a better one', () => {
    const error = failure(withCadence({ D: 9 }));
    expect(error.code).toBe('errors.policy.cadence_order');
    expect(error.params.field).toBe('cadenceMonths.D');
  });

  it('refuses a missing rating and a negative window', () => {
    const { E: _e, ...fourRatings } = policy.cadenceMonths;
    expect(failure({ ...policy, cadenceMonths: fourRatings }).params.field).toBe('cadenceMonths.E');
    expect(failure({ ...policy, dueWithinDays: -1 }).params.field).toBe('dueWithinDays');
  });
});
