import { describe, expect, it } from 'vitest';
import { lookUpCustomer } from '../../src/app/lookup.ts';
import { DEFAULT_POLICY } from '../../src/app/policy.ts';
import { type AgingReport, agingReport } from '../../src/app/reports.ts';
import type { CustomerSummary } from '../../src/http/reads.ts';
import { TEST_NOW, TEST_TIMEZONE, TEST_TODAY } from '../support/constants.ts';
import type { TestDatabase } from '../support/database.ts';
import { type Harness, jsonOf, problemOf, withHarness } from './http-harness.ts';

// The read side on the demo ledger: the same figures the chat card and the CLI report show.

let database: TestDatabase;
let http: Harness;

withHarness('demo', (d, h) => {
  database = d;
  http = h;
});

describe('GET /api/v1/customers/{code}', () => {
  it('answers the credit summary the chat card is made of', async () => {
    const response = await http.get('/api/v1/customers/C0001');
    expect(response.status).toBe(200);
    const summary = await jsonOf<CustomerSummary>(response);
    const deps = {
      store: database.store,
      clock: { now: () => TEST_NOW },
      timeZone: TEST_TIMEZONE,
      policy: DEFAULT_POLICY,
    };
    const card = await lookUpCustomer(deps, 'C0001');
    if (card.kind !== 'found') throw new Error('C0001 is in the demo ledger');
    expect(summary).toMatchObject({
      code: 'C0001',
      legalName: '株式会社アクメ',
      currency: 'JPY',
      phase: card.customer.phase,
      creditLimitMinor: 30_000_000,
      exposureMinor: card.customer.exposureMinor,
      utilisationBp: card.customer.utilisationBp,
      maxDaysOverdue: card.customer.maxDaysOverdue,
      status: { colour: card.customer.status.colour, reasons: card.customer.status.reasons },
      assessment: { score: 72, rating: 'B' },
      asOf: TEST_TODAY,
    });
    const own = card.customer.aging.find((row) => row.currency === 'JPY');
    expect(summary.aging[0]?.buckets.map((b) => b.amountMinor)).toEqual(own?.bucketMinor);
  });

  it('finds a customer by its exact code only', async () => {
    expect((await http.get('/api/v1/customers/C0004')).status).toBe(200);
    const response = await http.get('/api/v1/customers/acme');
    expect(response.status).toBe(404);
    expect(await problemOf(response)).toMatchObject({
      type: 'https://creditops.dev/problems/customer-not-found',
      status: 404,
      detail: 'No customer has the code “acme”.',
    });
  });

  it('answers 404, not a failure, for a code with a NUL in it', async () => {
    const response = await http.get('/api/v1/customers/C0001%00');
    expect(response.status).toBe(404);
    expect((await problemOf(response)).type).toBe(
      'https://creditops.dev/problems/customer-not-found',
    );
  });

  it('says so in Japanese', async () => {
    const response = await http.get('/api/v1/customers/C9999', { 'Accept-Language': 'ja' });
    expect((await problemOf(response)).detail).toBe('取引先コード「C9999」の取引先はありません。');
  });
});

describe('GET /api/v1/aging', () => {
  it('matches the aging report of the app layer, one entry per currency', async () => {
    const response = await http.get('/api/v1/aging?asOf=2026-11-23');
    expect(response.status).toBe(200);
    const expected = await agingReport(database.store.reports, { asOf: '2026-11-23' });
    expect(await response.json()).toEqual(expected);
    expect(expected.map((r) => r.currency).sort()).toEqual(['CNY', 'JPY', 'USD']);
  });

  it('narrows to one currency and defaults to today in the configured zone', async () => {
    const response = await http.get('/api/v1/aging?currency=usd');
    const reports = await jsonOf<AgingReport[]>(response);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ currency: 'USD', asOf: TEST_TODAY });
  });

  it.each([
    ['asOf=2026-02-30', 'asOf'],
    ['asOf=23/11/2026', 'asOf'],
    ['currency=XYZ', 'currency'],
  ])('answers 400 for %s', async (query, parameter) => {
    const response = await http.get(`/api/v1/aging?${query}`);
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.type).toBe('https://creditops.dev/problems/bad-query');
    expect(problem.detail).toContain(`The query parameter ${parameter} is not valid`);
  });
});
