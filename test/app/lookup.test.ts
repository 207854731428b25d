import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logContact } from '../../src/app/contacts.ts';
import { type LookupDeps, lookUpCustomer, MAX_QUERY_LENGTH } from '../../src/app/lookup.ts';
import { DEFAULT_POLICY } from '../../src/app/policy.ts';
import { searchKeys } from '../../src/domain/names.ts';
import { TEST_NOW, TEST_TIMEZONE } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let deps: LookupDeps;

beforeAll(async () => {
  database = await createTestDatabase({ base: 'demo' });
  deps = {
    store: database.store,
    clock: { now: () => TEST_NOW },
    timeZone: TEST_TIMEZONE,
    policy: DEFAULT_POLICY,
  };
});
afterAll(async () => {
  await database?.close();
});

async function found(query: string) {
  const result = await lookUpCustomer(deps, query);
  if (result.kind !== 'found')
    throw new Error(`${query}: expected one customer, got ${result.kind}`);
  return result.customer;
}

describe(lookUpCustomer.name, () => {
  it.each([
    'C0001',
    'c0001',
    'アクメ',
    'あくめ',
    'ＡＣＭＥ',
    'acme',
    'Acme',
    '(株)アクメ',
    '㈱アクメ',
    'ｱｸﾒ',
    'akume',
    '艾克美',
    '株式会社アクメ',
  ])('finds 株式会社アクメ from %s', async (query) => {
    expect((await found(query)).code).toBe('C0001');
  });

  it('tells アクメ商事 apart from アクメ', async () => {
    expect((await found('アクメ商事')).code).toBe('C0002');
    expect((await found('acme shoji')).code).toBe('C0002');
  });

  it('finds Chinese customers by name or pinyin', async () => {
    expect((await found('华信')).code).toBe('C0003');
    expect((await found('huaxin')).code).toBe('C0003');
    expect((await found('龙腾科技')).code).toBe('C0007');
  });

  it('offers a pick list when two customers share a name', async () => {
    const result = await lookUpCustomer(deps, 'ミドリ');
    expect(result.kind).toBe('choose');
    if (result.kind !== 'choose') return;
    expect(result.candidates.map((c) => c.code).sort()).toEqual(['C0009', 'C0010']);
  });

  it('suggests look-alikes rather than guessing', async () => {
    const result = await lookUpCustomer(deps, 'Northwnd Traders');
    expect(result.kind).toBe('none');
    if (result.kind !== 'none') return;
    expect(result.suggestions.map((s) => s.code)).toContain('C0004');
  });

  it('lists look-alikes only when nothing matches exactly or in part', async () => {
    const search = (query: string) => database.store.customers.search(searchKeys(query), 20);
    const byCode = await search('C0001');
    expect(byCode[0]).toMatchObject({ code: 'C0001', quality: 'exact' });
    expect(byCode.filter((m) => m.quality === 'similar')).toEqual([]);
    const typo = await search('Northwnd Traders');
    expect(typo.map((m) => m.code)).toContain('C0004');
    expect(typo.every((m) => m.quality === 'similar')).toBe(true);
  });

  it('says plainly when nothing comes close', async () => {
    const result = await lookUpCustomer(deps, 'zzqqxxjj');
    expect(result).toEqual({ kind: 'none', query: 'zzqqxxjj', suggestions: [] });
  });

  it('refuses an empty or over-long query with a code to translate', async () => {
    await expect(lookUpCustomer(deps, '  ')).rejects.toMatchObject({
      code: 'errors.lookup.empty_query',
    });
    await expect(lookUpCustomer(deps, 'x'.repeat(MAX_QUERY_LENGTH + 1))).rejects.toMatchObject({
      code: 'errors.lookup.query_too_long',
    });
  });

  it('treats SQL in a query as text', async () => {
    const result = await lookUpCustomer(deps, "'; drop table customers; --");
    expect(result.kind).toBe('none');
    expect(await database.store.customers.count()).toBeGreaterThan(150);
  });
});

describe('the customer view', () => {
  it('adds up exposure from open invoices and orders, and its aging buckets sum to the open total', async () => {
    const acme = await found('C0001');
    const jpy = acme.aging.find((r) => r.currency === 'JPY');
    expect(jpy).toBeDefined();
    const open = (jpy?.bucketMinor ?? []).reduce((a, b) => a + b, 0) + (jpy?.disputedMinor ?? 0);
    expect(acme.exposureMinor).toBe(open + acme.openOrders.minor);
    expect(acme.asOf).toBe('2026-11-23');
    expect(acme.buckets.map((b) => b.key)).toEqual(['current', '1-30', '31-60', '61-90', '91+']);
    expect(acme.assessment).toMatchObject({ score: 72, rating: 'B' });
  });

  it('shows red for a customer on watch, over its limit and 91+ days late', async () => {
    const sakura = await found('C0005');
    expect(sakura.phase).toBe('watch');
    expect(sakura.status.colour).toBe('red');
    expect(sakura.status.reasons).toEqual(
      expect.arrayContaining(['over_limit', 'long_overdue', 'phase_watch']),
    );
    expect(sakura.maxDaysOverdue).toBeGreaterThan(90);
  });

  it('lists the last three contacts, the five soonest open promises and its own currency’s open orders', async () => {
    const db = database.db;
    const customer = await db
      .selectFrom('customers')
      .select(['id', 'currency'])
      .where('code', '=', 'C0002')
      .executeTakeFirstOrThrow();
    const other = customer.currency === 'USD' ? 'JPY' : 'USD';
    const ordersBefore = (await found('C0002')).openOrders.minor;
    await db
      .insertInto('contacts')
      .values(
        ['first', null, 'third', '', 'fifth'].map((note, i) => ({
          customer_id: customer.id,
          actor_label: `collector ${i + 1}`,
          method: 'call',
          outcome: i === 1 ? 'no_answer' : 'reached',
          note,
          contacted_at: new Date(Date.UTC(2026, 10, 22, 1 + i)),
        })),
      )
      .execute();
    await db
      .insertInto('promises')
      .values(
        [12, 3, 9, 28, 1, 17, 5].map((day, i) => ({
          customer_id: customer.id,
          promised_on: `2026-12-${String(day).padStart(2, '0')}`,
          currency: customer.currency,
          amount_minor: 1_000 * (i + 1),
        })),
      )
      .execute();
    await db
      .insertInto('orders')
      .values(
        [
          ['SO-OWN', customer.currency, 5_000, 1_234],
          ['SO-OTHER', other, 5_000, 999],
          ['SO-DONE', customer.currency, 5_000, 0],
        ].map(([number, currency, amount, open]) => ({
          external_id: `lookup-test-${number}`,
          customer_id: customer.id,
          number: String(number),
          ordered_on: '2026-11-20',
          currency: String(currency),
          amount_minor: Number(amount),
          open_amount_minor: Number(open),
        })),
      )
      .execute();

    const view = await found('C0002');
    expect(view.lastContacts.map((c) => [c.actorLabel, c.note, c.outcome])).toEqual([
      ['collector 5', 'fifth', 'reached'],
      ['collector 4', '', 'reached'],
      ['collector 3', 'third', 'reached'],
    ]);
    expect(view.lastContacts[0]?.contactedAt).toEqual(new Date('2026-11-22T05:00:00Z'));
    const pending = await db
      .selectFrom('promises')
      .select(['promised_on', 'amount_minor'])
      .where('customer_id', '=', customer.id)
      .where('status', '=', 'pending')
      .orderBy('promised_on')
      .limit(5)
      .execute();
    expect(view.openPromises).toHaveLength(5);
    expect(view.openPromises.map((p) => [p.promisedOn, p.amount.minor, p.status])).toEqual(
      pending.map((p) => [p.promised_on, p.amount_minor, 'pending']),
    );
    expect(view.openPromises.map((p) => p.promisedOn)).toEqual(
      [...view.openPromises.map((p) => p.promisedOn)].sort(),
    );
    expect(view.openPromises[0]?.amount).toEqual({ minor: 5_000, currency: customer.currency });
    expect(view.openOrders).toEqual({ minor: ordersBefore + 1_234, currency: customer.currency });
  });

  it('shows a promise whose day passed unpaid as broken the first time the customer is looked up', async () => {
    const store = database.store;
    const customerId = await store.transaction(async (tx) => {
      const { ids } = await tx.ledger.upsertCustomers([
        { code: 'T0900', legalName: 'テスト約束商事', country: 'JP', currency: 'JPY' },
      ]);
      const id = ids[0] ?? 0;
      await tx.ledger.upsertInvoices(
        [
          {
            externalId: 'T0900:INV-1',
            customerId: id,
            number: 'INV-1',
            issuedOn: '2026-08-01',
            dueOn: '2026-10-01',
            currency: 'JPY',
            amount: 5_000_000,
            disputed: false,
          },
        ],
        new Map(),
      );
      return id;
    });
    const collector = await store.users.create({
      identity: { platform: 'test', externalId: 'promise-taker' },
      displayName: '佐藤',
      role: 'collector',
    });
    const onTheSecond = {
      store,
      clock: { now: () => new Date('2026-11-02T03:00:00Z') },
      timeZone: TEST_TIMEZONE,
    };
    for (const [dateText, amountText] of [
      ['11/20', '100万'],
      ['11/30', '200万'],
    ] as const) {
      await logContact(onTheSecond, collector, {
        query: 'T0900',
        method: 'call',
        outcome: 'promise',
        promise: { dateText, amountText },
        invoiceRefs: [],
        note: '',
      });
    }

    const first = await found('T0900');
    expect(first.openPromises.map((p) => p.promisedOn)).toEqual(['2026-11-30']);
    expect(first.collection).toMatchObject({ kind: 'paused', pausedUntil: '2026-11-30' });
    const stored = await database.db
      .selectFrom('promises')
      .select(['promised_on', 'status'])
      .where('customer_id', '=', customerId)
      .orderBy('promised_on')
      .execute();
    expect(stored).toEqual([
      { promised_on: '2026-11-20', status: 'broken' },
      { promised_on: '2026-11-30', status: 'pending' },
    ]);
    // Nothing is left to evaluate the second time: the card is the same.
    expect(await found('T0900')).toEqual(first);
  });

  it('shows credit hold for a customer in incident', async () => {
    const longteng = await found('C0007');
    expect(longteng.status.reasons).toEqual(
      expect.arrayContaining(['phase_incident', 'credit_hold']),
    );
  });
});
