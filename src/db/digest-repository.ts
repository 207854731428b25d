import { type Kysely, sql } from 'kysely';
import type { DigestRepository, OverdueCustomerRow } from '../app/digest-ports.ts';
import { openAsOf } from './aging-sql.ts';
import type { DB } from './schema.ts';

interface OverdueQueryRow {
  customer_id: number;
  code: string;
  legal_name: string;
  currency: string;
  segment: string;
  owner_name: string | null;
  strategic: boolean;
  overdue_minor: number;
  max_days: number;
}

const toDate = (value: unknown): string =>
  value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);

export function createDigestRepository(db: Kysely<DB>): DigestRepository {
  return {
    async upsertSnapshots(rows) {
      if (rows.length === 0) return;
      await db
        .insertInto('portfolio_snapshots')
        .values(
          rows.map((r) => ({
            snapshot_on: r.snapshotOn,
            currency: r.currency,
            exposure_minor: r.exposureMinor,
            overdue_minor: r.overdueMinor,
            buckets: JSON.stringify(r.buckets),
            customers: r.customers,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['snapshot_on', 'currency']).doUpdateSet((eb) => ({
            exposure_minor: eb.ref('excluded.exposure_minor'),
            overdue_minor: eb.ref('excluded.overdue_minor'),
            buckets: eb.ref('excluded.buckets'),
            customers: eb.ref('excluded.customers'),
          })),
        )
        .execute();
    },

    async snapshotsOn(date) {
      const rows = await db
        .selectFrom('portfolio_snapshots')
        .select([
          'snapshot_on',
          'currency',
          'exposure_minor',
          'overdue_minor',
          'buckets',
          'customers',
        ])
        .where('snapshot_on', '=', date)
        .orderBy('currency')
        .execute();
      return rows.map((r) => ({
        snapshotOn: toDate(r.snapshot_on),
        currency: r.currency.trim(),
        exposureMinor: Number(r.exposure_minor),
        overdueMinor: Number(r.overdue_minor),
        buckets: r.buckets as Record<string, number>,
        customers: r.customers,
      }));
    },

    async openCustomerCounts(asOf) {
      const { rows } = await sql<{ currency: string; customers: number }>`
        select currency, count(distinct customer_id)::int4 as customers
        from ${openAsOf(asOf)} as o
        where open > 0 and not disputed
        group by currency`.execute(db);
      return new Map(rows.map((r) => [r.currency.trim(), r.customers]));
    },

    async topOverdue({ asOf, limit, strategic, currency, segment, owner }) {
      const filters = [
        sql`c.strategic = ${strategic}`,
        ...(currency ? [sql`o.currency = ${currency}`] : []),
        ...(segment ? [sql`c.segment = ${segment}`] : []),
        ...(owner ? [sql`(u.display_name = ${owner} or u.id::text = ${owner})`] : []),
      ];
      // Amounts in different currencies are never compared: the top N is per currency.
      const { rows } = await sql<OverdueQueryRow>`
        select * from (
          select c.id as customer_id, c.code, c.legal_name, o.currency, c.segment,
            u.display_name as owner_name, c.strategic,
            sum(o.open)::int8 as overdue_minor,
            max(${asOf}::date - o.due_on)::int4 as max_days,
            row_number() over (partition by o.currency order by sum(o.open) desc, c.code) as rank
          from ${openAsOf(asOf)} as o
          join customers c on c.id = o.customer_id
          left join users u on u.id = c.owner_user_id
          where o.open > 0 and not o.disputed and o.due_on < ${asOf}::date
            and ${sql.join(filters, sql` and `)}
          group by c.id, c.code, c.legal_name, o.currency, c.segment, u.display_name, c.strategic
        ) as ranked
        where rank <= ${limit}
        order by currency, overdue_minor desc, code`.execute(db);
      return rows.map(
        (r): OverdueCustomerRow => ({
          customerId: r.customer_id,
          code: r.code,
          legalName: r.legal_name,
          currency: r.currency.trim(),
          segment: r.segment,
          ownerName: r.owner_name,
          strategic: r.strategic,
          overdueMinor: Number(r.overdue_minor),
          maxDaysOverdue: r.max_days,
        }),
      );
    },
  };
}
