import { type Kysely, sql } from 'kysely';
import type { ExistingInvoice, InvoiceInput, UpsertCounts } from '../app/ingest/records.ts';
import { copyRows, csvText, csvValue } from './copy.ts';
import type { DB } from './schema.ts';
import { unnest } from './sql-arrays.ts';

/** The stored invoices among `externalIds`, one index probe each. */
export async function existingInvoices(
  db: Kysely<DB>,
  externalIds: readonly string[],
): Promise<Map<string, ExistingInvoice>> {
  if (externalIds.length === 0) return new Map();
  const { rows } = await sql<{
    external_id: string;
    customer_id: number;
    number: string;
    issued_on: string;
    due_on: string;
    currency: string;
    amount_minor: number;
    open_amount_minor: number;
    disputed: boolean;
    settled_on: string | null;
  }>`
    select external_id, customer_id, number, issued_on, due_on, currency, amount_minor,
      open_amount_minor, disputed, settled_on
    from invoices where external_id = any(${sql.val(externalIds)}::text[])`.execute(db);
  return new Map(
    rows.map((r) => [
      r.external_id,
      {
        customerId: r.customer_id,
        number: r.number,
        issuedOn: r.issued_on,
        dueOn: r.due_on,
        currency: r.currency.trim(),
        amount: r.amount_minor,
        openAmount: r.open_amount_minor,
        disputed: r.disputed,
        settledOn: r.settled_on ?? undefined,
      },
    ]),
  );
}

/** What an update leaves open: the source's open amount, else the new amount less what is paid. */
function openAfter(row: InvoiceInput, stored: ExistingInvoice): number {
  if (row.openAmount !== undefined) return row.openAmount;
  return Math.max(0, row.amount - (stored.amount - stored.openAmount));
}

function unchanged(row: InvoiceInput, stored: ExistingInvoice): boolean {
  return (
    stored.customerId === row.customerId &&
    stored.number === row.number &&
    stored.issuedOn === row.issuedOn &&
    stored.dueOn === row.dueOn &&
    stored.currency === row.currency &&
    stored.amount === row.amount &&
    stored.openAmount === openAfter(row, stored) &&
    stored.disputed === row.disputed &&
    stored.settledOn === row.settledOn
  );
}

// Imports of invoices are serialised: rows found new by the probe are copied in without a
// conflict check, so no other writer may add the same external id in between.
const INVOICE_WRITERS_LOCK = sql`select pg_advisory_xact_lock(hashtext('creditops:invoice-writers'))`;

/**
 * Inserts new invoices, updates changed ones, leaves identical ones alone (so a re-import
 * reports 0 inserted, 0 updated). New rows go in by COPY — the same path, and nearly the same
 * cost, as a bulk load; changed rows by one UPDATE over arrays. `existing` is the probe the
 * caller already made (see `existingInvoices`); it must cover every row.
 */
export async function upsertInvoices(
  db: Kysely<DB>,
  rows: readonly InvoiceInput[],
  existing: ReadonlyMap<string, ExistingInvoice>,
): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  await INVOICE_WRITERS_LOCK.execute(db);
  const fresh: string[] = [];
  const changed: (InvoiceInput & { open: number })[] = [];
  for (const row of rows) {
    const stored = existing.get(row.externalId);
    if (!stored) {
      fresh.push(
        [
          csvText(row.externalId),
          row.customerId,
          csvText(row.number),
          row.issuedOn,
          row.dueOn,
          row.currency,
          row.amount,
          row.openAmount ?? row.amount,
          row.disputed,
          csvValue(row.settledOn),
        ].join(','),
      );
    } else if (!unchanged(row, stored)) {
      changed.push({ ...row, open: openAfter(row, stored) });
    }
  }
  await copyRows(
    db,
    `COPY invoices (external_id, customer_id, number, issued_on, due_on, currency, amount_minor,
      open_amount_minor, disputed, settled_on) FROM STDIN WITH (FORMAT csv)`,
    fresh.length > 0 ? `${fresh.join('\n')}\n` : '',
  );
  if (changed.length > 0) {
    await sql`
      update invoices i set customer_id = v.c, number = v.n, issued_on = v.iss, due_on = v.due,
        currency = v.cur, amount_minor = v.amt, open_amount_minor = v.op, disputed = v.dis,
        settled_on = v.st, updated_at = now()
      from ${unnest([
        ['text', changed.map((r) => r.externalId)],
        ['int8', changed.map((r) => r.customerId)],
        ['text', changed.map((r) => r.number)],
        ['date', changed.map((r) => r.issuedOn)],
        ['date', changed.map((r) => r.dueOn)],
        ['text', changed.map((r) => r.currency)],
        ['int8', changed.map((r) => r.amount)],
        ['int8', changed.map((r) => r.open)],
        ['bool', changed.map((r) => r.disputed)],
        ['date', changed.map((r) => r.settledOn ?? null)],
      ])} as v(e, c, n, iss, due, cur, amt, op, dis, st)
      where i.external_id = v.e`.execute(db);
  }
  await recordSettlements(
    db,
    rows.filter((r) => r.settledOn).map((r) => r.externalId),
  );
  return { inserted: fresh.length, updated: changed.length };
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
