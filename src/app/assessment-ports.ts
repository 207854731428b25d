import type { Phase, Rating } from '../domain/credit.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { LimitComponents, LimitFlag } from '../domain/limits.ts';
import type { CreditEvent } from '../domain/phases.ts';
import type { AntisocialCheck, Contribution } from '../domain/scorecard.ts';

// The ports of the credit engine's use cases (assessments, phase proposals, reviews).
// `src/db/assessment-repository.ts` implements them in set-based SQL: one statement for any
// number of customers, never a query per customer.

/** Which customers a run covers: some by id, or every customer. */
export type CustomerSelection =
  | { readonly customerIds: readonly number[] }
  | { readonly all: true };

/** The latest credit report on or before the as-of date. Money is minor units of `currency`. */
export interface StoredCreditReport {
  readonly source: string;
  /** With `source`, the report's natural key. */
  readonly sourceReportId: string;
  readonly reportedOn: IsoDate;
  readonly bureauScore: number | null;
  readonly pd: number | null;
  /** The currency of capital and revenue; null when the report did not say. */
  readonly currency: string | null;
  readonly capitalMinor: number | null;
  readonly revenueMinor: number | null;
  readonly foundedOn: IsoDate | null;
}

/** Everything the scorecard and the limit need about one customer, as of a date. */
export interface ScoreFacts {
  readonly customerId: number;
  readonly code: string;
  readonly legalName: string;
  readonly currency: string;
  readonly strategic: boolean;
  readonly nextReviewOn: IsoDate | null;
  readonly report: StoredCreditReport | undefined;
  /** The latest assessment's rating and stored inputs (the qualitative judgement is carried). */
  readonly latest: { readonly rating: Rating; readonly inputs: unknown } | undefined;
  /** A credit event of kind antisocial_hit occurred on or before the as-of date. */
  readonly antisocialHit: boolean;
  /** Our own ledger over the window: invoices settled in it (settled_on), paid late, days late. */
  readonly settledCount: number;
  readonly lateCount: number;
  readonly totalDaysLate: number;
  /** Invoiced in the window in the customer's own currency. */
  readonly tradeVolumeMinor: number;
}

/** `credit_assessments.limit_components`: every step of the recommendation and its flags. */
export interface StoredLimit extends LimitComponents {
  readonly flags: readonly LimitFlag[];
  readonly attention: boolean;
  readonly pdPpm?: number;
}

/** What the card explains of the latest assessment: its "why" and its limit. */
export interface AssessmentDetail {
  readonly scorecardVersion: string;
  /** The currency of the recommended limit and its components. */
  readonly currency: string;
  readonly recommendedLimitMinor: number | null;
  /** Undefined for an assessment stored without components (e.g. entered by hand). */
  readonly limit: StoredLimit | undefined;
  readonly contributions: readonly Contribution[];
  readonly antisocialCheck: AntisocialCheck | undefined;
}

/** One assessment to store; the jsonb columns are written as given. */
export interface NewAssessment {
  readonly customerId: number;
  readonly assessedAt: Date;
  readonly scorecardVersion: string;
  readonly score: number;
  readonly rating: Rating;
  readonly pd: number | null;
  readonly currency: string;
  readonly recommendedLimitMinor: number;
  readonly limitComponents: StoredLimit;
  /** The scorecard and limit inputs as used (StoredInputs of assessments.ts). */
  readonly inputs: object;
  readonly contributions: readonly unknown[];
  readonly source: string;
  readonly actor: string;
  /** Written to customers.next_review_on in the same statement batch. */
  readonly nextReviewOn: IsoDate;
}

/** What the phase rules look at for one customer (see domain/phases.ts PhaseFacts). */
export interface PhaseFactsRow {
  readonly customerId: number;
  readonly code: string;
  readonly legalName: string;
  readonly phase: Phase;
  readonly strategic: boolean;
  /** The latest and the one before it, assessed on or before the as-of date. */
  readonly rating: Rating | undefined;
  readonly previousRating: Rating | undefined;
  /** The latest assessment's anti-social forces check failed (its gate proposes watch). */
  readonly antisocialFailed: boolean;
  readonly maxDaysOverdue: number;
  readonly brokenPromiseDates: readonly IsoDate[];
  readonly creditEvents: readonly CreditEvent[];
}

export interface ReviewCandidateRow {
  readonly customerId: number;
  readonly code: string;
  readonly legalName: string;
  readonly ownerName: string | null;
  readonly rating: Rating | undefined;
  readonly nextReviewOn: IsoDate;
}

export interface AssessmentRepository {
  /** Scorecard facts of the selected customers as of `asOf`; the ledger window is `from`…`asOf`. */
  scoreFacts(input: {
    readonly selection: CustomerSelection;
    readonly asOf: IsoDate;
    readonly from: IsoDate;
    readonly timeZone: string;
  }): Promise<ScoreFacts[]>;
  /** Inserts the assessments and sets each customer's next review date. */
  insert(rows: readonly NewAssessment[]): Promise<void>;
  /**
   * Phase-rule facts as of `asOf`. Customers with nothing a rule could fire on (no overdue
   * invoice of `minDaysOverdue` days, no broken promise since `brokenSince`, no credit event
   * since `eventsSince`, no worse rating, no failed anti-social check) are left out.
   */
  phaseFacts(input: {
    readonly selection: CustomerSelection;
    readonly asOf: IsoDate;
    readonly timeZone: string;
    readonly minDaysOverdue: number;
    readonly brokenSince: IsoDate;
    readonly eventsSince: IsoDate;
  }): Promise<PhaseFactsRow[]>;
  /** Customers whose next review falls on or before `dueBy`, earliest first. */
  reviewCandidates(input: { readonly dueBy: IsoDate }): Promise<ReviewCandidateRow[]>;
}
