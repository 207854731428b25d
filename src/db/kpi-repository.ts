import { type Kysely, sql } from 'kysely';
import type { KpiInputRow, KpiRepository, KpiWindows } from '../app/kpi-ports.ts';
import { addDays } from '../domain/dates.ts';
import { openByDueDate } from './aging-sql.ts';
import type { DB } from './schema.ts';

interface KpiQueryRow {
  currency: string;
  ar: number;
  current_ar: number;
  beginning_ar: number;
  sales: number;
  cei_sales: number;
  months: string[] | null;
  month_sales: number[] | null;
  collected: number;
  settled: number;
  late: number;
  days_late: number;
  weighted_days_late: string;
  settled_amount: number;
}

/**
 * Every KPI input of every currency in one statement (one snapshot): open receivables as of
 * the date and as of the day before the CEI window (the aging report's sums, `openByDueDate`),
 * credit sales per month with the DSO and CEI windows summed in the same scan, allocations
 * applied in the CEI window, and sums over invoices settled in the last 12 months.
 */
async function kpiInputs(
  db: Kysely<DB>,
  w: KpiWindows & { readonly currency?: string },
): Promise<KpiInputRow[]> {
  const only = (column: string) =>
    w.currency === undefined ? sql`` : sql` and ${sql.ref(column)} = ${w.currency}`;
  const asOf = sql`${w.asOf}::date`;
  const salesFrom = [w.countbackFrom, w.dsoFrom, w.ceiFrom].sort()[0] ?? w.countbackFrom;
  const { rows } = await sql<KpiQueryRow>`
    with ar as (
      select currency, sum(open)::int8 as ar,
        coalesce(sum(open) filter (where due_on >= ${asOf}), 0)::int8 as current_ar
      from ${openByDueDate(w.asOf, { currency: w.currency })} as o
      group by currency
    ), beginning as (
      select currency, sum(open)::int8 as ar
      from ${openByDueDate(addDays(w.ceiFrom, -1), { currency: w.currency })} as o
      group by currency
    ), by_month as (
      select currency, date_trunc('month', issued_on)::date as month,
        sum(amount_minor) as total,
        coalesce(sum(amount_minor) filter (where issued_on >= ${w.dsoFrom}::date), 0) as dso,
        coalesce(sum(amount_minor) filter (where issued_on >= ${w.ceiFrom}::date), 0) as cei
      from invoices
      where issued_on between ${salesFrom}::date and ${asOf}${only('currency')}
      group by currency, month
    ), sales as (
      select currency, sum(dso)::int8 as sales, sum(cei)::int8 as cei_sales,
        array_agg(to_char(month, 'YYYY-MM') order by month desc)
          filter (where month >= ${w.countbackFrom}::date) as months,
        array_agg(total::int8 order by month desc)
          filter (where month >= ${w.countbackFrom}::date) as month_sales
      from by_month
      group by currency
    ), collected as (
      select i.currency, sum(a.amount_minor)::int8 as collected
      from payment_allocations a join invoices i on i.id = a.invoice_id
      where a.applied_on between ${w.ceiFrom}::date and ${asOf}${only('i.currency')}
      group by i.currency
    ), settled as (
      select currency, count(*)::int8 as settled,
        count(*) filter (where settled_on > due_on)::int8 as late,
        sum(greatest(0, settled_on - due_on))::int8 as days_late,
        sum(greatest(0, settled_on - due_on)::numeric * amount_minor)::text as weighted_days_late,
        sum(amount_minor)::int8 as settled_amount
      from invoices
      where open_amount_minor = 0 and settled_on between ${w.latenessFrom}::date and ${asOf}${only('currency')}
      group by currency
    ), currencies as (
      select currency from ar union select currency from beginning
      union select currency from sales union select currency from collected
      union select currency from settled
    )
    select c.currency,
      coalesce(ar.ar, 0)::int8 as ar, coalesce(ar.current_ar, 0)::int8 as current_ar,
      coalesce(b.ar, 0)::int8 as beginning_ar,
      coalesce(s.sales, 0)::int8 as sales, coalesce(s.cei_sales, 0)::int8 as cei_sales,
      s.months, s.month_sales,
      coalesce(k.collected, 0)::int8 as collected,
      coalesce(d.settled, 0)::int8 as settled, coalesce(d.late, 0)::int8 as late,
      coalesce(d.days_late, 0)::int8 as days_late,
      coalesce(d.weighted_days_late, '0') as weighted_days_late,
      coalesce(d.settled_amount, 0)::int8 as settled_amount
    from currencies c
    left join ar on ar.currency = c.currency
    left join beginning b on b.currency = c.currency
    left join sales s on s.currency = c.currency
    left join collected k on k.currency = c.currency
    left join settled d on d.currency = c.currency
    order by c.currency`.execute(db);
  return rows.map((r) => ({
    currency: r.currency,
    arMinor: r.ar,
    currentArMinor: r.current_ar,
    beginningArMinor: r.beginning_ar,
    salesMinor: r.sales,
    ceiSalesMinor: r.cei_sales,
    collectedMinor: r.collected,
    monthlySalesMinor: new Map(
      (r.months ?? []).map((month, i) => [month, r.month_sales?.[i] ?? 0] as const),
    ),
    settled: {
      invoices: r.settled,
      lateInvoices: r.late,
      totalDaysLate: r.days_late,
      weightedDaysLate: BigInt(r.weighted_days_late),
      totalAmountMinor: r.settled_amount,
    },
  }));
}

export function createKpiRepository(db: Kysely<DB>): KpiRepository {
  return { inputs: (windows) => kpiInputs(db, windows) };
}
