import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTENTION_SHOWN, type HomeDeps, homeOverview } from '../../src/app/home.ts';
import { DEFAULT_POLICY } from '../../src/app/policy.ts';
import type { User } from '../../src/app/ports.ts';
import type { Role } from '../../src/domain/credit.ts';
import type { IsoDate } from '../../src/domain/dates.ts';
import { money } from '../../src/domain/money.ts';
import { TEST_NOW, TEST_TIMEZONE } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { addCustomer, addInvoices } from './assessment-fixture.ts';
import { insertLedger } from './ledger-fixture.ts';

// Today is Monday 2026-11-23 in Tokyo; "this week" runs to Sunday 2026-11-29.

let database: TestDatabase;
let deps: HomeDeps;

async function addUser(displayName: string, role: Role = 'collector'): Promise<User> {
  const row = await database.db
    .insertInto('users')
    .values({ display_name: displayName, role, locale: null, timezone: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, displayName, role, locale: null };
}

/** A customer `owner` owns, with one open invoice issued on `issuedOn` (due 30 days later). */
async function owned(
  owner: User,
  c: {
    code: string;
    limitMinor: number;
    issuedOn: IsoDate;
    amountMinor: number;
    currency?: string;
  },
): Promise<number> {
  const id = await addCustomer(database.db, { ...c });
  await database.db
    .updateTable('customers')
    .set({ owner_user_id: owner.id })
    .where('id', '=', id)
    .execute();
  await addInvoices(database.db, id, [c], c.currency ?? 'JPY');
  return id;
}

async function addPromise(
  customerId: number,
  promisedOn: IsoDate,
  amountMinor: number,
  status = 'pending',
): Promise<void> {
  await database.db
    .insertInto('promises')
    .values({
      customer_id: customerId,
      promised_on: promisedOn,
      currency: 'JPY',
      amount_minor: amountMinor,
      status,
      resolved_on: status === 'pending' ? null : promisedOn,
      created_at: '2026-11-20T03:00:00Z',
    })
    .execute();
}

async function addRequest(
  by: User,
  customerId: number,
  r: { kind: 'limit' | 'phase'; reason: string; createdAt: string; status?: string },
): Promise<void> {
  await database.db
    .insertInto('approval_requests')
    .values({
      kind: r.kind,
      customer_id: customerId,
      requested_by_user_id: by.id,
      requested_by_label: by.displayName,
      payload: JSON.stringify({ to: { minor: 20_000_000, currency: 'JPY' } }),
      reason: r.reason,
      status: r.status ?? 'pending',
      created_at: r.createdAt,
    })
    .execute();
}

let me: User;
let other: User;
const ids: Record<string, number> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  deps = {
    store: database.store,
    clock: { now: () => TEST_NOW },
    timeZone: TEST_TIMEZONE,
    policy: DEFAULT_POLICY,
  };
  me = await addUser('Sato Hanako');
  other = await addUser('Yamada Taro');
  // Red: 95 days overdue (due 2026-08-20).
  ids.late = await owned(me, {
    code: 'H-LATE',
    limitMinor: 10_000_000,
    issuedOn: '2026-07-21',
    amountMinor: 5_000_000,
  });
  // Red: over its limit, nothing overdue.
  ids.over = await owned(me, {
    code: 'H-OVER',
    limitMinor: 1_000_000,
    issuedOn: '2026-11-20',
    amountMinor: 2_000_000,
  });
  // Red: trades in dollars with no limit granted.
  ids.usd = await owned(me, {
    code: 'H-USD',
    limitMinor: 0,
    issuedOn: '2026-11-20',
    amountMinor: 100_000,
    currency: 'USD',
  });
  // Yellow: 10 days overdue.
  ids.slow = await owned(me, {
    code: 'H-SLOW',
    limitMinor: 10_000_000,
    issuedOn: '2026-10-14',
    amountMinor: 1_000_000,
  });
  // Green: within limit, nothing due yet.
  ids.fine = await owned(me, {
    code: 'H-FINE',
    limitMinor: 10_000_000,
    issuedOn: '2026-11-20',
    amountMinor: 1_000_000,
  });
  // Red, but someone else's.
  ids.theirs = await owned(other, {
    code: 'H-THEIRS',
    limitMinor: 1_000_000,
    issuedOn: '2026-07-21',
    amountMinor: 5_000_000,
  });

  await addPromise(ids.slow, '2026-11-24', 500_000);
  await addPromise(ids.late, '2026-11-24', 300_000);
  await addPromise(ids.fine, '2026-11-29', 700_000);
  await addPromise(ids.slow, '2026-11-30', 900_000);
  await addPromise(ids.late, '2026-11-25', 400_000, 'kept');
  await addPromise(ids.late, '2026-11-26', 400_000, 'broken');
  await addPromise(ids.theirs, '2026-11-24', 800_000);

  await addRequest(me, ids.over, {
    kind: 'phase',
    reason: 'Repeated late payment',
    createdAt: '2026-11-23T01:00:00Z',
  });
  await addRequest(me, ids.late, {
    kind: 'limit',
    reason: 'Seasonal orders',
    createdAt: '2026-11-20T01:00:00Z',
  });
  await addRequest(me, ids.slow, {
    kind: 'limit',
    reason: 'Decided already',
    createdAt: '2026-11-10T01:00:00Z',
    status: 'approved',
  });
  await addRequest(other, ids.theirs, {
    kind: 'limit',
    reason: 'Not mine',
    createdAt: '2026-11-01T01:00:00Z',
  });
});
afterAll(async () => {
  await database?.close();
});

describe(homeOverview.name, () => {
  it('lists the user’s own red customers, then yellow ones, and never green or others’', async () => {
    const { asOf, attention } = await homeOverview(deps, me);
    expect(asOf).toBe('2026-11-23');
    // Red by exposure within a currency (yen before dollars), then yellow.
    expect(attention.items.map((i) => [i.code, i.colour])).toEqual([
      ['H-LATE', 'red'],
      ['H-OVER', 'red'],
      ['H-USD', 'red'],
      ['H-SLOW', 'yellow'],
    ]);
    expect(attention.more).toBe(0);
    expect(attention.items[0]).toMatchObject({
      legalName: 'Test H-LATE Ltd.',
      reasons: ['long_overdue'],
      exposure: money(5_000_000, 'JPY'),
      limit: money(10_000_000, 'JPY'),
      utilisationBp: 5_000,
      maxDaysOverdue: 95,
    });
    expect(attention.items[1]).toMatchObject({ reasons: ['over_limit'], utilisationBp: 20_000 });
    expect(attention.items[2]).toMatchObject({
      exposure: money(100_000, 'USD'),
      utilisationBp: undefined,
    });
    expect(attention.items[3]).toMatchObject({ reasons: ['overdue'], maxDaysOverdue: 10 });
  });

  it('lists pending promises on the user’s customers due from today to six days on', async () => {
    const { promisesDue } = await homeOverview(deps, me);
    expect(promisesDue.until).toBe('2026-11-29');
    expect(promisesDue.items.map((p) => [p.promisedOn, p.code, p.amount.minor])).toEqual([
      ['2026-11-24', 'H-LATE', 300_000],
      ['2026-11-24', 'H-SLOW', 500_000],
      ['2026-11-29', 'H-FINE', 700_000],
    ]);
    expect(promisesDue.more).toBe(0);
  });

  it('leaves out a promise a payment already kept', async () => {
    const user = await addUser('Paid Up');
    const customerId = await insertLedger(database.store, {
      code: 'H-PAID',
      currency: 'JPY',
      invoices: [
        {
          number: 'I1',
          issuedOn: '2026-09-01',
          dueOn: '2026-10-01',
          currency: 'JPY',
          amount: 1_000_000,
        },
      ],
      payments: [
        { invoiceNumber: 'I1', receivedOn: '2026-11-22', currency: 'JPY', amount: 600_000 },
      ],
    });
    await database.db
      .updateTable('customers')
      .set({ owner_user_id: user.id })
      .where('id', '=', customerId)
      .execute();
    await addPromise(customerId, '2026-11-26', 500_000);
    const { promisesDue } = await homeOverview(deps, user);
    expect(promisesDue.items).toEqual([]);
  });

  it('lists the user’s own pending requests, oldest first, with their age', async () => {
    const { pendingRequests } = await homeOverview(deps, me);
    expect(
      pendingRequests.items.map((r) => [r.kind, r.code, r.legalName, r.reason, r.ageDays]),
    ).toEqual([
      ['limit', 'H-LATE', 'Test H-LATE Ltd.', 'Seasonal orders', 3],
      ['phase', 'H-OVER', 'Test H-OVER Ltd.', 'Repeated late payment', 0],
    ]);
    expect(pendingRequests.more).toBe(0);
  });

  it('gives a user with nothing empty lists', async () => {
    const newcomer = await addUser('Newcomer', 'sales');
    const overview = await homeOverview(deps, newcomer);
    expect(overview.attention).toEqual({ items: [], more: 0, owned: 0, checked: 0 });
    expect(overview.promisesDue.items).toEqual([]);
    expect(overview.pendingRequests.items).toEqual([]);
    expect(overview.approver).toBe(false);
    expect(overview.awaitingDecision).toEqual([]);
  });

  it('lists the requests an approver may decide, not their own', async () => {
    const manager = await addUser('Manager', 'credit_manager');
    const asker = await addUser('Asker', 'credit_manager');
    const customer = Object.values(ids)[0];
    if (customer === undefined) throw new Error('no customer');
    const row = await database.db
      .insertInto('approval_requests')
      .values({
        kind: 'phase',
        customer_id: customer,
        requested_by_user_id: asker.id,
        requested_by_label: asker.displayName,
        payload: JSON.stringify({ from: 'ongoing', to: 'watch' }),
        reason: 'Two payments 30+ days late',
        steps: JSON.stringify([['credit_manager', 'director']]),
        created_at: '2026-11-20T01:00:00Z',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const mine = await homeOverview(deps, manager);
    expect(mine.awaitingDecision.map((r) => r.id)).toContain(row.id);
    const theirs = await homeOverview(deps, asker);
    expect(theirs.awaitingDecision.map((r) => r.id)).not.toContain(row.id);
  });

  it('marks credit managers, directors and admins as approvers', async () => {
    for (const role of ['credit_manager', 'director', 'admin'] as const) {
      expect((await homeOverview(deps, await addUser(role, role))).approver).toBe(true);
    }
    expect((await homeOverview(deps, me)).approver).toBe(false);
  });

  it('shows at most fifteen customers and counts the rest', async () => {
    const busy = await addUser('Busy Owner');
    for (let n = 1; n <= ATTENTION_SHOWN + 2; n += 1) {
      await owned(busy, {
        code: `H-B${String(n).padStart(2, '0')}`,
        limitMinor: 10_000_000,
        issuedOn: '2026-10-14',
        amountMinor: 100_000 * n,
      });
    }
    const { attention } = await homeOverview(deps, busy);
    expect(attention.items).toHaveLength(ATTENTION_SHOWN);
    expect(attention.more).toBe(2);
    // Largest exposure first.
    expect(attention.items[0]?.code).toBe('H-B17');
    expect(attention.owned).toBe(ATTENTION_SHOWN + 2);
  });
});

describe('homeOverview on the demo ledger', () => {
  let demo: TestDatabase;
  beforeAll(async () => {
    demo = await createTestDatabase({ base: 'demo' });
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('gives the owner with the most customers a list of customers to look at', async () => {
    const busiest = await sql<{ id: number; display_name: string; role: Role; n: number }>`
      select u.id, u.display_name, u.role, count(*) as n
      from customers c join users u on u.id = c.owner_user_id
      group by u.id order by n desc, u.id limit 1`.execute(demo.db);
    const row = busiest.rows[0];
    if (!row) throw new Error('the demo ledger has no owners');
    const user: User = { id: row.id, displayName: row.display_name, role: row.role, locale: null };
    const overview = await homeOverview({ ...deps, store: demo.store }, user);
    expect(overview.attention.items.length).toBeGreaterThan(0);
    expect(overview.attention.owned).toBe(Number(row.n));
    const colours = overview.attention.items.map((i) => i.colour);
    expect(colours).toEqual([...colours].sort((a, b) => (a === b ? 0 : a === 'red' ? -1 : 1)));
  });
});
