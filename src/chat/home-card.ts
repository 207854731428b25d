import type { AttentionItem, HomeOverview, RequestSummary } from '../app/home.ts';
import type { PromiseDueRow } from '../app/home-ports.ts';
import type { Locale } from '../app/locales.ts';
import type { User } from '../app/ports.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { Card, CardAction, CardSection } from './card.ts';
import type { CardContext } from './customer-card.ts';
import { formatDate, formatMoney, formatPercent } from './format.ts';

/** Buttons on the home card: more crowd out the sections on a phone. */
export const HOME_BUTTONS = 5;

const DOT = { red: '🔴', yellow: '🟡' } as const;
// The days overdue are shown as a number; the reasons saying only "overdue" would repeat it.
const SHOWN_AS_DAYS = new Set(['overdue', 'long_overdue']);

const INTL_LOCALE: Record<Locale, string> = { en: 'en-US', ja: 'ja-JP', zh: 'zh-CN' };

/** A day of this week as people jot it down: 11/27 (Fri), 11/27（金）, 11/27（周五）. */
function formatDay(date: IsoDate, { t, locale }: CardContext): string {
  const day = new Date(`${date}T00:00:00Z`);
  const part = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(INTL_LOCALE[locale], { ...options, timeZone: 'UTC' }).format(day);
  return t('home.day', {
    date: part({ month: 'numeric', day: 'numeric' }),
    weekday: part({ weekday: 'short' }),
  });
}

function attentionLine(item: AttentionItem, { t, locale }: CardContext): string {
  const names = { name: item.legalName, code: item.code };
  const exposure = formatMoney(item.exposure, locale);
  const head =
    item.limit.minor === 0 || item.utilisationBp === undefined
      ? t('home.attention.line_no_limit', { ...names, exposure })
      : t('home.attention.line', {
          ...names,
          exposure,
          limit: formatMoney(item.limit, locale),
          utilisation: formatPercent(item.utilisationBp, locale),
        });
  const details = [
    ...(item.maxDaysOverdue > 0
      ? [t('home.attention.overdue', { count: item.maxDaysOverdue })]
      : []),
    ...item.reasons.filter((r) => !SHOWN_AS_DAYS.has(r)).map((r) => t(`status.reason.${r}`)),
  ];
  return `${DOT[item.colour]} ${[head, ...details].join(t('home.separator'))}`;
}

function attentionSection(overview: HomeOverview, ctx: CardContext): CardSection {
  const { t } = ctx;
  const { items, more, owned, checked } = overview.attention;
  const lines = items.map((item) => attentionLine(item, ctx));
  if (more > 0) lines.push(t('home.attention.more', { count: more }));
  if (lines.length === 0) lines.push(t('home.attention.empty'));
  if (checked < owned) lines.push(t('home.attention.unchecked', { checked, owned }));
  return { heading: t('home.attention.heading'), lines };
}

function promiseLine(p: PromiseDueRow, ctx: CardContext): string {
  return ctx.t('home.promises.line', {
    day: formatDay(p.promisedOn, ctx),
    name: p.legalName,
    code: p.code,
    amount: formatMoney(p.amount, ctx.locale),
  });
}

function promisesSection(overview: HomeOverview, ctx: CardContext): CardSection {
  const { t } = ctx;
  const { items, more } = overview.promisesDue;
  const lines = items.map((p) => promiseLine(p, ctx));
  if (more > 0) lines.push(t('home.promises.more', { count: more }));
  if (lines.length === 0) lines.push(t('home.promises.empty'));
  return { heading: t('home.promises.heading'), lines };
}

function requestFields(r: RequestSummary, { t }: CardContext) {
  return {
    kind: t(`home.requests.kind.${r.kind}`),
    name: r.legalName,
    code: r.code,
    reason: r.reason,
    age:
      r.ageDays === 0 ? t('home.requests.age_today') : t('home.requests.age', { count: r.ageDays }),
  };
}

function requestsSection(overview: HomeOverview, ctx: CardContext): CardSection {
  const { t } = ctx;
  const { items, more } = overview.pendingRequests;
  const lines = items.map((r) => t('home.requests.line', requestFields(r, ctx)));
  if (more > 0) lines.push(t('home.requests.more', { count: more }));
  if (lines.length === 0) lines.push(t('home.requests.empty'));
  return { heading: t('home.requests.heading'), lines };
}

function awaitingSection(overview: HomeOverview, ctx: CardContext): CardSection {
  const { t } = ctx;
  const lines = overview.awaitingDecision.map((r) =>
    t('home.awaiting.line', { ...requestFields(r, ctx), requester: r.requestedBy }),
  );
  if (lines.length === 0) lines.push(t('home.awaiting.empty'));
  return { heading: t('home.awaiting.heading'), lines };
}

/**
 * A person's home: their red and yellow customers, this week's promises to pay, their open
 * requests and, for approvers, what waits for their decision. Every section is always there,
 * with a line of its own when empty, so the layout does not shift from day to day.
 */
export function homeCard(overview: HomeOverview, user: User, ctx: CardContext): Card {
  const { t, locale } = ctx;
  const sections = [
    attentionSection(overview, ctx),
    promisesSection(overview, ctx),
    requestsSection(overview, ctx),
    ...(overview.approver ? [awaitingSection(overview, ctx)] : []),
  ];
  const actions: CardAction[] = overview.attention.items
    .slice(0, HOME_BUTTONS)
    .map((item) => ({ label: item.code, command: `/credit ${item.code}` }));
  return {
    title: t('home.title', { date: formatDate(overview.asOf, locale) }),
    subtitle: user.displayName,
    sections,
    actions,
    footer: t('home.footer'),
  };
}
