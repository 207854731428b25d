import { type Kysely, sql } from 'kysely';

// The whole credit domain in one first migration, so later work adds columns and indexes
// instead of rewriting tables. SQL is plain PostgreSQL 15 (the server) and also runs on
// PGlite (PostgreSQL 18). Money is bigint minor units next to an ISO 4217 code; business
// dates are `date`, instants `timestamptz`.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);

  await sql`
    create table settings (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table users (
      id bigint generated always as identity primary key,
      display_name text not null,
      role text not null default 'viewer'
        check (role in ('viewer', 'sales', 'collector', 'credit_manager', 'director', 'admin')),
      locale text check (locale in ('en', 'ja', 'zh')),
      timezone text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table platform_identities (
      id bigint generated always as identity primary key,
      user_id bigint not null references users (id) on delete cascade,
      platform text not null,
      external_id text not null,
      created_at timestamptz not null default now(),
      unique (platform, external_id)
    )`.execute(db);
  await sql`create index platform_identities_user on platform_identities (user_id)`.execute(db);

  await sql`
    create table customers (
      id bigint generated always as identity primary key,
      code text not null unique,
      external_id text unique,
      legal_name text not null,
      name_kana text,
      name_romaji text,
      name_pinyin text,
      country char(2) not null,
      currency char(3) not null,
      segment text not null default 'standard',
      owner_user_id bigint references users (id) on delete set null,
      payment_terms jsonb not null default '{"kind": "days_after_issue", "days": 30}',
      strategic boolean not null default false,
      blacklisted boolean not null default false,
      phase text not null default 'screening'
        check (phase in ('screening', 'ongoing', 'watch', 'incident')),
      credit_limit_minor bigint not null default 0 check (credit_limit_minor >= 0),
      credit_hold boolean not null default false,
      next_review_on date,
      alerts_due boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index customers_owner on customers (owner_user_id)`.execute(db);
  await sql`create index customers_review on customers (next_review_on)`.execute(db);
  await sql`create index customers_alerts_due on customers (id) where alerts_due`.execute(db);

  // Every way people write a customer's name, normalized once on write (NFKC, case, kana,
  // corporate suffixes), so look-ups are an index probe: exact, prefix or trigram.
  await sql`
    create table customer_names (
      id bigint generated always as identity primary key,
      customer_id bigint not null references customers (id) on delete cascade,
      kind text not null check (kind in ('code', 'legal', 'kana', 'romaji', 'pinyin', 'alias')),
      name text not null,
      normalized text not null,
      unique (customer_id, kind, normalized)
    )`.execute(db);
  await sql`create index customer_names_trgm on customer_names using gin (normalized gin_trgm_ops)`.execute(
    db,
  );
  await sql`create index customer_names_prefix on customer_names (normalized text_pattern_ops)`.execute(
    db,
  );
  await sql`create index customer_names_customer on customer_names (customer_id)`.execute(db);

  await sql`
    create table credit_assessments (
      id bigint generated always as identity primary key,
      customer_id bigint not null references customers (id) on delete cascade,
      assessed_at timestamptz not null default now(),
      scorecard_version text not null,
      score smallint not null check (score between 0 and 100),
      rating text not null check (rating in ('A', 'B', 'C', 'D', 'E')),
      pd double precision check (pd >= 0 and pd <= 1),
      currency char(3) not null,
      recommended_limit_minor bigint check (recommended_limit_minor >= 0),
      limit_components jsonb not null default '{}',
      inputs jsonb not null default '{}',
      contributions jsonb not null default '[]',
      source text not null default 'manual',
      actor text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index credit_assessments_latest on credit_assessments (customer_id, assessed_at desc, id desc)`.execute(
    db,
  );

  await sql`
    create table invoices (
      id bigint generated always as identity primary key,
      external_id text not null unique,
      customer_id bigint not null references customers (id) on delete cascade,
      number text not null,
      issued_on date not null,
      due_on date not null,
      currency char(3) not null,
      amount_minor bigint not null check (amount_minor >= 0),
      open_amount_minor bigint not null
        check (open_amount_minor >= 0 and open_amount_minor <= amount_minor),
      disputed boolean not null default false,
      settled_on date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  // Aging reads only open invoices; one partial index keeps them small as history grows and
  // serves both the customer card (by customer) and portfolio aging (a scan of the index).
  // Every index costs imports, so there is none without a query that needs it.
  await sql`
    create index invoices_open_by_customer on invoices (customer_id, due_on)
      include (open_amount_minor, currency, disputed, issued_on) where open_amount_minor > 0`.execute(
    db,
  );
  await sql`create index invoices_customer_number on invoices (customer_id, number)`.execute(db);

  await sql`
    create table payments (
      id bigint generated always as identity primary key,
      external_id text not null unique,
      customer_id bigint not null references customers (id) on delete cascade,
      received_on date not null,
      currency char(3) not null,
      amount_minor bigint not null check (amount_minor > 0),
      unallocated_minor bigint not null default 0 check (unallocated_minor >= 0),
      reference text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index payments_customer on payments (customer_id, received_on)`.execute(db);

  await sql`
    create table payment_allocations (
      id bigint generated always as identity primary key,
      payment_id bigint not null references payments (id) on delete cascade,
      invoice_id bigint not null references invoices (id) on delete cascade,
      amount_minor bigint not null check (amount_minor > 0),
      applied_on date not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index payment_allocations_invoice on payment_allocations (invoice_id, applied_on)`.execute(
    db,
  );
  await sql`create index payment_allocations_payment on payment_allocations (payment_id)`.execute(
    db,
  );

  await sql`
    create table orders (
      id bigint generated always as identity primary key,
      external_id text not null unique,
      customer_id bigint not null references customers (id) on delete cascade,
      number text not null,
      ordered_on date not null,
      currency char(3) not null,
      amount_minor bigint not null check (amount_minor >= 0),
      open_amount_minor bigint not null
        check (open_amount_minor >= 0 and open_amount_minor <= amount_minor),
      status text not null default 'open' check (status in ('open', 'invoiced', 'cancelled')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create index orders_open_by_customer on orders (customer_id)
      include (open_amount_minor, currency) where open_amount_minor > 0`.execute(db);

  // Contacts are never edited in place: a correction is a new row pointing at the old one.
  await sql`
    create table contacts (
      id bigint generated always as identity primary key,
      customer_id bigint not null references customers (id) on delete cascade,
      actor_user_id bigint references users (id) on delete set null,
      actor_label text not null,
      method text not null check (method in ('call', 'email', 'visit', 'letter', 'chat')),
      outcome text not null
        check (outcome in ('reached', 'no_answer', 'promise', 'dispute', 'refused')),
      note text,
      invoice_ids bigint[] not null default '{}',
      corrects_contact_id bigint references contacts (id),
      contacted_at timestamptz not null default now(),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index contacts_customer on contacts (customer_id, contacted_at desc)`.execute(
    db,
  );

  await sql`
    create table promises (
      id bigint generated always as identity primary key,
      customer_id bigint not null references customers (id) on delete cascade,
      contact_id bigint references contacts (id) on delete set null,
      promised_on date not null,
      currency char(3) not null,
      amount_minor bigint not null check (amount_minor > 0),
      status text not null default 'pending'
        check (status in ('pending', 'kept', 'broken', 'cancelled')),
      resolved_on date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index promises_customer on promises (customer_id, promised_on)`.execute(db);
  await sql`create index promises_pending on promises (promised_on) where status = 'pending'`.execute(
    db,
  );

  await sql`
    create table approval_requests (
      id bigint generated always as identity primary key,
      kind text not null check (kind in ('limit', 'phase')),
      customer_id bigint not null references customers (id) on delete cascade,
      requested_by_user_id bigint references users (id) on delete set null,
      requested_by_label text not null,
      payload jsonb not null,
      reason text not null,
      status text not null default 'pending'
        check (status in ('pending', 'approved', 'rejected', 'cancelled', 'expired')),
      required_approvals smallint not null default 1 check (required_approvals between 1 and 3),
      expires_at timestamptz,
      reminded_at timestamptz,
      decided_at timestamptz,
      decision_reason text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index approval_requests_pending on approval_requests (created_at) where status = 'pending'`.execute(
    db,
  );
  await sql`create index approval_requests_customer on approval_requests (customer_id, created_at desc)`.execute(
    db,
  );

  await sql`
    create table approval_decisions (
      id bigint generated always as identity primary key,
      request_id bigint not null references approval_requests (id) on delete cascade,
      user_id bigint not null references users (id),
      decision text not null check (decision in ('approve', 'reject')),
      reason text,
      decided_at timestamptz not null default now(),
      unique (request_id, user_id)
    )`.execute(db);

  await sql`
    create table credit_events (
      id bigint generated always as identity primary key,
      source text not null,
      source_event_id text not null,
      customer_id bigint not null references customers (id) on delete cascade,
      kind text not null check (kind in ('rating_change', 'news', 'antisocial_hit',
        'bankruptcy_filing', 'payment_default')),
      severity text not null check (severity in ('low', 'medium', 'high')),
      text text,
      url text,
      occurred_at timestamptz not null,
      received_at timestamptz not null default now(),
      unique (source, source_event_id)
    )`.execute(db);
  await sql`create index credit_events_customer on credit_events (customer_id, occurred_at desc)`.execute(
    db,
  );

  // One alert per (customer, kind, period): a rule firing twice for the same period is a no-op.
  await sql`
    create table alerts (
      id bigint generated always as identity primary key,
      customer_id bigint references customers (id) on delete cascade,
      kind text not null,
      period_key text not null,
      severity text not null check (severity in ('info', 'warning', 'critical')),
      payload jsonb not null default '{}',
      created_at timestamptz not null default now(),
      unique nulls not distinct (customer_id, kind, period_key)
    )`.execute(db);
  await sql`create index alerts_created on alerts (created_at)`.execute(db);

  await sql`
    create table channels (
      id bigint generated always as identity primary key,
      platform text not null,
      external_id text not null,
      name text,
      locale text not null default 'en' check (locale in ('en', 'ja', 'zh')),
      timezone text not null default 'UTC',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (platform, external_id)
    )`.execute(db);

  await sql`
    create table subscriptions (
      id bigint generated always as identity primary key,
      channel_id bigint not null references channels (id) on delete cascade,
      kind text not null check (kind in ('digest', 'alerts', 'approvals')),
      local_time time not null default '09:00',
      business_days_only boolean not null default true,
      batched boolean not null default false,
      filters jsonb not null default '{}',
      created_at timestamptz not null default now(),
      unique (channel_id, kind)
    )`.execute(db);

  // Buttons carry only this short opaque token; authority is re-checked at click time.
  await sql`
    create table action_tokens (
      token text primary key,
      kind text not null,
      payload jsonb not null,
      created_by_user_id bigint references users (id) on delete set null,
      created_at timestamptz not null default now(),
      expires_at timestamptz
    )`.execute(db);

  await sql`
    create table outbox (
      id bigint generated always as identity primary key,
      platform text not null,
      channel_external_id text not null,
      kind text not null,
      payload jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'dead')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      locked_until timestamptz,
      last_error text,
      platform_ref text,
      subject_type text,
      subject_id text,
      created_at timestamptz not null default now(),
      sent_at timestamptz
    )`.execute(db);
  await sql`create index outbox_due on outbox (next_attempt_at, id) where status in ('pending', 'sending')`.execute(
    db,
  );
  await sql`create index outbox_channel on outbox (platform, channel_external_id, id)`.execute(db);
  await sql`create index outbox_subject on outbox (subject_type, subject_id)`.execute(db);

  // Postgres decides which replica runs a scheduled job: the first insert of (job, slot) wins.
  await sql`
    create table job_runs (
      job text not null,
      slot text not null,
      claimed_by text not null,
      claimed_at timestamptz not null default now(),
      finished_at timestamptz,
      status text not null default 'running' check (status in ('running', 'done', 'failed')),
      primary key (job, slot)
    )`.execute(db);

  await sql`
    create table inbound_events (
      platform text not null,
      event_id text not null,
      received_at timestamptz not null default now(),
      primary key (platform, event_id)
    )`.execute(db);

  await sql`
    create table audit_log (
      id bigint generated always as identity primary key,
      actor text not null,
      action text not null,
      entity_type text not null,
      entity_id text not null,
      before jsonb,
      after jsonb,
      correlation_id text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index audit_log_entity on audit_log (entity_type, entity_id, created_at)`.execute(
    db,
  );

  await sql`
    create table portfolio_snapshots (
      snapshot_on date not null,
      currency char(3) not null,
      exposure_minor bigint not null,
      overdue_minor bigint not null,
      buckets jsonb not null,
      customers integer not null,
      created_at timestamptz not null default now(),
      primary key (snapshot_on, currency)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'portfolio_snapshots',
    'audit_log',
    'inbound_events',
    'job_runs',
    'outbox',
    'action_tokens',
    'subscriptions',
    'channels',
    'alerts',
    'credit_events',
    'approval_decisions',
    'approval_requests',
    'promises',
    'contacts',
    'orders',
    'payment_allocations',
    'payments',
    'invoices',
    'credit_assessments',
    'customer_names',
    'customers',
    'platform_identities',
    'users',
    'settings',
  ]) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
}
