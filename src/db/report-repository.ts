import { type Kysely, sql } from 'kysely';
import type { ReportRepository } from '../app/reports.ts';
import { agingByCurrency } from './aging-sql.ts';
import type { DB } from './schema.ts';

export function createReportRepository(db: Kysely<DB>): ReportRepository {
  return {
    async portfolioAging({ asOf, buckets, currency }) {
      const { rows } = await agingByCurrency(db, {
        asOf,
        buckets,
        ...(currency ? { currency } : {}),
      });
      return rows;
    },

    async paymentBehaviour({ from, to }) {
      const { rows } = await sql<{ code: string; settled: number; late: number; days: number }>`
        select c.code, count(*)::int8 as settled,
          count(*) filter (where i.settled_on > i.due_on)::int8 as late,
          coalesce(sum(greatest(0, i.settled_on - i.due_on)), 0)::int8 as days
        from invoices i join customers c on c.id = i.customer_id
        where i.settled_on is not null and i.open_amount_minor = 0
          and (${from ?? null}::date is null or i.settled_on >= ${from ?? null}::date)
          and (${to ?? null}::date is null or i.settled_on <= ${to ?? null}::date)
        group by c.code
        order by c.code`.execute(db);
      return rows.map((r) => ({
        customerCode: r.code,
        settledCount: r.settled,
        lateCount: r.late,
        totalDaysLate: r.days,
      }));
    },
  };
}
