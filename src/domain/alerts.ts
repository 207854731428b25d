import { type Phase, RATINGS, type Rating } from './credit.ts';
import { addDays, daysBetween, type IsoDate } from './dates.ts';
import { utilisationBp } from './limits.ts';
import type { CreditEventKind, Severity } from './phases.ts';

/**
 * Alerts (アラート / 预警): what changed in a customer's credit picture that someone should
 * hear about now. The rules here turn facts into candidates; each candidate carries a period
 * key, and the store keeps one alert per (customer, kind, period), so a rule that sees the same
 * real-world event on every evaluation fires exactly once.
 *
 * Two families:
 * - events (an invoice crossing 30/60/90 days, a broken promise, a rating drop, a credit
 *   event, a review falling overdue) are keyed by what happened: the invoice and its line,
 *   the promise, the assessment, the event, the review date. They are news only for
 *   ALERT_LOOKBACK_DAYS: the first evaluation over an existing ledger does not page
 *   everyone about invoices that went overdue last year (the card and the digest show those).
 * - conditions (over the limit, utilisation high, a phase move proposed) hold for as long as
 *   they hold. They are keyed by the day they were first seen and fire once per episode:
 *   again only after they cleared. Keying by month instead would repeat a standing breach
 *   every month yet miss a second breach in the same month; the episode is the real event.
 */

export const ALERT_KINDS = [
  'over_limit',
  'high_utilisation',
  'invoice_overdue',
  'broken_promise',
  'rating_drop',
  'credit_event',
  'review_overdue',
  'phase_proposal',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const CONDITION_KINDS = ['over_limit', 'high_utilisation', 'phase_proposal'] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];

/** critical is red: sent at once everywhere; warning and info may wait for a channel's batch. */
export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** Days past due whose crossing is an alert; crossing 90 is red. */
export const OVERDUE_LINES = [30, 60, 90] as const;

/**
 * How long an event stays news. A week covers a long weekend or a bot that was down for a
 * few days (the daily evaluation catches up); anything older is history, not an alert.
 */
export const ALERT_LOOKBACK_DAYS = 7;

/** JSON-safe facts stored with the alert and shown on its card. */
export type AlertFacts = Readonly<Record<string, unknown>>;

export interface CandidateAlert {
  readonly customerId: number;
  readonly kind: AlertKind;
  readonly periodKey: string;
  readonly severity: AlertSeverity;
  readonly facts: AlertFacts;
}

export function isConditionKind(kind: string): kind is ConditionKind {
  return (CONDITION_KINDS as readonly string[]).includes(kind);
}

/** Whether an event on `date` is still news on `asOf` (asOf itself and the days before it). */
export function isRecent(date: IsoDate, asOf: IsoDate, days = ALERT_LOOKBACK_DAYS): boolean {
  const age = daysBetween(date, asOf);
  return age >= 0 && age < days;
}

// ---------------------------------------------------------------------------------------------
// Events

export interface OpenInvoiceFact {
  readonly customerId: number;
  readonly invoiceId: number;
  readonly number: string;
  readonly dueOn: IsoDate;
  readonly currency: string;
  readonly openMinor: number;
}

/**
 * The highest of OVERDUE_LINES the invoice has reached, when it reached it recently. Reaching
 * 30 days overdue is the day `asOf − dueOn = 30`. An invoice first seen at 65 days fires its
 * 60-day line only: the 30-day line is older news.
 */
export function invoiceAlert(invoice: OpenInvoiceFact, asOf: IsoDate): CandidateAlert | undefined {
  const days = daysBetween(invoice.dueOn, asOf);
  const line = [...OVERDUE_LINES].reverse().find((l) => days >= l);
  if (line === undefined || !isRecent(addDays(invoice.dueOn, line), asOf)) return undefined;
  return {
    customerId: invoice.customerId,
    kind: 'invoice_overdue',
    periodKey: `${invoice.invoiceId}:${line}`,
    severity: line >= 90 ? 'critical' : 'warning',
    facts: {
      invoiceId: invoice.invoiceId,
      number: invoice.number,
      dueOn: invoice.dueOn,
      line,
      daysOverdue: days,
      currency: invoice.currency,
      openMinor: invoice.openMinor,
    },
  };
}

export interface BrokenPromiseFact {
  readonly customerId: number;
  readonly promiseId: number;
  readonly promisedOn: IsoDate;
  /** The day it was found broken: the day after the promised date. */
  readonly resolvedOn: IsoDate;
  readonly currency: string;
  readonly amountMinor: number;
}

/** A promise to pay that was not kept is red: the customer's word failed. */
export function brokenPromiseAlert(
  p: BrokenPromiseFact,
  asOf: IsoDate,
): CandidateAlert | undefined {
  if (!isRecent(p.resolvedOn, asOf)) return undefined;
  return {
    customerId: p.customerId,
    kind: 'broken_promise',
    periodKey: String(p.promiseId),
    severity: 'critical',
    facts: {
      promiseId: p.promiseId,
      promisedOn: p.promisedOn,
      currency: p.currency,
      amountMinor: p.amountMinor,
    },
  };
}

export interface RatingFact {
  readonly customerId: number;
  readonly assessmentId: number;
  /** The business day of the latest assessment. */
  readonly assessedOn: IsoDate;
  readonly rating: Rating;
  readonly previousRating: Rating;
  readonly score: number;
}

export interface RatingDropRules {
  /** A drop of this many grades or more is red (the phase rules' watch threshold). */
  readonly criticalGrades: number;
  /** Landing on one of these ratings is red (the status policy's red ratings). */
  readonly redRatings: readonly Rating[];
}

/** The latest assessment rates the customer worse than the one before it. */
export function ratingDropAlert(
  r: RatingFact,
  asOf: IsoDate,
  rules: RatingDropRules,
): CandidateAlert | undefined {
  const grades = RATINGS.indexOf(r.rating) - RATINGS.indexOf(r.previousRating);
  if (grades <= 0 || !isRecent(r.assessedOn, asOf)) return undefined;
  const red = grades >= rules.criticalGrades || rules.redRatings.includes(r.rating);
  return {
    customerId: r.customerId,
    kind: 'rating_drop',
    periodKey: String(r.assessmentId),
    severity: red ? 'critical' : 'warning',
    facts: { from: r.previousRating, to: r.rating, grades, score: r.score, on: r.assessedOn },
  };
}

export interface CreditEventFact {
  readonly customerId: number;
  readonly eventId: number;
  readonly kind: CreditEventKind;
  readonly severity: Severity;
  readonly occurredOn: IsoDate;
  readonly text: string | null;
  readonly url: string | null;
}

export interface CreditEventRules {
  /** Red whatever the bureau's severity (the phase rules' incident kinds: bankruptcy). */
  readonly criticalKinds: readonly CreditEventKind[];
  /** Red of any kind (the phase rules' watch severities: high). */
  readonly criticalSeverities: readonly Severity[];
}

/** An external credit event (bureau or news monitoring) as reported. */
export function creditEventAlert(
  e: CreditEventFact,
  asOf: IsoDate,
  rules: CreditEventRules,
): CandidateAlert | undefined {
  if (!isRecent(e.occurredOn, asOf)) return undefined;
  const red = rules.criticalKinds.includes(e.kind) || rules.criticalSeverities.includes(e.severity);
  return {
    customerId: e.customerId,
    kind: 'credit_event',
    periodKey: String(e.eventId),
    severity: red ? 'critical' : e.severity === 'low' ? 'info' : 'warning',
    facts: {
      eventId: e.eventId,
      kind: e.kind,
      severity: e.severity,
      on: e.occurredOn,
      text: e.text,
      url: e.url,
    },
  };
}

export interface ReviewFact {
  readonly customerId: number;
  readonly nextReviewOn: IsoDate;
}

/**
 * A periodic review not done by its date is overdue from the day after; keyed by the date
 * so the next cycle's review, once set by a new assessment, can fire again.
 */
export function reviewAlert(r: ReviewFact, asOf: IsoDate): CandidateAlert | undefined {
  const overdueFrom = addDays(r.nextReviewOn, 1);
  if (!isRecent(overdueFrom, asOf)) return undefined;
  return {
    customerId: r.customerId,
    kind: 'review_overdue',
    periodKey: r.nextReviewOn,
    severity: 'info',
    facts: { dueOn: r.nextReviewOn, daysOverdue: daysBetween(r.nextReviewOn, asOf) },
  };
}

// ---------------------------------------------------------------------------------------------
// Conditions

/** A condition as it stands today for one customer. */
export interface ConditionNow {
  readonly customerId: number;
  readonly kind: ConditionKind;
  /** What exactly holds: '' for the limit conditions, `from>to` for a proposal. */
  readonly condition: string;
  /**
   * False: the condition holds (an open episode stays open) but does not start one. High
   * utilisation holds while over the limit, so dropping back from 105 % to 90 % is no news
   * when 90 % was announced before; jumping straight to 105 % is announced as over limit only.
   */
  readonly starts: boolean;
  readonly severity: AlertSeverity;
  readonly facts: AlertFacts;
}

/** An earlier alert of a condition that has not been seen clearing. */
export interface OpenCondition {
  readonly alertId: number;
  readonly customerId: number;
  readonly kind: ConditionKind;
  readonly condition: string;
}

export interface ExposureFact {
  readonly customerId: number;
  readonly currency: string;
  readonly limitMinor: number;
  /** Open receivables in the customer's currency (disputed included) plus open orders. */
  readonly exposureMinor: number;
}

export interface UtilisationRules {
  /** From this utilisation (basis points) it is high: the status policy's yellow line. */
  readonly highBp: number;
  /** Above this it is over the limit: the status policy's red line. */
  readonly overBp: number;
}

/**
 * Over the limit and high utilisation, read as the card's traffic light reads them: exposure
 * with no limit granted counts as over the limit.
 */
export function exposureConditions(e: ExposureFact, rules: UtilisationRules): ConditionNow[] {
  const bp = utilisationBp(e.exposureMinor, e.limitMinor);
  const over = bp === undefined || bp > rules.overBp;
  const facts = {
    condition: '',
    currency: e.currency,
    exposureMinor: e.exposureMinor,
    limitMinor: e.limitMinor,
    utilisationBp: bp ?? null,
  };
  const base = { customerId: e.customerId, condition: '', facts };
  const conditions: ConditionNow[] = [];
  if (over) conditions.push({ ...base, kind: 'over_limit', starts: true, severity: 'critical' });
  if (over || (bp ?? 0) >= rules.highBp) {
    conditions.push({ ...base, kind: 'high_utilisation', starts: !over, severity: 'warning' });
  }
  return conditions;
}

export interface ProposalFact {
  readonly customerId: number;
  readonly from: Phase;
  readonly to: Phase;
  /** Strategic accounts get no automatic proposal, but their people still hear the rules fired. */
  readonly strategic: boolean;
  /** The rules that fired, as the proposals report states them (JSON-safe). */
  readonly reasons: readonly AlertFacts[];
}

/** A move the phase rules propose; a proposal towards incident is red. */
export function proposalCondition(p: ProposalFact): ConditionNow {
  const condition = `${p.from}>${p.to}`;
  return {
    customerId: p.customerId,
    kind: 'phase_proposal',
    condition,
    starts: true,
    severity: p.to === 'incident' ? 'critical' : 'warning',
    facts: { condition, from: p.from, to: p.to, strategic: p.strategic, reasons: p.reasons },
  };
}

/**
 * Conditions against the episodes still open for the same customers: a condition with no open
 * episode of the same kind and condition starts one (an alert keyed `[condition@]asOf`); an
 * open episode whose condition no longer holds, or changed (watch → incident proposed), is
 * cleared. Customers not evaluated must not be passed in `open`.
 */
export function conditionAlerts(
  now: readonly ConditionNow[],
  open: readonly OpenCondition[],
  asOf: IsoDate,
): { readonly alerts: CandidateAlert[]; readonly cleared: OpenCondition[] } {
  const key = (c: { customerId: number; kind: string }) => `${c.customerId}:${c.kind}`;
  const holding = new Map(now.map((c) => [key(c), c]));
  const cleared = open.filter((o) => holding.get(key(o))?.condition !== o.condition);
  const stillOpen = new Set(open.filter((o) => !cleared.includes(o)).map(key));
  const alerts = now
    .filter((c) => c.starts && !stillOpen.has(key(c)))
    .map(
      (c): CandidateAlert => ({
        customerId: c.customerId,
        kind: c.kind,
        periodKey: c.condition === '' ? asOf : `${c.condition}@${asOf}`,
        severity: c.severity,
        facts: c.facts,
      }),
    );
  return { alerts, cleared };
}
