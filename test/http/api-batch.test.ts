import { describe, expect, it } from 'vitest';
import type { CustomerSummary } from '../../src/http/reads.ts';
import type { TestDatabase } from '../support/database.ts';
import { countRows, type Harness, jsonOf, problemOf, withHarness } from './http-harness.ts';

// Batch upserts on a real database: all or nothing, validated as imports are, and re-sent
// items change nothing.

let database: TestDatabase;
let http: Harness;

withHarness('empty', (d, h) => {
  database = d;
  http = h;
});

const customers = [
  {
    code: 'T001',
    legalName: 'テスト商事株式会社',
    nameKana: 'テストショウジ',
    country: 'JP',
    currency: 'JPY',
    paymentTermsDays: 30,
    creditLimit: '10000000',
  },
  {
    code: 'T002',
    legalName: 'Test Trading Inc.',
    aliases: ['TTI'],
    country: 'us',
    currency: 'USD',
    creditLimitMinor: 5_000_000,
  },
];

// Aged as of 2026-11-23 (TEST_NOW in Tokyo): 84 days, 23 days overdue and not yet due.
const invoices = [
  { externalId: 'INV-3', customerCode: 'T001', issuedOn: '2026-08-01', amount: '500000' },
  {
    externalId: 'INV-1',
    customerCode: 'T001',
    number: 'A-0001',
    issuedOn: '2026-10-01',
    dueOn: '2026-10-31',
    amount: '3000000',
  },
  { externalId: 'INV-2', customerCode: 'T001', issuedOn: '2026-11-10', amountMinor: 1_500_000 },
];

describe('POST /api/v1/{kind}', () => {
  it('upserts customers and invoices, and the customer summary reflects them', async () => {
    const first = await http.post('/api/v1/customers', { items: customers });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    const second = await http.post('/api/v1/invoices', { items: invoices });
    expect(await second.json()).toEqual({ inserted: 3, updated: 0, unchanged: 0 });

    const summary = await jsonOf<CustomerSummary>(await http.get('/api/v1/customers/T001'));
    expect(summary).toMatchObject({
      code: 'T001',
      legalName: 'テスト商事株式会社',
      currency: 'JPY',
      phase: 'screening',
      creditLimitMinor: 10_000_000,
      exposureMinor: 5_000_000,
      utilisationBp: 5_000,
      maxDaysOverdue: 84,
      status: { colour: 'red', reasons: ['long_overdue'] },
      asOf: '2026-11-23',
      assessment: null,
    });
    expect(summary.aging).toEqual([
      {
        currency: 'JPY',
        buckets: [
          { label: 'current', amountMinor: 1_500_000, count: 1 },
          { label: '1-30', amountMinor: 3_000_000, count: 1 },
          { label: '31-60', amountMinor: 0, count: 0 },
          { label: '61-90', amountMinor: 500_000, count: 1 },
          { label: '91+', amountMinor: 0, count: 0 },
        ],
        disputedMinor: 0,
        disputedCount: 0,
      },
    ]);
  });

  it('lets two batches that create the same new customer at once both succeed, with one customer', async () => {
    const item = { code: 'RACE-1', legalName: '株式会社レース', country: 'JP', currency: 'JPY' };
    const answers = await Promise.all([
      http.post('/api/v1/customers', { items: [item] }),
      http.post('/api/v1/customers', { items: [item] }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const bodies = (await Promise.all(answers.map((a) => a.json()))) as { inserted: number }[];
    expect(bodies.map((b) => b.inserted).sort()).toEqual([0, 1]);
    const rows = await database.db
      .selectFrom('customers')
      .select('id')
      .where('code', '=', 'RACE-1')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('changes nothing when the same items come again', async () => {
    for (const [path, items] of [
      ['/api/v1/customers', customers],
      ['/api/v1/invoices', invoices],
    ] as const) {
      const response = await http.post(path, { items });
      expect(await response.json()).toEqual({ inserted: 0, updated: 0, unchanged: items.length });
    }
  });

  it('applies a payment against the invoice it names', async () => {
    const payment = {
      externalId: 'PAY-1',
      customerCode: 'T001',
      receivedOn: '2026-11-20',
      amount: '500000',
      invoiceNumber: 'INV-3',
    };
    const response = await http.post('/api/v1/payments', { items: [payment] });
    expect(await response.json()).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    const summary = await jsonOf<CustomerSummary>(await http.get('/api/v1/customers/T001'));
    expect(summary.exposureMinor).toBe(4_500_000);
    expect(summary.maxDaysOverdue).toBe(23);
  });

  it('takes orders and credit reports', async () => {
    const order = {
      externalId: 'SO-1',
      customerCode: 'T002',
      orderedOn: '2026-11-01',
      amount: '1234.50',
      status: 'open',
    };
    const report = {
      source: 'TDB',
      reportId: 'R-1',
      customerCode: 'T001',
      reportedOn: '2026-11-01',
      score: 62,
      pd: '0.8%',
      capitalMinor: 10_000_000,
    };
    expect((await http.post('/api/v1/orders', { items: [order] })).status).toBe(200);
    expect((await http.post('/api/v1/credit-reports', { items: [report] })).status).toBe(200);
    const t002 = await (await http.get('/api/v1/customers/T002')).json();
    expect(t002).toMatchObject({ openOrdersMinor: 123_450, exposureMinor: 123_450 });
    expect(await countRows(database, 'credit_reports')).toBe(1);
  });

  it('stores a credit event posted twice with the same source and id once', async () => {
    const event = {
      source: 'news-watch',
      sourceEventId: 'N-42',
      customerCode: 'T001',
      kind: 'news',
      severity: 'medium',
      text: '代表者交代の報道',
      url: 'https://example.com/news/42',
      occurredAt: '2026-11-22T09:00:00+09:00',
    };
    const first = await http.post('/api/v1/credit-events', { items: [event] });
    expect(await first.json()).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    const again = await http.post('/api/v1/credit-events', { items: [event, event] });
    expect(await again.json()).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
    expect(await countRows(database, 'credit_events')).toBe(1);
  });

  it('records each applied batch in the audit log under the token name', async () => {
    const rows = await database.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'entity_type'])
      .where('action', '=', 'api.upsert')
      .execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.actor))).toEqual(new Set(['erp-sync']));
  });
});

describe('refused items', () => {
  it('answers 422 naming each bad item and field, and writes none of the batch', async () => {
    const before = await countRows(database, 'invoices');
    const items = [
      { externalId: 'INV-10', customerCode: 'T001', issuedOn: '2026-11-01', amount: '100' },
      { externalId: 'INV-11', customerCode: 'T001', issuedOn: '2026-13-01', amount: 12.5 },
      {
        externalId: 'INV-12',
        customerCode: 'NOPE',
        issuedOn: '2026-11-01',
        currency: 'JPY',
        amount: '100',
      },
    ];
    const response = await http.post('/api/v1/invoices', { items });
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({
      type: 'https://creditops.dev/problems/validation',
      status: 422,
      detail: expect.stringContaining('2 of 3 items were refused'),
    });
    expect(problem.errors).toEqual([
      expect.objectContaining({ item: 1, field: 'issuedOn', pointer: '/items/1/issuedOn' }),
      expect.objectContaining({
        item: 1,
        field: 'amount',
        code: 'errors.import.amount_as_string',
        message: expect.stringContaining('JSON numbers are not exact for money'),
      }),
      {
        item: 2,
        field: 'customerCode',
        pointer: '/items/2/customerCode',
        code: 'errors.import.unknown_customer',
        message: 'no customer has the code “NOPE”; import the customer first.',
      },
    ]);
    expect(await countRows(database, 'invoices')).toBe(before);
  });

  it('refuses fields that are not ours and inexact minor units', async () => {
    const before = await countRows(database, 'customers');
    const items = [
      { ...customers[0], code: 'T900', legalname: 'typo' },
      { ...customers[1], code: 'T901', creditLimitMinor: 1.5 },
      'T902',
    ];
    const problem = await problemOf(await http.post('/api/v1/customers', { items }));
    expect(problem.errors).toEqual([
      expect.objectContaining({ item: 0, field: 'legalname', code: 'errors.api.unknown_field' }),
      expect.objectContaining({ item: 1, field: 'creditLimitMinor' }),
      expect.objectContaining({ item: 2, field: null, code: 'errors.api.item_not_object' }),
    ]);
    expect(await countRows(database, 'customers')).toBe(before);
  });

  it('refuses text the database cannot keep: a NUL, half a surrogate pair', async () => {
    const before = await countRows(database, 'customers');
    const items = [
      { ...customers[0], code: 'T905', legalName: 'NUL\u0000商事' },
      { ...customers[1], code: 'T906', aliases: ['ok', 'half \ud800'] },
    ];
    // JSON.stringify would escape the lone surrogate as \ud800, which is what a client sends.
    const response = await http.post('/api/v1/customers', { items });
    expect(response.status).toBe(422);
    expect((await problemOf(response)).errors).toEqual([
      expect.objectContaining({
        item: 0,
        field: 'legalName',
        code: 'errors.import.bad_character',
        message: expect.stringContaining('cannot be stored'),
      }),
      expect.objectContaining({ item: 1, field: 'aliases', code: 'errors.import.bad_character' }),
    ]);
    expect(await countRows(database, 'customers')).toBe(before);
  });

  it('explains the refusal in Japanese for Accept-Language: ja', async () => {
    const items = [{ code: 'T903', country: 'JP', currency: 'JPY' }];
    const response = await http.post('/api/v1/customers', { items }, { 'Accept-Language': 'ja' });
    expect(response.headers.get('content-language')).toBe('ja');
    const problem = await problemOf(response);
    expect(problem.title).toBe('受け付けられない明細があります');
    expect(problem.detail).toContain('1 件中 1 件の明細に誤りがある');
    expect(problem.errors).toEqual([
      expect.objectContaining({ item: 0, field: 'legalName', message: 'legalName は必須です。' }),
    ]);
  });

  it('explains it in Chinese for zh-CN', async () => {
    const items = [{ ...customers[0], code: 'T904', currency: 'XXY' }];
    const response = await http.post(
      '/api/v1/customers',
      { items },
      { 'Accept-Language': 'zh-CN,zh;q=0.9' },
    );
    const problem = await problemOf(response);
    expect(problem.title).toBe('部分记录未通过校验');
    expect(problem.errors).toEqual([
      expect.objectContaining({ field: 'currency', message: '“XXY”不是 ISO 4217 货币代码。' }),
      expect.objectContaining({ field: 'creditLimit', code: 'errors.import.no_currency' }),
    ]);
  });
});
