import { type Kysely, sql } from 'kysely';

// Approvals as the policy routes them: the steps (who may approve each) are copied from the
// policy when the request is made, so a policy change never moves a request in flight. One
// pending request per customer and kind: a double click cannot ask twice.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table approval_requests
      add column current_step smallint not null default 0,
      add column steps jsonb not null default '[]',
      add column notify_owner boolean not null default false,
      add column decided_by_user_id bigint references users (id) on delete set null,
      add column source text not null default 'chat' check (source in ('chat', 'proposal')),
      add column platform text`.execute(db);
  await sql`
    create unique index approval_requests_one_pending
      on approval_requests (customer_id, kind) where status = 'pending'`.execute(db);
  await sql`alter table approval_decisions add column step smallint not null default 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists approval_requests_one_pending`.execute(db);
  await sql`alter table approval_decisions drop column if exists step`.execute(db);
  await sql`
    alter table approval_requests
      drop column if exists current_step,
      drop column if exists steps,
      drop column if exists notify_owner,
      drop column if exists decided_by_user_id,
      drop column if exists source,
      drop column if exists platform`.execute(db);
}
