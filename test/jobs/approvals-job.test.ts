import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApprovalDeps, requestProposals } from '../../src/app/approvals.ts';
import { approvalsJob } from '../../src/jobs/approvals-job.ts';
import type { Scheduler } from '../../src/jobs/scheduler.ts';
import { approvalDeps } from '../app/approval-fixture.ts';
import { TEST_NOW } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { schedulerReplicas, tickAll } from '../support/replicas.ts';

// Approval expiry on the scheduler: two replicas, one run per 5-minute slot, each late request
// expired (and announced) once.

let database: TestDatabase;
let deps: ApprovalDeps;
let now = TEST_NOW;
let replicas: Scheduler[];

beforeAll(async () => {
  database = await createTestDatabase({ base: 'demo' });
  deps = approvalDeps(database.store, { now: () => now });
  replicas = schedulerReplicas({ jobs: [approvalsJob(deps)], db: database.db, clock: deps.clock });
});
afterAll(async () => {
  await database?.close();
});

async function tickAt(iso: string) {
  now = new Date(iso);
  return tickAll(replicas);
}

describe(approvalsJob.name, () => {
  it('expires late requests once across replicas, one run per 5-minute slot', async () => {
    const { requested } = await requestProposals(deps);
    expect(requested.length).toBeGreaterThan(0);

    // A month later, both replicas tick at 09:02 and 09:04 UTC, then at 09:05.
    const first = await tickAt('2026-12-23T09:02:00Z');
    expect(first).toEqual([{ job: 'approvals', slot: '2026-12-23T09:00Z', status: 'done' }]);
    expect(await tickAt('2026-12-23T09:04:59Z')).toEqual([]);
    expect(await tickAt('2026-12-23T09:05:00Z')).toEqual([
      { job: 'approvals', slot: '2026-12-23T09:05Z', status: 'done' },
    ]);

    const statuses = await database.db
      .selectFrom('approval_requests')
      .select('status')
      .where(
        'id',
        'in',
        requested.map((v) => v.id),
      )
      .execute();
    expect(statuses.every((r) => r.status === 'expired')).toBe(true);
    const expired = await database.db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'approval.expired')
      .execute();
    expect(expired.map((e) => Number(e.entity_id)).sort((x, y) => x - y)).toEqual(
      requested.map((v) => v.id).sort((x, y) => x - y),
    );
  });
});
