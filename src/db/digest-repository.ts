import { type Kysely, sql } from 'kysely';
import type { DigestRepository, OverdueCustomer } from '../app/digest-ports.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { DB } from './schema.ts';

interface OverdueQueryRow {
  customer_id: number;
  code: string;
  legal_name: string;
  currency: string;
  segment: string;
  owner_user_id: number | null;
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
        from ${undisputedOpenParts(asOf, { overdue: false })} as o
        group by currency`.execute(db);
      return new Map(rows.map((r) => [r.currency.trim(), r.customers]));
    },

    async overdueCustomers(asOf) {
      const { rows } = await sql<OverdueQueryRow>`
        select c.id as customer_id, c.code, c.legal_name, o.currency, c.segment,
          c.owner_user_id, u.display_name as owner_name, c.strategic,
          o.overdue_minor, o.max_days
        from ${overdueByCustomer(asOf)} as o
        join customers c on c.id = o.customer_id
        left join users u on u.id = c.owner_user_id
        order by o.currency, o.overdue_minor desc, c.code`.execute(db);
      return rows.map(
        (r): OverdueCustomer => ({
          customerId: r.customer_id,
          code: r.code,
          legalName: r.legal_name,
          currency: r.currency.trim(),
          segment: r.segment,
          ownerUserId: r.owner_user_id,
          ownerName: r.owner_name,
          strategic: r.strategic,
          overdueMinor: Number(r.overdue_minor),
          maxDaysOverdue: r.max_days,
        }),
      );
    },
  };
}

/**
 * The open, undisputed receivables at the end of `asOf` as parts (customer_id, currency,
 * due_on, open) that add up per invoice: like the aging (`openByDueDate`), today's open
 * amounts from the per-customer open-invoice index alone, plus what was paid after the date on
 * the invoices it was paid on, so an invoice open now has both parts and one paid off since the
 * second only. `overdue` keeps those past due as of the date.
 */
function undisputedOpenParts(asOf: IsoDate, options: { readonly overdue: boolean }) {
  const which = sql`not i.disputed and i.issued_on <= ${asOf}::date${
    options.overdue ? sql` and i.due_on < ${asOf}::date` : sql``
  }`;
  return sql`
    (select i.customer_id, i.currency, i.due_on, i.open_amount_minor as open
     from invoices i
     where i.open_amount_minor > 0 and ${which}
     union all
     select i.customer_id, i.currency, i.due_on, l.paid_later
     from (
       select invoice_id, sum(amount_minor) as paid_later
       from payment_allocations where applied_on > ${asOf}::date group by invoice_id
     ) as l
     join invoices i on i.id = l.invoice_id
     where ${which})`;
}

/** Per customer and currency, what is overdue as of the date and the oldest's days past due. */
function overdueByCustomer(asOf: IsoDate) {
  return sql`
    (select customer_id, currency, sum(open)::int8 as overdue_minor,
       (${asOf}::date - min(due_on))::int4 as max_days
     from ${undisputedOpenParts(asOf, { overdue: true })} as o
     group by customer_id, currency)`;
}
