import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobRunStore } from '../../src/db/job-run-repository.ts';
import { promisesJob, pruneRunsJob, snapshotJob } from '../../src/jobs/daily-jobs.ts';
import type { ScheduledJob } from '../../src/jobs/scheduler.ts';
import { loadPolicy } from '../../src/policy-files.ts';
import { insertLedger } from '../app/ledger-fixture.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { schedulerReplicas, tickAll } from '../support/replicas.ts';

// The once-a-day jobs on the real scheduler and database, in Tokyo time, on a moving clock:
// promises broken overnight, the closing portfolio snapshot, and forgetting old runs.

const TZ = 'Asia/Tokyo';
let database: TestDatabase;
let now: Date;
let customerId: number;
const clock = { now: () => now };

beforeAll(async () => {
  database = await createTestDatabase({ base: 'empty' });
  customerId = await insertLedger(database.store, {
    code: 'D0001',
    currency: 'JPY',
    invoices: [
      {
        number: 'INV-1',
        issuedOn: '2026-10-01',
        dueOn: '2026-10-31',
        currency: 'JPY',
        amount: 3_000_000,
      },
    ],
    payments: [],
  });
});
afterAll(async () => {
  await database?.close();
});

/** Two replicas ticking side by side at `at`. */
async function tickBoth(jobs: (id: string) => ScheduledJob[], at: string) {
  now = new Date(at);
  return tickAll(schedulerReplicas({ jobs, db: database.db, clock }));
}

const runsOf = (job: string) =>
  database.db
    .selectFrom('job_runs')
    .select(['slot', 'status'])
    .where('job', '=', job)
    .orderBy('slot')
    .execute();

describe(promisesJob.name, () => {
  it('breaks a promise whose date passed unpaid just after local midnight, once', async () => {
    await database.db
      .insertInto('promises')
      .values({
        customer_id: customerId,
        promised_on: '2026-11-20',
        currency: 'JPY',
        amount_minor: 1_000_000,
        created_at: new Date('2026-11-18T01:00:00Z'),
      })
      .execute();
    const job = () => [promisesJob({ store: database.store, timeZone: TZ })];
    const status = async () =>
      database.db
        .selectFrom('promises')
        .select(['status', 'resolved_on'])
        .where('customer_id', '=', customerId)
        .executeTakeFirstOrThrow();

    // 23:59 on the 20th in Tokyo: the promised day is not over.
    await tickBoth(job, '2026-11-20T14:59:00Z');
    expect(await status()).toEqual({ status: 'pending', resolved_on: null });
    // 00:05 on the 21st.
    const runs = await tickBoth(job, '2026-11-20T15:05:00Z');
    expect(runs).toEqual([{ job: 'promises', slot: '2026-11-21', status: 'done' }]);
    expect(await status()).toEqual({ status: 'broken', resolved_on: '2026-11-21' });
    const audit = await database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'promise')
      .execute();
    expect(audit).toEqual([{ action: 'promise.broken' }]);
  });
});

describe(snapshotJob.name, () => {
  it('writes the day’s closing snapshot at 23:30 with no digest subscribed, and catches up once', async () => {
    const deps = { store: database.store, clock, timeZone: TZ, policy: loadPolicy() };
    const job = () => [snapshotJob(deps)];
    const snapshot = (on: string) =>
      database.db
        .selectFrom('portfolio_snapshots')
        .select(['currency', 'exposure_minor'])
        .where('snapshot_on', '=', on)
        .execute();

    // 23:29 in Tokyo: the day's is not due yet (the day before's, missed, is caught up).
    await tickBoth(job, '2026-11-24T14:29:00Z');
    expect(await snapshot('2026-11-24')).toEqual([]);
    expect(await snapshot('2026-11-23')).toHaveLength(1);
    // The bot was down at 23:30 and starts at 08:00 the next morning.
    await tickBoth(job, '2026-11-24T23:00:00Z');
    await tickBoth(job, '2026-11-24T23:01:00Z');
    expect(await snapshot('2026-11-24')).toEqual([{ currency: 'JPY', exposure_minor: 3_000_000 }]);
    expect(await runsOf('portfolio-snapshot')).toEqual([
      { slot: '2026-11-23', status: 'done' },
      { slot: '2026-11-24', status: 'done' },
    ]);
  });
});

describe(pruneRunsJob.name, () => {
  it('forgets runs older than 30 days at 03:00 and keeps the rest', async () => {
    const runs = createJobRunStore(database.db);
    for (const [slot, at] of [
      ['old', '2026-10-20T00:00:00Z'],
      ['recent', '2026-11-01T00:00:00Z'],
    ] as const) {
      await runs.claim({ job: 'sample', slot, claimedBy: 'x', at: new Date(at) });
    }
    const job = () => [pruneRunsJob({ runs, clock, timeZone: TZ })];

    // 03:00 on 2026-11-25 in Tokyo: 30 days back is 2026-10-25 18:00 UTC.
    await tickBoth(job, '2026-11-24T18:00:00Z');

    expect(await runsOf('sample')).toEqual([{ slot: 'recent', status: 'running' }]);
    expect(await runsOf('prune-job-runs')).toEqual([{ slot: '2026-11-25', status: 'done' }]);
  });

  it('never keeps fewer days than the scheduler looks back for missed slots', async () => {
    const runs = createJobRunStore(database.db);
    await runs.claim({
      job: 'sample',
      slot: 'yesterday',
      claimedBy: 'x',
      at: new Date('2026-11-25T12:00:00Z'),
    });
    const job = () => [pruneRunsJob({ runs, clock, timeZone: TZ }, { keepDays: 0 })];

    await tickBoth(job, '2026-11-25T18:00:00Z');

    expect((await runsOf('sample')).map((r) => r.slot)).toContain('yesterday');
  });
});
