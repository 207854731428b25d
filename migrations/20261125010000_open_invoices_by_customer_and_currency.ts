import { type Kysely, sql } from 'kysely';

// A customer's aging (the `/credit` card) sums its open invoices per currency, dispute flag and
// due date. Keyed in that order after the customer, the open-invoice index hands them over in
// those groups, so the sums stream from the index alone; keyed by due date, the planner hashed
// every open invoice of the customer into its group first (a customer with 4,000 open invoices:
// 1.4–1.6 ms against 0.8–0.95 ms now, prepared, on the server). The same columns are covered,
// so every index-only scan of the old index is one of this index too.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists invoices_open_by_customer`.execute(db);
  await sql`
    create index invoices_open_by_customer on invoices (customer_id, currency, disputed, due_on)
      include (open_amount_minor, issued_on) where open_amount_minor > 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists invoices_open_by_customer`.execute(db);
  await sql`
    create index invoices_open_by_customer on invoices (customer_id, due_on)
      include (open_amount_minor, currency, disputed, issued_on) where open_amount_minor > 0`.execute(
    db,
  );
}
