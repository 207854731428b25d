import { type Kysely, sql } from 'kysely';
import type { ReportRepository } from '../app/reports.ts';
import { agingByCurrency } from './aging-sql.ts';
import { paymentBehaviourByCustomer } from './payment-behaviour-sql.ts';
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
        select c.code, b.settled, b.late, b.days
        from ${paymentBehaviourByCustomer({ from, to })} as b
        join customers c on c.id = b.customer_id
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
