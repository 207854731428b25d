import { type Kysely, type RawBuilder, sql } from 'kysely';
import type {
  CollectionsRepository,
  DunningInvoiceRow,
  PromiseListRow,
  PromiseRow,
} from '../app/collections-ports.ts';
import type { IsoDate } from '../domain/dates.ts';
import { money } from '../domain/money.ts';
import type { DB } from './schema.ts';
import { unnest } from './sql-arrays.ts';

/** The day a promise was given, in the time zone: its contact's time, else its creation. */
function madeOn(timeZone: string): RawBuilder<IsoDate> {
  return sql<IsoDate>`(coalesce(k.contacted_at, p.created_at) at time zone ${timeZone})::date`;
}

/** A promise still pending at the end of `asOf`: made by then and not resolved by then. */
function pendingAsOf(asOf: IsoDate, timeZone: string): RawBuilder<boolean> {
  return sql<boolean>`(p.status = 'pending' or (p.status in ('kept', 'broken') and p.resolved_on > ${asOf}::date))
    and ${madeOn(timeZone)} <= ${asOf}::date`;
}

function anyId(column: RawBuilder<unknown>, ids: readonly number[] | undefined) {
  return ids === undefined ? sql`` : sql` and ${column} = any(${sql.val([...ids])}::int8[])`;
}

type Status = PromiseRow['status'];

export function createCollectionsRepository(db: Kysely<DB>): CollectionsRepository {
  return {
    async promisesToEvaluate({ timeZone, customerIds }) {
      // Customers come from the partial index of pending promises; their promises from
      // promises_customer.
      const { rows } = await sql<{
        id: number;
        customer_id: number;
        currency: string;
        promised_on: IsoDate;
        amount_minor: number;
        made_on: IsoDate;
        status: Status;
      }>`
        with owing as (
          select distinct customer_id from promises
          where status = 'pending'${anyId(sql`customer_id`, customerIds)}
        ),
        candidates as (
          select p.id, p.customer_id, p.currency, p.promised_on, p.amount_minor, p.status,
            ${madeOn(timeZone)} as made_on
          from promises p
          join owing o on o.customer_id = p.customer_id
          left join contacts k on k.id = p.contact_id
          where p.status in ('pending', 'kept', 'broken')
        ),
        since as (
          select customer_id, currency, min(least(made_on, promised_on)) as since
          from candidates where status = 'pending' group by customer_id, currency
        )
        select c.id, c.customer_id, c.currency, c.promised_on, c.amount_minor, c.status,
          c.made_on
        from candidates c
        join since s on s.customer_id = c.customer_id and s.currency = c.currency
        where c.status = 'pending' or c.promised_on >= s.since
        order by c.customer_id, c.promised_on, c.id`.execute(db);
      return rows.map((r) => ({
        id: r.id,
        customerId: r.customer_id,
        currency: r.currency,
        promisedOn: r.promised_on,
        amountMinor: r.amount_minor,
        madeOn: r.made_on,
        status: r.status,
      }));
    },

    async paymentsSince({ customers, until }) {
      if (customers.length === 0) return [];
      const wanted = unnest([
        ['int8', customers.map((c) => c.customerId)],
        ['date', customers.map((c) => c.since)],
      ]);
      const { rows } = await sql<{
        customer_id: number;
        currency: string;
        received_on: IsoDate;
        amount_minor: number;
      }>`
        select p.customer_id, p.currency, p.received_on, p.amount_minor
        from ${wanted} as w (customer_id, since)
        join payments p on p.customer_id = w.customer_id
          and p.received_on >= w.since and p.received_on <= ${until}::date
        order by p.customer_id, p.received_on, p.id`.execute(db);
      return rows.map((r) => ({
        customerId: r.customer_id,
        currency: r.currency,
        receivedOn: r.received_on,
        amountMinor: r.amount_minor,
      }));
    },

    async resolvePromises(changes) {
      if (changes.length === 0) return [];
      const values = unnest([
        ['int8', changes.map((c) => c.id)],
        ['text', changes.map((c) => c.status)],
        ['date', changes.map((c) => c.resolvedOn)],
      ]);
      // Only a pending promise moves: a second run, or another replica, changes nothing.
      const { rows } = await sql<{ id: number }>`
        update promises p
        set status = v.status, resolved_on = v.resolved_on, updated_at = now()
        from ${values} as v (id, status, resolved_on)
        where p.id = v.id and p.status = 'pending'
        returning p.id`.execute(db);
      return rows.map((r) => r.id).sort((a, b) => a - b);
    },

    async dunningCustomers({ asOf, timeZone, currency, customerIds }) {
      // Open as of asOf, like aging: open today plus what was paid after that date.
      const filters = sql`${currency === undefined ? sql`` : sql` and i.currency = ${currency}`}${anyId(sql`i.customer_id`, customerIds)}`;
      // The customers again, by id: the planner cannot tell how few rows `overdue` holds and
      // would otherwise hash the whole table to join one customer's invoices.
      const customers =
        customerIds === undefined ? sql`` : sql`where true${anyId(sql`c.id`, customerIds)}`;
      const { rows } = await sql<{
        id: number;
        code: string;
        legal_name: string;
        currency: string;
        segment: string;
        strategic: boolean;
        promised_until: IsoDate | null;
        invoices: DunningInvoiceRow[];
      }>`
        with later as (
          select invoice_id, sum(amount_minor) as paid_later
          from payment_allocations where applied_on > ${asOf}::date group by invoice_id
        ),
        overdue as (
          select i.id, i.customer_id, i.number, i.due_on, i.currency, i.disputed,
            i.open_amount_minor + coalesce(l.paid_later, 0) as open
          from invoices i left join later l on l.invoice_id = i.id
          where i.open_amount_minor > 0 and i.due_on < ${asOf}::date
            and i.issued_on <= ${asOf}::date${filters}
          union all
          select i.id, i.customer_id, i.number, i.due_on, i.currency, i.disputed, l.paid_later
          from later l join invoices i on i.id = l.invoice_id
          where i.open_amount_minor = 0 and i.due_on < ${asOf}::date
            and i.issued_on <= ${asOf}::date${filters}
        ),
        promised as (
          select p.customer_id, max(p.promised_on) as promised_until
          from promises p left join contacts k on k.id = p.contact_id
          where p.customer_id in (select customer_id from overdue) and ${pendingAsOf(asOf, timeZone)}
          group by p.customer_id
        )
        select c.id, c.code, c.legal_name, c.currency, c.segment, c.strategic,
          pr.promised_until,
          jsonb_agg(jsonb_build_object(
            'id', o.id, 'number', o.number, 'dueOn', o.due_on, 'openMinor', o.open,
            'currency', o.currency, 'disputed', o.disputed
          ) order by o.due_on, o.id) as invoices
        from overdue o
        join customers c on c.id = o.customer_id
        left join promised pr on pr.customer_id = c.id
        ${customers}
        group by c.id, pr.promised_until
        order by c.code`.execute(db);
      return rows.map((r) => ({
        customerId: r.id,
        code: r.code,
        legalName: r.legal_name,
        currency: r.currency,
        segment: r.segment,
        strategic: r.strategic,
        pendingPromiseUntil: r.promised_until ?? undefined,
        invoices: (typeof r.invoices === 'string' ? JSON.parse(r.invoices) : r.invoices).map(
          (i: DunningInvoiceRow) => ({ ...i, id: Number(i.id), openMinor: Number(i.openMinor) }),
        ),
      }));
    },

    async promisedUntil({ asOf, timeZone }) {
      const { rows } = await sql<{ customer_id: number; promised_until: IsoDate }>`
        select p.customer_id, max(p.promised_on) as promised_until
        from promises p left join contacts k on k.id = p.contact_id
        where ${pendingAsOf(asOf, timeZone)}
        group by p.customer_id`.execute(db);
      return new Map(rows.map((r) => [r.customer_id, r.promised_until]));
    },

    async promiseList({ asOf, resolvedFrom, timeZone, currency }) {
      const own = currency === undefined ? sql`` : sql` and p.currency = ${currency}`;
      const { rows } = await sql<{
        id: number;
        customer_id: number;
        code: string;
        legal_name: string;
        promised_on: IsoDate;
        amount_minor: number;
        currency: string;
        made_on: IsoDate;
        status: Status;
        resolved_on: IsoDate | null;
        actor_label: string | null;
      }>`
        select p.id, p.customer_id, c.code, c.legal_name, p.promised_on, p.amount_minor,
          p.currency, ${madeOn(timeZone)} as made_on, p.status, p.resolved_on, k.actor_label
        from promises p
        join customers c on c.id = p.customer_id
        left join contacts k on k.id = p.contact_id
        where ${madeOn(timeZone)} <= ${asOf}::date${own}
          and (p.status = 'pending'
            or (p.status in ('kept', 'broken') and p.resolved_on >= ${resolvedFrom}::date))
        order by p.promised_on, c.code, p.id`.execute(db);
      return rows.map(
        (r): PromiseListRow => ({
          id: r.id,
          customerId: r.customer_id,
          code: r.code,
          legalName: r.legal_name,
          promisedOn: r.promised_on,
          amount: money(r.amount_minor, r.currency),
          madeOn: r.made_on,
          status: r.status,
          resolvedOn: r.resolved_on ?? undefined,
          actorLabel: r.actor_label ?? undefined,
        }),
      );
    },
  };
}
