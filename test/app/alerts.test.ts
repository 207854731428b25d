import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlertDeps,
  alertsDue,
  dueAlertBatches,
  evaluateAlerts,
  evaluateDueAlerts,
  sendAlertBatch,
} from '../../src/app/alerts.ts';
import { addSubscription } from '../../src/app/channels.ts';
import { buildDigest } from '../../src/app/digest.ts';
import { DEFAULT_POLICY } from '../../src/app/policy.ts';
import { importCsv } from '../../src/io/csv-import.ts';
import { TEST_NOW, TEST_TIMEZONE, TEST_TODAY } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { addAssessment, addCreditEvent, addCustomer, addInvoices } from './assessment-fixture.ts';

// One small portfolio as of Monday 2026-11-23, a customer per rule, and four channels
// subscribed to alerts: everything, the SME segment in batches, USD only, Sato's customers.

let database: TestDatabase;
let deps: AlertDeps;
let dir: string;
const id: Record<string, number> = {};

interface OutboxRow {
  platform: string;
  channel: string;
  kind: string;
  type: string;
  alert_id: number | null;
}

async function outbox(): Promise<OutboxRow[]> {
  const { rows } = await sql<OutboxRow>`
    select platform, channel_external_id as channel, kind, payload ->> 'type' as type,
      (payload ->> 'alertId')::int8 as alert_id
    from outbox order by id`.execute(database.db);
  return rows;
}

async function alerts() {
  const { rows } = await sql<{
    id: number;
    code: string;
    kind: string;
    period_key: string;
    severity: string;
  }>`
    select a.id, c.code, a.kind, a.period_key, a.severity
    from alerts a join customers c on c.id = a.customer_id order by c.code, a.kind, a.id`.execute(
    database.db,
  );
  return rows;
}

const of = (key: string) => id[key] ?? 0;
const subscribe = (
  channel: string,
  extra: Parameters<typeof addSubscription>[2]['filters'] = {},
  batched = false,
) =>
  addSubscription(database.store, 'cli:test', {
    channel,
    kind: 'alerts',
    batched,
    filters: extra,
    defaultTimeZone: TEST_TIMEZONE,
    defaultLocale: 'en',
  });

beforeAll(async () => {
  database = await createTestDatabase({ base: 'empty' });
  dir = mkdtempSync(join(tmpdir(), 'creditops-alerts-'));
  const db = database.db;
  deps = {
    store: database.store,
    clock: { now: () => TEST_NOW },
    timeZone: TEST_TIMEZONE,
    policy: DEFAULT_POLICY,
  };
  const sato = await database.store.users.create({
    identity: { platform: 'slack', externalId: 'U-SATO' },
    displayName: 'Sato',
    role: 'sales',
  });
  const customers: [string, Parameters<typeof addCustomer>[1]][] = [
    ['over', { code: 'A-OVER', limitMinor: 1_000_000 }],
    ['high', { code: 'A-HIGH', limitMinor: 1_000_000 }],
    ['late', { code: 'A-LATE', limitMinor: 10_000_000 }],
    ['usd', { code: 'A-USD', currency: 'USD', limitMinor: 100_000 }],
    ['strategic', { code: 'A-STRAT', strategic: true, limitMinor: 50_000_000 }],
    ['event', { code: 'A-EVENT', limitMinor: 10_000_000 }],
    ['drop', { code: 'A-DROP', limitMinor: 10_000_000 }],
    ['quiet', { code: 'A-QUIET', limitMinor: 10_000_000 }],
  ];
  for (const [key, c] of customers) id[key] = await addCustomer(db, c);
  await db
    .updateTable('customers')
    .set({ segment: 'sme' })
    .where('id', 'in', [of('high'), of('event')])
    .execute();
  await db
    .updateTable('customers')
    .set({ owner_user_id: sato.id })
    .where('id', 'in', [of('over'), of('late')])
    .execute();
  // Not due yet (issued 11-01, due 12-01): exposure only. 2026-09-25 + 30 = due 10-25,
  // 29 days overdue; 2026-09-24 → due 10-24, 30 days. 2026-07-21 → due 08-20, 95 days.
  await addInvoices(db, of('over'), [{ issuedOn: '2026-11-01', amountMinor: 1_200_000 }]);
  await addInvoices(db, of('high'), [{ issuedOn: '2026-11-01', amountMinor: 850_000 }]);
  await addInvoices(db, of('late'), [
    { issuedOn: '2026-09-24', amountMinor: 100_000 },
    { issuedOn: '2026-09-25', amountMinor: 100_000 },
  ]);
  await addInvoices(db, of('usd'), [{ issuedOn: '2026-11-01', amountMinor: 95_000 }], 'USD');
  await addInvoices(db, of('strategic'), [{ issuedOn: '2026-07-21', amountMinor: 2_000_000 }]);
  await addInvoices(db, of('quiet'), [{ issuedOn: '2026-11-01', amountMinor: 100_000 }]);
  await addCreditEvent(db, of('event'), {
    kind: 'news',
    severity: 'medium',
    occurredAt: '2026-11-22T01:00:00Z',
  });
  await addAssessment(db, of('drop'), {
    assessedAt: '2026-05-01T01:00:00Z',
    score: 75,
    rating: 'B',
  });
  await addAssessment(db, of('drop'), {
    assessedAt: '2026-11-20T01:00:00Z',
    score: 52,
    rating: 'C',
  });
  await db
    .updateTable('customers')
    .set({ next_review_on: '2026-11-20' })
    .where('id', '=', of('quiet'))
    .execute();
  await db
    .insertInto('promises')
    .values({
      customer_id: of('late'),
      promised_on: '2026-11-20',
      currency: 'JPY',
      amount_minor: 100_000,
      created_at: new Date('2026-11-10T01:00:00Z'),
    })
    .execute();
  await subscribe('slack:C-ALL');
  await subscribe('slack:C-SME', { segment: 'sme' }, true);
  await subscribe('slack:C-USD', { currency: 'USD' });
  await subscribe('slack:C-SATO', { owner: 'Sato' });
});
afterAll(async () => {
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(evaluateAlerts.name, () => {
  let first: Awaited<ReturnType<typeof evaluateAlerts>>;
  beforeAll(async () => {
    first = await evaluateAlerts(deps, { asOf: TEST_TODAY });
  });

  it('finds each rule’s alert once, with its period key and severity', async () => {
    expect((await alerts()).map((a) => [a.code, a.kind, a.severity])).toEqual([
      ['A-DROP', 'rating_drop', 'warning'],
      ['A-EVENT', 'credit_event', 'warning'],
      ['A-HIGH', 'high_utilisation', 'warning'],
      ['A-LATE', 'broken_promise', 'critical'],
      ['A-LATE', 'invoice_overdue', 'warning'],
      ['A-OVER', 'over_limit', 'critical'],
      ['A-QUIET', 'review_overdue', 'info'],
      ['A-STRAT', 'invoice_overdue', 'critical'],
      ['A-STRAT', 'phase_proposal', 'critical'],
      ['A-USD', 'high_utilisation', 'warning'],
    ]);
    const keys = Object.fromEntries(
      (await alerts()).map((a) => [`${a.code} ${a.kind}`, a.period_key]),
    );
    expect(keys['A-OVER over_limit']).toBe(TEST_TODAY);
    expect(keys['A-LATE invoice_overdue']).toMatch(/^\d+:30$/);
    expect(keys['A-STRAT invoice_overdue']).toMatch(/^\d+:90$/);
    expect(keys['A-QUIET review_overdue']).toBe('2026-11-20');
    expect(first.created).toHaveLength(10);
  });

  it('still alerts a strategic account, saying no proposal is made automatically', async () => {
    const proposal = first.created.find((a) => a.code === 'A-STRAT' && a.kind === 'phase_proposal');
    expect(proposal?.facts).toMatchObject({ from: 'ongoing', to: 'incident', strategic: true });
  });

  it('fires once: a second evaluation adds no alert and no message', async () => {
    const before = await outbox();
    const again = await evaluateAlerts(deps, { asOf: TEST_TODAY });
    expect(again.created).toEqual([]);
    expect(await alerts()).toHaveLength(10);
    expect(await outbox()).toEqual(before);
  });

  it('posts every alert once to an unfiltered channel, critical or not', async () => {
    const posts = (await outbox()).filter((m) => m.channel === 'C-ALL');
    expect(posts.every((m) => m.kind === 'post' && m.type === 'alert')).toBe(true);
    expect(posts.map((m) => m.alert_id).sort()).toEqual((await alerts()).map((a) => a.id).sort());
  });

  it('routes by the channel’s filters: currency and owner', async () => {
    const codes = async (channel: string) => {
      const ids = (await outbox()).filter((m) => m.channel === channel).map((m) => m.alert_id);
      return [...new Set((await alerts()).filter((a) => ids.includes(a.id)).map((a) => a.code))];
    };
    expect(await codes('C-USD')).toEqual(['A-USD']);
    expect(await codes('C-SATO')).toEqual(['A-LATE', 'A-OVER']);
  });

  it('tells the owner by direct message on the platform where they have an identity', async () => {
    const direct = (await outbox()).filter((m) => m.kind === 'direct');
    expect(direct.every((m) => m.platform === 'slack' && m.channel === 'U-SATO')).toBe(true);
    const mine = (await alerts()).filter((a) => ['A-LATE', 'A-OVER'].includes(a.code));
    expect(direct.map((m) => m.alert_id).sort()).toEqual(mine.map((a) => a.id).sort());
  });

  it('holds non-critical alerts for a batched channel and sends them as one summary', async () => {
    expect((await outbox()).filter((m) => m.channel === 'C-SME')).toEqual([]);
    const slots = await dueAlertBatches(database.store, TEST_NOW);
    expect(slots.map((s) => s.key)).toEqual(['slack:C-SME:2026-11-23T03']);
    const [slot] = slots;
    if (!slot) throw new Error('no batch slot');
    expect(await sendAlertBatch(deps, slot)).toBe(2);
    expect(await sendAlertBatch(deps, slot)).toBe(0);
    const batch = (await outbox()).filter((m) => m.channel === 'C-SME');
    expect(batch.map((m) => m.type)).toEqual(['alert_batch']);
    expect(await dueAlertBatches(database.store, TEST_NOW)).toEqual([]);
    const held = await database.store.alerts.batch({ channel: slot.channel, batch: slot.key });
    expect(held.map((a) => a.code).sort()).toEqual(['A-EVENT', 'A-HIGH']);
  });

  it('posts a critical alert to a batched channel at once', async () => {
    await addCreditEvent(database.db, of('high'), {
      kind: 'bankruptcy_filing',
      severity: 'high',
      occurredAt: '2026-11-23T01:00:00Z',
    });
    const run = await evaluateAlerts(deps, { asOf: TEST_TODAY, customerIds: [of('high')] });
    const event = run.created.find((a) => a.kind === 'credit_event');
    expect(event?.severity).toBe('critical');
    const sme = (await outbox()).filter((m) => m.channel === 'C-SME' && m.type === 'alert');
    expect(sme.map((m) => m.alert_id)).toContain(event?.id);
  });
});

describe('a condition that clears and comes back', () => {
  it('fires again only after it was seen cleared', async () => {
    const over = of('over');
    const count = async () =>
      (await alerts()).filter((a) => a.code === 'A-OVER' && a.kind === 'over_limit').length;
    await evaluateAlerts(deps, { asOf: TEST_TODAY, customerIds: [over] });
    expect(await count()).toBe(1);
    await database.db
      .updateTable('customers')
      .set({ credit_limit_minor: 5_000_000 })
      .where('id', '=', over)
      .execute();
    await evaluateAlerts(deps, { asOf: '2026-11-24', customerIds: [over] });
    expect(await count()).toBe(1);
    await database.db
      .updateTable('customers')
      .set({ credit_limit_minor: 1_000_000 })
      .where('id', '=', over)
      .execute();
    const back = await evaluateAlerts(deps, { asOf: '2026-11-25', customerIds: [over] });
    expect(back.created.map((a) => [a.kind, a.periodKey])).toEqual([['over_limit', '2026-11-25']]);
    expect(await count()).toBe(2);
  });
});

describe('after an import', () => {
  it('marks the customers it touched, and the next run evaluates and unmarks them', async () => {
    const file = join(dir, 'invoices.csv');
    writeFileSync(
      file,
      'externalId,customerCode,number,issuedOn,dueOn,currency,amount\nIMP-1,A-QUIET,INV-IMP-1,2026-09-01,2026-10-24,JPY,400000\n',
    );
    await importCsv({ file, kind: 'invoices', store: database.store, explain: (p) => p.code });
    const due = await database.db
      .selectFrom('customers')
      .select('code')
      .where('alerts_due', '=', true)
      .execute();
    expect(due.map((c) => c.code)).toEqual(['A-QUIET']);
    expect(await alertsDue(database.store)).toBe(true);

    const run = await evaluateDueAlerts(deps);
    expect(run.evaluated).toBe(1);
    expect(run.created.map((a) => [a.code, a.kind, a.facts.number])).toEqual([
      ['A-QUIET', 'invoice_overdue', 'INV-IMP-1'],
    ]);
    expect(await alertsDue(database.store)).toBe(false);
    expect((await evaluateDueAlerts(deps)).evaluated).toBe(0);
  });
});

describe('the digest', () => {
  it('lists the alerts raised since the previous business day’s digest, per its filters', async () => {
    // Alerts were raised on Monday at 12:00 in Tokyo: Tuesday's 09:00 digest has them,
    // Monday's (09:00, before they were raised) does not.
    const tuesday = await buildDigest(deps, { asOf: '2026-11-24' });
    const total = await alerts();
    const created = (s: string) => total.filter((a) => a.severity === s).length;
    expect(tuesday.alerts.counts).toEqual({
      critical: created('critical'),
      warning: created('warning'),
      info: created('info'),
    });
    expect(tuesday.alerts.latest[0]?.severity).toBe('critical');
    const monday = await buildDigest(deps, { asOf: TEST_TODAY });
    expect(monday.alerts.counts).toEqual({ critical: 0, warning: 0, info: 0 });
    const usd = await buildDigest(deps, { asOf: '2026-11-24', filters: { currency: 'USD' } });
    expect(usd.alerts.latest.map((a) => a.code)).toEqual(['A-USD']);
  });
});
