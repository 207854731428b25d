import { type Kysely, sql } from 'kysely';
import type {
  CreditEventInput,
  CreditReportInput,
  CustomerInput,
  LedgerWriter,
  OrderInput,
} from '../app/ingest/records.ts';
import { customerNameRows } from './customer-names.ts';
import { storedPaymentTerms } from './customer-terms.ts';
import { existingInvoices, upsertInvoices } from './invoice-upsert.ts';
import { allocatePayments } from './payment-allocation.ts';
import type { DB } from './schema.ts';
import { unnest } from './sql-arrays.ts';

function customerColumns(rows: readonly CustomerInput[]) {
  const terms = (r: CustomerInput) =>
    r.paymentTermsDays === undefined
      ? null
      : JSON.stringify({ kind: 'days_after_issue', days: r.paymentTermsDays });
  return unnest([
    ['text', rows.map((r) => r.code)],
    ['text', rows.map((r) => r.externalId ?? null)],
    ['text', rows.map((r) => r.legalName)],
    ['text', rows.map((r) => r.nameKana ?? null)],
    ['text', rows.map((r) => r.nameRomaji ?? null)],
    ['text', rows.map((r) => r.namePinyin ?? null)],
    ['text', rows.map((r) => r.country)],
    ['text', rows.map((r) => r.currency)],
    ['text', rows.map((r) => r.segment ?? null)],
    ['jsonb', rows.map(terms)],
    ['bool', rows.map((r) => r.strategic ?? null)],
    ['bool', rows.map((r) => r.blacklisted ?? null)],
    ['int8', rows.map((r) => r.creditLimit ?? null)],
  ]);
}

async function upsertCustomers(db: Kysely<DB>, rows: readonly CustomerInput[]) {
  // ON CONFLICT DO NOTHING: a customer another transaction created a moment ago (two API
  // batches at once) is treated as existing and goes through the update below.
  const { rows: inserted } = await sql<{ id: number; code: string }>`
    insert into customers (code, external_id, legal_name, name_kana, name_romaji, name_pinyin,
      country, currency, segment, payment_terms, strategic, blacklisted, credit_limit_minor)
    select c, e, n, k, r, p, co, cu, coalesce(s, 'standard'),
      coalesce(t, '{"kind": "days_after_issue", "days": 30}'::jsonb),
      coalesce(st, false), coalesce(b, false), coalesce(l, 0)
    from ${customerColumns(rows)} as v(c, e, n, k, r, p, co, cu, s, t, st, b, l)
    on conflict (code) do nothing
    returning id, code`.execute(db);
  const ids = new Map(inserted.map((r) => [r.code, r.id]));
  const stale = rows.filter((r) => !ids.has(r.code));
  if (stale.length > 0) {
    const existing = await db
      .selectFrom('customers')
      .select(['id', 'code'])
      .where(
        'code',
        'in',
        stale.map((r) => r.code),
      )
      .execute();
    for (const r of existing) ids.set(r.code, r.id);
  }
  // Phase and credit limit of an existing customer change only through approvals, never by
  // an import; a column the source left empty keeps its value.
  const { rows: updated } =
    stale.length === 0
      ? { rows: [] as { id: number; code: string }[] }
      : await sql<{ id: number; code: string }>`
    update customers c set
      external_id = coalesce(v.e, c.external_id), legal_name = v.n,
      name_kana = coalesce(v.k, c.name_kana), name_romaji = coalesce(v.r, c.name_romaji),
      name_pinyin = coalesce(v.p, c.name_pinyin), country = v.co, currency = v.cu,
      segment = coalesce(v.s, c.segment), payment_terms = coalesce(v.t, c.payment_terms),
      strategic = coalesce(v.st, c.strategic), blacklisted = coalesce(v.b, c.blacklisted),
      updated_at = now()
    from ${customerColumns(stale)} as v(c, e, n, k, r, p, co, cu, s, t, st, b, l)
    where c.code = v.c and (c.external_id, c.legal_name, c.name_kana, c.name_romaji, c.name_pinyin,
        c.country, c.currency, c.segment, c.payment_terms, c.strategic, c.blacklisted)
      is distinct from (coalesce(v.e, c.external_id), v.n, coalesce(v.k, c.name_kana),
        coalesce(v.r, c.name_romaji), coalesce(v.p, c.name_pinyin), v.co, v.cu,
        coalesce(v.s, c.segment), coalesce(v.t, c.payment_terms), coalesce(v.st, c.strategic),
        coalesce(v.b, c.blacklisted))
    returning c.id, c.code`.execute(db);
  await refreshNames(db, [...inserted, ...updated], rows);
  return {
    inserted: inserted.length,
    updated: updated.length,
    ids: rows.map((r) => ids.get(r.code) ?? 0),
  };
}

/** Rewrites the searchable names of customers whose names may have changed. */
async function refreshNames(
  db: Kysely<DB>,
  changed: readonly { id: number; code: string }[],
  rows: readonly CustomerInput[],
) {
  if (changed.length === 0) return;
  const byCode = new Map(rows.map((r) => [r.code, r]));
  await db
    .deleteFrom('customer_names')
    .where(
      'customer_id',
      'in',
      changed.map((c) => c.id),
    )
    .execute();
  const names = changed.flatMap(({ id, code }) => {
    const r = byCode.get(code);
    if (!r) return [];
    return customerNameRows({
      customerId: id,
      code,
      legalName: r.legalName,
      nameKana: r.nameKana ?? null,
      nameRomaji: r.nameRomaji ?? null,
      namePinyin: r.namePinyin ?? null,
      aliases: r.aliases ?? [],
    });
  });
  for (let i = 0; i < names.length; i += 1000) {
    await db
      .insertInto('customer_names')
      .values(names.slice(i, i + 1000))
      .execute();
  }
}

async function upsertOrders(db: Kysely<DB>, rows: readonly OrderInput[]) {
  const cols = (list: readonly OrderInput[]) =>
    unnest([
      ['text', list.map((r) => r.externalId)],
      ['int8', list.map((r) => r.customerId)],
      ['text', list.map((r) => r.number)],
      ['date', list.map((r) => r.orderedOn)],
      ['text', list.map((r) => r.currency)],
      ['int8', list.map((r) => r.amount)],
      ['int8', list.map((r) => r.openAmount)],
      ['text', list.map((r) => r.status)],
    ]);
  const { rows: changed } = await sql<{ inserted: boolean }>`
    insert into orders as o (external_id, customer_id, number, ordered_on, currency, amount_minor, open_amount_minor, status)
    select * from ${cols(rows)}
    on conflict (external_id) do update set customer_id = excluded.customer_id, number = excluded.number,
      ordered_on = excluded.ordered_on, currency = excluded.currency, amount_minor = excluded.amount_minor,
      open_amount_minor = excluded.open_amount_minor, status = excluded.status, updated_at = now()
    where (o.customer_id, o.number, o.ordered_on, o.currency, o.amount_minor, o.open_amount_minor, o.status)
      is distinct from (excluded.customer_id, excluded.number, excluded.ordered_on, excluded.currency,
        excluded.amount_minor, excluded.open_amount_minor, excluded.status)
    returning (xmax = 0) as inserted`.execute(db);
  return countChanges(changed);
}

function countChanges(rows: readonly { inserted: boolean }[]) {
  const inserted = rows.filter((r) => r.inserted).length;
  return { inserted, updated: rows.length - inserted };
}

async function upsertCreditReports(db: Kysely<DB>, rows: readonly CreditReportInput[]) {
  const { rows: changed } = await sql<{ inserted: boolean }>`
    insert into credit_reports as r (source, source_report_id, customer_id, reported_on, bureau_score,
      grade, pd, currency, capital_minor, revenue_minor, employees, founded_on)
    select * from ${unnest([
      ['text', rows.map((r) => r.source)],
      ['text', rows.map((r) => r.reportId)],
      ['int8', rows.map((r) => r.customerId)],
      ['date', rows.map((r) => r.reportedOn)],
      ['int8', rows.map((r) => r.score ?? null)],
      ['text', rows.map((r) => r.grade ?? null)],
      ['float8', rows.map((r) => r.pd ?? null)],
      ['text', rows.map((r) => r.currency)],
      ['int8', rows.map((r) => r.capital ?? null)],
      ['int8', rows.map((r) => r.revenue ?? null)],
      ['int8', rows.map((r) => r.employees ?? null)],
      ['date', rows.map((r) => r.foundedOn ?? null)],
    ])}
    on conflict (source, source_report_id) do update set customer_id = excluded.customer_id,
      reported_on = excluded.reported_on, bureau_score = excluded.bureau_score, grade = excluded.grade,
      pd = excluded.pd, currency = excluded.currency, capital_minor = excluded.capital_minor,
      revenue_minor = excluded.revenue_minor, employees = excluded.employees,
      founded_on = excluded.founded_on, updated_at = now()
    where (r.customer_id, r.reported_on, r.bureau_score, r.grade, r.pd, r.currency, r.capital_minor,
        r.revenue_minor, r.employees, r.founded_on)
      is distinct from (excluded.customer_id, excluded.reported_on, excluded.bureau_score, excluded.grade,
        excluded.pd, excluded.currency, excluded.capital_minor, excluded.revenue_minor,
        excluded.employees, excluded.founded_on)
    returning (xmax = 0) as inserted`.execute(db);
  return countChanges(changed);
}

/** Credit events are facts from a source: the first delivery is kept, repeats are no-ops. */
async function insertCreditEvents(db: Kysely<DB>, rows: readonly CreditEventInput[]) {
  const { rows: inserted } = await sql<{ id: number }>`
    insert into credit_events (source, source_event_id, customer_id, kind, severity, text, url, occurred_at)
    select * from ${unnest([
      ['text', rows.map((r) => r.source)],
      ['text', rows.map((r) => r.sourceEventId)],
      ['int8', rows.map((r) => r.customerId)],
      ['text', rows.map((r) => r.kind)],
      ['text', rows.map((r) => r.severity)],
      ['text', rows.map((r) => r.text ?? null)],
      ['text', rows.map((r) => r.url ?? null)],
      ['timestamptz', rows.map((r) => r.occurredAt.toISOString())],
    ])}
    on conflict (source, source_event_id) do nothing
    returning id`.execute(db);
  return { inserted: inserted.length, updated: 0 };
}

export function createLedgerWriter(db: Kysely<DB>): LedgerWriter {
  return {
    async customersByCode(codes) {
      if (codes.length === 0) return new Map();
      const rows = await db
        .selectFrom('customers')
        .select(['id', 'code', 'currency', 'payment_terms'])
        .where('code', 'in', [...new Set(codes)])
        .execute();
      return new Map(
        rows.map((r) => [
          r.code,
          { id: r.id, currency: r.currency, paymentTerms: storedPaymentTerms(r.payment_terms) },
        ]),
      );
    },
    async customerSnapshot() {
      const rows = await db
        .selectFrom('customers')
        .select(['id', 'code', 'currency', 'payment_terms'])
        .execute();
      return new Map(
        rows.map((r) => [
          r.code,
          { id: r.id, currency: r.currency, paymentTerms: storedPaymentTerms(r.payment_terms) },
        ]),
      );
    },
    upsertCustomers: (rows) => upsertCustomers(db, rows),
    upsertInvoices: (rows, existing) => upsertInvoices(db, rows, existing),
    upsertPayments: (rows) => allocatePayments(db, rows),
    upsertOrders: (rows) => upsertOrders(db, rows),
    upsertCreditReports: (rows) => upsertCreditReports(db, rows),
    insertCreditEvents: (rows) => insertCreditEvents(db, rows),
    existingInvoices: (externalIds) => existingInvoices(db, externalIds),
    async markAlertsDue(customerIds) {
      const ids = [...new Set(customerIds)];
      if (ids.length === 0) return;
      await sql`update customers set alerts_due = true where id = any(${sql.val(ids)}::int8[]) and not alerts_due`.execute(
        db,
      );
    },
  };
}
