import { type Kysely, type RawBuilder, sql } from 'kysely';
import { readAssessmentDetail } from '../app/assessments.ts';
import type {
  CustomerMatch,
  CustomerRepository,
  CustomerSnapshot,
  NameKind,
} from '../app/ports.ts';
import type { ContactMethod, ContactOutcome, Phase, Rating } from '../domain/credit.ts';
import type { IsoDate } from '../domain/dates.ts';
import { money } from '../domain/money.ts';
import { agingByCurrency } from './aging-sql.ts';
import type { DB } from './schema.ts';

const LAST_CONTACTS = 3;
const OPEN_PROMISES = 5;

interface MatchRow {
  customer_id: number;
  code: string;
  legal_name: string;
  name: string;
  kind: string;
  tier: number;
  sim: number;
}

const QUALITY = { 3: 'exact', 2: 'partial', 1: 'similar' } as const;

/** A customer with its latest assessment (null columns when none) and its short lists. */
interface SnapshotRow {
  id: number;
  code: string;
  legal_name: string;
  name_kana: string | null;
  country: string;
  currency: string;
  segment: string;
  phase: string;
  credit_limit_minor: number;
  credit_hold: boolean;
  strategic: boolean;
  blacklisted: boolean;
  next_review_on: IsoDate | null;
  owner_name: string | null;
  open_orders_minor: number;
  score: number | null;
  rating: string | null;
  pd: number | null;
  assessed_at: Date | null;
  scorecard_version: string | null;
  assessment_currency: string | null;
  recommended_limit_minor: number | null;
  limit_components: unknown;
  contributions: unknown;
  inputs: unknown;
  /** The last contacts, newest first, one array per column; null when there are none. */
  contacted_at: Date[] | null;
  method: string[] | null;
  outcome: string[] | null;
  actor_label: string[] | null;
  note: (string | null)[] | null;
  /** The open promises, soonest first, likewise. */
  promised_on: IsoDate[] | null;
  amount_minor: number[] | null;
  promise_currency: string[] | null;
  status: string[] | null;
}

/**
 * A normalized name contains `key`. Keys of three characters or more are served by the trigram
 * index; a two-character key (宏达) has no trigram, so the index of character pairs serves it.
 * Keys are normalized: letters and digits only, nothing `like` would read as a wildcard.
 */
function contains(key: string) {
  return [...key].length === 2
    ? sql`name_pairs(n.normalized) @> array[${key}]::text[]`
    : sql`n.normalized like ${`%${key}%`}`;
}

export function createCustomerRepository(db: Kysely<DB>): CustomerRepository {
  return {
    async search(keys, limit) {
      if (keys.length === 0) return [];
      // Per key: exact (tier 3), prefix or substring (2), trigram look-alike (1); then the
      // best row per customer. Look-alikes are only sought, in a statement of their own, when
      // nothing matches exactly or in part: they would rank below every such match, and
      // planning the similarity operator costs more than running the rest of a look-up.
      const tier = (key: string) => sql`case when n.normalized = ${key} then 3
                 when strpos(n.normalized, ${key}) > 0 then 2
                 else 1 end`;
      const matching = keys.map(
        (key) => sql`
          select n.id, n.customer_id, n.name, n.kind, ${tier(key)} as tier,
            similarity(n.normalized, ${key}) as sim
          from customer_names n
          where n.normalized = ${key} or ${contains(key)}`,
      );
      const alike = keys.map(
        (key) => sql`
          select n.id, n.customer_id, n.name, n.kind, ${tier(key)} as tier,
            similarity(n.normalized, ${key}) as sim
          from customer_names n
          where n.normalized % ${key}`,
      );
      // Each customer found is read by its key: a join would hash the whole customers table
      // for a handful of names.
      const best = (found: readonly RawBuilder<unknown>[]) =>
        sql<MatchRow>`
        with found as (${sql.join(found, sql` union all `)}),
        best as (
          select distinct on (m.customer_id) m.customer_id, m.name, m.kind, m.tier, m.sim
          from found m
          order by m.customer_id, m.tier desc, m.sim desc, m.id
        )
        select b.customer_id, c.code, c.legal_name, b.name, b.kind, b.tier, b.sim
        from best b
        cross join lateral (
          select code, legal_name from customers where id = b.customer_id offset 0
        ) c
        order by b.tier desc, b.sim desc, c.code
        limit ${limit}`.execute(db);
      let result = await best(matching);
      if (!result.rows.some((r) => r.tier > 1)) result = await best([...matching, ...alike]);
      return result.rows.map(
        (r): CustomerMatch => ({
          customerId: r.customer_id,
          code: r.code,
          legalName: r.legal_name,
          matchedName: r.name,
          matchedKind: r.kind as NameKind,
          quality: QUALITY[r.tier as 1 | 2 | 3],
          similarity: Number(r.sim),
        }),
      );
    },

    async snapshot({ customerId, asOf, buckets }) {
      // The customer's row, its open orders, latest assessment, last contacts and open
      // promises in one statement (the lists as arrays, one per column), beside its aging:
      // a card is read in two statements at once rather than five.
      const [found, aging] = await Promise.all([
        sql<SnapshotRow>`
          select c.id, c.code, c.legal_name, c.name_kana, c.country, c.currency, c.segment,
            c.phase, c.credit_limit_minor, c.credit_hold, c.strategic, c.blacklisted,
            c.next_review_on, u.display_name as owner_name,
            (select coalesce(sum(o.open_amount_minor), 0) from orders o
              where o.customer_id = c.id and o.currency = c.currency
                and o.open_amount_minor > 0)::int8 as open_orders_minor,
            a.score, a.rating, a.pd, a.assessed_at, a.scorecard_version,
            a.currency as assessment_currency, a.recommended_limit_minor, a.limit_components,
            a.contributions, a.inputs,
            k.contacted_at, k.method, k.outcome, k.actor_label, k.note,
            p.promised_on, p.amount_minor, p.promise_currency, p.status
          from customers c
          left join users u on u.id = c.owner_user_id
          left join lateral (
            select score, rating, pd, assessed_at, scorecard_version, currency,
              recommended_limit_minor, limit_components, contributions, inputs
            from credit_assessments
            where customer_id = c.id
            order by assessed_at desc, id desc
            limit 1
          ) a on true
          cross join lateral (
            select array_agg(contacted_at order by contacted_at desc, id desc) as contacted_at,
              array_agg(method order by contacted_at desc, id desc) as method,
              array_agg(outcome order by contacted_at desc, id desc) as outcome,
              array_agg(actor_label order by contacted_at desc, id desc) as actor_label,
              array_agg(note order by contacted_at desc, id desc) as note
            from (
              select id, contacted_at, method, outcome, actor_label, note from contacts
              where customer_id = c.id
              order by contacted_at desc, id desc
              limit ${LAST_CONTACTS}
            ) last
          ) k
          cross join lateral (
            select array_agg(promised_on::text order by promised_on, id) as promised_on,
              array_agg(amount_minor order by promised_on, id) as amount_minor,
              array_agg(currency::text order by promised_on, id) as promise_currency,
              array_agg(status order by promised_on, id) as status
            from (
              select id, promised_on, amount_minor, currency, status from promises
              where customer_id = c.id and status = 'pending'
              order by promised_on, id
              limit ${OPEN_PROMISES}
            ) open
          ) p
          where c.id = ${customerId}`.execute(db),
        agingByCurrency(db, { asOf, buckets, customerId }),
      ]);
      const customer = found.rows[0];
      if (!customer) return undefined;
      const contactedAt = customer.contacted_at ?? [];
      const promisedOn = customer.promised_on ?? [];
      const snapshot: CustomerSnapshot = {
        id: customer.id,
        code: customer.code,
        legalName: customer.legal_name,
        nameKana: customer.name_kana,
        country: customer.country,
        currency: customer.currency,
        segment: customer.segment,
        ownerName: customer.owner_name,
        phase: customer.phase as Phase,
        creditLimit: money(customer.credit_limit_minor, customer.currency),
        creditHold: customer.credit_hold,
        strategic: customer.strategic,
        blacklisted: customer.blacklisted,
        nextReviewOn: customer.next_review_on,
        assessment:
          customer.score !== null
            ? {
                score: customer.score,
                rating: customer.rating as Rating,
                pd: customer.pd,
                assessedAt: customer.assessed_at as Date,
                detail: readAssessmentDetail({
                  scorecardVersion: customer.scorecard_version as string,
                  currency: customer.assessment_currency as string,
                  recommendedLimitMinor: customer.recommended_limit_minor,
                  limitComponents: customer.limit_components,
                  contributions: customer.contributions,
                  inputs: customer.inputs,
                }),
              }
            : undefined,
        aging: aging.rows,
        openOrders: money(customer.open_orders_minor, customer.currency),
        maxDaysOverdue: aging.maxDaysOverdue,
        lastContacts: contactedAt.map((at, i) => ({
          contactedAt: at,
          method: customer.method?.[i] as ContactMethod,
          outcome: customer.outcome?.[i] as ContactOutcome,
          actorLabel: customer.actor_label?.[i] as string,
          note: customer.note?.[i] ?? null,
        })),
        openPromises: promisedOn.map((on, i) => ({
          promisedOn: on,
          amount: money(customer.amount_minor?.[i] as number, customer.promise_currency?.[i] ?? ''),
          status: customer.status?.[i] as 'pending',
        })),
      };
      return snapshot;
    },

    async count(filter = {}) {
      let query = db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n'));
      if (filter.ownerUserId !== undefined) {
        query = query.where('owner_user_id', '=', filter.ownerUserId);
      }
      const row = await query.executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
