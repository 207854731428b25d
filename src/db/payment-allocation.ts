import { type Kysely, sql } from 'kysely';
import type { PaymentInput, UpsertCounts } from '../app/ingest/records.ts';
import type { DB } from './schema.ts';

interface OpenInvoice {
  id: number;
  open_amount_minor: number;
}

async function openInvoices(
  db: Kysely<DB>,
  p: PaymentInput & { id: number },
): Promise<OpenInvoice[]> {
  // The named invoice first, then the oldest open ones: how a collector would apply it.
  const { rows } = await sql<OpenInvoice>`
    select id, open_amount_minor from invoices
    where customer_id = ${p.customerId} and currency = ${p.currency} and open_amount_minor > 0
    order by (number = ${p.invoiceNumber ?? null}) is true desc, due_on, issued_on, id
    for update`.execute(db);
  return rows;
}

async function allocate(db: Kysely<DB>, payment: PaymentInput & { id: number }): Promise<void> {
  let remaining = payment.amount;
  const applied: { invoiceId: number; amount: number }[] = [];
  for (const invoice of await openInvoices(db, payment)) {
    if (remaining === 0) break;
    const amount = Math.min(remaining, invoice.open_amount_minor);
    applied.push({ invoiceId: invoice.id, amount });
    remaining -= amount;
  }
  if (applied.length > 0) {
    await db
      .insertInto('payment_allocations')
      .values(
        applied.map((a) => ({
          payment_id: payment.id,
          invoice_id: a.invoiceId,
          amount_minor: a.amount,
          applied_on: payment.receivedOn,
        })),
      )
      .execute();
    await sql`
      update invoices i set open_amount_minor = i.open_amount_minor - v.amount,
        settled_on = case when i.open_amount_minor = v.amount then ${payment.receivedOn}::date else i.settled_on end,
        updated_at = now()
      from unnest(${sql.val(applied.map((a) => a.invoiceId))}::int8[], ${sql.val(applied.map((a) => a.amount))}::int8[]) as v(id, amount)
      where i.id = v.id`.execute(db);
  }
  await db
    .updateTable('payments')
    .set({ unallocated_minor: remaining })
    .where('id', '=', payment.id)
    .execute();
}

/** Gives a changed payment's money back to the invoices it had paid, before re-applying it. */
async function reverse(db: Kysely<DB>, paymentId: number): Promise<void> {
  await sql`
    with gone as (delete from payment_allocations where payment_id = ${paymentId} returning invoice_id, amount_minor)
    update invoices i set open_amount_minor = i.open_amount_minor + g.amount, settled_on = null, updated_at = now()
    from (select invoice_id, sum(amount_minor) as amount from gone group by invoice_id) g
    where i.id = g.invoice_id`.execute(db);
}

/**
 * Upserts payments by external id and applies each new or changed one to open invoices of the
 * same customer and currency; what cannot be applied stays unallocated on the payment.
 */
export async function allocatePayments(
  db: Kysely<DB>,
  rows: readonly PaymentInput[],
): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const existing = await db
    .selectFrom('payments')
    .select([
      'id',
      'external_id',
      'customer_id',
      'received_on',
      'currency',
      'amount_minor',
      'reference',
    ])
    .where(
      'external_id',
      'in',
      rows.map((r) => r.externalId),
    )
    .execute();
  const byKey = new Map(existing.map((p) => [p.external_id, p]));
  let inserted = 0;
  let updated = 0;
  for (const row of rows) {
    const old = byKey.get(row.externalId);
    const reference = row.reference ?? null;
    const values = {
      customer_id: row.customerId,
      received_on: row.receivedOn,
      currency: row.currency,
      amount_minor: row.amount,
      reference,
    };
    if (old) {
      const same =
        old.customer_id === row.customerId &&
        old.received_on === row.receivedOn &&
        old.currency === row.currency &&
        old.amount_minor === row.amount &&
        old.reference === reference;
      if (same) continue;
      await reverse(db, old.id);
      await db.updateTable('payments').set(values).where('id', '=', old.id).execute();
      await allocate(db, { ...row, id: old.id });
      updated += 1;
    } else {
      const { id } = await db
        .insertInto('payments')
        .values({ external_id: row.externalId, ...values })
        .returning('id')
        .executeTakeFirstOrThrow();
      await allocate(db, { ...row, id });
      inserted += 1;
    }
  }
  return { inserted, updated };
}
