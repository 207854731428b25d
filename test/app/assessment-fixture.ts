import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import { addDays, type IsoDate } from '../../src/domain/dates.ts';

// A small hand-made ledger for the credit-engine tests: every figure the scorecard, the
// limit and the phase rules read is written here, so expectations can be computed by hand.

export interface FixtureCustomer {
  readonly code: string;
  readonly currency?: string;
  readonly phase?: string;
  readonly strategic?: boolean;
  readonly limitMinor?: number;
}

export async function addCustomer(db: Kysely<DB>, c: FixtureCustomer): Promise<number> {
  const row = await db
    .insertInto('customers')
    .values({
      code: c.code,
      legal_name: `Test ${c.code} Ltd.`,
      country: 'JP',
      currency: c.currency ?? 'JPY',
      phase: c.phase ?? 'ongoing',
      strategic: c.strategic ?? false,
      credit_limit_minor: c.limitMinor ?? 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface FixtureInvoice {
  readonly issuedOn: IsoDate;
  readonly termsDays?: number;
  readonly amountMinor: number;
  /** Paid in full on this day; open when absent. */
  readonly settledOn?: IsoDate;
}

export async function addInvoices(
  db: Kysely<DB>,
  customerId: number,
  invoices: readonly FixtureInvoice[],
  currency = 'JPY',
): Promise<void> {
  await db
    .insertInto('invoices')
    .values(
      invoices.map((i, n) => ({
        external_id: `T-${customerId}-${n + 1}`,
        customer_id: customerId,
        number: `INV-${customerId}-${n + 1}`,
        issued_on: i.issuedOn,
        due_on: addDays(i.issuedOn, i.termsDays ?? 30),
        currency,
        amount_minor: i.amountMinor,
        open_amount_minor: i.settledOn === undefined ? i.amountMinor : 0,
        settled_on: i.settledOn ?? null,
      })),
    )
    .execute();
}

export async function addCreditReport(
  db: Kysely<DB>,
  customerId: number,
  report: {
    readonly reportedOn: IsoDate;
    readonly bureauScore?: number;
    readonly pd?: number;
    readonly capitalMinor?: number;
    readonly revenueMinor?: number;
    readonly foundedOn?: IsoDate;
    readonly currency?: string;
  },
): Promise<void> {
  await db
    .insertInto('credit_reports')
    .values({
      source: 'tdb',
      source_report_id: `R-${customerId}-${report.reportedOn}`,
      customer_id: customerId,
      reported_on: report.reportedOn,
      bureau_score: report.bureauScore ?? null,
      pd: report.pd ?? null,
      currency: report.currency ?? 'JPY',
      capital_minor: report.capitalMinor ?? null,
      revenue_minor: report.revenueMinor ?? null,
      founded_on: report.foundedOn ?? null,
    })
    .execute();
}

export async function addCreditEvent(
  db: Kysely<DB>,
  customerId: number,
  event: { readonly kind: string; readonly severity: string; readonly occurredAt: string },
): Promise<void> {
  await db
    .insertInto('credit_events')
    .values({
      source: 'monitor',
      source_event_id: `E-${customerId}-${event.kind}-${event.occurredAt}`,
      customer_id: customerId,
      kind: event.kind,
      severity: event.severity,
      occurred_at: new Date(event.occurredAt),
    })
    .execute();
}

/** An assessment entered earlier (by hand): only what later runs read back from it. */
export async function addAssessment(
  db: Kysely<DB>,
  customerId: number,
  a: {
    readonly assessedAt: string;
    readonly score: number;
    readonly rating: string;
    readonly inputs?: Record<string, unknown>;
  },
): Promise<void> {
  await db
    .insertInto('credit_assessments')
    .values({
      customer_id: customerId,
      assessed_at: a.assessedAt,
      scorecard_version: 'manual',
      score: a.score,
      rating: a.rating,
      currency: 'JPY',
      inputs: JSON.stringify(a.inputs ?? {}),
      source: 'manual',
      actor: 'test',
    })
    .execute();
}

export async function addBrokenPromise(
  db: Kysely<DB>,
  customerId: number,
  promisedOn: IsoDate,
): Promise<void> {
  await db
    .insertInto('promises')
    .values({
      customer_id: customerId,
      promised_on: promisedOn,
      currency: 'JPY',
      amount_minor: 100_000,
      status: 'broken',
      resolved_on: addDays(promisedOn, 1),
    })
    .execute();
}
