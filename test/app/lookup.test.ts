import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LookupDeps, lookUpCustomer, MAX_QUERY_LENGTH } from '../../src/app/lookup.ts';
import { DEFAULT_POLICY } from '../../src/app/policy.ts';
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

  it('shows credit hold for a customer in incident', async () => {
    const longteng = await found('C0007');
    expect(longteng.status.reasons).toEqual(
      expect.arrayContaining(['phase_incident', 'credit_hold']),
    );
  });
});
