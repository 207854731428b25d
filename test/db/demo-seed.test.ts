import { type Kysely, type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoSeedReport, seedDemo } from '../../src/db/demo-seed.ts';
import type { DB } from '../../src/db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const TODAY = '2026-11-23';
const BUCKETS = ['current', '1-30', '31-60', '61-90', '91+'];

let database: TestDatabase;
let db: Kysely<DB>;
let report: DemoSeedReport;

// A migrated, empty database of this run's engine (embedded, or the server in CI).
const freshDatabase = () => createTestDatabase({ base: 'empty' });

async function count(query: RawBuilder<unknown>): Promise<number> {
  const { rows } = await sql<{ n: number }>`${query}`.execute(db);
  return Number(rows[0]?.n);
}

/** One hash over the rows a user sees, leaving out the wall-clock bookkeeping columns. */
async function digest(target: Kysely<DB>): Promise<string> {
  const tables = ['customers', 'customer_names', 'credit_assessments', 'invoices', 'payments'];
  const parts: string[] = [];
  for (const table of [...tables, 'payment_allocations', 'orders', 'contacts', 'promises']) {
    const { rows } = await sql<{ hash: string }>`
      select md5(string_agg((to_jsonb(t) - 'created_at' - 'updated_at')::text, '|' order by t.id))
        as hash
      from ${sql.table(table)} t`.execute(target);
    parts.push(rows[0]?.hash ?? '');
  }
  return parts.join(':');
}

beforeAll(async () => {
  database = await freshDatabase();
  db = database.db;
  report = await seedDemo(db, { today: TODAY });
}, 60_000);

afterAll(async () => {
  await database?.close();
});

describe(seedDemo.name, () => {
  it('writes about two hundred customers with a few thousand invoices', async () => {
    expect(report.customers).toBe(200);
    expect(report.users).toBe(10);
    expect(report.invoices).toBeGreaterThan(3_000);
    expect(report.payments).toBeGreaterThan(2_500);
    expect(report.contacts).toBeGreaterThan(50);
    expect(report.promises).toBeGreaterThan(10);
    expect(await count(sql`select count(*)::int as n from customers`)).toBe(200);
    expect(await count(sql`select count(*)::int as n from invoices`)).toBe(report.invoices);
    const seeded = await db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'demo_seeded')
      .executeTakeFirstOrThrow();
    expect(seeded.value).toEqual({ seededAt: TODAY, seed: 20261123, customers: 200 });
  });

  it('numbers customers C0001 to C0200 and gives every owner a demo identity', async () => {
    const codes = await db.selectFrom('customers').select('code').orderBy('id').execute();
    expect(codes[0]?.code).toBe('C0001');
    expect(codes.at(-1)?.code).toBe('C0200');
    const identities = await db
      .selectFrom('platform_identities as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select(['p.external_id', 'u.display_name', 'u.locale'])
      .where('p.platform', '=', 'demo')
      .orderBy('p.id')
      .execute();
    expect(identities).toHaveLength(10);
    expect(identities[0]).toEqual({
      external_id: 'owner-1',
      display_name: '山田 太郎',
      locale: 'ja',
    });
  });

  it('has the customers the docs name, as the docs describe them', async () => {
    const named = await db
      .selectFrom('customers as c')
      .leftJoin('users as u', 'u.id', 'c.owner_user_id')
      .select([
        'c.code',
        'c.legal_name',
        'c.name_kana',
        'c.name_romaji',
        'c.name_pinyin',
        'c.country',
        'c.currency',
        'c.phase',
        'c.strategic',
        'c.blacklisted',
        'c.credit_hold',
        'c.credit_limit_minor',
        'u.display_name as owner',
      ])
      .where('c.code', '<=', 'C0010')
      .orderBy('c.code')
      .execute();
    const byCode = new Map(named.map((c) => [c.code, c]));
    expect(byCode.get('C0001')).toMatchObject({
      legal_name: '株式会社アクメ',
      name_kana: 'アクメ',
      name_romaji: 'Acme',
      country: 'JP',
      currency: 'JPY',
      owner: '山田 太郎',
      phase: 'ongoing',
      strategic: false,
      credit_limit_minor: 30_000_000,
    });
    expect(byCode.get('C0002')).toMatchObject({
      legal_name: 'アクメ商事株式会社',
      name_kana: 'アクメショウジ',
      name_romaji: 'Acme Shoji',
    });
    expect(byCode.get('C0003')).toMatchObject({
      legal_name: '上海华信贸易有限公司',
      name_pinyin: 'huaxin',
      country: 'CN',
      currency: 'CNY',
    });
    expect(byCode.get('C0004')).toMatchObject({
      legal_name: 'Northwind Traders Co., Ltd.',
      country: 'US',
      currency: 'USD',
    });
    expect(byCode.get('C0005')).toMatchObject({
      legal_name: '株式会社さくら物産',
      name_kana: 'サクラブッサン',
      name_romaji: 'Sakura Bussan',
      phase: 'watch',
    });
    expect(byCode.get('C0006')).toMatchObject({ legal_name: '東京精機株式会社', strategic: true });
    expect(byCode.get('C0007')).toMatchObject({
      legal_name: '深圳龙腾科技股份有限公司',
      name_pinyin: 'longteng',
      phase: 'incident',
      credit_hold: true,
      credit_limit_minor: 0,
    });
    expect(byCode.get('C0008')).toMatchObject({
      legal_name: 'Blue Harbor Logistics Inc.',
      blacklisted: true,
      phase: 'watch',
    });
    expect(byCode.get('C0009')).toMatchObject({
      legal_name: '株式会社ミドリ',
      name_kana: 'ミドリ',
    });
    expect(byCode.get('C0010')).toMatchObject({
      legal_name: 'ミドリ株式会社',
      name_kana: 'ミドリ',
    });
    expect(byCode.get('C0009')?.owner).not.toBe(byCode.get('C0010')?.owner);
  });

  it('gives 株式会社アクメ its alias, a latest score of 72 / B and a pending promise', async () => {
    const alias = await db
      .selectFrom('customer_names as n')
      .innerJoin('customers as c', 'c.id', 'n.customer_id')
      .select('n.name')
      .where('c.code', '=', 'C0001')
      .where('n.kind', '=', 'alias')
      .execute();
    expect(alias.map((a) => a.name)).toEqual(['艾克美']);
    const latest = await sql<{ score: number; rating: string; buckets: number }>`
      select a.score, a.rating,
        (select count(distinct case when ${TODAY}::date - i.due_on <= 0 then 0
                                    else least(4, (${TODAY}::date - i.due_on - 1) / 30 + 1) end)
         from invoices i where i.customer_id = c.id and i.open_amount_minor > 0)::int as buckets
      from customers c
      join lateral (select * from credit_assessments x where x.customer_id = c.id
                    order by x.assessed_at desc, x.id desc limit 1) a on true
      where c.code = 'C0001'`.execute(db);
    expect(latest.rows[0]).toMatchObject({ score: 72, rating: 'B' });
    expect(latest.rows[0]?.buckets).toBeGreaterThanOrEqual(3);
    const acme = sql`(select id from customers where code = 'C0001')`;
    expect(
      await count(sql`select count(*)::int as n from contacts where customer_id = ${acme}`),
    ).toBeGreaterThanOrEqual(2);
    const pending = await count(sql`
      select count(*)::int as n from promises
      where customer_id = ${acme} and status = 'pending' and promised_on > ${TODAY}::date`);
    expect(pending).toBeGreaterThanOrEqual(1);
  });

  it('puts さくら物産 over its limit with invoices more than 90 days late', async () => {
    const { rows } = await sql<{ limit_minor: number; open_minor: number; max_days: number }>`
      select c.credit_limit_minor as limit_minor, sum(i.open_amount_minor)::int8 as open_minor,
        max(${TODAY}::date - i.due_on) filter (where not i.disputed) as max_days
      from customers c join invoices i on i.customer_id = c.id and i.open_amount_minor > 0
      where c.code = 'C0005' group by c.id`.execute(db);
    const sakura = rows[0];
    expect(sakura?.open_minor).toBeGreaterThan(sakura?.limit_minor ?? Infinity);
    expect(sakura?.max_days).toBeGreaterThan(90);
  });

  it('uses every phase, segment and currency, with strategic and blacklisted customers', async () => {
    const { rows } = await sql<{ kind: string; value: string; n: number }>`
      select 'phase' as kind, phase as value, count(*)::int as n from customers group by phase
      union all
      select 'segment', segment, count(*)::int from customers group by segment
      union all
      select 'currency', currency, count(*)::int from customers group by currency
      union all
      select 'strategic', strategic::text, count(*)::int from customers group by strategic
      union all
      select 'blacklisted', blacklisted::text, count(*)::int from customers group by blacklisted
      order by 1, 2`.execute(db);
    const n = (kind: string, value: string) =>
      rows.find((r) => r.kind === kind && r.value === value)?.n ?? 0;
    for (const phase of ['screening', 'ongoing', 'watch', 'incident']) {
      expect(n('phase', phase), phase).toBeGreaterThanOrEqual(3);
    }
    expect(n('phase', 'ongoing')).toBeGreaterThan(100);
    for (const segment of ['enterprise', 'mid_market', 'small_business']) {
      expect(n('segment', segment), segment).toBeGreaterThan(0);
    }
    expect(n('currency', 'JPY')).toBe(90);
    expect(n('currency', 'CNY')).toBe(60);
    expect(n('currency', 'USD')).toBe(50);
    expect(n('strategic', 'true')).toBeGreaterThanOrEqual(3);
    expect(n('blacklisted', 'true')).toBeGreaterThanOrEqual(1);
  });

  it('sizes credit limits to the currency and rates every assessment by its score', async () => {
    const badLimits = await count(sql`
      select count(*)::int as n from customers
      where credit_limit_minor > 0 and not (
        (currency = 'JPY' and credit_limit_minor between 1000000 and 200000000
          and credit_limit_minor % 100000 = 0)
        or (currency = 'CNY' and credit_limit_minor between 5000000 and 1000000000
          and credit_limit_minor % 100 = 0)
        or (currency = 'USD' and credit_limit_minor between 1000000 and 200000000))`);
    expect(badLimits).toBe(0);
    const badRatings = await count(sql`
      select count(*)::int as n from credit_assessments a join customers c on c.id = a.customer_id
      where a.rating <> case when a.score >= 80 then 'A' when a.score >= 65 then 'B'
                             when a.score >= 50 then 'C' when a.score >= 35 then 'D' else 'E' end
         or a.currency <> c.currency or a.pd not between 0.002 and 0.08
         or a.assessed_at < ${TODAY}::date - 730 or a.assessed_at > ${TODAY}::date`);
    expect(badRatings).toBe(0);
  });

  it('leaves undisputed open invoices in every aging bucket in every currency', async () => {
    const { rows } = await sql<{ currency: string; bucket: string; n: number }>`
      select currency, bucket, count(*)::int as n from (
        select currency, case
          when ${TODAY}::date - due_on <= 0 then 'current'
          when ${TODAY}::date - due_on <= 30 then '1-30'
          when ${TODAY}::date - due_on <= 60 then '31-60'
          when ${TODAY}::date - due_on <= 90 then '61-90'
          else '91+' end as bucket
        from invoices where open_amount_minor > 0 and not disputed) aged
      group by currency, bucket`.execute(db);
    for (const currency of ['JPY', 'CNY', 'USD']) {
      for (const bucket of BUCKETS) {
        const found = rows.find((r) => r.currency === currency && r.bucket === bucket);
        expect(found?.n ?? 0, `${currency} ${bucket}`).toBeGreaterThan(0);
      }
    }
  });

  it('keeps the ledger consistent: amounts, dates, payments and allocations agree', async () => {
    const violations = await count(sql`
      select count(*)::int as n from invoices i
      left join (select invoice_id, sum(amount_minor) as paid
                 from payment_allocations group by invoice_id) a on a.invoice_id = i.id
      where coalesce(a.paid, 0) <> i.amount_minor - i.open_amount_minor
         or i.open_amount_minor < 0 or i.open_amount_minor > i.amount_minor
         or i.issued_on > ${TODAY}::date or i.due_on <= i.issued_on
         or (i.open_amount_minor = 0) <> (i.settled_on is not null)`);
    expect(violations).toBe(0);
    const badPayments = await count(sql`
      select count(*)::int as n from payments p
      join payment_allocations a on a.payment_id = p.id
      join invoices i on i.id = a.invoice_id
      where p.received_on <= i.issued_on or p.received_on > ${TODAY}::date
         or a.applied_on <> p.received_on or p.amount_minor <> a.amount_minor
         or p.unallocated_minor <> 0 or p.currency <> i.currency`);
    expect(badPayments).toBe(0);
    const partlyPaid = await count(sql`
      select count(*)::int as n from invoices
      where open_amount_minor > 0 and open_amount_minor < amount_minor`);
    expect(partlyPaid).toBeGreaterThan(10);
  });

  it('records disputes against disputed invoices and promises of every status', async () => {
    const undocumented = await count(sql`
      select count(*)::int as n from invoices i
      where i.disputed and not exists (
        select 1 from contacts c where c.outcome = 'dispute' and i.id = any(c.invoice_ids))`);
    expect(undocumented).toBe(0);
    expect(
      await count(sql`select count(*)::int as n from invoices where disputed`),
    ).toBeGreaterThan(1);
    const { rows } = await sql<{ status: string; n: number; wrong: number }>`
      select status, count(*)::int as n, count(*) filter (where
        (status = 'pending' and (promised_on <= ${TODAY}::date or resolved_on is not null))
        or (status <> 'pending' and (promised_on >= ${TODAY}::date or resolved_on is null)))::int
        as wrong
      from promises group by status order by status`.execute(db);
    expect(rows.map((r) => r.status)).toEqual(['broken', 'kept', 'pending']);
    for (const row of rows) {
      expect(row.n, row.status).toBeGreaterThan(0);
      expect(row.wrong, row.status).toBe(0);
    }
    const stray = await count(sql`
      select count(*)::int as n from contacts
      where contacted_at > ${TODAY}::date or contacted_at < ${TODAY}::date - 60
         or (outcome = 'promise') <> exists (select 1 from promises p where p.contact_id = contacts.id)`);
    expect(stray).toBe(0);
  });

  it('refuses to seed twice and writes nothing more', async () => {
    await expect(seedDemo(db, { today: TODAY })).rejects.toThrow('demo data already seeded');
    expect(await count(sql`select count(*)::int as n from customers`)).toBe(200);
    expect(await count(sql`select count(*)::int as n from users`)).toBe(10);
  });

  it('writes the same rows for the same seed and date, and other rows for another seed', async () => {
    const expected = await digest(db);
    const same = await freshDatabase();
    const other = await freshDatabase();
    try {
      await seedDemo(same.db, { today: TODAY });
      await seedDemo(other.db, { today: TODAY, seed: 7 });
      expect(await digest(same.db)).toBe(expected);
      expect(await digest(other.db)).not.toBe(expected);
    } finally {
      await same.close();
      await other.close();
    }
  }, 120_000);
});
