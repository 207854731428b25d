import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CreditPolicy, DEFAULT_POLICY } from '../../src/app/policy.ts';
import { createI18n } from '../../src/chat/i18n.ts';
import { type CreditReportContext, creditReport } from '../../src/cli-report-credit.ts';
import { UsageError } from '../../src/cli-support.ts';
import { TEST_TIMEZONE, TEST_TODAY } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// `creditops report customer` on the demo ledger, in process: the same code the command
// runs, with the real catalogues and a policy whose aging edges differ from the default.

const policy: CreditPolicy = { ...DEFAULT_POLICY, aging: { version: 'test', edges: [15, 45] } };
let database: TestDatabase;
let ctx: CreditReportContext;

beforeAll(async () => {
  database = await createTestDatabase({ base: 'demo' });
  ctx = {
    store: database.store,
    policy,
    t: createI18n().t('en'),
    locale: 'en',
    timeZone: TEST_TIMEZONE,
  };
});
afterAll(async () => {
  await database?.close();
});

const report = (query: string, extra: { asOf?: string; json?: boolean } = {}) =>
  creditReport('customer', ctx, {
    positionals: query.split(' '),
    asOf: extra.asOf ?? TEST_TODAY,
    currency: undefined,
    json: extra.json ?? false,
  });

describe('report customer', () => {
  it('prints the customer card as text, aged by the policy edges, without chat buttons', async () => {
    const out = await report('アクメ');
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    expect(out.stdout).toContain('株式会社アクメ');
    expect(out.stdout).toContain('C0001');
    expect(out.stdout).toContain('Aging as of Nov 23, 2026');
    expect(out.stdout).toMatch(/Current\s+1–15 days\s+16–45 days\s+46\+ days/);
    expect(out.stdout).toContain('¥30,000,000');
    expect(out.stdout).not.toContain('/credit');
  });

  it('gives the same view as JSON in minor units', async () => {
    const out = await report('C0001', { json: true });
    expect(out.code).toBe(0);
    const view = JSON.parse(out.stdout);
    expect(view).toMatchObject({
      code: 'C0001',
      legalName: '株式会社アクメ',
      currency: 'JPY',
      creditLimitMinor: 30_000_000,
      asOf: TEST_TODAY,
    });
    const jpy = view.aging.find((row: { currency: string }) => row.currency === 'JPY');
    expect(jpy.buckets.map((b: { label: string }) => b.label)).toEqual([
      'current',
      '1-15',
      '16-45',
      '46+',
    ]);
    const receivables =
      jpy.buckets.reduce((sum: number, b: { amountMinor: number }) => sum + b.amountMinor, 0) +
      jpy.disputedMinor;
    expect(view.exposureMinor).toBe(receivables + view.openOrdersMinor);
    expect(Array.isArray(view.lastContacts)).toBe(true);
    expect(Array.isArray(view.openPromises)).toBe(true);
  });

  it('shows the customer as of an earlier date', async () => {
    const out = await report('C0001', { json: true, asOf: '2020-01-01' });
    const view = JSON.parse(out.stdout);
    expect(view.asOf).toBe('2020-01-01');
    expect(view.aging).toEqual([]);
    expect(view.exposureMinor).toBe(view.openOrdersMinor);
  });

  it('lists the candidates and exits 1 when several customers match', async () => {
    const out = await report('ミドリ');
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('2 customers match “ミドリ”');
    expect(out.stderr).toContain('creditops report customer C0009');
    expect(out.stderr).toContain('creditops report customer C0010');
    expect(out.stderr).not.toContain('/credit');
    const json = await report('ミドリ', { json: true });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: 'ambiguous', query: 'ミドリ' });
    expect(
      JSON.parse(json.stdout)
        .candidates.map((c: { code: string }) => c.code)
        .sort(),
    ).toEqual(['C0009', 'C0010']);
  });

  it('suggests look-alikes, or says nothing matches, and exits 1', async () => {
    const near = await report('Northwnd Traders');
    expect(near.code).toBe(1);
    expect(near.stderr).toContain('Did you mean:');
    expect(near.stderr).toContain('creditops report customer C0004');
    const none = await report('zzqqxxjj', { json: true });
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('No customer matches “zzqqxxjj”\n');
    expect(JSON.parse(none.stdout)).toEqual({
      error: 'not_found',
      query: 'zzqqxxjj',
      candidates: [],
    });
  });

  it('refuses a missing name as a usage error', async () => {
    await expect(report('')).rejects.toBeInstanceOf(UsageError);
  });
});
