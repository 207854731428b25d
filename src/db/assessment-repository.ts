import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { AssessmentRepository, CustomerSelection } from '../app/assessment-ports.ts';
import type { Phase, Rating } from '../domain/credit.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { CreditEventKind, Severity } from '../domain/phases.ts';
import { openAsOf } from './aging-sql.ts';
import { paymentBehaviourByCustomer } from './payment-behaviour-sql.ts';
import type { DB } from './schema.ts';
import { unnest } from './sql-arrays.ts';

const CHUNK = 1_000;

function idsOf(selection: CustomerSelection): readonly number[] | undefined {
  return 'all' in selection ? undefined : [...new Set(selection.customerIds)];
}

/** ` and <column> = any(ids)`, or nothing for every customer. */
function anyId(column: RawBuilder<unknown>, ids: readonly number[] | undefined) {
  return ids === undefined ? sql`` : sql` and ${column} = any(${sql.val([...ids])}::int8[])`;
}

/** The first instant after `asOf` in the time zone: "on or before asOf" for a timestamptz. */
function endOfDay(asOf: IsoDate, timeZone: string): RawBuilder<Date> {
  return sql<Date>`((${asOf}::date + 1)::timestamp at time zone ${timeZone})`;
}

function startOfDay(date: IsoDate, timeZone: string): RawBuilder<Date> {
  return sql<Date>`(${date}::date::timestamp at time zone ${timeZone})`;
}

interface ScoreFactsQueryRow {
  id: number;
  code: string;
  legal_name: string;
  currency: string;
  strategic: boolean;
  next_review_on: IsoDate | null;
  report_source: string | null;
  report_key: string | null;
  reported_on: IsoDate | null;
  bureau_score: number | null;
  pd: number | null;
  report_currency: string | null;
  capital_minor: number | null;
  revenue_minor: number | null;
  founded_on: IsoDate | null;
  latest_rating: string | null;
  latest_inputs: unknown;
  settled: number;
  late: number;
  days: number;
  trade: number;
  antisocial_hit: boolean;
}

interface PhaseFactsQueryRow {
  id: number;
  code: string;
  legal_name: string;
  phase: string;
  strategic: boolean;
  ratings: string[] | null;
  antisocial: string | null;
  max_days: number | null;
  broken: IsoDate[] | null;
  events: { kind: string; severity: string; on: IsoDate }[] | null;
}

export function createAssessmentRepository(db: Kysely<DB>): AssessmentRepository {
  return {
    async scoreFacts({ selection, asOf, from, timeZone }) {
      const ids = idsOf(selection);
      if (ids?.length === 0) return [];
      // One statement for any number of customers: the latest report and assessment by their
      // (customer, date desc) indexes, the ledger window as two grouped aggregates.
      const { rows } = await sql<ScoreFactsQueryRow>`
        select t.id, t.code, t.legal_name, t.currency, t.strategic, t.next_review_on,
          r.source as report_source, r.source_report_id as report_key, r.reported_on, r.bureau_score, r.pd,
          r.currency as report_currency, r.capital_minor, r.revenue_minor, r.founded_on,
          a.rating as latest_rating, a.inputs as latest_inputs,
          coalesce(b.settled, 0)::int8 as settled, coalesce(b.late, 0)::int8 as late,
          coalesce(b.days, 0)::int8 as days, coalesce(v.trade, 0)::int8 as trade,
          exists (
            select 1 from credit_events e
            where e.customer_id = t.id and e.kind = 'antisocial_hit'
              and e.occurred_at < ${endOfDay(asOf, timeZone)}
          ) as antisocial_hit
        from customers t
        left join lateral (
          select * from credit_reports x
          where x.customer_id = t.id and x.reported_on <= ${asOf}::date
          order by x.reported_on desc, x.id desc limit 1
        ) r on true
        left join lateral (
          select x.rating, x.inputs from credit_assessments x
          where x.customer_id = t.id
          order by x.assessed_at desc, x.id desc limit 1
        ) a on true
        left join ${paymentBehaviourByCustomer({ from, to: asOf, customerIds: ids })} as b
          on b.customer_id = t.id
        left join (
          select i.customer_id, sum(i.amount_minor) as trade
          from invoices i join customers c on c.id = i.customer_id and c.currency = i.currency
          where i.issued_on between ${from}::date and ${asOf}::date${anyId(sql`i.customer_id`, ids)}
          group by i.customer_id
        ) v on v.customer_id = t.id
        where true${anyId(sql`t.id`, ids)}
        order by t.code`.execute(db);
      return rows.map((r) => ({
        customerId: r.id,
        code: r.code,
        legalName: r.legal_name,
        currency: r.currency,
        strategic: r.strategic,
        nextReviewOn: r.next_review_on,
        report:
          r.report_source === null
            ? undefined
            : {
                source: r.report_source,
                sourceReportId: r.report_key ?? '',
                reportedOn: r.reported_on ?? asOf,
                bureauScore: r.bureau_score,
                pd: r.pd,
                currency: r.report_currency?.trim() ?? null,
                capitalMinor: r.capital_minor,
                revenueMinor: r.revenue_minor,
                foundedOn: r.founded_on,
              },
        latest:
          r.latest_rating === null
            ? undefined
            : { rating: r.latest_rating as Rating, inputs: r.latest_inputs },
        antisocialHit: r.antisocial_hit,
        settledCount: r.settled,
        lateCount: r.late,
        totalDaysLate: r.days,
        tradeVolumeMinor: r.trade,
      }));
    },

    async insert(rows) {
      for (let i = 0; i < rows.length; i += CHUNK) {
        const chunk = rows.slice(i, i + CHUNK);
        await sql`
          insert into credit_assessments (customer_id, assessed_at, scorecard_version, score,
            rating, pd, currency, recommended_limit_minor, limit_components, inputs, contributions,
            source, actor)
          select * from ${unnest([
            ['int8', chunk.map((r) => r.customerId)],
            ['timestamptz', chunk.map((r) => r.assessedAt.toISOString())],
            ['text', chunk.map((r) => r.scorecardVersion)],
            ['int8', chunk.map((r) => r.score)],
            ['text', chunk.map((r) => r.rating)],
            ['float8', chunk.map((r) => r.pd)],
            ['text', chunk.map((r) => r.currency)],
            ['int8', chunk.map((r) => r.recommendedLimitMinor)],
            ['jsonb', chunk.map((r) => JSON.stringify(r.limitComponents))],
            ['jsonb', chunk.map((r) => JSON.stringify(r.inputs))],
            ['jsonb', chunk.map((r) => JSON.stringify(r.contributions))],
            ['text', chunk.map((r) => r.source)],
            ['text', chunk.map((r) => r.actor)],
          ])}`.execute(db);
        await sql`
          update customers c set next_review_on = v.next_review_on, updated_at = now()
          from ${unnest([
            ['int8', chunk.map((r) => r.customerId)],
            ['date', chunk.map((r) => r.nextReviewOn)],
          ])} as v (id, next_review_on)
          where c.id = v.id`.execute(db);
      }
    },

    async phaseFacts({ selection, asOf, timeZone, minDaysOverdue, brokenSince, eventsSince }) {
      const ids = idsOf(selection);
      if (ids?.length === 0) return [];
      const one = ids?.length === 1 ? ids[0] : undefined;
      const assessedBy = endOfDay(asOf, timeZone);
      // Grouped aggregates per source, then only customers a rule could fire on: the domain
      // rules decide; this keeps a large portfolio's report to the few worth looking at.
      const { rows } = await sql<PhaseFactsQueryRow>`
        with overdue as (
          select o.customer_id, max(${asOf}::date - o.due_on) as max_days
          from ${openAsOf(asOf, one)} as o
          where o.open > 0 and not o.disputed and o.due_on < ${asOf}::date
          group by o.customer_id
        ),
        broken as (
          select p.customer_id,
            array_agg(to_char(p.resolved_on, 'YYYY-MM-DD') order by p.resolved_on) as dates
          from promises p
          where p.status = 'broken' and p.resolved_on between ${brokenSince}::date and ${asOf}::date
            ${anyId(sql`p.customer_id`, ids)}
          group by p.customer_id
        ),
        events as (
          select e.customer_id, jsonb_agg(jsonb_build_object(
              'kind', e.kind, 'severity', e.severity,
              'on', to_char((e.occurred_at at time zone ${timeZone})::date, 'YYYY-MM-DD'))
            order by e.occurred_at, e.id) as list
          from credit_events e
          where e.occurred_at >= ${startOfDay(eventsSince, timeZone)} and e.occurred_at < ${assessedBy}
            ${anyId(sql`e.customer_id`, ids)}
          group by e.customer_id
        )
        select t.id, t.code, t.legal_name, t.phase, t.strategic, a.ratings, a.antisocial,
          o.max_days, b.dates as broken, ev.list as events
        from customers t
        left join overdue o on o.customer_id = t.id
        left join broken b on b.customer_id = t.id
        left join events ev on ev.customer_id = t.id
        left join lateral (
          select array_agg(x.rating order by x.assessed_at desc, x.id desc) as ratings,
            (array_agg(x.inputs ->> 'antisocialCheck' order by x.assessed_at desc, x.id desc))[1]
              as antisocial
          from (
            select y.rating, y.inputs, y.assessed_at, y.id from credit_assessments y
            where y.customer_id = t.id and y.assessed_at < ${assessedBy}
            order by y.assessed_at desc, y.id desc limit 2
          ) x
        ) a on true
        where (o.max_days >= ${minDaysOverdue} or b.dates is not null or ev.list is not null
            or a.ratings[1] > a.ratings[2] or a.antisocial = 'failed')
          ${anyId(sql`t.id`, ids)}
        order by t.code`.execute(db);
      return rows.map((r) => ({
        customerId: r.id,
        code: r.code,
        legalName: r.legal_name,
        phase: r.phase as Phase,
        strategic: r.strategic,
        rating: (r.ratings?.[0] ?? undefined) as Rating | undefined,
        previousRating: (r.ratings?.[1] ?? undefined) as Rating | undefined,
        antisocialFailed: r.antisocial === 'failed',
        maxDaysOverdue: Math.max(0, r.max_days ?? 0),
        brokenPromiseDates: r.broken ?? [],
        creditEvents: (r.events ?? []).map((e) => ({
          kind: e.kind as CreditEventKind,
          severity: e.severity as Severity,
          occurredOn: e.on,
        })),
      }));
    },

    async reviewCandidates({ dueBy }) {
      const { rows } = await sql<{
        id: number;
        code: string;
        legal_name: string;
        owner_name: string | null;
        rating: string | null;
        next_review_on: IsoDate;
      }>`
        select c.id, c.code, c.legal_name, u.display_name as owner_name, a.rating,
          c.next_review_on
        from customers c
        left join users u on u.id = c.owner_user_id
        left join lateral (
          select x.rating from credit_assessments x where x.customer_id = c.id
          order by x.assessed_at desc, x.id desc limit 1
        ) a on true
        where c.next_review_on <= ${dueBy}::date
        order by c.next_review_on, c.code`.execute(db);
      return rows.map((r) => ({
        customerId: r.id,
        code: r.code,
        legalName: r.legal_name,
        ownerName: r.owner_name,
        rating: (r.rating ?? undefined) as Rating | undefined,
        nextReviewOn: r.next_review_on,
      }));
    },
  };
}
