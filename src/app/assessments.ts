import type { Rating } from '../domain/credit.ts';
import { addDays, dateInTimeZone, type IsoDate, parseIsoDate } from '../domain/dates.ts';
import { isDomainError } from '../domain/errors.ts';
import {
  type LimitComponents,
  type LimitFlag,
  type LimitRecommendation,
  recommendLimit,
} from '../domain/limits.ts';
import { addMonths, nextReviewOn } from '../domain/reviews.ts';
import {
  ANTISOCIAL_CHECKS,
  type AntisocialCheck,
  type Assessment,
  type Contribution,
  SCORE_ITEMS,
  type ScoreInputs,
  scoreCustomer,
  topContributions,
} from '../domain/scorecard.ts';
import type {
  AssessmentDetail,
  CustomerSelection,
  NewAssessment,
  ScoreFacts,
  StoredLimit,
} from './assessment-ports.ts';
import type { CreditPolicy } from './policy.ts';
import type { Clock, Store } from './ports.ts';
import { averageDaysLate } from './reports.ts';

/**
 * Credit assessment (与信判定 / 信用评估) as a use case: the scorecard and the limit
 * recommendation of `src/domain/` applied to what the database knows, stored with every input
 * so that anyone can replay it, and the next review date set by the rating.
 */

export interface AssessDeps {
  readonly store: Store;
  readonly policy: CreditPolicy;
  readonly clock: Clock;
  readonly timeZone: string;
}

export type AssessRequest = CustomerSelection & {
  /** Default: today in `deps.timeZone`. */
  readonly asOf?: IsoDate;
  /** Who asked: `cli:<user>`, `user:<id>`, `import`, … (stored and audited). */
  readonly actor: string;
  /** Why: `cli`, `import`, `chat`, `schedule` … (credit_assessments.source). */
  readonly source: string;
};

/** `credit_assessments.inputs`: the scorecard inputs plus what the limit and the run used. */
export interface StoredInputs extends ScoreInputs {
  readonly asOf: IsoDate;
  /** The ledger window of the payment and trade figures, both ends inclusive. */
  readonly window: { readonly from: IsoDate; readonly to: IsoDate };
  readonly settledCount: number;
  readonly lateCount: number;
  readonly pd?: number;
  readonly annualRevenueMinor?: number;
  readonly monthlyTradeMinor?: number;
  /** The credit report used, by its natural key (source, source_report_id). */
  readonly creditReport: {
    readonly source: string;
    readonly reportId: string;
    readonly reportedOn: IsoDate;
  } | null;
  /** What the scorecard's gate proposes (watch after a failed anti-social check). */
  readonly proposals: readonly 'watch'[];
}

export interface Evaluation {
  readonly inputs: StoredInputs;
  readonly assessment: Assessment;
  readonly recommendation: LimitRecommendation;
  readonly limit: StoredLimit;
  readonly nextReviewOn: IsoDate;
}

export interface CustomerAssessment {
  readonly customerId: number;
  readonly code: string;
  readonly legalName: string;
  readonly currency: string;
  readonly asOf: IsoDate;
  readonly scorecardVersion: string;
  readonly score: number;
  readonly rating: Rating;
  readonly previousRating: Rating | null;
  readonly antisocialCheck: AntisocialCheck;
  readonly proposals: readonly 'watch'[];
  readonly pd: number | null;
  readonly recommendedLimitMinor: number;
  readonly limit: StoredLimit;
  readonly top: { readonly up: readonly Contribution[]; readonly down: readonly Contribution[] };
  readonly contributions: readonly Contribution[];
  readonly inputs: StoredInputs;
  readonly nextReviewOn: IsoDate;
  readonly previousNextReviewOn: IsoDate | null;
}

/** A customer the policy cannot assess (e.g. no scorecard bands for its currency). */
export interface AssessFailure {
  readonly customerId: number;
  readonly code: string;
  readonly legalName: string;
  readonly error: { readonly code: string; readonly params: Record<string, string | number> };
}

export interface AssessResult {
  readonly asOf: IsoDate;
  readonly assessed: readonly CustomerAssessment[];
  readonly failed: readonly AssessFailure[];
}

/** The 12 months of ledger history up to and including `asOf`. */
export function ledgerWindow(asOf: IsoDate): { readonly from: IsoDate; readonly to: IsoDate } {
  return { from: addDays(addMonths(parseIsoDate(asOf), -12), 1), to: asOf };
}

/** Whole years from `since` to `asOf` (an anniversary counts on its day); never negative. */
export function wholeYears(since: IsoDate, asOf: IsoDate): number {
  let years = Number(asOf.slice(0, 4)) - Number(since.slice(0, 4));
  if (addMonths(since, years * 12) > asOf) years -= 1;
  return Math.max(0, years);
}

function qualitativeOf(inputs: unknown): 1 | 2 | 3 | 4 | 5 | undefined {
  const value = (inputs as { qualitative?: unknown } | null | undefined)?.qualitative;
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 5
    ? (value as 1 | 2 | 3 | 4 | 5)
    : undefined;
}

/** value / total in basis points, rounded half up. */
function shareBp(value: number, total: number): number {
  return Math.floor((value * 20_000 + total) / (2 * total));
}

const present = <K extends string, V>(key: K, value: V | null | undefined) =>
  value === null || value === undefined ? {} : ({ [key]: value } as Record<K, V>);

/**
 * The scorecard inputs and the limit inputs of one customer from its facts. Capital and revenue
 * count only in the customer's own currency (a report in another currency is never converted);
 * no trade in the window leaves trade volume and the trade cap unknown rather than zero.
 */
export function inputsFromFacts(facts: ScoreFacts, asOf: IsoDate): StoredInputs {
  const report = facts.report;
  const ownCurrency =
    report !== undefined && (report.currency === null || report.currency === facts.currency);
  const antisocialCheck: AntisocialCheck = facts.antisocialHit
    ? 'failed'
    : report
      ? 'passed'
      : 'not_checked';
  const settled = facts.settledCount;
  const trade = facts.tradeVolumeMinor > 0 ? facts.tradeVolumeMinor : undefined;
  return {
    currency: facts.currency,
    ...present('bureauScore', report?.bureauScore),
    ...present(
      'yearsInBusiness',
      report?.foundedOn ? wholeYears(report.foundedOn, asOf) : undefined,
    ),
    ...present('capitalMinor', ownCurrency ? report?.capitalMinor : undefined),
    ...(settled > 0
      ? {
          avgDaysLate: averageDaysLate({
            settledCount: settled,
            totalDaysLate: facts.totalDaysLate,
          }),
          lateShareBp: shareBp(facts.lateCount, settled),
        }
      : {}),
    ...present('tradeVolumeMinor', trade),
    strategic: facts.strategic,
    ...present('qualitative', qualitativeOf(facts.latest?.inputs)),
    antisocialCheck,
    asOf,
    window: ledgerWindow(asOf),
    settledCount: settled,
    lateCount: facts.lateCount,
    ...present('pd', report?.pd),
    ...present('annualRevenueMinor', ownCurrency ? report?.revenueMinor : undefined),
    ...present('monthlyTradeMinor', trade === undefined ? undefined : Math.floor(trade / 12)),
    creditReport: report
      ? { source: report.source, reportId: report.sourceReportId, reportedOn: report.reportedOn }
      : null,
    proposals: facts.antisocialHit ? ['watch'] : [],
  };
}

/** Scores, recommends a limit and dates the next review: pure, the same facts give the same result. */
export function evaluate(
  inputs: StoredInputs,
  policy: Pick<CreditPolicy, 'scorecard' | 'limits' | 'reviews'>,
): Evaluation {
  const assessment = scoreCustomer(inputs, policy.scorecard);
  const recommendation = recommendLimit(
    {
      currency: inputs.currency,
      rating: assessment.rating,
      ...present('pd', inputs.pd),
      ...present('capitalMinor', inputs.capitalMinor),
      ...present('annualRevenueMinor', inputs.annualRevenueMinor),
      ...present('monthlyTradeMinor', inputs.monthlyTradeMinor),
    },
    policy.limits,
  );
  const limit: StoredLimit = {
    ...recommendation.components,
    flags: recommendation.flags,
    attention: recommendation.attention,
    ...present('pdPpm', recommendation.pdPpm),
  };
  return {
    inputs: { ...inputs, proposals: assessment.proposals },
    assessment,
    recommendation,
    limit,
    nextReviewOn: nextReviewOn(inputs.asOf, assessment.rating, policy.reviews),
  };
}

/** The row `evaluate` stores. */
export function assessmentRow(
  customerId: number,
  e: Evaluation,
  meta: { readonly assessedAt: Date; readonly source: string; readonly actor: string },
): NewAssessment {
  return {
    customerId,
    assessedAt: meta.assessedAt,
    scorecardVersion: e.assessment.scorecardVersion,
    score: e.assessment.score,
    rating: e.assessment.rating,
    pd: e.inputs.pd ?? null,
    currency: e.assessment.currency,
    recommendedLimitMinor: e.recommendation.recommendedMinor,
    limitComponents: e.limit,
    inputs: e.inputs,
    contributions: e.assessment.contributions,
    source: meta.source,
    actor: meta.actor,
    nextReviewOn: e.nextReviewOn,
  };
}

/**
 * Assesses the selected customers as of a date, in one transaction: their facts in set-based
 * queries, then per customer the scorecard, the recommended limit (exposure and utilisation
 * are computed on read, never stored) and the next review date by rating; one
 * credit_assessments row each, customers.next_review_on updated, one audit entry each. A
 * customer the policy cannot assess (no bands for its currency) is reported, not fatal.
 */
export async function assessCustomers(
  deps: AssessDeps,
  request: AssessRequest,
): Promise<AssessResult> {
  const asOf = parseIsoDate(request.asOf ?? dateInTimeZone(deps.clock.now(), deps.timeZone));
  const assessedAt = deps.clock.now();
  const selection: CustomerSelection =
    'all' in request ? { all: true } : { customerIds: request.customerIds };
  return deps.store.transaction(async (tx) => {
    const facts = await tx.assessments.scoreFacts({
      selection,
      asOf,
      from: ledgerWindow(asOf).from,
      timeZone: deps.timeZone,
    });
    const assessed: CustomerAssessment[] = [];
    const failed: AssessFailure[] = [];
    const rows: NewAssessment[] = [];
    for (const f of facts) {
      let e: Evaluation;
      try {
        e = evaluate(inputsFromFacts(f, asOf), deps.policy);
      } catch (error) {
        if (!isDomainError(error)) throw error;
        const params = error.params as Record<string, string | number>;
        failed.push({
          customerId: f.customerId,
          code: f.code,
          legalName: f.legalName,
          error: { code: error.code, params },
        });
        continue;
      }
      rows.push(
        assessmentRow(f.customerId, e, {
          assessedAt,
          source: request.source,
          actor: request.actor,
        }),
      );
      assessed.push({
        customerId: f.customerId,
        code: f.code,
        legalName: f.legalName,
        currency: f.currency,
        asOf,
        scorecardVersion: e.assessment.scorecardVersion,
        score: e.assessment.score,
        rating: e.assessment.rating,
        previousRating: f.latest?.rating ?? null,
        antisocialCheck: e.assessment.gate.antisocial,
        proposals: e.assessment.proposals,
        pd: e.inputs.pd ?? null,
        recommendedLimitMinor: e.recommendation.recommendedMinor,
        limit: e.limit,
        top: topContributions(e.assessment),
        contributions: e.assessment.contributions,
        inputs: e.inputs,
        nextReviewOn: e.nextReviewOn,
        previousNextReviewOn: f.nextReviewOn,
      });
    }
    await tx.assessments.insert(rows);
    for (const a of assessed) {
      await tx.audit.record({
        actor: request.actor,
        action: 'customer.assess',
        entityType: 'customer',
        entityId: String(a.customerId),
        before: { rating: a.previousRating, nextReviewOn: a.previousNextReviewOn },
        after: {
          asOf,
          scorecardVersion: a.scorecardVersion,
          score: a.score,
          rating: a.rating,
          recommendedLimitMinor: a.recommendedLimitMinor,
          nextReviewOn: a.nextReviewOn,
          source: request.source,
        },
      });
    }
    return { asOf, assessed, failed };
  });
}

// ---------------------------------------------------------------------------------------------
// Reading a stored assessment back (the card)

const LIMIT_FLAGS: readonly LimitFlag[] = [
  'no_pd',
  'no_financials',
  'no_trade_estimate',
  'negative_equity',
  'pd_above_threshold',
];
const COMPONENT_KEYS: readonly (keyof LimitComponents)[] = [
  'equityCap',
  'revenueCap',
  'capacity',
  'tradeCap',
  'authorityCap',
  'base',
  'multiplierBp',
  'multiplied',
  'rounded',
];
const REQUIRED_COMPONENTS: readonly (keyof LimitComponents)[] = [
  'authorityCap',
  'base',
  'multiplierBp',
  'multiplied',
  'rounded',
];

const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

function readLimit(raw: unknown): StoredLimit | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const o = raw as Record<string, unknown>;
  if (!REQUIRED_COMPONENTS.every((k) => isInteger(o[k]))) return undefined;
  const components = Object.fromEntries(
    COMPONENT_KEYS.filter((k) => isInteger(o[k])).map((k) => [k, o[k]]),
  ) as unknown as LimitComponents;
  const flags = Array.isArray(o.flags)
    ? o.flags.filter((f): f is LimitFlag => LIMIT_FLAGS.includes(f as LimitFlag))
    : [];
  return {
    ...components,
    flags,
    attention: o.attention === true,
    ...(isInteger(o.pdPpm) ? { pdPpm: o.pdPpm } : {}),
  };
}

function readContributions(raw: unknown): Contribution[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((c): Contribution[] => {
    const o = c as Record<string, unknown> | null;
    if (
      o === null ||
      typeof o !== 'object' ||
      !(SCORE_ITEMS as readonly unknown[]).includes(o.item) ||
      ![o.points, o.weight, o.weighted, o.delta].every(isInteger)
    ) {
      return [];
    }
    const input = o.input;
    return [
      {
        item: o.item as Contribution['item'],
        input: typeof input === 'number' || typeof input === 'boolean' ? input : null,
        bandLabel: typeof o.bandLabel === 'string' ? o.bandLabel : null,
        points: o.points as number,
        weight: o.weight as number,
        weighted: o.weighted as number,
        delta: o.delta as number,
      },
    ];
  });
}

/**
 * The card's view of a stored assessment. Rows written by hand or by older versions may lack
 * components or contributions: what cannot be read is left out, never guessed.
 */
export function readAssessmentDetail(row: {
  readonly scorecardVersion: string;
  readonly currency: string;
  readonly recommendedLimitMinor: number | null;
  readonly limitComponents: unknown;
  readonly contributions: unknown;
  readonly inputs: unknown;
}): AssessmentDetail {
  const check = (row.inputs as { antisocialCheck?: unknown } | null)?.antisocialCheck;
  return {
    scorecardVersion: row.scorecardVersion,
    currency: row.currency.trim(),
    recommendedLimitMinor: row.recommendedLimitMinor,
    limit: readLimit(row.limitComponents),
    contributions: readContributions(row.contributions),
    antisocialCheck: (ANTISOCIAL_CHECKS as readonly unknown[]).includes(check)
      ? (check as AntisocialCheck)
      : undefined,
  };
}

/** The top contributions of a stored assessment (the scorecard's own ranking). */
export function storedTopContributions(contributions: readonly Contribution[], n = 3) {
  return topContributions({ contributions } as Pick<Assessment, 'contributions'> as Assessment, n);
}
