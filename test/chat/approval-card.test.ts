import { describe, expect, it } from 'vitest';
import type { ApprovalEvent, ApprovalView } from '../../src/app/approval-ports.ts';
import type { Locale } from '../../src/app/locales.ts';
import {
  type ApprovalCardContext,
  approvalCard,
  approvalNoticeCard,
  approvalsListCard,
} from '../../src/chat/approval-card.ts';
import {
  alreadyPendingCard,
  limitRequestForm,
  phaseRequestForm,
  rejectForm,
  requestedCard,
} from '../../src/chat/approval-forms.ts';
import type { Card } from '../../src/chat/card.ts';
import { createI18n } from '../../src/chat/i18n.ts';
import { money } from '../../src/domain/money.ts';
import { TEST_NOW, TEST_TIMEZONE } from '../support/constants.ts';

// Today is Monday 2026-11-23, 12:00 in Tokyo. The views are what the approval use cases
// hand to chat; the cards are what approvers, requesters and owners read.

const i18n = createI18n();
const ctx = (locale: Locale): ApprovalCardContext => ({
  t: i18n.t(locale),
  locale,
  timeZone: TEST_TIMEZONE,
  now: TEST_NOW,
});
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(TEST_NOW.getTime() - hours * HOUR);
const yen = (minor: number) => money(minor, 'JPY');

function limitView(overrides: Partial<ApprovalView> = {}): ApprovalView {
  return {
    id: 12,
    kind: 'limit',
    status: 'pending',
    customer: {
      id: 1,
      code: 'C0001',
      legalName: 'ACME Corp',
      currency: 'JPY',
      phase: 'ongoing',
      creditLimit: yen(5_000_000),
      exposure: yen(4_200_000),
      rating: 'B',
      score: 72,
      ownerName: 'Sato',
      recommendedLimit: yen(5_900_000),
      limitComponents: {
        capacity: 9_000_000,
        tradeCap: 6_000_000,
        authorityCap: 20_000_000,
        base: 6_000_000,
        multiplierBp: 10_000,
        multiplied: 6_000_000,
        rounded: 5_900_000,
        flags: ['no_pd'],
        attention: false,
      },
    },
    change: { kind: 'limit', from: yen(5_000_000), to: yen(8_000_000) },
    reason: 'Orders double from April',
    requester: { label: 'Sato', userId: 2, system: false },
    createdAt: ago(2),
    expiresAt: new Date('2026-11-26T15:00:00Z'),
    steps: [['credit_manager', 'director', 'admin']],
    currentStep: 0,
    decisions: [],
    decidedAt: null,
    decisionReason: null,
    ...overrides,
  };
}

const approvedView = limitView({
  status: 'approved',
  currentStep: 1,
  decisions: [{ userLabel: 'Tanaka', decision: 'approve', reason: null, at: ago(1), step: 0 }],
  decidedAt: ago(1),
});

const phaseView = limitView({
  id: 13,
  kind: 'phase',
  change: { kind: 'phase', from: 'ongoing', to: 'incident' },
  reason: 'Bankruptcy filed on 11/20',
});

/** Every text a person reads on the card. */
function texts(card: Card): string[] {
  return [
    card.title,
    card.subtitle ?? '',
    card.status?.label ?? '',
    ...(card.fields ?? []).flatMap((f) => [f.label, f.value]),
    ...(card.sections ?? []).flatMap((s) => [s.heading, ...(s.lines ?? [])]),
    ...(card.lines ?? []),
    ...(card.actions ?? []).map((a) => a.label),
    ...(card.form
      ? [
          card.form.title,
          card.form.submitLabel,
          ...card.form.fields.flatMap((f) => [
            f.label,
            f.hint ?? '',
            ...(f.options ?? []).map((o) => o.label),
          ]),
        ]
      : []),
  ];
}

const RAW_KEY =
  /\b(?:approval|errors|card|phase|roles|limits|assessment|list)\.[a-z_.]+|\{\{|undefined/u;

function expectReadable(card: Card) {
  for (const text of texts(card)) expect(text).not.toMatch(RAW_KEY);
}

const field = (card: Card, label: string) => card.fields?.find((f) => f.label === label)?.value;

describe('the approval card', () => {
  it('shows what an approver decides on: change, exposure, recommendation, reason, requester', () => {
    const card = approvalCard(limitView(), ctx('en'));
    expect(card.title).toBe('Credit limit change for ACME Corp');
    expect(card.subtitle).toBe('Request #12 · C0001');
    expect(card.status).toEqual({
      colour: 'yellow',
      label: 'Waiting for Credit manager, Director, or Admin',
    });
    expect(field(card, 'Credit limit')).toBe('¥5,000,000 → ¥8,000,000 (+¥3,000,000)');
    expect(field(card, 'Exposure')).toBe('¥4,200,000');
    expect(field(card, 'Utilisation')).toBe('84.0% → 52.5%');
    expect(field(card, 'Score / rating')).toBe('72 / B');
    expect(field(card, 'Reason')).toBe('Orders double from April');
    expect(field(card, 'Requested by')).toBe('Sato · 2 hours ago');
    expect(field(card, 'Expires')).toMatch(/Nov 27, 2026.*in 3 days/u);
    const lines = card.sections?.find((s) => s.heading === 'Recommended credit limit')?.lines;
    expect(lines).toContain('Recommended credit limit: ¥5,900,000');
    expect(lines).toContain('The proposed limit is ¥2,100,000 above the recommended limit.');
    expect(lines?.some((l) => l.includes('rounded down to ¥5,900,000'))).toBe(true);
    expectReadable(card);
  });

  it('offers Approve and Reject only while the request waits', () => {
    expect(approvalCard(limitView(), ctx('en')).actions).toEqual([
      { label: 'Approve', command: '/credit approve 12', style: 'primary' },
      { label: 'Reject', command: '/credit reject 12', style: 'danger' },
      { label: 'Open customer', command: '/credit C0001' },
    ]);
    const decided = approvalCard(approvedView, ctx('en'));
    expect(decided.actions).toEqual([{ label: 'Open customer', command: '/credit C0001' }]);
    expect(decided.status?.colour).toBe('green');
    expect(decided.status?.label).toMatch(/^Approved by Tanaka · Nov 23, 2026/u);
    expect(decided.fields?.some((f) => f.label === 'Expires')).toBe(false);
  });

  it('says who rejected and why, and shows withdrawn and expired requests as closed', () => {
    const rejected = approvalCard(
      limitView({
        status: 'rejected',
        decisions: [
          { userLabel: 'Tanaka', decision: 'reject', reason: 'Too much', at: ago(1), step: 0 },
        ],
        decidedAt: ago(1),
        decisionReason: 'Too much',
      }),
      ctx('en'),
    );
    expect(rejected.status?.label).toMatch(/^Rejected by Tanaka/u);
    expect(field(rejected, 'Reason for rejecting')).toBe('Too much');
    for (const status of ['cancelled', 'expired'] as const) {
      const card = approvalCard(limitView({ status, decidedAt: ago(1) }), ctx('en'));
      expect(card.status?.colour).toBe('red');
      expect(card.actions?.map((a) => a.label)).toEqual(['Open customer']);
    }
  });

  it('walks a two-step approval step by step', () => {
    const card = approvalCard(
      limitView({
        change: { kind: 'limit', from: yen(5_000_000), to: yen(80_000_000) },
        steps: [
          ['credit_manager', 'director', 'admin'],
          ['director', 'admin'],
        ],
        currentStep: 1,
        decisions: [
          { userLabel: 'Tanaka', decision: 'approve', reason: null, at: ago(1), step: 0 },
        ],
      }),
      ctx('en'),
    );
    expect(card.status?.label).toBe('Waiting for Director or Admin (step 2 of 2)');
    const steps = card.sections?.find((s) => s.heading === 'Approval steps')?.lines ?? [];
    expect(steps[0]).toMatch(/^Step 1 \(Credit manager, Director, or Admin\): approved by Tanaka/u);
    expect(steps[1]).toBe('Step 2 (Director or Admin): waiting');
  });

  it('explains a move to incident and what it does to the account', () => {
    const card = approvalCard(phaseView, ctx('en'));
    expect(card.title).toBe('Credit phase change for ACME Corp');
    expect(field(card, 'Credit phase')).toBe('Ongoing → Incident (credit hold)');
    expect(card.sections?.[0]?.lines).toContain(
      'On approval the account goes on credit hold and its limit becomes 0.',
    );
  });

  it('reads in Japanese and Chinese in the words of a credit department', () => {
    const ja = approvalCard(limitView(), ctx('ja'));
    expect(ja.title).toBe('ACME Corp 与信限度額の変更申請');
    expect(ja.status?.label).toBe('与信管理者、部長／決裁者、または管理者の承認待ち');
    expect(ja.actions?.map((a) => a.label)).toEqual(['承認', '却下', '取引先を表示']);
    expect(ja.fields?.map((f) => f.label)).toContain('申請者');
    const zh = approvalCard(limitView(), ctx('zh'));
    expect(zh.title).toBe('ACME Corp信用额度调整申请');
    expect(zh.actions?.map((a) => a.label)).toEqual(['批准', '驳回', '查看客户']);
    expect(zh.fields?.map((f) => f.label)).toContain('申请人');
    for (const locale of ['en', 'ja', 'zh'] as const) {
      for (const view of [limitView(), approvedView, phaseView]) {
        expectReadable(approvalCard(view, ctx(locale)));
      }
    }
  });
});

describe('the approval notices', () => {
  it('tells the requester in one line what was decided, by whom, with the customer a click away', () => {
    const card = approvalNoticeCard(approvedView, 'approved', ctx('en'));
    expect(card.title).toBe(
      'Approved: credit limit of ACME Corp ¥5,000,000 → ¥8,000,000 by Tanaka',
    );
    expect(card.actions).toEqual([{ label: 'Open customer', command: '/credit C0001' }]);
    const rejected = approvalNoticeCard(
      limitView({
        status: 'rejected',
        decisions: [
          { userLabel: 'Tanaka', decision: 'reject', reason: 'Too much', at: ago(1), step: 0 },
        ],
        decisionReason: 'Too much',
      }),
      'rejected',
      ctx('en'),
    );
    expect(rejected.title).toBe(
      'Rejected: credit limit of ACME Corp ¥5,000,000 → ¥8,000,000 by Tanaka',
    );
    expect(rejected.lines).toContain('Reason for rejecting: Too much');
  });

  it('reminds with the decision buttons, and words every event in every language', () => {
    const reminder = approvalNoticeCard(limitView(), 'reminder', ctx('en'));
    expect(reminder.title).toBe(
      'Waiting for approval: credit limit of ACME Corp ¥5,000,000 → ¥8,000,000',
    );
    expect(reminder.actions?.map((a) => a.command)).toEqual([
      '/credit approve 12',
      '/credit reject 12',
      '/credit C0001',
    ]);
    const events: ApprovalEvent[] = [
      'approved',
      'rejected',
      'step_approved',
      'cancelled',
      'expired',
      'reminder',
    ];
    for (const locale of ['en', 'ja', 'zh'] as const) {
      for (const event of events)
        expectReadable(approvalNoticeCard(approvedView, event, ctx(locale)));
    }
    expect(approvalNoticeCard(approvedView, 'approved', ctx('ja')).title).toBe(
      '承認されました：ACME Corpの与信限度額 ￥5,000,000 → ￥8,000,000（承認者：Tanaka）',
    );
  });
});

describe('the approvals list', () => {
  const views = Array.from({ length: 6 }, (_, i) =>
    limitView({ id: 20 + i, createdAt: ago(i + 1) }),
  );

  it('lists the oldest first with buttons for the first five', () => {
    const card = approvalsListCard(views, ctx('en'));
    expect(card.title).toBe('6 requests waiting for your approval');
    expect(card.lines?.[0]).toBe(
      '#25 · Credit limit · ACME Corp (C0001) · ¥5,000,000 → ¥8,000,000 · Sato · 6 hours ago',
    );
    expect(card.actions).toHaveLength(10);
    expect(card.actions?.[0]).toEqual({
      label: 'Approve #25',
      command: '/credit approve 25',
      style: 'primary',
    });
    expect(card.actions?.some((a) => a.command.endsWith(' 20'))).toBe(false);
    expect(card.lines?.at(-1)).toContain('the other 1 with /credit approve <number>');
  });

  it('says so when nothing waits', () => {
    const card = approvalsListCard([], ctx('en'));
    expect(card.title).toBe('Nothing waits for your approval');
    expect(card.actions).toBeUndefined();
    for (const locale of ['ja', 'zh'] as const) {
      expectReadable(approvalsListCard([], ctx(locale)));
      expectReadable(approvalsListCard(views, ctx(locale)));
    }
  });
});

describe('the requester’s answers', () => {
  it('confirms what was sent and whom it waits for, with a way to withdraw it', () => {
    const card = requestedCard(limitView(), ctx('en'));
    expect(card.title).toBe('Sent for approval: request #12');
    expect(card.lines).toContain('It waits for Credit manager, Director, or Admin.');
    expect(card.actions?.[0]).toEqual({ label: 'Withdraw request', command: '/credit cancel 12' });
    const twoStep = requestedCard(
      limitView({ steps: [['credit_manager'], ['director']] }),
      ctx('en'),
    );
    expect(twoStep.lines).toContain('It needs 2 approvals, in order: Credit manager → Director.');
  });

  it('points to the request that already waits', () => {
    const card = alreadyPendingCard(limitView(), ctx('en'));
    expect(card.title).toBe('ACME Corp already has a credit limit request waiting (#12)');
    for (const locale of ['en', 'ja', 'zh'] as const) {
      expectReadable(alreadyPendingCard(phaseView, ctx(locale)));
      expectReadable(requestedCard(phaseView, ctx(locale)));
    }
  });
});

describe('the request and reject forms', () => {
  const customer = {
    code: 'C0001',
    legalName: 'ACME Corp',
    currency: 'JPY',
    creditLimit: yen(5_000_000),
    recommendedLimit: yen(5_900_000),
  };

  it('asks for the new limit in the customer’s currency next to the recommendation', () => {
    const card = limitRequestForm(customer, ctx('en'));
    expect(card.form?.id).toBe('limit');
    expect(card.form?.context).toBe('C0001');
    const [amount, reason] = card.form?.fields ?? [];
    expect(amount).toMatchObject({ id: 'amount', kind: 'amount', label: 'New credit limit (JPY)' });
    expect(amount?.hint).toContain('recommended ¥5,900,000');
    expect(reason).toMatchObject({ id: 'reason', kind: 'text', multiline: true, maxLength: 500 });
    expect(card.lines).toContain('Type: /credit limit C0001 <new limit> <reason>');
    const unassessed = limitRequestForm({ ...customer, recommendedLimit: null }, ctx('ja'));
    expect(unassessed.form?.fields[0]?.hint).toContain('推奨額は未算定');
  });

  it('offers only the phases the customer may move to, by their names', () => {
    const ongoing = phaseRequestForm(
      { code: 'C0001', legalName: 'ACME Corp', phase: 'ongoing' },
      ctx('en'),
    );
    expect(ongoing.form?.id).toBe('phase');
    expect(ongoing.form?.fields[0]?.options).toEqual([
      { value: 'watch', label: 'Watch' },
      { value: 'incident', label: 'Incident (credit hold)' },
    ]);
    const incident = phaseRequestForm(
      { code: 'C0001', legalName: 'ACME Corp', phase: 'incident' },
      ctx('ja'),
    );
    expect(incident.form?.fields[0]?.options).toEqual([{ value: 'watch', label: '問題案件管理' }]);
    expect(incident.lines).toContain(
      '/credit フェーズ C0001 問題案件 30日超の入金遅延が2回続いたため',
    );
  });

  it('asks the reason to reject on the next line where there are no forms', () => {
    const card = rejectForm(12, ctx('en'));
    expect(card.form).toMatchObject({ id: 'reject', context: '12', followUp: true });
    expect(card.form?.fields.map((f) => [f.id, f.label, f.optional])).toEqual([
      ['reason', 'Reason for rejecting', undefined],
    ]);
  });

  it('reads in every language without a raw key', () => {
    for (const locale of ['en', 'ja', 'zh'] as const) {
      expectReadable(limitRequestForm(customer, ctx(locale)));
      expectReadable(
        phaseRequestForm({ code: 'C0001', legalName: 'ACME', phase: 'watch' }, ctx(locale)),
      );
      expectReadable(rejectForm(12, ctx(locale)));
    }
  });
});
