import { z } from 'zod';
import { RATINGS, type Rating } from './credit.ts';
import { daysBetween, type IsoDate, parseIsoDate } from './dates.ts';
import { parsePolicy } from './policy.ts';

/**
 * Periodic credit reviews (与信の定期見直し / 信用定期复核): the weaker the rating, the sooner
 * the customer is looked at again. Dates are business dates passed in; nothing here reads a clock.
 */

export interface ReviewPolicy {
  readonly version: string;
  /** Months between reviews by rating, 1–24, never longer for a worse rating. */
  readonly cadenceMonths: Readonly<Record<Rating, number>>;
  /** A review falls "due" this many days before its date. */
  readonly dueWithinDays: number;
}

export const REVIEW_STATES = ['overdue', 'due', 'scheduled'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

const cadenceSchema = z
  .strictObject(
    Object.fromEntries(RATINGS.map((r) => [r, z.int().min(1).max(24)])) as Record<Rating, z.ZodInt>,
  )
  .superRefine((cadence, ctx) => {
    RATINGS.forEach((rating, i) => {
      const better = RATINGS[i - 1];
      if (better !== undefined && cadence[rating] > cadence[better]) {
        ctx.addIssue({
          code: 'custom',
          path: [rating],
          message: 'errors.policy.cadence_order',
          params: {},
        });
      }
    });
  });

/** The zod schema of `config/reviews.json`; problems carry `errors.policy.*` keys. */
export const REVIEW_POLICY_SCHEMA = z.strictObject({
  version: z.string().min(1),
  cadenceMonths: cadenceSchema,
  dueWithinDays: z.int().min(0).max(90),
});

/** Validates a review policy (e.g. the parsed `config/reviews.json`); throws a DomainError naming the field. */
export function parseReviewPolicy(raw: unknown): ReviewPolicy {
  return parsePolicy('reviews', REVIEW_POLICY_SCHEMA, raw);
}

/** The default policy, also shipped as `config/reviews.json`. */
export const DEFAULT_REVIEW_POLICY: ReviewPolicy = {
  version: '2026-11',
  cadenceMonths: { A: 12, B: 12, C: 6, D: 3, E: 1 },
  dueWithinDays: 7,
};

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * `date` plus whole calendar months, the day clamped to the end of a shorter month:
 * 2026-01-31 + 1 month = 2026-02-28, 2028-01-31 + 1 = 2028-02-29, 2028-02-29 + 12 = 2029-02-28.
 * Months may be negative.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  parseIsoDate(date);
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const index = year * 12 + (month - 1) + Math.trunc(months);
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  const d = Math.min(day, daysInMonth(y, m));
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** When a customer assessed on `assessedOn` with `rating` is next reviewed. */
export function nextReviewOn(assessedOn: IsoDate, rating: Rating, policy: ReviewPolicy): IsoDate {
  return addMonths(assessedOn, policy.cadenceMonths[rating]);
}

/**
 * 'overdue' once the review date has passed, 'due' from `dueWithinDays` days before it up to and
 * including the day itself, else 'scheduled'.
 */
export function reviewState(nextReview: IsoDate, asOf: IsoDate, dueWithinDays = 7): ReviewState {
  const daysLeft = daysBetween(parseIsoDate(asOf), parseIsoDate(nextReview));
  if (daysLeft < 0) return 'overdue';
  if (daysLeft <= dueWithinDays) return 'due';
  return 'scheduled';
}

export interface ReviewDue<Id extends string | number> {
  readonly id: Id;
  readonly nextReviewOn: IsoDate;
  readonly state: Exclude<ReviewState, 'scheduled'>;
  /** Days past the review date; 0 for a review that is due but not yet late. */
  readonly daysOverdue: number;
}

function compareIds(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The reviews a credit team should do now: overdue or due within `withinDays`, the longest
 * overdue first (earliest date), then by id. Customers merely scheduled are left out.
 */
export function reviewsDue<Id extends string | number>(
  customers: readonly { readonly id: Id; readonly nextReviewOn: IsoDate }[],
  asOf: IsoDate,
  withinDays = 7,
): ReviewDue<Id>[] {
  const due: ReviewDue<Id>[] = [];
  for (const customer of customers) {
    const state = reviewState(customer.nextReviewOn, asOf, withinDays);
    if (state === 'scheduled') continue;
    due.push({
      id: customer.id,
      nextReviewOn: customer.nextReviewOn,
      state,
      daysOverdue: Math.max(0, daysBetween(customer.nextReviewOn, asOf)),
    });
  }
  return due.sort((a, b) => daysBetween(b.nextReviewOn, a.nextReviewOn) || compareIds(a.id, b.id));
}
