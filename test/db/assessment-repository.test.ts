import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, inputsFromFacts, ledgerWindow } from '../../src/app/assessments.ts';
import { DEFAULT_POLICY } from '../../src/app/policy.ts';
import { agingBuckets } from '../../src/domain/aging.ts';
import { TEST_TIMEZONE, TEST_TODAY } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// The repository on the demo ledger: the same figures as the reports and the card, and the
// demo's own assessments reproduced from what the database holds.

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ base: 'demo' });
});
afterAll(async () => {
  await database?.close();
});

async function idOf(code: string): Promise<number> {
  const ref = (await database.store.ledger.customersByCode([code])).get(code);
  if (!ref) throw new Error(`${code} is in the demo ledger`);
  return ref.id;
}

describe('assessment repository', () => {
  it('reads payment behaviour with the SQL of the payment-behaviour report', async () => {
    const window = ledgerWindow(TEST_TODAY);
    const facts = await database.store.assessments.scoreFacts({
      selection: { all: true },
      asOf: TEST_TODAY,
      from: window.from,
      timeZone: TEST_TIMEZONE,
    });
    const report = await database.store.reports.paymentBehaviour(window);
    expect(facts).toHaveLength(200);
    const byCode = new Map(report.map((r) => [r.customerCode, r]));
    for (const f of facts) {
      const r = byCode.get(f.code);
      expect([f.settledCount, f.lateCount, f.totalDaysLate], f.code).toEqual([
        r?.settledCount ?? 0,
        r?.lateCount ?? 0,
        r?.totalDaysLate ?? 0,
      ]);
    }
    expect(facts.filter((f) => f.settledCount > 0).length).toBeGreaterThan(150);
  });

  it('reproduces every named demo customer’s latest score and limit from the database', async () => {
    for (const code of ['C0001', 'C0002', 'C0003', 'C0004', 'C0005', 'C0006', 'C0007', 'C0008']) {
      const customerId = await idOf(code);
      const seeded = await database.db
        .selectFrom('credit_assessments')
        .select(['score', 'rating', 'recommended_limit_minor', 'inputs'])
        .where('customer_id', '=', customerId)
        .orderBy('assessed_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      const asOf = (seeded.inputs as { asOf: string }).asOf;
      const [facts] = await database.store.assessments.scoreFacts({
        selection: { customerIds: [customerId] },
        asOf,
        from: ledgerWindow(asOf).from,
        timeZone: TEST_TIMEZONE,
      });
      if (!facts) throw new Error(`no facts for ${code}`);
      const again = evaluate(inputsFromFacts(facts, asOf), DEFAULT_POLICY);
      expect(
        {
          score: again.assessment.score,
          rating: again.assessment.rating,
          limit: again.recommendation.recommendedMinor,
        },
        code,
      ).toEqual({
        score: seeded.score,
        rating: seeded.rating,
        limit: seeded.recommended_limit_minor,
      });
    }
  });

  it('counts days overdue for the phase rules as the card does', async () => {
    for (const code of ['C0001', 'C0005']) {
      const customerId = await idOf(code);
      const [facts] = await database.store.assessments.phaseFacts({
        selection: { customerIds: [customerId] },
        asOf: TEST_TODAY,
        timeZone: TEST_TIMEZONE,
        minDaysOverdue: 1,
        brokenSince: TEST_TODAY,
        eventsSince: TEST_TODAY,
      });
      const snapshot = await database.store.customers.snapshot({
        customerId,
        asOf: TEST_TODAY,
        buckets: agingBuckets(),
      });
      expect(facts?.maxDaysOverdue, code).toBe(snapshot?.maxDaysOverdue);
      expect(facts?.maxDaysOverdue, code).toBeGreaterThan(60);
    }
  });
});
