import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { AlertFactRows, AlertRepository } from '../app/alert-ports.ts';
import type { CustomerSelection } from '../app/assessment-ports.ts';
import { CONDITION_KINDS, type ConditionKind } from '../domain/alerts.ts';
import type { Rating } from '../domain/credit.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { CreditEventKind, Severity } from '../domain/phases.ts';
import { openAsOf } from './aging-sql.ts';
import type { DB } from './schema.ts';

// The facts the alert rules read, one grouped statement per kind of fact for any number of
// customers: an evaluation of the whole portfolio is seven queries, never one per customer.

type FactsInput = Parameters<AlertRepository['facts']>[0];

function idsOf(selection: CustomerSelection): readonly number[] | undefined {
  return 'all' in selection ? undefined : [...new Set(selection.customerIds)];
}

/** ` and <column> = any(ids)`, or nothing for every customer. */
function anyId(column: RawBuilder<unknown>, ids: readonly number[] | undefined) {
  return ids === undefined ? sql`` : sql` and ${column} = any(${sql.val([...ids])}::int8[])`;
}

/** The first instant of `date` in the time zone. */
function startOfDay(date: IsoDate, timeZone: string): RawBuilder<Date> {
  return sql<Date>`(${date}::date::timestamp at time zone ${timeZone})`;
}

/** The first instant after `date` in the time zone. */
function endOfDay(date: IsoDate, timeZone: string): RawBuilder<Date> {
  return sql<Date>`((${date}::date + 1)::timestamp at time zone ${timeZone})`;
}

/** The business day of an instant in the time zone, as `YYYY-MM-DD`. */
function localDate(column: RawBuilder<unknown>, timeZone: string): RawBuilder<string> {
  return sql<string>`to_char((${column} at time zone ${timeZone})::date, 'YYYY-MM-DD')`;
}

async function exposures(db: Kysely<DB>, asOf: IsoDate, ids: readonly number[] | undefined) {
  // As the card computes it: receivables open at the end of asOf in the customer's own
  // currency (disputed ones included) plus open orders; only customers with any exposure.
  const { rows } = await sql<{
    id: number;
    currency: string;
    limit_minor: number;
    exposure_minor: number;
  }>`
    with receivables as (
      select o.customer_id, sum(o.open) as open
      from ${openAsOf(asOf, ids?.length === 1 ? ids[0] : undefined)} as o
      join customers c on c.id = o.customer_id and c.currency = o.currency
      where o.open > 0${anyId(sql`o.customer_id`, ids)}
      group by o.customer_id
    ),
    ordered as (
      select r.customer_id, sum(r.open_amount_minor) as open
      from orders r join customers c on c.id = r.customer_id and c.currency = r.currency
      where r.open_amount_minor > 0${anyId(sql`r.customer_id`, ids)}
      group by r.customer_id
    )
    select c.id, c.currency, c.credit_limit_minor as limit_minor,
      (coalesce(v.open, 0) + coalesce(d.open, 0))::int8 as exposure_minor
    from customers c
    left join receivables v on v.customer_id = c.id
    left join ordered d on d.customer_id = c.id
    where (v.open is not null or d.open is not null)${anyId(sql`c.id`, ids)}`.execute(db);
  return rows.map((r) => ({
    customerId: r.id,
    currency: r.currency.trim(),
    limitMinor: Number(r.limit_minor),
    exposureMinor: Number(r.exposure_minor),
  }));
}

async function invoices(db: Kysely<DB>, input: FactsInput, ids: readonly number[] | undefined) {
  const { asOf, minDaysOverdue, maxDaysOverdue } = input;
  // Served by the partial index of open invoices; disputed ones are not chased, so not alerted.
  const { rows } = await sql<{
    id: number;
    customer_id: number;
    number: string;
    due_on: IsoDate;
    currency: string;
    open_minor: number;
  }>`
    select i.id, i.customer_id, i.number, i.due_on, i.currency, i.open_amount_minor as open_minor
    from invoices i
    where i.open_amount_minor > 0 and not i.disputed and i.issued_on <= ${asOf}::date
      and i.due_on between ${asOf}::date - ${maxDaysOverdue}::int
                       and ${asOf}::date - ${minDaysOverdue}::int${anyId(sql`i.customer_id`, ids)}
    order by i.id`.execute(db);
  return rows.map((r) => ({
    customerId: r.customer_id,
    invoiceId: r.id,
    number: r.number,
    dueOn: r.due_on,
    currency: r.currency.trim(),
    openMinor: Number(r.open_minor),
  }));
}

async function brokenPromises(
  db: Kysely<DB>,
  input: FactsInput,
  ids: readonly number[] | undefined,
) {
  const { rows } = await sql<{
    id: number;
    customer_id: number;
    promised_on: IsoDate;
    resolved_on: IsoDate;
    currency: string;
    amount_minor: number;
  }>`
    select p.id, p.customer_id, p.promised_on, p.resolved_on, p.currency, p.amount_minor
    from promises p
    where p.status = 'broken'
      and p.resolved_on between ${input.since}::date and ${input.asOf}::date${anyId(sql`p.customer_id`, ids)}
    order by p.id`.execute(db);
  return rows.map((r) => ({
    customerId: r.customer_id,
    promiseId: r.id,
    promisedOn: r.promised_on,
    resolvedOn: r.resolved_on,
    currency: r.currency.trim(),
    amountMinor: Number(r.amount_minor),
  }));
}

async function ratings(db: Kysely<DB>, input: FactsInput, ids: readonly number[] | undefined) {
  const { since, asOf, timeZone } = input;
  // Each assessment of the window with the one before it; the rule keeps the drops.
  const { rows } = await sql<{
    id: number;
    customer_id: number;
    rating: string;
    score: number;
    assessed_on: IsoDate;
    previous: string;
  }>`
    select a.id, a.customer_id, a.rating, a.score,
      ${localDate(sql`a.assessed_at`, timeZone)} as assessed_on, p.rating as previous
    from credit_assessments a
    join lateral (
      select y.rating from credit_assessments y
      where y.customer_id = a.customer_id
        and (y.assessed_at < a.assessed_at or (y.assessed_at = a.assessed_at and y.id < a.id))
      order by y.assessed_at desc, y.id desc limit 1
    ) p on true
    where a.assessed_at >= ${startOfDay(since, timeZone)}
      and a.assessed_at < ${endOfDay(asOf, timeZone)}${anyId(sql`a.customer_id`, ids)}
    order by a.id`.execute(db);
  return rows.map((r) => ({
    customerId: r.customer_id,
    assessmentId: r.id,
    assessedOn: r.assessed_on,
    rating: r.rating as Rating,
    previousRating: r.previous as Rating,
    score: r.score,
  }));
}

async function events(db: Kysely<DB>, input: FactsInput, ids: readonly number[] | undefined) {
  const { since, asOf, timeZone } = input;
  const { rows } = await sql<{
    id: number;
    customer_id: number;
    kind: string;
    severity: string;
    occurred_on: IsoDate;
    text: string | null;
    url: string | null;
  }>`
    select e.id, e.customer_id, e.kind, e.severity, e.text, e.url,
      ${localDate(sql`e.occurred_at`, timeZone)} as occurred_on
    from credit_events e
    where e.occurred_at >= ${startOfDay(since, timeZone)}
      and e.occurred_at < ${endOfDay(asOf, timeZone)}${anyId(sql`e.customer_id`, ids)}
    order by e.id`.execute(db);
  return rows.map((r) => ({
    customerId: r.customer_id,
    eventId: r.id,
    kind: r.kind as CreditEventKind,
    severity: r.severity as Severity,
    occurredOn: r.occurred_on,
    text: r.text,
    url: r.url,
  }));
}

async function reviews(db: Kysely<DB>, input: FactsInput, ids: readonly number[] | undefined) {
  // Overdue from the day after the review date: dates from since − 1 to asOf − 1.
  const { rows } = await sql<{ id: number; next_review_on: IsoDate }>`
    select c.id, c.next_review_on from customers c
    where c.next_review_on between ${input.since}::date - 1 and ${input.asOf}::date - 1${anyId(sql`c.id`, ids)}
    order by c.id`.execute(db);
  return rows.map((r) => ({ customerId: r.id, nextReviewOn: r.next_review_on }));
}

async function openConditions(db: Kysely<DB>, ids: readonly number[] | undefined) {
  const kinds = sql.join(CONDITION_KINDS.map((k) => sql.lit(k)));
  // The partial index alerts_open_conditions holds exactly these rows.
  const { rows } = await sql<{
    id: number;
    customer_id: number;
    kind: string;
    condition: string | null;
  }>`
    select a.id, a.customer_id, a.kind, a.payload ->> 'condition' as condition
    from alerts a
    where a.cleared_on is null and a.kind in (${kinds})${anyId(sql`a.customer_id`, ids)}
    order by a.id`.execute(db);
  return rows.map((r) => ({
    alertId: r.id,
    customerId: r.customer_id,
    kind: r.kind as ConditionKind,
    condition: r.condition ?? '',
  }));
}

export async function alertFacts(db: Kysely<DB>, input: FactsInput): Promise<AlertFactRows> {
  const ids = idsOf(input.selection);
  if (ids?.length === 0) {
    return {
      exposures: [],
      invoices: [],
      brokenPromises: [],
      ratings: [],
      events: [],
      reviews: [],
      openConditions: [],
    };
  }
  return {
    exposures: await exposures(db, input.asOf, ids),
    invoices: await invoices(db, input, ids),
    brokenPromises: await brokenPromises(db, input, ids),
    ratings: await ratings(db, input, ids),
    events: await events(db, input, ids),
    reviews: await reviews(db, input, ids),
    openConditions: await openConditions(db, ids),
  };
}
