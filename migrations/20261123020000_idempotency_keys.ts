import { type Kysely, sql } from 'kysely';

// Idempotency-Key of the REST API, per actor (API token name). The row is inserted first in
// the transaction of the effect and filled with the answer before it commits, so the key is
// remembered exactly when the effect happened, on every replica.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table idempotency_keys (
      actor text not null,
      key text not null,
      request_hash text not null,
      status integer,
      body jsonb,
      created_at timestamptz not null default now(),
      primary key (actor, key)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists idempotency_keys`.execute(db);
}
