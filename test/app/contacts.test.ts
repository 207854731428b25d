import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dunningList } from '../../src/app/collections.ts';
import { logContact } from '../../src/app/contacts.ts';
import { DEFAULT_POLICY } from '../../src/app/policy.ts';
import type { Logger } from '../../src/app/ports.ts';
import type { Bot, ChatRequest } from '../../src/chat/bot.ts';
import type { Card } from '../../src/chat/card.ts';
import type { Role } from '../../src/domain/credit.ts';
import { createTestBot } from '../support/bot.ts';
import { TEST_NOW, TEST_TIMEZONE, TEST_TODAY } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// Logging contacts end to end: the chat text goes through the real bot onto a real engine,
// and the next look-up shows what was written.

let database: TestDatabase;
let bot: Bot;
const logged: unknown[] = [];
const logger: Logger = { info: () => {}, warn: () => {}, error: (m, f) => logged.push({ m, f }) };

beforeAll(async () => {
  database = await createTestDatabase({ base: 'demo' });
  bot = createTestBot(database.store, logger);
});
afterAll(async () => {
  await database?.close();
});

function say(
  text: string,
  user: string,
  role: Role,
  extra: Partial<ChatRequest> = {},
): Promise<Card> {
  return bot.handle({
    identity: { platform: 'test', externalId: user },
    displayName: user,
    text,
    defaultRole: role,
    ...extra,
  });
}

const field = (card: Card, label: string) => card.fields?.find((f) => f.label === label)?.value;

async function counts() {
  const count = async (table: 'contacts' | 'promises' | 'audit_log') =>
    Number(
      (
        await database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const disputed = await database.db
    .selectFrom('invoices')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('disputed', '=', true)
    .executeTakeFirstOrThrow();
  return {
    contacts: await count('contacts'),
    promises: await count('promises'),
    audit: await count('audit_log'),
    disputed: Number(disputed.n),
  };
}

async function customerId(code: string): Promise<number> {
  const row = await database.db
    .selectFrom('customers')
    .select('id')
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function latestContact(code: string) {
  return database.db
    .selectFrom('contacts')
    .leftJoin('promises', 'promises.contact_id', 'contacts.id')
    .select([
      'contacts.id',
      'contacts.method',
      'contacts.outcome',
      'contacts.note',
      'contacts.actor_label',
      'contacts.contacted_at',
      'contacts.invoice_ids',
      'promises.promised_on',
      'promises.amount_minor',
      'promises.currency',
      'promises.status',
    ])
    .where('contacts.customer_id', '=', await customerId(code))
    .orderBy('contacts.id', 'desc')
    .executeTakeFirstOrThrow();
}

describe('logging a collection contact', () => {
  it('logs a promise in English, and the next look-up shows it with dunning paused', async () => {
    const card = await say(
      '/credit log C0001 call promise 12/5 1,200,000 paying by wire on Friday',
      'emily',
      'sales',
    );
    expect(card.tone).not.toBe('error');
    expect(card.title).toBe('Contact logged: 株式会社アクメ');
    expect(field(card, 'Outcome')).toBe('Promise to pay');
    expect(field(card, 'Promise to pay')).toBe('¥1,200,000 by Dec 5, 2026');
    expect(field(card, 'Note')).toBe('paying by wire on Friday');
    expect(card.lines).toContain(
      'Dunning pauses until Dec 5, 2026. If the payment has not arrived by then, the promise counts as broken.',
    );

    const row = await latestContact('C0001');
    expect(row).toMatchObject({
      method: 'call',
      outcome: 'promise',
      note: 'paying by wire on Friday',
      actor_label: 'emily',
      promised_on: '2026-12-05',
      amount_minor: 1_200_000,
      currency: 'JPY',
      status: 'pending',
    });
    expect(row.contacted_at).toEqual(TEST_NOW);
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('entity_type', 'in', ['contact', 'promise'])
      .where('actor', 'like', 'user:%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['contact.log', 'promise.create']);

    const lookup = await say('/credit C0001', 'emily', 'sales');
    const contacts = lookup.sections?.find((s) => s.heading === 'Last contacts');
    expect(contacts?.lines?.[0]).toMatch(
      /^Nov 23, 2026, 12:00 PM · Call · Promise to pay · emily paying by wire on Friday$/,
    );
    const promises = lookup.sections?.find((s) => s.heading === 'Open promises to pay');
    expect(promises?.lines).toContain('Dec 5, 2026: ¥1,200,000');
    expect(field(lookup, 'Next collection step')).toMatch(
      /^Paused until .+ \(payment promised\); then \S/,
    );
  });

  it('logs a promise in Japanese with 万 and a 月/日 date', async () => {
    const card = await say(
      '/credit 記録 C0001 電話 約束 12/5 500万 来週振込予定',
      'sato',
      'collector',
      { channelLocale: 'ja' },
    );
    expect(card.title).toBe('交渉記録を登録しました：株式会社アクメ');
    expect(field(card, '入金約束')).toMatch(/^2026\/12\/05までに[￥¥]5,000,000$/);
    expect(field(card, 'メモ')).toBe('来週振込予定');
    expect(await latestContact('C0001')).toMatchObject({
      method: 'call',
      outcome: 'promise',
      promised_on: '2026-12-05',
      amount_minor: 5_000_000,
      note: '来週振込予定',
    });
    const lookup = await say('/credit アクメ', 'sato', 'collector', { channelLocale: 'ja' });
    const promises = lookup.sections?.find((s) => s.heading === '未履行の入金約束');
    expect(promises?.lines?.some((l) => /^2026\/12\/05: [￥¥]5,000,000$/.test(l))).toBe(true);
  });

  it('logs a promise in Chinese with 万元 for a yuan customer', async () => {
    const card = await say(
      '/credit 记录 华信 电话 承诺 12月5日 50万元 下周付款',
      'li',
      'collector',
      {
        channelLocale: 'zh',
      },
    );
    expect(card.title).toBe('已登记催收记录：上海华信贸易有限公司');
    expect(field(card, '付款承诺')).toMatch(/^2026年12月5日前支付[￥¥]500,000\.00$/);
    expect(await latestContact('C0003')).toMatchObject({
      promised_on: '2026-12-05',
      amount_minor: 50_000_000,
      currency: 'CNY',
      note: '下周付款',
    });
  });

  it('refuses a viewer, names their role and whom to ask, and writes nothing', async () => {
    const before = await counts();
    const card = await say('/credit log C0001 call reached spoke to AP', 'viewer-1', 'viewer');
    expect(card.tone).toBe('error');
    expect(card.lines?.[0]).toBe(
      'Your role (Viewer) cannot run /credit log. Ask a creditops admin if you need it.',
    );
    const ja = await say('/credit 記録 C0001 電話 話した', 'viewer-2', 'viewer', {
      channelLocale: 'ja',
    });
    expect(ja.lines?.[0]).toMatch(/^現在のロール（閲覧者）では \/credit log を実行できません。/);
    const after = await counts();
    // Only the two new users' creation is audited.
    expect(after).toEqual({ ...before, audit: before.audit + 2 });
  });

  it.each([
    [
      '/credit log C0001 call promise 13/45 500万',
      'en',
      '“13/45” is not a date creditops can read. Write the month before the day, e.g. 12/5, 2026-12-05, today or tomorrow.',
    ],
    [
      '/credit log C0001 call promise 11/1 500万',
      'en',
      'The promised date 11/1 (2026-11-01) has already passed. A promise to pay needs today or a later date; log a missed payment as no-answer or refused, with a note.',
    ],
    [
      '/credit 記録 C0001 電話 約束 12/5 1.200',
      'ja',
      '「1.200」は二通りに読めます（1.200 は国によって 1.2 とも 1,200 とも読まれます）。1,200、1200、1.2万 のように一通りにしか読めない形で入力してください。',
    ],
    ['/credit 记录 C0001 电话 承诺 12月5日 50万元', 'zh', '“50万元”不是以 JPY 计的金额。'],
    [
      '/credit log C0001 email dispute INV-NOPE-1 wrong quantity',
      'en',
      'INV-NOPE-1 is not an open invoice of C0001. Nothing was logged; check the invoice number on the customer card or in the aging report.',
    ],
  ])('refuses %s with a localized reason and writes nothing', async (text, locale, reason) => {
    const before = await counts();
    const card = await say(text, `collector-${locale}`, 'collector', {
      channelLocale: locale as 'en' | 'ja' | 'zh',
    });
    expect(card.tone).toBe('error');
    expect(card.lines).toEqual([reason]);
    const after = await counts();
    expect({ ...after, audit: before.audit }).toEqual(before);
  });

  it('marks disputed invoices, takes them out of dunning and says so', async () => {
    const northwind = await customerId('C0004');
    const open = await database.db
      .selectFrom('invoices')
      .select(['id', 'number'])
      .where('customer_id', '=', northwind)
      .where('open_amount_minor', '>', 0)
      .where('disputed', '=', false)
      .where('due_on', '<', TEST_TODAY)
      .orderBy('due_on')
      .limit(2)
      .execute();
    expect(open).toHaveLength(2);
    const [oldest, next] = open as [(typeof open)[0], (typeof open)[0]];
    const listed = async () => {
      const list = await dunningList(database.store, TEST_TODAY, DEFAULT_POLICY.dunning, {
        timeZone: TEST_TIMEZONE,
        customerIds: [northwind],
      });
      return [...list.due, ...list.paused];
    };
    const before = await listed();
    expect(before[0]?.step).toBe('legal');

    // Numbers are matched case aside, and a '#' marks one.
    const card = await say(
      `/credit log C0004 email dispute ${oldest.number.toLowerCase()} #${next.number} goods arrived damaged`,
      'james',
      'collector',
    );
    expect(card.title).toBe('Contact logged: Northwind Traders Co., Ltd.');
    expect(field(card, 'Disputed invoices')).toContain(oldest.number);
    expect(card.lines).toEqual([
      'The 2 disputed invoices are out of dunning and shown apart in aging until the dispute is resolved.',
    ]);
    const flags = await database.db
      .selectFrom('invoices')
      .select('disputed')
      .where('id', 'in', [oldest.id, next.id])
      .execute();
    expect(flags).toEqual([{ disputed: true }, { disputed: true }]);
    expect((await latestContact('C0004')).invoice_ids.sort()).toEqual([oldest.id, next.id].sort());
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['entity_id', 'before', 'after'])
      .where('action', '=', 'invoice.dispute')
      .execute();
    expect(audit.map((a) => Number(a.entity_id)).sort()).toEqual([oldest.id, next.id].sort());

    const after = await listed();
    const invoices = after.flatMap((entry) => ('invoices' in entry ? entry.invoices : []));
    expect(invoices.map((i) => i.number)).not.toContain(oldest.number);
    expect(invoices.map((i) => i.number)).not.toContain(next.number);
    expect(after[0]?.maxDaysOverdue ?? 0).toBeLessThan(before[0]?.maxDaysOverdue ?? 0);
  });

  it('asks which customer when the name is shared, and writes nothing', async () => {
    const before = await counts();
    const card = await say('/credit log ミドリ call reached', 'emily', 'sales');
    expect(card.actions?.map((a) => a.command)).toEqual(
      expect.arrayContaining(['/credit C0009', '/credit C0010']),
    );
    expect(await counts()).toEqual(before);
  });

  it('explains the entry with examples when only the customer is given', async () => {
    const en = await say('/credit log C0001', 'emily', 'sales');
    expect(en.title).toBe('Log a contact with 株式会社アクメ (C0001)');
    expect(en.form?.context).toBe('C0001');
    expect(en.form?.fields.map((f) => f.id)).toEqual([
      'method',
      'outcome',
      'promise_date',
      'promise_amount',
      'invoices',
      'note',
    ]);
    expect(en.lines).toContain(
      '/credit log <customer> <method> <outcome> [date amount | invoice numbers] [note]',
    );
    expect(en.lines).toContain(
      '/credit log C0001 call promise 12/5 1,200,000 paying by wire on Friday',
    );
    const ja = await say('/credit 記録 アクメ', 'sato', 'collector', { channelLocale: 'ja' });
    expect(ja.lines).toContain('/credit 記録 C0001 電話 約束 12/5 500万 来週振込予定');
    const zh = await say('/credit 记录 华信', 'li', 'collector', { channelLocale: 'zh' });
    expect(zh.lines?.[0]).toBe('/credit 记录 <客户> <方式> <结果> [日期 金额 | 发票号] [备注]');
  });

  it('is refused by the use case itself, whatever the adapter', async () => {
    const viewer = { id: 1, displayName: 'v', role: 'viewer' as const, locale: null };
    const deps = { store: database.store, clock: { now: () => TEST_NOW }, timeZone: TEST_TIMEZONE };
    await expect(
      logContact(deps, viewer, {
        query: 'C0001',
        method: 'call',
        outcome: 'reached',
        invoiceRefs: [],
        note: '',
      }),
    ).rejects.toMatchObject({ code: 'errors.permission.denied', params: { role: 'viewer' } });
    expect(logged).toEqual([]);
  });

  it('takes an entry delivered again a week later as the repeat it is, not a past promise', async () => {
    const collector = await database.store.users.create({
      identity: { platform: 'line', externalId: 'U-redelivered' },
      displayName: 'Redelivered',
      role: 'collector',
    });
    const entry = {
      query: 'C0009',
      method: 'call' as const,
      outcome: 'promise' as const,
      promise: { dateText: '2026-11-30', amountText: '10000' },
      invoiceRefs: [],
      note: 'LINE redelivered this a week later',
      delivery: { platform: 'line', eventId: '01JREDELIVEREDLATE000000001' },
    };
    const at = (now: Date) => ({
      store: database.store,
      clock: { now: () => now },
      timeZone: TEST_TIMEZONE,
    });
    const before = await counts();
    expect((await logContact(at(TEST_NOW), collector, entry)).kind).toBe('logged');
    const weekLater = new Date(TEST_NOW.getTime() + 10 * 86_400_000);
    expect(await logContact(at(weekLater), collector, entry)).toEqual({ kind: 'repeat' });
    expect((await counts()).contacts).toBe(before.contacts + 1);
  });
});
