import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AssessDeps, assessCustomers } from '../../src/app/assessments.ts';
import { DEFAULT_POLICY } from '../../src/app/policy.ts';
import { proposalsReport } from '../../src/app/proposals.ts';
import { DEFAULT_SCORECARD, scoreCustomer } from '../../src/domain/scorecard.ts';
import { TEST_NOW, TEST_TIMEZONE, TEST_TODAY } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import {
  addAssessment,
  addCreditEvent,
  addCreditReport,
  addCustomer,
  addInvoices,
  type FixtureInvoice,
} from './assessment-fixture.ts';

// As of 2026-11-23 the ledger window is 2025-11-24 … 2026-11-23. Four invoices of ¥12M in
// it (¥48M of trade: ¥4M a month); three settled, one of them 5 days late (average 1.67
// days, 33.33 % late); the fourth open and 14 days overdue. One older invoice, settled 60
// days late before the window, must not count.
const INVOICES: FixtureInvoice[] = [
  { issuedOn: '2025-06-01', amountMinor: 12_000_000, settledOn: '2025-08-30' },
  { issuedOn: '2026-01-10', amountMinor: 12_000_000, settledOn: '2026-02-09' },
  { issuedOn: '2026-04-10', amountMinor: 12_000_000, settledOn: '2026-05-15' },
  { issuedOn: '2026-07-10', amountMinor: 12_000_000, settledOn: '2026-08-01' },
  { issuedOn: '2026-10-10', amountMinor: 12_000_000 },
];
// Capital ¥100M (10 % → ¥10M of capacity), revenue ¥600M, founded 25 years ago, bureau 62.
const REPORT = {
  reportedOn: '2026-11-01',
  bureauScore: 62,
  capitalMinor: 100_000_000,
  revenueMinor: 600_000_000,
  foundedOn: '2001-04-01',
};

let database: TestDatabase;
let deps: AssessDeps;
const ids: Record<'rated' | 'unreported' | 'hit' | 'risky' | 'euro', number> = {
  rated: 0,
  unreported: 0,
  hit: 0,
  risky: 0,
  euro: 0,
};

beforeAll(async () => {
  database = await createTestDatabase({ base: 'empty' });
  const db = database.db;
  deps = {
    store: database.store,
    policy: DEFAULT_POLICY,
    clock: { now: () => TEST_NOW },
    timeZone: TEST_TIMEZONE,
  };
  ids.rated = await addCustomer(db, { code: 'K1' });
  ids.unreported = await addCustomer(db, { code: 'K2' });
  ids.hit = await addCustomer(db, { code: 'K3' });
  ids.risky = await addCustomer(db, { code: 'K4' });
  ids.euro = await addCustomer(db, { code: 'K5', currency: 'EUR' });
  for (const id of [ids.rated, ids.unreported, ids.hit, ids.risky]) {
    await addInvoices(db, id, INVOICES);
  }
  await addCreditReport(db, ids.rated, { ...REPORT, pd: 0.003 });
  await addCreditReport(db, ids.hit, { ...REPORT, pd: 0.003 });
  await addCreditReport(db, ids.risky, { ...REPORT, pd: 0.025 });
  // The credit manager judged K1 a 5 last time: the judgement carries into new assessments.
  await addAssessment(db, ids.rated, {
    assessedAt: '2026-05-01T01:00:00Z',
    score: 81,
    rating: 'A',
    inputs: { qualitative: 5 },
  });
  await addCreditEvent(db, ids.hit, {
    kind: 'antisocial_hit',
    severity: 'high',
    occurredAt: '2026-10-01T00:00:00Z',
  });
});
afterAll(async () => {
  await database?.close();
});

async function latestRow(customerId: number) {
  return database.db
    .selectFrom('credit_assessments')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('assessed_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
}

async function nextReview(customerId: number) {
  const row = await database.db
    .selectFrom('customers')
    .select('next_review_on')
    .where('id', '=', customerId)
    .executeTakeFirstOrThrow();
  return row.next_review_on;
}

describe(assessCustomers.name, () => {
  it('stores each assessment with its inputs, contributions and limit, and dates the next review by rating', async () => {
    const result = await assessCustomers(deps, {
      customerIds: [ids.rated, ids.unreported, ids.hit, ids.risky, ids.euro],
      asOf: TEST_TODAY,
      actor: 'cli:tester',
      source: 'cli',
    });
    expect(result.assessed.map((a) => a.code)).toEqual(['K1', 'K2', 'K3', 'K4']);

    // K1: 25×85 + 10×85 + 10×75 + 15×85 + 15×30 + 5×60 + 5×50 + 15×100 = 7500 → 75, B.
    const k1 = await latestRow(ids.rated);
    expect(k1).toMatchObject({
      score: 75,
      rating: 'B',
      pd: 0.003,
      scorecard_version: DEFAULT_SCORECARD.version,
      source: 'cli',
      actor: 'cli:tester',
      recommended_limit_minor: 11_000_000,
    });
    expect(k1.inputs).toMatchObject({
      currency: 'JPY',
      bureauScore: 62,
      yearsInBusiness: 25,
      capitalMinor: 100_000_000,
      avgDaysLate: 1.67,
      lateShareBp: 3333,
      tradeVolumeMinor: 48_000_000,
      strategic: false,
      qualitative: 5,
      antisocialCheck: 'passed',
      asOf: TEST_TODAY,
      window: { from: '2025-11-24', to: TEST_TODAY },
      creditReport: { source: 'tdb', reportedOn: '2026-11-01' },
    });
    expect(k1.contributions).toHaveLength(8);
    // Anyone replaying the stored inputs on the same card gets the same score.
    const replay = scoreCustomer(k1.inputs as never, DEFAULT_SCORECARD);
    expect(replay.score).toBe(75);
    expect(replay.contributions).toEqual(k1.contributions);
    // Capacity ¥10M < trade cap ¥12M < authority cap ¥50M; PD 0.3 % → ×1.1 → ¥11M.
    expect(k1.limit_components).toMatchObject({
      capacity: 10_000_000,
      tradeCap: 12_000_000,
      authorityCap: 50_000_000,
      base: 10_000_000,
      multiplierBp: 11_000,
      rounded: 11_000_000,
      pdPpm: 3_000,
      flags: [],
      attention: false,
    });
    expect(await nextReview(ids.rated)).toBe('2027-11-23');

    // K2 has no credit report: bureau, age, capital and judgement score neutral → 53, C.
    const k2 = result.assessed.find((a) => a.code === 'K2');
    expect(k2).toMatchObject({ score: 53, rating: 'C', antisocialCheck: 'not_checked', pd: null });
    expect(k2?.limit.flags).toEqual(expect.arrayContaining(['no_pd', 'no_financials']));
    expect(k2?.recommendedLimitMinor).toBe(12_000_000);
    expect(await nextReview(ids.unreported)).toBe('2027-05-23');

    const audit = await database.db
      .selectFrom('audit_log')
      .select(['actor', 'entity_id', 'after'])
      .where('action', '=', 'customer.assess')
      .orderBy('id')
      .execute();
    expect(audit).toHaveLength(4);
    expect(audit[0]).toMatchObject({
      actor: 'cli:tester',
      entity_id: String(ids.rated),
      after: { score: 75, rating: 'B', nextReviewOn: '2027-11-23' },
    });
  });

  it('reflects the bureau PD in the recommended limit', async () => {
    // The same figures as K1 with a PD of 2.5 %: ×0.5 and a credit manager must look at it.
    const result = await assessCustomers(deps, {
      customerIds: [ids.risky],
      asOf: TEST_TODAY,
      actor: 'test',
      source: 'cli',
    });
    const [k4] = result.assessed;
    expect(k4?.rating).toBe('B');
    expect(k4?.limit).toMatchObject({
      base: 10_000_000,
      multiplierBp: 5_000,
      rounded: 5_000_000,
      flags: ['pd_above_threshold'],
      attention: true,
    });
    expect(k4?.recommendedLimitMinor).toBe(5_000_000);
  });

  it('stores the same score for the same inputs, run after run', async () => {
    const first = await latestRow(ids.rated);
    await assessCustomers(deps, {
      customerIds: [ids.rated],
      asOf: TEST_TODAY,
      actor: 'test',
      source: 'cli',
    });
    const second = await latestRow(ids.rated);
    expect(second.id).not.toBe(first.id);
    expect(second).toMatchObject({
      score: first.score,
      rating: first.rating,
      recommended_limit_minor: first.recommended_limit_minor,
      inputs: first.inputs,
      contributions: first.contributions,
      limit_components: first.limit_components,
    });
  });

  it('rates E and proposes watch after an anti-social forces hit', async () => {
    const k3 = await latestRow(ids.hit);
    expect(k3).toMatchObject({ rating: 'E', recommended_limit_minor: 0 });
    expect(k3.inputs).toMatchObject({ antisocialCheck: 'failed', proposals: ['watch'] });
    expect(await nextReview(ids.hit)).toBe('2026-12-23');
    const report = await proposalsReport(deps, { asOf: TEST_TODAY });
    expect(report.proposals.find((p) => p.code === 'K3')).toMatchObject({
      from: 'ongoing',
      to: 'watch',
      reasons: [{ rule: 'antisocial_check', level: 'watch' }],
    });
  });

  it('reports a customer whose currency the policy does not cover, and assesses the others', async () => {
    const result = await assessCustomers(deps, {
      all: true,
      asOf: TEST_TODAY,
      actor: 'test',
      source: 'cli',
    });
    expect(result.assessed.map((a) => a.code)).toEqual(['K1', 'K2', 'K3', 'K4']);
    expect(result.failed).toEqual([
      expect.objectContaining({
        code: 'K5',
        error: {
          code: 'errors.scorecard.currency_not_configured',
          params: { currency: 'EUR', item: 'capital' },
        },
      }),
    ]);
  });
});
