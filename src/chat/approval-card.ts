import type { ApprovalEvent, ApprovalView } from '../app/approval-ports.ts';
import type { Locale } from '../app/locales.ts';
import type { Role } from '../domain/credit.ts';
import { type Money, money } from '../domain/money.ts';
import { limitLines, reasonText } from './assessment-card.ts';
import type { Card, CardAction, CardField, CardSection } from './card.ts';
import type { CardContext } from './customer-card.ts';
import { formatDateTime, formatMoney, formatPercent } from './format.ts';

// What an approver decides on, and what the requester and the owner are told. The approval
// card is posted to the approvals channel and updated in place once decided, so it reads
// whole at any status: what is asked, why, what the scorecard recommends, who decided.

/** `now`, when given, adds "2 hours ago" and "in 3 days" to the instants shown. */
export interface ApprovalCardContext extends CardContext {
  readonly now?: Date;
}

const INTL: Record<Locale, string> = { en: 'en-US', ja: 'ja-JP', zh: 'zh-CN' };

/** The list to pick an approver from: "Credit manager, Director, or Admin". */
export function rolesText(roles: readonly Role[], { t, locale }: CardContext): string {
  return new Intl.ListFormat(INTL[locale], { type: 'disjunction' }).format(
    roles.map((role) => t(`roles.${role}`)),
  );
}

function namesText(names: readonly string[], locale: Locale): string {
  return new Intl.ListFormat(INTL[locale], { type: 'conjunction' }).format(names);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "2 hours ago", "in 3 days": minutes within the hour, hours within the day, then days. */
export function relativeTime(instant: Date, now: Date, locale: Locale): string {
  const ms = instant.getTime() - now.getTime();
  const f = new Intl.RelativeTimeFormat(INTL[locale], { numeric: 'always' });
  const abs = Math.abs(ms);
  // "now" rather than "in 0 minutes" for what just happened.
  if (abs < MINUTE) {
    return new Intl.RelativeTimeFormat(INTL[locale], { numeric: 'auto' }).format(0, 'second');
  }
  if (abs < HOUR) return f.format(Math.trunc(ms / MINUTE), 'minute');
  if (abs < DAY) return f.format(Math.trunc(ms / HOUR), 'hour');
  return f.format(Math.trunc(ms / DAY), 'day');
}

/** An instant with its distance from now when the caller knows now. */
export function instantText(instant: Date, ctx: ApprovalCardContext): string {
  const at = formatDateTime(instant, ctx.locale, ctx.timeZone);
  return ctx.now
    ? ctx.t('approval.when', { at, relative: relativeTime(instant, ctx.now, ctx.locale) })
    : at;
}

/** "2 hours ago" when now is known; the date and time otherwise. */
export function ageText(instant: Date, ctx: ApprovalCardContext): string {
  return ctx.now
    ? relativeTime(instant, ctx.now, ctx.locale)
    : formatDateTime(instant, ctx.locale, ctx.timeZone);
}

export function changeText(view: ApprovalView, { t, locale }: CardContext): string {
  const { change } = view;
  return change.kind === 'limit'
    ? `${formatMoney(change.from, locale)} → ${formatMoney(change.to, locale)}`
    : `${t(`phase.${change.from}`)} → ${t(`phase.${change.to}`)}`;
}

/** "credit limit of ACME Corp ¥5,000,000 → ¥8,000,000". */
export function summaryText(view: ApprovalView, ctx: CardContext): string {
  return ctx.t(`approval.summary.${view.kind}`, {
    customer: view.customer.legalName,
    change: changeText(view, ctx),
  });
}

function signedMoney(from: Money, to: Money, locale: Locale): string {
  const delta = to.minor - from.minor;
  const sign = delta < 0 ? '−' : '+';
  return `${sign}${formatMoney(money(Math.abs(delta), to.currency), locale)}`;
}

/** Exposure over a limit in basis points, exactly; none for a zero limit. */
function utilisation(exposure: Money, limit: Money, { t, locale }: CardContext): string {
  if (limit.minor <= 0) return t(exposure.minor > 0 ? 'card.no_limit' : 'card.none');
  const bp = (BigInt(exposure.minor) * 10_000n + BigInt(limit.minor) / 2n) / BigInt(limit.minor);
  return formatPercent(Number(bp), locale);
}

const approvers = (view: ApprovalView) =>
  view.decisions.filter((d) => d.decision === 'approve').map((d) => d.userLabel);

export function waitingFor(view: ApprovalView, ctx: CardContext): string {
  const roles = rolesText(view.steps[view.currentStep] ?? [], ctx);
  return view.steps.length > 1
    ? ctx.t('approval.status.pending_step', {
        roles,
        step: view.currentStep + 1,
        steps: view.steps.length,
      })
    : ctx.t('approval.status.pending', { roles });
}

/** Where the request stands, as the card's coloured status line. */
export function approvalStatus(view: ApprovalView, ctx: ApprovalCardContext): Card['status'] {
  const { t } = ctx;
  const at = formatDateTime(
    view.decidedAt ?? view.expiresAt ?? view.createdAt,
    ctx.locale,
    ctx.timeZone,
  );
  const rejecter = view.decisions.find((d) => d.decision === 'reject')?.userLabel ?? '—';
  switch (view.status) {
    case 'pending':
      return { colour: 'yellow', label: waitingFor(view, ctx) };
    case 'approved':
      return {
        colour: 'green',
        label: t('approval.status.approved', {
          names: namesText(approvers(view), ctx.locale),
          when: at,
        }),
      };
    case 'rejected':
      return { colour: 'red', label: t('approval.status.rejected', { name: rejecter, when: at }) };
    default:
      return { colour: 'red', label: t(`approval.status.${view.status}`, { when: at }) };
  }
}

function changeFields(view: ApprovalView, ctx: CardContext): CardField[] {
  const { t, locale } = ctx;
  const { change, customer } = view;
  if (change.kind === 'limit') {
    return [
      {
        label: t('card.limit'),
        value: `${changeText(view, ctx)} (${signedMoney(change.from, change.to, locale)})`,
      },
      { label: t('card.exposure'), value: formatMoney(customer.exposure, locale) },
      {
        label: t('card.utilisation'),
        value: `${utilisation(customer.exposure, change.from, ctx)} → ${utilisation(customer.exposure, change.to, ctx)}`,
      },
      { label: t('card.phase'), value: t(`phase.${customer.phase}`) },
    ];
  }
  return [
    { label: t('card.phase'), value: changeText(view, ctx) },
    { label: t('card.limit'), value: formatMoney(customer.creditLimit, locale) },
    { label: t('card.exposure'), value: formatMoney(customer.exposure, locale) },
    {
      label: t('card.utilisation'),
      value: utilisation(customer.exposure, customer.creditLimit, ctx),
    },
  ];
}

function requesterText(view: ApprovalView, ctx: ApprovalCardContext): string {
  const who = view.requester.system
    ? ctx.t('approval.card.system_requester', { name: view.requester.label })
    : view.requester.label;
  return `${who} · ${ageText(view.createdAt, ctx)}`;
}

function approvalFields(view: ApprovalView, ctx: ApprovalCardContext): CardField[] {
  const { t } = ctx;
  const { customer } = view;
  const fields: CardField[] = [
    { label: t('approval.card.customer'), value: `${customer.legalName} (${customer.code})` },
    ...changeFields(view, ctx),
    {
      label: t('card.score'),
      value:
        customer.score !== null && customer.rating !== null
          ? t('card.score_value', { score: customer.score, rating: customer.rating })
          : t('card.not_assessed'),
    },
    { label: t('card.owner'), value: customer.ownerName ?? t('card.unassigned') },
    {
      label: t('approval.card.reason'),
      value: view.ruleReasons
        ? view.ruleReasons.map((r) => reasonText(r, ctx)).join(t('list.separator'))
        : view.reason,
    },
    { label: t('approval.card.requester'), value: requesterText(view, ctx) },
  ];
  if (view.status === 'pending' && view.expiresAt) {
    fields.push({ label: t('approval.card.expires'), value: instantText(view.expiresAt, ctx) });
  }
  if (view.status === 'rejected' && view.decisionReason) {
    fields.push({ label: t('approval.card.rejection_reason'), value: view.decisionReason });
  }
  return fields;
}

/** The scorecard's recommendation beside the request, with every step of its calculation. */
function recommendationSection(view: ApprovalView, ctx: CardContext): CardSection[] {
  const { t, locale } = ctx;
  const { customer, change } = view;
  const lines: string[] = [];
  const recommended = customer.recommendedLimit;
  if (recommended) {
    lines.push(t('assessment.recommended', { amount: formatMoney(recommended, locale) }));
    if (change.kind === 'limit' && change.to.minor > recommended.minor) {
      lines.push(
        t('approval.card.above_recommended', {
          amount: formatMoney(
            money(change.to.minor - recommended.minor, recommended.currency),
            locale,
          ),
        }),
      );
    }
  } else if (change.kind === 'limit') {
    lines.push(t('approval.card.no_recommendation'));
  }
  if (customer.limitComponents) {
    lines.push(...limitLines(customer.limitComponents, customer.currency, ctx));
  }
  if (change.kind === 'phase' && change.to === 'incident') {
    lines.push(t('approval.card.incident_effect'));
  }
  return lines.length === 0 ? [] : [{ heading: t('limits.recommended'), lines }];
}

/** Each step of a two- or three-step approval: who decided it, or who it waits for. */
function stepsSection(view: ApprovalView, ctx: ApprovalCardContext): CardSection[] {
  if (view.steps.length < 2) return [];
  const { t } = ctx;
  const lines = view.steps.map((roles, i) => {
    const params = { step: i + 1, roles: rolesText(roles, ctx) };
    const done = view.decisions.find((d) => d.step === i);
    if (done) {
      return t(`approval.card.step_${done.decision}`, {
        ...params,
        name: done.userLabel,
        when: formatDateTime(done.at, ctx.locale, ctx.timeZone),
      });
    }
    if (view.status === 'pending' && i === view.currentStep) {
      return t('approval.card.step_waiting', params);
    }
    return t('approval.card.step_open', params);
  });
  return [{ heading: t('approval.card.steps'), lines }];
}

export const openCustomer = (view: ApprovalView, ctx: CardContext): CardAction => ({
  label: ctx.t('approval.action.open_customer'),
  command: `/credit ${view.customer.code}`,
});

function decisionActions(view: ApprovalView, { t }: CardContext): CardAction[] {
  if (view.status !== 'pending') return [];
  return [
    {
      label: t('approval.action.approve'),
      command: `/credit approve ${view.id}`,
      style: 'primary',
    },
    { label: t('approval.action.reject'), command: `/credit reject ${view.id}`, style: 'danger' },
  ];
}

/** The card approvers decide on; Approve and Reject only while it waits. */
export function approvalCard(view: ApprovalView, ctx: ApprovalCardContext): Card {
  const { t } = ctx;
  const status = approvalStatus(view, ctx);
  return {
    title: t(`approval.card.title_${view.kind}`, { customer: view.customer.legalName }),
    subtitle: t('approval.card.subtitle', { id: view.id, code: view.customer.code }),
    ...(status ? { status } : {}),
    fields: approvalFields(view, ctx),
    sections: [...recommendationSection(view, ctx), ...stepsSection(view, ctx)],
    actions: [...decisionActions(view, ctx), openCustomer(view, ctx)],
  };
}

/** Who the notice names as having acted: the last decider, or the requester who withdrew. */
function actor(view: ApprovalView, event: ApprovalEvent): string {
  if (event === 'cancelled') return view.requester.label;
  return view.decisions.at(-1)?.userLabel ?? view.requester.label;
}

function noticeLines(view: ApprovalView, event: ApprovalEvent, ctx: ApprovalCardContext): string[] {
  const { t } = ctx;
  const lines = [t('approval.notice.request', { id: view.id, reason: view.reason })];
  switch (event) {
    case 'rejected':
      if (view.decisionReason) {
        lines.push(t('approval.notice.rejection_reason', { reason: view.decisionReason }));
      }
      break;
    case 'step_approved':
      lines.push(waitingFor(view, ctx));
      break;
    case 'approved':
      lines.push(t(`approval.notice.applied_${view.kind}`));
      break;
    case 'expired':
      lines.push(t(`approval.notice.expired_hint_${view.kind}`, { code: view.customer.code }));
      break;
    case 'reminder':
      lines.push(
        t('approval.notice.reminder_line', {
          requester: view.requester.label,
          age: ageText(view.createdAt, ctx),
        }),
        waitingFor(view, ctx),
      );
      if (view.expiresAt) {
        lines.push(t('approval.notice.expires', { when: instantText(view.expiresAt, ctx) }));
      }
      break;
    default:
      break;
  }
  return lines;
}

/** The short message a requester or owner gets in a direct message, or a reminder. */
export function approvalNoticeCard(
  view: ApprovalView,
  event: ApprovalEvent,
  ctx: ApprovalCardContext,
): Card {
  const { t } = ctx;
  return {
    title: t(`approval.notice.${event}`, {
      summary: summaryText(view, ctx),
      by: actor(view, event),
      step: view.currentStep,
      steps: view.steps.length,
    }),
    lines: noticeLines(view, event, ctx),
    actions: [...(event === 'reminder' ? decisionActions(view, ctx) : []), openCustomer(view, ctx)],
  };
}

/** Buttons for this many requests; more make a wall of buttons nobody reads. */
const LIST_ACTIONS = 5;

function listLine(view: ApprovalView, ctx: ApprovalCardContext): string {
  const { t } = ctx;
  const line = t('approval.list.line', {
    id: view.id,
    kind: t(`approval.kind.${view.kind}`),
    customer: `${view.customer.legalName} (${view.customer.code})`,
    change: changeText(view, ctx),
    requester: view.requester.label,
    age: ageText(view.createdAt, ctx),
  });
  return view.steps.length > 1
    ? `${line}${t('approval.list.step', { step: view.currentStep + 1, steps: view.steps.length })}`
    : line;
}

/** `/credit approvals`: what the caller may decide, oldest first. */
export function approvalsListCard(views: readonly ApprovalView[], ctx: ApprovalCardContext): Card {
  const { t } = ctx;
  if (views.length === 0) {
    return { title: t('approval.list.empty_title'), lines: [t('approval.list.empty_hint')] };
  }
  const oldestFirst = [...views].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id,
  );
  const lines = oldestFirst.map((view) => listLine(view, ctx));
  if (views.length > LIST_ACTIONS) {
    lines.push('', t('approval.list.more', { count: views.length - LIST_ACTIONS }));
  }
  return {
    title: t('approval.list.title', { count: views.length }),
    lines,
    actions: oldestFirst.slice(0, LIST_ACTIONS).flatMap((view) => [
      {
        label: t('approval.action.approve_id', { id: view.id }),
        command: `/credit approve ${view.id}`,
        style: 'primary' as const,
      },
      {
        label: t('approval.action.reject_id', { id: view.id }),
        command: `/credit reject ${view.id}`,
        style: 'danger' as const,
      },
    ]),
  };
}
