import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, run } from './support/process.ts';

// `npx creditops assess` and `report reviews` on a demo ledger seeded by the real command.
let dataDir: string;
const cli = (args: string[]) => run('src/cli.ts', args, cleanEnv({ DATA_DIR: dataDir }));

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'creditops-assess-'));
  expect((await cli(['seed', '--demo'])).code).toBe(0);
}, 60_000);
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npx creditops assess', () => {
  it('assesses a customer and prints it as JSON in minor units; usage errors exit 2', async () => {
    const out = await cli(['assess', 'C0001', '--json']);
    expect(out.code).toBe(0);
    const result = JSON.parse(out.stdout);
    expect(result.failed).toEqual([]);
    expect(result.assessed).toHaveLength(1);
    const [acme] = result.assessed;
    expect(acme).toMatchObject({
      code: 'C0001',
      currency: 'JPY',
      previousRating: 'B',
      antisocialCheck: 'passed',
      asOf: result.asOf,
    });
    expect(Number.isInteger(acme.recommendedLimitMinor)).toBe(true);
    expect(acme.limitComponents.rounded).toBe(acme.recommendedLimitMinor);
    expect(acme.top.up.length).toBeGreaterThan(0);
    expect(acme.nextReviewOn > result.asOf).toBe(true);
    const usage = await cli(['assess']);
    expect(usage.code).toBe(2);
  }, 60_000);
});

describe('npx creditops report reviews', () => {
  it('lists due and overdue reviews as JSON, the just-assessed customer not among them', async () => {
    const out = await cli(['report', 'reviews', '--json']);
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report.dueWithinDays).toBe(7);
    const codes = report.reviews.map((r: { code: string }) => r.code);
    expect(codes).not.toContain('C0001');
    // Rated E 33 days before the seeding day and reviewed monthly: overdue by now.
    expect(report.reviews.find((r: { code: string }) => r.code === 'C0007')).toMatchObject({
      rating: 'E',
      state: 'overdue',
    });
  }, 60_000);
});

describe('npx creditops import events', () => {
  it('re-assesses the customers a credit event concerns: an anti-social check hit rates E', async () => {
    const file = join(dataDir, 'events.csv');
    writeFileSync(
      file,
      'source,sourceEventId,customerCode,kind,severity,occurredAt\n' +
        'screening-service,HIT-1,C0002,antisocial_hit,high,2026-11-20T10:00:00+09:00\n',
    );
    const out = await cli(['import', 'events', file]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Re-assessed 1 customer with the new data.');
    const assessed = JSON.parse((await cli(['report', 'customer', 'C0002', '--json'])).stdout);
    expect(assessed).toMatchObject({ assessment: { rating: 'E' } });
  }, 90_000);
});
