import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertJobs } from '../../src/jobs/alerts-job.ts';
import { loadPolicy } from '../../src/policy-files.ts';
import { insertLedger } from '../app/ledger-fixture.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { schedulerReplicas, tickAll } from '../support/replicas.ts';

// The alert jobs on the real scheduler, two replicas side by side, on a moving clock in
// Tokyo: an import's customers within the minute, everyone once a day, nothing otherwise.

const TZ = 'Asia/Tokyo';
let database: TestDatabase;
let now: Date;
let customerId: number;

beforeAll(async () => {
  database = await createTestDatabase({ base: 'empty' });
  // Due 2026-10-24: 30 days overdue on 2026-11-23.
  customerId = await insertLedger(database.store, {
    code: 'J0001',
    currency: 'JPY',
    invoices: [
      {
        number: 'INV-30',
        issuedOn: '2026-09-24',
        dueOn: '2026-10-24',
        currency: 'JPY',
        amount: 500_000,
      },
    ],
    payments: [],
  });
  await database.db
    .updateTable('customers')
    .set({ credit_limit_minor: 10_000_000 })
    .where('id', '=', customerId)
    .execute();
});
afterAll(async () => {
  await database?.close();
});

async function tickBoth(at: string) {
  now = new Date(at);
  const deps = {
    store: database.store,
    clock: { now: () => now },
    timeZone: TZ,
    policy: loadPolicy(),
  };
  return tickAll(schedulerReplicas({ jobs: alertJobs(deps), db: database.db, clock: deps.clock }));
}

const alertCount = async () =>
  Number(
    (await sql<{ n: number }>`select count(*)::int4 as n from alerts`.execute(database.db)).rows[0]
      ?.n,
  );

describe('the alert jobs', () => {
  it('evaluate the whole portfolio once a day, just after local midnight', async () => {
    // A first start at 00:05 in Tokyo catches up the 22nd: 29 days overdue, nothing yet.
    expect(await tickBoth('2026-11-22T15:05:00Z')).toEqual([
      { job: 'alerts-daily', slot: '2026-11-22', status: 'done' },
    ]);
    expect(await alertCount()).toBe(0);
    // At 00:10 the 23rd's run, once across both replicas: the invoice is 30 days overdue.
    const runs = await tickBoth('2026-11-22T15:10:00Z');
    expect(runs).toEqual([{ job: 'alerts-daily', slot: '2026-11-23', status: 'done' }]);
    expect(await alertCount()).toBe(1);
    expect(await tickBoth('2026-11-22T15:11:00Z')).toEqual([]);
  });

  it('claim no slot in a minute when no import marked anyone', async () => {
    const rows = await database.db
      .selectFrom('job_runs')
      .select('job')
      .where('job', '=', 'alerts-after-import')
      .execute();
    expect(rows).toEqual([]);
  });

  it('evaluate an imported customer within the minute, once', async () => {
    await database.store.ledger.markAlertsDue([customerId]);
    await database.db
      .updateTable('customers')
      .set({ credit_limit_minor: 100_000 })
      .where('id', '=', customerId)
      .execute();
    const runs = await tickBoth('2026-11-23T01:00:30Z');
    expect(runs).toEqual([
      { job: 'alerts-after-import', slot: '2026-11-23T01:00', status: 'done' },
    ]);
    expect(await alertCount()).toBe(2);
    const due = await database.db
      .selectFrom('customers')
      .select('alerts_due')
      .where('id', '=', customerId)
      .executeTakeFirstOrThrow();
    expect(due.alerts_due).toBe(false);
  });
});
