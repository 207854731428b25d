import type { Rating } from '../domain/credit.ts';
import { addDays, dateInTimeZone, type IsoDate, parseIsoDate } from '../domain/dates.ts';
import { type ReviewState, reviewsDue } from '../domain/reviews.ts';
import type { CreditPolicy } from './policy.ts';
import type { Clock, Store } from './ports.ts';

/** Periodic reviews (定期見直し / 定期复核) that are due or overdue as of a date. */

export interface ReviewsDeps {
  readonly store: Store;
  readonly policy: CreditPolicy;
  readonly clock: Clock;
  readonly timeZone: string;
}

export interface ReviewRow {
  readonly customerId: number;
  readonly code: string;
  readonly legalName: string;
  readonly ownerName: string | null;
  readonly rating: Rating | null;
  readonly nextReviewOn: IsoDate;
  readonly state: Exclude<ReviewState, 'scheduled'>;
  readonly daysOverdue: number;
}

export interface ReviewsReport {
  readonly asOf: IsoDate;
  readonly dueWithinDays: number;
  /** The longest overdue first. */
  readonly reviews: readonly ReviewRow[];
}

/**
 * `creditops report reviews`: customers whose next review (customers.next_review_on, set by
 * each assessment from the rating's cadence) has passed or falls within
 * `reviews.dueWithinDays`. The candidates are one query; the domain says due or overdue.
 */
export async function reviewsReport(
  deps: ReviewsDeps,
  options: { readonly asOf?: IsoDate } = {},
): Promise<ReviewsReport> {
  const asOf = parseIsoDate(options.asOf ?? dateInTimeZone(deps.clock.now(), deps.timeZone));
  const within = deps.policy.reviews.dueWithinDays;
  const candidates = await deps.store.assessments.reviewCandidates({
    dueBy: addDays(asOf, within),
  });
  const byId = new Map(candidates.map((c) => [c.customerId, c]));
  const due = reviewsDue(
    candidates.map((c) => ({ id: c.customerId, nextReviewOn: c.nextReviewOn })),
    asOf,
    within,
  );
  const reviews = due.flatMap((d): ReviewRow[] => {
    const c = byId.get(d.id);
    if (!c) return [];
    return [
      {
        customerId: c.customerId,
        code: c.code,
        legalName: c.legalName,
        ownerName: c.ownerName,
        rating: c.rating ?? null,
        nextReviewOn: d.nextReviewOn,
        state: d.state,
        daysOverdue: d.daysOverdue,
      },
    ];
  });
  return { asOf, dueWithinDays: within, reviews };
}
