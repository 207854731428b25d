import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  LINE_QUOTA_TYPE,
  type LineQuotaUsage,
  queueLineQuotaWarning,
} from '../../src/app/line-quota-warnings.ts';
import type { Identity } from '../../src/app/ports.ts';
import type { Role } from '../../src/domain/credit.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createPerson } from '../support/people.ts';

// The admins' warning that LINE pushes are running out: once a month per threshold, however
// often and from however many replicas the LINE adapter reports it, on a real engine.

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});
beforeEach(async () => {
  await database.db.deleteFrom('outbox').execute();
  await database.db.deleteFrom('platform_identities').execute();
  await database.db.deleteFrom('users').execute();
});

const user = (role: Role, ...identities: Identity[]) => createPerson(database, role, ...identities);

/** Two admins (one also on Slack) and a credit manager, who is not told. */
async function team(): Promise<void> {
  await user(
    'admin',
    { platform: 'line', externalId: 'U0ADMIN1' },
    { platform: 'slack', externalId: 'UA1' },
  );
  await user('admin', { platform: 'line', externalId: 'U0ADMIN2' });
  await user('admin', { platform: 'console', externalId: 'root' });
  await user('credit_manager', { platform: 'slack', externalId: 'UCM' });
}

const usage = (o: Partial<LineQuotaUsage> = {}): LineQuotaUsage => ({
  month: '2026-11',
  threshold: 80,
  used: 170,
  limit: 200,
  lineQuota: 200,
  cap: undefined,
  ...o,
});

const warn = (o: Partial<LineQuotaUsage> = {}) =>
  queueLineQuotaWarning(database.store, { ...usage(o), reachable: ['slack', 'line'] });

const queued = () =>
  database.db
    .selectFrom('outbox')
    .select(['platform', 'channel_external_id as channel', 'kind', 'subject_id', 'payload'])
    .where('subject_type', '=', LINE_QUOTA_TYPE)
    .orderBy('id')
    .execute();

describe(queueLineQuotaWarning.name, () => {
  it('tells each admin once a month at 80 %, by DM on another platform than LINE if they have one', async () => {
    await team();

    expect(await warn()).toBe(2);
    expect(await warn({ used: 176 })).toBe(0);

    const rows = await queued();
    expect(rows.map((r) => [r.platform, r.channel, r.kind, r.subject_id])).toEqual([
      ['slack', 'UA1', 'direct', '2026-11:80'],
      ['line', 'U0ADMIN2', 'direct', '2026-11:80'],
    ]);
    expect(rows[0]?.payload).toEqual({
      type: 'line_quota',
      month: '2026-11',
      threshold: 80,
      used: 170,
      limit: 200,
      lineQuota: 200,
      cap: null,
    });
  });

  it('tells them again in a new month', async () => {
    await team();
    await warn();
    expect(await warn({ month: '2026-12', used: 161 })).toBe(2);
    expect((await queued()).map((r) => r.subject_id)).toEqual([
      '2026-11:80',
      '2026-11:80',
      '2026-12:80',
      '2026-12:80',
    ]);
  });

  it('warns once more, separately, when the limit is reached', async () => {
    await team();
    await warn();
    expect(await warn({ threshold: 100, used: 200, cap: 200, lineQuota: 500 })).toBe(2);
    expect(await warn({ threshold: 100, used: 200, cap: 200, lineQuota: 500 })).toBe(0);
    const rows = await queued();
    expect(rows.map((r) => r.subject_id)).toEqual([
      '2026-11:80',
      '2026-11:80',
      '2026-11:100',
      '2026-11:100',
    ]);
    expect(rows[2]?.payload).toMatchObject({ threshold: 100, used: 200, limit: 200, cap: 200 });
  });

  it('queues one warning when replicas report the same threshold at the same time', async () => {
    await team();
    const counts = await Promise.all([
      queueLineQuotaWarning(database.store, { ...usage(), reachable: ['slack', 'line'] }),
      queueLineQuotaWarning(database.store, { ...usage(), reachable: ['slack', 'line'] }),
      queueLineQuotaWarning(database.store, { ...usage(), reachable: ['slack', 'line'] }),
    ]);
    expect(counts.sort()).toEqual([0, 0, 2]);
    expect(await queued()).toHaveLength(2);
  });

  it('reaches an admin on LINE only when LINE is all the bot sends to', async () => {
    await team();
    expect(await queueLineQuotaWarning(database.store, { ...usage(), reachable: ['line'] })).toBe(
      2,
    );
    expect((await queued()).map((r) => [r.platform, r.channel])).toEqual([
      ['line', 'U0ADMIN1'],
      ['line', 'U0ADMIN2'],
    ]);
  });
});
