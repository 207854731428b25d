import { type Kysely, sql } from 'kysely';

// Portfolio aging (the digest, `report aging`, the daily snapshot) sums the open invoices per
// currency, dispute flag and due date. In that order, from an index that holds only open
// invoices and the columns the sum needs, it is a streamed aggregate over the index alone:
// about a bare scan of the open amounts, where the per-customer index needed a hash
// aggregate and, for the join of later payments, the table itself. Its cost on imports is
// that of the open invoices only.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index invoices_open_by_currency on invoices (currency, disputed, due_on)
      include (open_amount_minor, issued_on) where open_amount_minor > 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists invoices_open_by_currency`.execute(db);
}
