import { type Kysely, sql } from 'kysely';

// Bureau reports (TDB, TSR, RiskMonster, …) as they arrive, one row per report. The
// scorecard reads the latest report of a customer as the bureau inputs of a new assessment,
// so a report can be stored before anyone scores it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table credit_reports (
      id bigint generated always as identity primary key,
      source text not null,
      source_report_id text not null,
      customer_id bigint not null references customers (id) on delete cascade,
      reported_on date not null,
      bureau_score integer,
      grade text,
      pd double precision check (pd >= 0 and pd <= 1),
      currency char(3),
      capital_minor bigint,
      revenue_minor bigint,
      employees integer check (employees >= 0),
      founded_on date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (source, source_report_id)
    )`.execute(db);
  await sql`create index credit_reports_customer on credit_reports (customer_id, reported_on desc)`.execute(
    db,
  );
  await upAllocationsByDate(db);
}

// Aging as of a past date adds back what was paid after it; this finds those allocations
// without touching the rest of the history.
async function upAllocationsByDate(db: Kysely<unknown>): Promise<void> {
  await sql`create index payment_allocations_applied on payment_allocations (applied_on)
    include (invoice_id, amount_minor)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists payment_allocations_applied`.execute(db);
  await sql`drop table if exists credit_reports`.execute(db);
}
