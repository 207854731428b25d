import { type Kysely, sql } from 'kysely';
import type { InvoiceInput, UpsertCounts } from '../app/ingest/records.ts';
import type { DB } from './schema.ts';
import { unnest } from './sql-arrays.ts';

function columns(rows: readonly InvoiceInput[]) {
  return unnest([
    ['text', rows.map((r) => r.externalId)],
    ['int8', rows.map((r) => r.customerId)],
    ['text', rows.map((r) => r.number)],
    ['date', rows.map((r) => r.issuedOn)],
    ['date', rows.map((r) => r.dueOn)],
    ['text', rows.map((r) => r.currency)],
    ['int8', rows.map((r) => r.amount)],
    ['int8', rows.map((r) => r.openAmount ?? null)],
    ['bool', rows.map((r) => r.disputed)],
    ['date', rows.map((r) => r.settledOn ?? null)],
  ]);
}

/**
 * Inserts new invoices, updates changed ones, leaves identical ones alone (so a re-import
 * reports 0 inserted, 0 updated). Without an open amount from the source, an update keeps
 * what has been paid: open = new amount − paid so far.
 */
export async function upsertInvoices(
  db: Kysely<DB>,
  rows: readonly InvoiceInput[],
): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const { rows: inserted } = await sql<{ external_id: string }>`
    insert into invoices (external_id, customer_id, number, issued_on, due_on, currency,
      amount_minor, open_amount_minor, disputed, settled_on)
    select e, c, n, iss, due, cur, amt, coalesce(op, amt), dis, st
    from ${columns(rows)} as v(e, c, n, iss, due, cur, amt, op, dis, st)
    on conflict (external_id) do nothing
    returning external_id`.execute(db);
  // Only rows that already existed can have changed; a first import skips this statement.
  const fresh = new Set(inserted.map((r) => r.external_id));
  const existing = rows.filter((r) => !fresh.has(r.externalId));
  let updated = 0;
  if (existing.length > 0) {
    const open = sql`coalesce(v.op, greatest(0, v.amt - (i.amount_minor - i.open_amount_minor)))`;
    const result = await sql<{ external_id: string }>`
      update invoices i set customer_id = v.c, number = v.n, issued_on = v.iss, due_on = v.due,
        currency = v.cur, amount_minor = v.amt, open_amount_minor = ${open}, disputed = v.dis,
        settled_on = v.st, updated_at = now()
      from ${columns(existing)} as v(e, c, n, iss, due, cur, amt, op, dis, st)
      where i.external_id = v.e
        and (i.customer_id, i.number, i.issued_on, i.due_on, i.currency, i.amount_minor,
             i.open_amount_minor, i.disputed, i.settled_on)
          is distinct from (v.c, v.n, v.iss, v.due, v.cur, v.amt, ${open}, v.dis, v.st)
      returning i.external_id`.execute(db);
    updated = result.rows.length;
  }
  await recordSettlements(
    db,
    rows.filter((r) => r.settledOn).map((r) => r.externalId),
  );
  return { inserted: inserted.length, updated };
}

/**
 * An invoice the source reports as settled on a date is paid in full on that date: a
 * payment and an allocation record it, so aging as of any earlier date still sees it open.
 */
async function recordSettlements(db: Kysely<DB>, externalIds: readonly string[]): Promise<void> {
  if (externalIds.length === 0) return;
  const key = sql`'settled:' || d.external_id || ':' || d.settled_on::text || ':' || d.amt::text`;
  await sql`
    with d as (
      select id, customer_id, currency, open_amount_minor as amt, settled_on, external_id
      from invoices
      where external_id = any(${sql.val(externalIds)}::text[])
        and settled_on is not null and open_amount_minor > 0
      for update
    ), pay as (
      insert into payments (external_id, customer_id, received_on, currency, amount_minor, reference)
      select ${key}, d.customer_id, d.settled_on, d.currency, d.amt, 'settled in source' from d
      on conflict (external_id) do nothing
      returning id, external_id, amount_minor, received_on
    ), alloc as (
      insert into payment_allocations (payment_id, invoice_id, amount_minor, applied_on)
      select pay.id, d.id, pay.amount_minor, pay.received_on
      from pay join d on pay.external_id = ${key}
      returning invoice_id, amount_minor
    )
    update invoices i set open_amount_minor = i.open_amount_minor - a.amount_minor, updated_at = now()
    from alloc a where i.id = a.invoice_id`.execute(db);
}
