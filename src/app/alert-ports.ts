import type {
  AlertFacts,
  AlertKind,
  AlertSeverity,
  BrokenPromiseFact,
  CandidateAlert,
  CreditEventFact,
  ExposureFact,
  OpenCondition,
  OpenInvoiceFact,
  RatingFact,
  ReviewFact,
} from '../domain/alerts.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { CustomerSelection } from './assessment-ports.ts';
import type { SubscriptionFilters } from './channel-ports.ts';
import type { ChannelRef } from './chat-ports.ts';

// The ports of the alert use cases. `src/db/alert-repository.ts` implements them in
// set-based SQL: one statement per kind of fact for any number of customers.

/** Everything the alert rules read for the selected customers, as of a date. */
export interface AlertFactRows {
  readonly exposures: readonly ExposureFact[];
  readonly invoices: readonly OpenInvoiceFact[];
  readonly brokenPromises: readonly BrokenPromiseFact[];
  readonly ratings: readonly RatingFact[];
  readonly events: readonly CreditEventFact[];
  readonly reviews: readonly ReviewFact[];
  readonly openConditions: readonly OpenCondition[];
}

/** One stored alert as cards show it, with its customer. */
export interface AlertView {
  readonly id: number;
  readonly customerId: number;
  readonly code: string;
  readonly legalName: string;
  readonly ownerName: string | null;
  readonly kind: AlertKind;
  readonly periodKey: string;
  readonly severity: AlertSeverity;
  readonly facts: AlertFacts;
  readonly createdAt: Date;
}

/** Who may hear about a customer's alerts: what subscription filters and the owner route on. */
export interface AlertAudience {
  readonly customerId: number;
  readonly segment: string;
  readonly currency: string;
  readonly ownerUserId: number | null;
  readonly ownerName: string | null;
}

/** An alert waiting for its channel's next batch. */
export interface HeldAlert {
  readonly channel: ChannelRef;
  readonly alertId: number;
}

export interface AlertRepository {
  /**
   * Facts as of `asOf` for the rules: exposure per customer; open undisputed invoices between
   * `minDaysOverdue` and `maxDaysOverdue` days past due; promises broken, assessments made,
   * credit events occurred (in `timeZone`) and reviews due on or after `since`; and the open
   * condition episodes of the selected customers.
   */
  facts(input: {
    readonly selection: CustomerSelection;
    readonly asOf: IsoDate;
    readonly since: IsoDate;
    readonly timeZone: string;
    readonly minDaysOverdue: number;
    readonly maxDaysOverdue: number;
  }): Promise<AlertFactRows>;
  /** Inserts the alerts that do not exist yet (by customer, kind, period); returns only those. */
  insert(alerts: readonly CandidateAlert[], at: Date): Promise<AlertView[]>;
  /** Marks condition alerts as cleared on `on`: the next time the condition holds is news. */
  clearConditions(alertIds: readonly number[], on: IsoDate): Promise<void>;
  /**
   * Takes the customers marked for evaluation off the list (their rows stay locked until the
   * transaction ends): the given ones, or every marked one up to `limit`. Their ids.
   */
  takeDue(input: {
    readonly customerIds?: readonly number[];
    readonly limit: number;
  }): Promise<number[]>;
  /** Whether any customer waits for an evaluation (a cheap probe for the every-minute job). */
  anyDue(): Promise<boolean>;
  audience(customerIds: readonly number[]): Promise<AlertAudience[]>;
  find(alertId: number): Promise<AlertView | undefined>;
  hold(items: readonly HeldAlert[], at: Date): Promise<void>;
  /** Channels subscribed to alerts that have held alerts not yet in a batch. */
  heldChannels(): Promise<ChannelRef[]>;
  /** Puts every held alert of the channel not yet in a batch into batch `batch`; how many. */
  takeBatch(input: { readonly channel: ChannelRef; readonly batch: string }): Promise<number>;
  /** The alerts of one batch of a channel, most severe first, then oldest first. */
  batch(input: { readonly channel: ChannelRef; readonly batch: string }): Promise<AlertView[]>;
  /**
   * Alerts created in [from, to) for customers matching the filters: counts by severity and
   * the `limit` most severe, newest first.
   */
  createdBetween(input: {
    readonly from: Date;
    readonly to: Date;
    readonly filters: SubscriptionFilters;
    readonly limit: number;
  }): Promise<{
    readonly counts: Readonly<Record<AlertSeverity, number>>;
    readonly alerts: readonly AlertView[];
  }>;
}
