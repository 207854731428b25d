import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDigest, snapshotPortfolio } from '../../src/app/digest.ts';
import { DEFAULT_POLICY } from '../../src/app/policy.ts';
import { agingReport } from '../../src/app/reports.ts';
import { TEST_NOW, TEST_TIMEZONE, TEST_TODAY } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// 2026-11-23 is a Monday: its previous business day is Friday 2026-11-20.
const FRIDAY = '2026-11-20';

describe(buildDigest.name, () => {
  let database: TestDatabase;
  const deps = () => ({
    store: database.store,
    clock: { now: () => TEST_NOW },
    timeZone: TEST_TIMEZONE,
    policy: DEFAULT_POLICY,
  });
  beforeAll(async () => {
    database = await createTestDatabase({ base: 'demo' });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('shows per currency the exposure and overdue of the portfolio aging report', async () => {
    const digest = await buildDigest(deps(), { asOf: TEST_TODAY });
    const aging = await agingReport(database.store.reports, {
      asOf: TEST_TODAY,
      edges: DEFAULT_POLICY.aging.edges,
    });
    expect(aging.length).toBeGreaterThan(0);
    expect(
      digest.positions.map((p) => [p.currency, p.exposureMinor, p.overdueMinor, p.aging.buckets]),
    ).toEqual(aging.map((a) => [a.currency, a.totalMinor, a.overdueMinor, a.buckets]));
    expect(digest.positions.every((p) => p.vsPreviousBusinessDay === undefined)).toBe(true);
  });

  it('shows the change against the snapshot of the previous business day', async () => {
    await snapshotPortfolio(deps(), FRIDAY);
    await snapshotPortfolio(deps(), TEST_TODAY);
    const digest = await buildDigest(deps(), { asOf: TEST_TODAY });
    expect(digest.previousBusinessDay).toBe(FRIDAY);
    const friday = await agingReport(database.store.reports, {
      asOf: FRIDAY,
      edges: DEFAULT_POLICY.aging.edges,
    });
    for (const p of digest.positions) {
      const before = friday.find((f) => f.currency === p.currency);
      expect(p.vsPreviousBusinessDay).toEqual({
        exposureMinor: p.exposureMinor - (before?.totalMinor ?? 0),
        overdueMinor: p.overdueMinor - (before?.overdueMinor ?? 0),
      });
    }
  });

  it('shows only the currency the channel filters on', async () => {
    const all = await buildDigest(deps(), { asOf: TEST_TODAY });
    const currency = all.positions[0]?.currency ?? 'JPY';
    const digest = await buildDigest(deps(), { asOf: TEST_TODAY, filters: { currency } });
    expect(digest.positions.map((p) => p.currency)).toEqual([currency]);
    expect(digest.kpis.every((k) => k.currency === currency)).toBe(true);
    expect(
      [...digest.topOverdue, ...digest.strategicOverdue].every((c) => c.currency === currency),
    ).toBe(true);
  });

  it('lists the largest overdue customers first, at most five per currency, strategic apart', async () => {
    const digest = await buildDigest(deps(), { asOf: TEST_TODAY });
    expect(digest.topOverdue.length).toBeGreaterThan(0);
    for (const currency of new Set(digest.topOverdue.map((c) => c.currency))) {
      const amounts = digest.topOverdue
        .filter((c) => c.currency === currency)
        .map((c) => c.overdueMinor);
      expect(amounts.length).toBeLessThanOrEqual(5);
      expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    }
    expect(digest.topOverdue.every((c) => !c.strategic && c.overdueMinor > 0)).toBe(true);
    expect(digest.strategicOverdue.every((c) => c.strategic)).toBe(true);
  });

  it('writes the snapshot once however often it runs', async () => {
    const first = await snapshotPortfolio(deps(), TEST_TODAY);
    const again = await snapshotPortfolio(deps(), TEST_TODAY);
    const stored = await database.store.digests.snapshotsOn(TEST_TODAY);
    expect(again).toEqual(first);
    expect(stored).toEqual(first);
    expect(stored.every((s) => s.customers > 0)).toBe(true);
  });
});
