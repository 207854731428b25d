import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HomeDeps, type HomeOverview, homeOverview } from '../../src/app/home.ts';
import type { Locale } from '../../src/app/locales.ts';
import { DEFAULT_POLICY } from '../../src/app/policy.ts';
import type { User } from '../../src/app/ports.ts';
import type { Card } from '../../src/chat/card.ts';
import type { CardContext } from '../../src/chat/customer-card.ts';
import { HOME_BUTTONS, homeCard } from '../../src/chat/home-card.ts';
import { createI18n } from '../../src/chat/i18n.ts';
import type { Role } from '../../src/domain/credit.ts';
import { addCustomer, addInvoices } from '../app/assessment-fixture.ts';
import { TEST_NOW, TEST_TIMEZONE } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// Today is Monday 2026-11-23 in Tokyo.

let database: TestDatabase;
let deps: HomeDeps;
const i18n = createI18n();
const ctx = (locale: Locale): CardContext => ({
  t: i18n.t(locale),
  locale,
  timeZone: TEST_TIMEZONE,
});

async function addUser(displayName: string, role: Role): Promise<User> {
  const row = await database.db
    .insertInto('users')
    .values({ display_name: displayName, role, locale: null, timezone: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, displayName, role, locale: null };
}

async function owned(
  owner: User,
  c: { code: string; limitMinor: number; amountMinor: number; issuedOn: string; currency?: string },
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

function texts(card: Card): string[] {
  return [
    card.title,
    card.subtitle ?? '',
    card.footer ?? '',
    ...(card.sections ?? []).flatMap((s) => [s.heading, ...(s.lines ?? [])]),
    ...(card.actions ?? []).map((a) => a.label),
  ];
}

const lines = (card: Card, index: number) => card.sections?.[index]?.lines;

let collector: User;
let manager: User;
let overview: HomeOverview;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = {
    store: database.store,
    clock: { now: () => TEST_NOW },
    timeZone: TEST_TIMEZONE,
    policy: DEFAULT_POLICY,
  };
  collector = await addUser('Sato Hanako', 'collector');
  manager = await addUser('Suzuki Ichiro', 'credit_manager');
  const late = await owned(collector, {
    code: 'H-LATE',
    limitMinor: 10_000_000,
    amountMinor: 5_000_000,
    issuedOn: '2026-07-21',
  });
  await owned(collector, {
    code: 'H-USD',
    limitMinor: 0,
    amountMinor: 100_000,
    issuedOn: '2026-11-20',
    currency: 'USD',
  });
  await owned(collector, {
    code: 'H-SLOW',
    limitMinor: 10_000_000,
    amountMinor: 1_000_000,
    issuedOn: '2026-10-14',
  });
  await database.db
    .insertInto('promises')
    .values({
      customer_id: late,
      promised_on: '2026-11-24',
      currency: 'JPY',
      amount_minor: 500_000,
      created_at: '2026-11-20T03:00:00Z',
    })
    .execute();
  await database.db
    .insertInto('approval_requests')
    .values({
      kind: 'limit',
      customer_id: late,
      requested_by_user_id: collector.id,
      requested_by_label: collector.displayName,
      payload: JSON.stringify({}),
      reason: 'Seasonal orders',
      created_at: '2026-11-20T01:00:00Z',
    })
    .execute();
  overview = await homeOverview(deps, collector);
});
afterAll(async () => {
  await database?.close();
});

describe(homeCard.name, () => {
  it('shows the user’s desk with one line per customer, promise and request', () => {
    const card = homeCard(overview, collector, ctx('en'));
    expect(card.title).toBe('Your credit desk · Nov 23, 2026');
    expect(card.sections?.map((s) => s.heading)).toEqual([
      'Needs attention',
      'Promises due this week',
      'Your pending requests',
    ]);
    expect(lines(card, 0)).toEqual([
      '🔴 Test H-LATE Ltd. (H-LATE) — ¥5,000,000 / ¥10,000,000 (50.0%) · 95 days overdue',
      '🔴 Test H-USD Ltd. (H-USD) — $1,000.00, no credit limit set · over the credit limit',
      '🟡 Test H-SLOW Ltd. (H-SLOW) — ¥1,000,000 / ¥10,000,000 (10.0%) · 10 days overdue',
    ]);
    expect(lines(card, 1)).toEqual(['11/24 (Tue) · Test H-LATE Ltd. (H-LATE) · ¥500,000']);
    expect(lines(card, 2)).toEqual([
      'Credit limit change · Test H-LATE Ltd. (H-LATE) · Seasonal orders · requested 3 days ago',
    ]);
    expect(card.actions).toEqual([
      { label: 'H-LATE', command: '/credit H-LATE' },
      { label: 'H-USD', command: '/credit H-USD' },
      { label: 'H-SLOW', command: '/credit H-SLOW' },
    ]);
  });

  it('counts the customers beyond the list and offers at most five buttons', async () => {
    const busy = await addUser('Busy Owner', 'sales');
    for (let n = 1; n <= HOME_BUTTONS + 1; n += 1) {
      await owned(busy, {
        code: `H-B${n}`,
        limitMinor: 10_000_000,
        amountMinor: 100_000 * n,
        issuedOn: '2026-10-14',
      });
    }
    const full = await homeOverview(deps, busy);
    const card = homeCard({ ...full, attention: { ...full.attention, more: 4 } }, busy, ctx('en'));
    expect(lines(card, 0)).toHaveLength(HOME_BUTTONS + 2);
    expect(lines(card, 0)?.at(-1)).toBe('+4 more');
    expect(card.actions?.map((a) => a.label)).toEqual(['H-B6', 'H-B5', 'H-B4', 'H-B3', 'H-B2']);
  });

  it('says so when there is nothing, and gives approvers their own section', async () => {
    const card = homeCard(await homeOverview(deps, manager), manager, ctx('en'));
    expect(card.sections?.map((s) => [s.heading, s.lines])).toEqual([
      ['Needs attention', ['None of your customers is yellow or red.']],
      ['Promises due this week', ['No promise to pay falls due this week.']],
      ['Your pending requests', ['You have no requests waiting for approval.']],
      ['Awaiting your decision', ['Nothing is waiting for your decision.']],
    ]);
    expect(card.actions).toEqual([]);
  });

  it('reads as Japanese', async () => {
    const card = homeCard(overview, collector, ctx('ja'));
    expect(card.title).toBe('与信管理ホーム（2026/11/23時点）');
    expect(card.sections?.map((s) => s.heading)).toEqual([
      '要注意の担当先',
      '今週期日の入金約束',
      '申請中の案件',
    ]);
    expect(lines(card, 0)?.[0]).toBe(
      '🔴 Test H-LATE Ltd.（H-LATE）：￥5,000,000 / ￥10,000,000（使用率50.0%）・延滞95日',
    );
    expect(lines(card, 1)).toEqual(['11/24（火）・Test H-LATE Ltd.（H-LATE）・￥500,000']);
    expect(lines(card, 2)).toEqual([
      '与信限度額変更・Test H-LATE Ltd.（H-LATE）・Seasonal orders・3日前に申請',
    ]);
    const empty = homeCard(await homeOverview(deps, manager), manager, ctx('ja'));
    expect(empty.sections?.map((s) => s.heading).at(-1)).toBe('承認待ち');
    expect(lines(empty, 0)).toEqual(['黄・赤の担当先はありません。']);
  });

  it('reads as Chinese', async () => {
    const card = homeCard(overview, collector, ctx('zh'));
    expect(card.sections?.map((s) => s.heading)).toEqual([
      '需关注的客户',
      '本周到期的付款承诺',
      '我的待审批申请',
    ]);
    expect(lines(card, 0)?.[0]).toContain('逾期95天');
    expect(lines(card, 1)?.[0]).toMatch(/^11\/24（周二） · /);
    expect(lines(card, 2)?.[0]).toMatch(/^信用额度调整 · .* · 3天前提交$/);
    const empty = homeCard(await homeOverview(deps, manager), manager, ctx('zh'));
    expect(empty.sections?.map((s) => s.heading).at(-1)).toBe('待我审批');
  });

  it.each(['en', 'ja', 'zh'] as const)('has every %s message it needs', async (locale) => {
    const full = homeCard(overview, collector, ctx(locale));
    const empty = homeCard(await homeOverview(deps, manager), manager, ctx(locale));
    for (const text of [...texts(full), ...texts(empty)]) {
      expect(text).not.toMatch(/\b(home|status|card)\.[a-z_.]+/);
    }
    if (locale === 'en') return;
    // A missing translation falls back to English: no line may read as the English one.
    const english = new Set([
      ...texts(homeCard(overview, collector, ctx('en'))),
      ...texts(homeCard(await homeOverview(deps, manager), manager, ctx('en'))),
    ]);
    const localized = [...texts(full), ...texts(empty)].filter(
      (text) =>
        !text.startsWith('H-') && text !== collector.displayName && text !== manager.displayName,
    );
    for (const text of localized) expect(english.has(text), text).toBe(false);
  });
});
