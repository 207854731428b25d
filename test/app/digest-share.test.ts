import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dunningList } from '../../src/app/collections.ts';
import { buildDigest, type DigestFilters } from '../../src/app/digest.ts';
import { createDigestShare } from '../../src/app/digest-share.ts';
import { DEFAULT_POLICY } from '../../src/app/policy.ts';
import { TEST_NOW, TEST_TIMEZONE, TEST_TODAY } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// The digests of a delivery round read the portfolio once and each takes its filters' share;
// every channel must still get exactly the digest it would get on its own.

describe(createDigestShare.name, () => {
  const counting = () => {
    let loads = 0;
    return {
      load: async () => {
        loads += 1;
        return loads;
      },
      loads: () => loads,
    };
  };

  it('loads a part once for callers at the same time and while it is fresh', async () => {
    let now = 0;
    const share = createDigestShare({ ttlMs: 1_000, now: () => now });
    const part = counting();
    const first = await Promise.all([share.get('a', part.load), share.get('a', part.load)]);
    now = 999;
    expect([...first, await share.get('a', part.load)]).toEqual([1, 1, 1]);
    expect(part.loads()).toBe(1);
    expect(await share.get('b', part.load)).toBe(2);
  });

  it('loads again once the part is as old as a round', async () => {
    let now = 0;
    const share = createDigestShare({ ttlMs: 1_000, now: () => now });
    const part = counting();
    await share.get('a', part.load);
    now = 1_000;
    expect(await share.get('a', part.load)).toBe(2);
  });

  it('forgets a failed load, so the next caller tries again', async () => {
    const share = createDigestShare();
    await expect(share.get('a', () => Promise.reject(new Error('database away')))).rejects.toThrow(
      'database away',
    );
    expect(await share.get('a', () => Promise.resolve('back'))).toBe('back');
  });
});

describe('buildDigest with a share', () => {
  let database: TestDatabase;
  const deps = (share?: ReturnType<typeof createDigestShare>) => ({
    store: database.store,
    clock: { now: () => TEST_NOW },
    timeZone: TEST_TIMEZONE,
    policy: DEFAULT_POLICY,
    ...(share ? { digestShare: share } : {}),
  });
  let owner: { id: number; name: string };
  let segments: string[];
  beforeAll(async () => {
    database = await createTestDatabase({ base: 'demo' });
    const { rows } = await sql<{ id: number; display_name: string }>`
      select u.id, u.display_name from users u join customers c on c.owner_user_id = u.id
      group by u.id order by count(*) desc, u.id limit 1`.execute(database.db);
    owner = { id: rows[0]?.id ?? 0, name: rows[0]?.display_name ?? '' };
    const found = await sql<{ segment: string }>`
      select distinct segment from customers order by segment`.execute(database.db);
    segments = found.rows.map((r) => r.segment);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('gives every channel the digest it would get on its own, whatever its filters', async () => {
    const share = createDigestShare();
    const filters: DigestFilters[] = [
      {},
      { currency: 'JPY' },
      { currency: 'USD' },
      ...segments.map((segment) => ({ segment })),
      { segment: segments[0] ?? 'standard', currency: 'CNY' },
      { owner: owner.name },
      { owner: String(owner.id), currency: 'JPY' },
    ];
    for (const f of filters) {
      const alone = await buildDigest(deps(), { asOf: TEST_TODAY, filters: f });
      const shared = await buildDigest(deps(share), { asOf: TEST_TODAY, filters: f });
      expect(shared, JSON.stringify(f)).toEqual(alone);
    }
    const all = await buildDigest(deps(share), { asOf: TEST_TODAY });
    expect(all.topOverdue.length).toBeGreaterThan(0);
    expect(all.dunning.length).toBeGreaterThan(0);
  });

  it('names an owner by name or by user id alike', async () => {
    const share = createDigestShare();
    const byName = await buildDigest(deps(share), {
      asOf: TEST_TODAY,
      filters: { owner: owner.name },
    });
    const byId = await buildDigest(deps(share), {
      asOf: TEST_TODAY,
      filters: { owner: String(owner.id) },
    });
    expect(byId.topOverdue).toEqual(byName.topOverdue);
    expect(byName.topOverdue.length).toBeGreaterThan(0);
    expect(byName.topOverdue.every((c) => c.ownerName === owner.name)).toBe(true);
  });

  it('lists the dunning steps of dunningList, leaving out whom a promise holds back', async () => {
    const list = await dunningList(database.store, TEST_TODAY, DEFAULT_POLICY.dunning, {
      timeZone: TEST_TIMEZONE,
    });
    // The demo ledger has customers a promise to pay holds back: the case to get right.
    expect(list.paused.length).toBeGreaterThan(0);
    const digest = await buildDigest(deps(createDigestShare()), { asOf: TEST_TODAY });
    expect(digest.dunning.map((d) => d.code)).toEqual(list.due.map((d) => d.code));
    const held = new Set(list.paused.map((p) => p.code));
    expect(digest.dunning.some((d) => held.has(d.code))).toBe(false);
  });

  it('shows the figures of the start of the round until the round is over', async () => {
    let now = 0;
    const share = createDigestShare({ ttlMs: 60_000, now: () => now });
    const before = await buildDigest(deps(share), { asOf: TEST_TODAY });
    // An invoice is settled in full while the round is under way.
    const { rows } = await sql<{ id: number; currency: string; open: number }>`
      select id, currency, open_amount_minor as open from invoices
      where open_amount_minor > 0 and not disputed order by id limit 1`.execute(database.db);
    const invoice = rows[0];
    if (!invoice) throw new Error('the demo ledger has no open invoice');
    await sql`update invoices set open_amount_minor = 0, settled_on = ${TEST_TODAY}
      where id = ${invoice.id}`.execute(database.db);
    const exposure = (d: typeof before) =>
      d.positions.find((p) => p.currency === invoice.currency)?.exposureMinor ?? 0;
    now = 59_999;
    expect(exposure(await buildDigest(deps(share), { asOf: TEST_TODAY }))).toBe(exposure(before));
    now = 60_000;
    const next = await buildDigest(deps(share), { asOf: TEST_TODAY });
    expect(exposure(next)).toBe(exposure(before) - invoice.open);
    expect(next).toEqual(await buildDigest(deps(), { asOf: TEST_TODAY }));
  });
});
