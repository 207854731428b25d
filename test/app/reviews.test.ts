import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/app/policy.ts';
import { type ReviewsDeps, reviewsReport } from '../../src/app/reviews.ts';
import { daysBetween } from '../../src/domain/dates.ts';
import { TEST_NOW, TEST_TIMEZONE, TEST_TODAY } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let deps: ReviewsDeps;

beforeAll(async () => {
  database = await createTestDatabase({ base: 'demo' });
  deps = {
    store: database.store,
    policy: DEFAULT_POLICY,
    clock: { now: () => TEST_NOW },
    timeZone: TEST_TIMEZONE,
  };
});
afterAll(async () => {
  await database?.close();
});

describe(reviewsReport.name, () => {
  it('lists overdue reviews longest first, then those due within the policy’s days', async () => {
    const report = await reviewsReport(deps, { asOf: TEST_TODAY });
    expect(report).toMatchObject({ asOf: TEST_TODAY, dueWithinDays: 7 });
    expect(report.reviews.length).toBeGreaterThan(3);
    for (const r of report.reviews) {
      const daysLeft = daysBetween(TEST_TODAY, r.nextReviewOn);
      expect(daysLeft).toBeLessThanOrEqual(7);
      expect(r.state).toBe(daysLeft < 0 ? 'overdue' : 'due');
      expect(r.daysOverdue).toBe(Math.max(0, -daysLeft));
    }
    const dates = report.reviews.map((r) => r.nextReviewOn);
    expect(dates).toEqual([...dates].sort());
    // 深圳龙腾科技 was rated E on 2026-10-21: reviewed monthly, so two days overdue.
    expect(report.reviews.find((r) => r.code === 'C0007')).toMatchObject({
      rating: 'E',
      ownerName: '李娜',
      nextReviewOn: '2026-11-21',
      state: 'overdue',
      daysOverdue: 2,
    });
  });
});
