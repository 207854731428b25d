import { type Kysely, sql } from 'kysely';

// Alerts that hold for a while (over the limit, high utilisation, a phase move proposed) fire
// once per episode: `cleared_on` records the day the condition was found gone, so the next
// time it holds is news again. Alerts a channel takes in batches wait in `alert_holds` until
// the hourly summary stamps them with its batch key, in the transaction that queues it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table alerts add column cleared_on date`.execute(db);
  await sql`
    create index alerts_open_conditions on alerts (customer_id, kind)
      where cleared_on is null and kind in ('over_limit', 'high_utilisation', 'phase_proposal')`.execute(
    db,
  );
  await sql`
    create table alert_holds (
      platform text not null,
      channel_external_id text not null,
      alert_id bigint not null references alerts (id) on delete cascade,
      held_at timestamptz not null,
      batch_key text,
      primary key (platform, channel_external_id, alert_id)
    )`.execute(db);
  await sql`
    create index alert_holds_waiting on alert_holds (platform, channel_external_id)
      where batch_key is null`.execute(db);
  await sql`create index alert_holds_batch on alert_holds (batch_key) where batch_key is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists alert_holds`.execute(db);
  await sql`drop index if exists alerts_open_conditions`.execute(db);
  await sql`alter table alerts drop column if exists cleared_on`.execute(db);
}
