import { type Kysely, sql } from 'kysely';
import type { ApprovalKind, HomeRepository } from '../app/home-ports.ts';
import type { IsoDate } from '../domain/dates.ts';
import { money } from '../domain/money.ts';
import type { DB } from './schema.ts';

// Each list is one statement: `count(*) over ()` gives the total before the limit, so the
// view can say "+N more" without a second query.

export function createHomeRepository(db: Kysely<DB>): HomeRepository {
  return {
    async ownedCustomerIds({ userId, limit }) {
      const rows = await db
        .selectFrom('customers')
        .select(['id', sql<number>`count(*) over ()`.as('total')])
        .where('owner_user_id', '=', userId)
        .orderBy('code')
        .limit(limit)
        .execute();
      return { rows: rows.map((r) => r.id), total: Number(rows[0]?.total ?? 0) };
    },

    async promisesDue({ userId, from, to, limit }) {
      // customers_owner finds the user's customers; promises_customer their promises by date.
      const { rows } = await sql<{
        id: number;
        customer_id: number;
        code: string;
        legal_name: string;
        promised_on: IsoDate;
        currency: string;
        amount_minor: number;
        total: number;
      }>`
        select p.id, p.customer_id, c.code, c.legal_name, p.promised_on, p.currency,
          p.amount_minor, count(*) over () as total
        from customers c
        join promises p on p.customer_id = c.id
        where c.owner_user_id = ${userId}
          and p.status = 'pending'
          and p.promised_on between ${from}::date and ${to}::date
        order by p.promised_on, c.code, p.id
        limit ${limit}`.execute(db);
      return {
        rows: rows.map((r) => ({
          promiseId: r.id,
          customerId: r.customer_id,
          code: r.code,
          legalName: r.legal_name,
          promisedOn: r.promised_on,
          amount: money(r.amount_minor, r.currency),
        })),
        total: Number(rows[0]?.total ?? 0),
      };
    },

    async pendingRequests({ userId, limit }) {
      const rows = await db
        .selectFrom('approval_requests as r')
        .innerJoin('customers as c', 'c.id', 'r.customer_id')
        .select([
          'r.id',
          'r.kind',
          'r.customer_id',
          'c.code',
          'c.legal_name',
          'r.requested_by_label',
          'r.reason',
          'r.created_at',
          sql<number>`count(*) over ()`.as('total'),
        ])
        .where('r.requested_by_user_id', '=', userId)
        .where('r.status', '=', 'pending')
        .orderBy('r.created_at')
        .orderBy('r.id')
        .limit(limit)
        .execute();
      return {
        rows: rows.map((r) => ({
          id: r.id,
          kind: r.kind as ApprovalKind,
          customerId: r.customer_id,
          code: r.code,
          legalName: r.legal_name,
          requestedBy: r.requested_by_label,
          reason: r.reason,
          createdAt: r.created_at,
        })),
        total: Number(rows[0]?.total ?? 0),
      };
    },
  };
}
