import { type Kysely, sql } from 'kysely';
import { readAssessmentDetail } from '../app/assessments.ts';
import type {
  CustomerMatch,
  CustomerRepository,
  CustomerSnapshot,
  NameKind,
} from '../app/ports.ts';
import type { ContactMethod, ContactOutcome, Phase, Rating } from '../domain/credit.ts';
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

export function createCustomerRepository(db: Kysely<DB>): CustomerRepository {
  return {
    async search(keys, limit) {
      if (keys.length === 0) return [];
      // Per key: exact (tier 3), prefix or substring (2), trigram look-alike (1); then the
      // best row per customer. All three predicates are served by the trigram GIN index.
      const perKey = keys.map(
        (key) => sql`
          select n.customer_id, n.name, n.kind,
            case when n.normalized = ${key} then 3
                 when strpos(n.normalized, ${key}) > 0 then 2
                 else 1 end as tier,
            similarity(n.normalized, ${key}) as sim
          from customer_names n
          where n.normalized = ${key}
             or n.normalized like ${`%${key}%`}
             or n.normalized % ${key}`,
      );
      const result = await sql<MatchRow>`
        select * from (
          select distinct on (m.customer_id)
            m.customer_id, c.code, c.legal_name, m.name, m.kind, m.tier, m.sim
          from (${sql.join(perKey, sql` union all `)}) m
          join customers c on c.id = m.customer_id
          order by m.customer_id, m.tier desc, m.sim desc
        ) best
        order by tier desc, sim desc, code
        limit ${limit}`.execute(db);
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
      const customer = await db
        .selectFrom('customers as c')
        .leftJoin('users as u', 'u.id', 'c.owner_user_id')
        .select([
          'c.id',
          'c.code',
          'c.legal_name',
          'c.name_kana',
          'c.country',
          'c.currency',
          'c.segment',
          'c.phase',
          'c.credit_limit_minor',
          'c.credit_hold',
          'c.strategic',
          'c.blacklisted',
          'c.next_review_on',
          'u.display_name as owner_name',
        ])
        .where('c.id', '=', customerId)
        .executeTakeFirst();
      if (!customer) return undefined;
      const [assessment, aging, orders, contacts, promises] = await Promise.all([
        db
          .selectFrom('credit_assessments')
          .select([
            'score',
            'rating',
            'pd',
            'assessed_at',
            'scorecard_version',
            'currency',
            'recommended_limit_minor',
            'limit_components',
            'contributions',
            'inputs',
          ])
          .where('customer_id', '=', customerId)
          .orderBy('assessed_at', 'desc')
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst(),
        agingByCurrency(db, { asOf, buckets, customerId }),
        db
          .selectFrom('orders')
          .select(sql<number>`coalesce(sum(open_amount_minor), 0)::int8`.as('open_minor'))
          .where('customer_id', '=', customerId)
          .where('currency', '=', customer.currency)
          .where('open_amount_minor', '>', 0)
          .executeTakeFirstOrThrow(),
        db
          .selectFrom('contacts')
          .select(['contacted_at', 'method', 'outcome', 'actor_label', 'note'])
          .where('customer_id', '=', customerId)
          .orderBy('contacted_at', 'desc')
          .orderBy('id', 'desc')
          .limit(LAST_CONTACTS)
          .execute(),
        db
          .selectFrom('promises')
          .select(['promised_on', 'amount_minor', 'currency', 'status'])
          .where('customer_id', '=', customerId)
          .where('status', '=', 'pending')
          .orderBy('promised_on')
          .limit(OPEN_PROMISES)
          .execute(),
      ]);
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
        assessment: assessment
          ? {
              score: assessment.score,
              rating: assessment.rating as Rating,
              pd: assessment.pd,
              assessedAt: assessment.assessed_at,
              detail: readAssessmentDetail({
                scorecardVersion: assessment.scorecard_version,
                currency: assessment.currency,
                recommendedLimitMinor: assessment.recommended_limit_minor,
                limitComponents: assessment.limit_components,
                contributions: assessment.contributions,
                inputs: assessment.inputs,
              }),
            }
          : undefined,
        aging: aging.rows,
        openOrders: money(orders.open_minor, customer.currency),
        maxDaysOverdue: aging.maxDaysOverdue,
        lastContacts: contacts.map((c) => ({
          contactedAt: c.contacted_at,
          method: c.method as ContactMethod,
          outcome: c.outcome as ContactOutcome,
          actorLabel: c.actor_label,
          note: c.note,
        })),
        openPromises: promises.map((p) => ({
          promisedOn: p.promised_on,
          amount: money(p.amount_minor, p.currency),
          status: p.status as 'pending',
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
