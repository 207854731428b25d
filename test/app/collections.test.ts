import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dunningList,
  evaluatePromisesAsOf,
  PROMISE_ACTOR,
  promiseReport,
} from '../../src/app/collections.ts';
import { logContact } from '../../src/app/contacts.ts';
import { DEFAULT_POLICY } from '../../src/app/policy.ts';
import type { Store, User } from '../../src/app/ports.ts';
import type { IsoDate } from '../../src/domain/dates.ts';
import { TEST_TIMEZONE, TEST_TODAY } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const TZ = TEST_TIMEZONE;

/** Noon in Tokyo on `day`. */
const noon = (day: IsoDate) => new Date(`${day}T03:00:00Z`);

async function newCustomer(
  store: Store,
  code: string,
  invoices: readonly { number: string; dueOn: IsoDate; amount: number }[],
): Promise<number> {
  return store.transaction(async (tx) => {
    const { ids } = await tx.ledger.upsertCustomers([
      { code, legalName: `テスト ${code}`, country: 'JP', currency: 'JPY' },
    ]);
    const customerId = ids[0] ?? 0;
    await tx.ledger.upsertInvoices(
      invoices.map((i) => ({
        externalId: `${code}:${i.number}`,
        customerId,
        number: i.number,
        issuedOn: '2026-08-01',
        dueOn: i.dueOn,
        currency: 'JPY',
        amount: i.amount,
        disputed: false,
      })),
      new Map(),
    );
    return customerId;
  });
}

async function pay(
  store: Store,
  customerId: number,
  payments: readonly { id: string; on: IsoDate; amount: number }[],
) {
  await store.ledger.upsertPayments(
    payments.map((p) => ({
      externalId: p.id,
      customerId,
      receivedOn: p.on,
      currency: 'JPY',
      amount: p.amount,
    })),
  );
}

describe('promises to pay', () => {
  let database: TestDatabase;
  let customerId: number;
  const collector: User = { id: 0, displayName: '佐藤 花子', role: 'collector', locale: 'ja' };

  beforeAll(async () => {
    database = await createTestDatabase({ base: 'empty' });
    const user = await database.store.users.create({
      identity: { platform: 'test', externalId: 'sato' },
      displayName: collector.displayName,
      role: 'collector',
    });
    Object.assign(collector, { id: user.id });
    customerId = await newCustomer(database.store, 'T0001', [
      { number: 'INV-1', dueOn: '2026-10-01', amount: 5_000_000 },
    ]);
    // Three promises given on 2 November, for the 10th, the 20th and the 30th.
    const deps = (day: IsoDate) => ({
      store: database.store,
      clock: { now: () => noon(day) },
      timeZone: TZ,
    });
    for (const [date, amount] of [
      ['11/10', '100万'],
      ['11/20', '200万'],
      ['11/30', '100万'],
    ] as const) {
      await logContact(deps('2026-11-02'), collector, {
        query: 'T0001',
        method: 'call',
        outcome: 'promise',
        promise: { dateText: date, amountText: amount },
        invoiceRefs: [],
        note: '',
      });
    }
  });
  afterAll(async () => {
    await database?.close();
  });

  const states = async () =>
    (
      await database.db
        .selectFrom('promises')
        .select(['promised_on', 'status', 'resolved_on'])
        .where('customer_id', '=', customerId)
        .orderBy('promised_on')
        .execute()
    ).map((p) => `${p.promised_on} ${p.status} ${p.resolved_on ?? '-'}`);

  it('keeps a promise the day payments reach it, and counts one payment only once', async () => {
    await pay(database.store, customerId, [{ id: 'P1', on: '2026-11-09', amount: 1_000_000 }]);
    const changes = await evaluatePromisesAsOf(database.store, '2026-11-12', { timeZone: TZ });
    expect(changes).toEqual([
      expect.objectContaining({ status: 'kept', resolvedOn: '2026-11-09' }),
    ]);
    expect(await states()).toEqual([
      '2026-11-10 kept 2026-11-09',
      '2026-11-20 pending -',
      '2026-11-30 pending -',
    ]);
    // Run again: nothing left to move, nothing written twice.
    expect(await evaluatePromisesAsOf(database.store, '2026-11-12', { timeZone: TZ })).toEqual([]);
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('actor', '=', PROMISE_ACTOR)
      .execute();
    expect(audit).toEqual([
      {
        action: 'promise.kept',
        before: { status: 'pending' },
        after: { status: 'kept', resolvedOn: '2026-11-09' },
      },
    ]);
  });

  it('breaks a promise the day after its date when payments fall short', async () => {
    await pay(database.store, customerId, [{ id: 'P2', on: '2026-11-15', amount: 500_000 }]);
    // Seen ahead of time, nothing is stored.
    const preview = await evaluatePromisesAsOf(database.store, '2026-11-21', {
      timeZone: TZ,
      persist: false,
    });
    expect(preview).toEqual([
      expect.objectContaining({ status: 'broken', resolvedOn: '2026-11-21' }),
    ]);
    expect((await states())[1]).toBe('2026-11-20 pending -');

    await evaluatePromisesAsOf(database.store, '2026-11-21', { timeZone: TZ });
    // The ¥1,000,000 of the 9th kept the first promise; it does not keep the third as well.
    expect(await states()).toEqual([
      '2026-11-10 kept 2026-11-09',
      '2026-11-20 broken 2026-11-21',
      '2026-11-30 pending -',
    ]);
  });

  it('lists pending promises and those kept and broken in the last 30 days', async () => {
    const report = await promiseReport(database.store, {
      asOf: '2026-11-23',
      today: '2026-11-23',
      timeZone: TZ,
    });
    expect(report.from).toBe('2026-10-25');
    expect(report.pending.map((p) => [p.promisedOn, p.amount.minor, p.daysLeft])).toEqual([
      ['2026-11-30', 1_000_000, 7],
    ]);
    expect(report.kept.map((p) => [p.code, p.resolvedOn, p.loggedBy])).toEqual([
      ['T0001', '2026-11-09', '佐藤 花子'],
    ]);
    expect(report.broken.map((p) => [p.code, p.resolvedOn])).toEqual([['T0001', '2026-11-21']]);
    expect(report.customers).toEqual([
      {
        code: 'T0001',
        legalName: 'テスト T0001',
        currency: 'JPY',
        pending: { count: 1, amountMinor: 1_000_000 },
        kept: { count: 1, amountMinor: 1_000_000 },
        broken: { count: 1, amountMinor: 2_000_000 },
      },
    ]);
    // Four weeks on, the kept one has left the window and the last one is broken.
    const later = await promiseReport(database.store, {
      asOf: '2026-12-20',
      today: '2026-11-23',
      timeZone: TZ,
    });
    expect(later.pending).toEqual([]);
    expect(later.kept).toEqual([]);
    expect(later.broken.map((p) => p.resolvedOn)).toEqual(['2026-12-01', '2026-11-21']);
    // A report for a future date stores nothing.
    expect((await states())[2]).toBe('2026-11-30 pending -');
  });

  it('pauses dunning while a promise is pending and resumes it the day after', async () => {
    const paused = await dunningList(database.store, '2026-11-23', DEFAULT_POLICY.dunning, {
      timeZone: TZ,
      customerIds: [customerId],
    });
    expect(paused.due).toEqual([]);
    expect(paused.paused).toEqual([
      expect.objectContaining({
        code: 'T0001',
        step: 'formal_notice',
        maxDaysOverdue: 53,
        pausedUntil: '2026-11-30',
      }),
    ]);
    const resumed = await dunningList(database.store, '2026-12-01', DEFAULT_POLICY.dunning, {
      timeZone: TZ,
      customerIds: [customerId],
    });
    // Still pending in the ledger (nobody evaluated it), but its date has passed.
    expect(resumed.paused).toEqual([]);
    expect(resumed.due.map((d) => [d.step, d.maxDaysOverdue])).toEqual([['suspend_shipments', 61]]);
  });
});

describe('the dunning ladder', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ base: 'demo' });
    await evaluatePromisesAsOf(database.store, TEST_TODAY, { timeZone: TZ });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('puts the demo customers on the steps their oldest overdue invoice has reached', async () => {
    const list = await dunningList(database.store, TEST_TODAY, DEFAULT_POLICY.dunning, {
      timeZone: TZ,
    });
    const due = new Map(list.due.map((d) => [d.code, d]));
    // さくら物産 and 龙腾科技 have invoices 91+ days overdue: the last step, with exactly
    // the invoices past its threshold, oldest first.
    for (const code of ['C0005', 'C0007']) {
      const entry = due.get(code);
      expect(entry?.step).toBe('legal');
      const days = entry?.invoices.map((i) => i.daysOverdue) ?? [];
      expect(days).toEqual([...days].sort((a, b) => b - a));
      expect(Math.min(...days)).toBeGreaterThanOrEqual(91);
      expect(entry?.maxDaysOverdue).toBe(days[0]);
    }
    expect(due.get('C0005')?.invoices.map((i) => i.daysOverdue)).toEqual(
      expect.arrayContaining([160, 130, 95]),
    );
    expect(due.get('C0005')?.invoices.map((i) => i.daysOverdue)).not.toContain(45);
    // アクメ promised to pay four days ago: its 70-day invoice waits for the promised date.
    expect(due.has('C0001')).toBe(false);
    const acme = list.paused.find((p) => p.code === 'C0001');
    expect(acme).toMatchObject({ step: 'suspend_shipments', maxDaysOverdue: 70 });
    expect((acme?.pausedUntil ?? '') > TEST_TODAY).toBe(true);
    // Most severe first, and every step a known one.
    const severity = list.due.map((d) => DUNNING_ORDER.indexOf(d.step));
    expect(severity).toEqual([...severity].sort((a, b) => b - a));
    // Disputed invoices never appear in a step.
    const disputed = await database.db
      .selectFrom('invoices')
      .select('number')
      .where('disputed', '=', true)
      .execute();
    const dunned = new Set(list.due.flatMap((d) => d.invoices.map((i) => i.number)));
    expect(disputed.length).toBeGreaterThan(0);
    expect(disputed.filter((i) => dunned.has(i.number))).toEqual([]);
  });

  it('marks a step new on the day its threshold is crossed', async () => {
    const id = await newCustomer(database.store, 'T0100', [
      { number: 'N-1', dueOn: '2026-11-15', amount: 300_000 },
    ]);
    const on = async (asOf: IsoDate) =>
      (
        await dunningList(database.store, asOf, DEFAULT_POLICY.dunning, { customerIds: [id] })
      ).due.map((d) => [d.step, d.maxDaysOverdue, d.isNew]);
    expect(await on('2026-11-16')).toEqual([['friendly_reminder', 1, true]]);
    expect(await on('2026-11-17')).toEqual([['friendly_reminder', 2, false]]);
    expect(await on('2026-11-23')).toEqual([['call', 8, true]]);
    expect(await on('2026-11-24')).toEqual([['call', 9, false]]);
    // Only that currency: a yen customer is not on a dollar list.
    const dollars = await dunningList(database.store, '2026-11-23', DEFAULT_POLICY.dunning, {
      currency: 'USD',
    });
    const codes = [...dollars.due, ...dollars.paused].map((d) => d.code);
    expect(codes).not.toContain('T0100');
    expect(codes).toContain('C0004');
  });
});

const DUNNING_ORDER = ['friendly_reminder', 'call', 'formal_notice', 'suspend_shipments', 'legal'];
