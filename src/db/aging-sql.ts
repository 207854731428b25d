import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { AgingRow } from '../app/ports.ts';
import type { AgingBucket } from '../domain/aging.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { DB } from './schema.ts';

/** days-past-due filter for one bucket: `asOf - due_on` between its edges, inclusive. */
function bucketFilter(asOf: IsoDate, bucket: AgingBucket) {
  const days = sql`(${asOf}::date - due_on)`;
  if (bucket.key === 'current') return sql`${days} <= 0`;
  if (bucket.toDays === undefined) return sql`${days} >= ${bucket.fromDays}`;
  return sql`${days} between ${bucket.fromDays} and ${bucket.toDays}`;
}

/**
 * The open invoices as they stood at the end of `asOf`: today's open amount plus what was
 * paid after that date. Only invoices open now or paid after the date can be open then, and
 * both sets come from indexes (the open-invoice partial index, allocations by date).
 */
export function openAsOf(asOf: IsoDate, customerId?: number): RawBuilder<unknown> {
  const own = customerId === undefined ? sql`` : sql` and i.customer_id = ${customerId}`;
  return sql`
    (with later as (
       select invoice_id, sum(amount_minor) as paid_later
       from payment_allocations where applied_on > ${asOf}::date group by invoice_id
     )
     select i.customer_id, i.currency, i.due_on, i.disputed,
       i.open_amount_minor + coalesce(l.paid_later, 0) as open
     from invoices i left join later l on l.invoice_id = i.id
     where i.open_amount_minor > 0 and i.issued_on <= ${asOf}::date${own}
     union all
     select i.customer_id, i.currency, i.due_on, i.disputed, l.paid_later as open
     from later l join invoices i on i.id = l.invoice_id
     where i.open_amount_minor = 0 and i.issued_on <= ${asOf}::date${own})`;
}

interface AgingQueryRow {
  currency: string;
  bucket_minor: number[];
  bucket_count: number[];
  disputed_minor: number;
  disputed_count: number;
  max_days: number | null;
}

/**
 * Open receivables as they stood at the end of `asOf`, per currency, dispute flag and due date:
 * `open` minor units and `invoices` (each invoice counted once). Today's open amounts are summed
 * from the open-invoice index alone, in due-date order, without the table or a join; what was
 * paid after the date is added on the invoices it was paid on, and an invoice paid off since
 * then counts there. The portfolio aging is this plus a few thousand rows of bucketing, so it
 * costs little more than summing the open amounts (docs/performance.md, "Digest").
 */
export function openByDueDate(
  asOf: IsoDate,
  filters: { readonly customerId?: number | undefined; readonly currency?: string | undefined },
): RawBuilder<unknown> {
  const own = (alias: string) =>
    sql`${filters.customerId === undefined ? sql`` : sql` and ${sql.ref(`${alias}.customer_id`)} = ${filters.customerId}`}${
      filters.currency === undefined
        ? sql``
        : sql` and ${sql.ref(`${alias}.currency`)} = ${filters.currency}`
    }`;
  return sql`
    (select i.currency, i.disputed, i.due_on, sum(i.open_amount_minor) as open,
       count(*) as invoices
     from invoices i
     where i.open_amount_minor > 0 and i.issued_on <= ${asOf}::date${own('i')}
     group by i.currency, i.disputed, i.due_on
     union all
     select i.currency, i.disputed, i.due_on, l.paid_later as open,
       case when i.open_amount_minor = 0 then 1 else 0 end as invoices
     from (
       select invoice_id, sum(amount_minor) as paid_later
       from payment_allocations where applied_on > ${asOf}::date group by invoice_id
     ) as l
     join invoices i on i.id = l.invoice_id
     where i.issued_on <= ${asOf}::date${own('i')})`;
}

/**
 * Aging per currency in one aggregate: amounts and counts per bucket, disputed invoices
 * summed apart (never in a bucket), and the oldest undisputed days past due.
 */
export async function agingByCurrency(
  db: Kysely<DB>,
  input: {
    readonly asOf: IsoDate;
    readonly buckets: readonly AgingBucket[];
    readonly customerId?: number;
    readonly currency?: string;
  },
): Promise<{ rows: AgingRow[]; maxDaysOverdue: number }> {
  const { asOf, buckets } = input;
  const undisputed = (b: AgingBucket) => sql`not disputed and ${bucketFilter(asOf, b)}`;
  const sums = buckets.map((b) => sql`coalesce(sum(open) filter (where ${undisputed(b)}), 0)`);
  const counts = buckets.map(
    (b) => sql`coalesce(sum(invoices) filter (where ${undisputed(b)}), 0)`,
  );
  const result = await sql<AgingQueryRow>`
    select currency,
      array[${sql.join(sums)}]::int8[] as bucket_minor,
      array[${sql.join(counts)}]::int8[] as bucket_count,
      coalesce(sum(open) filter (where disputed), 0)::int8 as disputed_minor,
      coalesce(sum(invoices) filter (where disputed), 0)::int8 as disputed_count,
      max(${asOf}::date - due_on) filter (where not disputed) as max_days
    from ${openByDueDate(asOf, input)} as o
    group by currency
    order by currency`.execute(db);
  const rows = result.rows.map((r) => ({
    currency: r.currency,
    bucketMinor: r.bucket_minor,
    bucketCount: r.bucket_count,
    disputedMinor: r.disputed_minor,
    disputedCount: r.disputed_count,
  }));
  return { rows, maxDaysOverdue: Math.max(0, ...result.rows.map((r) => r.max_days ?? 0)) };
}
