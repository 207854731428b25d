import type { Change, DigestData, DigestPromise, KpiLine } from '../app/digest.ts';
import type { OverdueCustomerRow } from '../app/digest-ports.ts';
import type { Locale } from '../app/locales.ts';
import { money } from '../domain/money.ts';
import { alertLine } from './alert-card.ts';
import type { Card, CardSection } from './card.ts';
import type { CardContext } from './customer-card.ts';
import { formatDate, formatDateTime, formatMoney } from './format.ts';
import type { Translate } from './i18n.ts';

/** The morning digest as a card: each adapter renders it (console: text, Slack: blocks). */

/** An aging bucket key (`current`, `1-30`, `91+`) in the reader's words. */
export function bucketName(key: string, t: Translate): string {
  if (key === 'current') return t('aging.current');
  if (key.endsWith('+')) return t('aging.over', { from: Number(key.slice(0, -1)) });
  const [from, to] = key.split('-').map(Number);
  return t('aging.range', { from, to });
}

/** "▲ ¥12,000" / "▼ ¥3,000" / "±0": the sign is the arrow, the amount is shown unsigned. */
function delta(minor: number, currency: string, locale: Locale): string {
  if (minor === 0) return '±0';
  return `${minor > 0 ? '▲' : '▼'} ${formatMoney(money(Math.abs(minor), currency), locale)}`;
}

function changeText(
  change: Change | undefined,
  currency: string,
  pick: keyof Change,
  { t, locale }: CardContext,
): string {
  return change ? delta(change[pick], currency, locale) : t('digest.no_snapshot');
}

function receivables(data: DigestData, ctx: CardContext): CardSection {
  const { t, locale } = ctx;
  const fmt = (minor: number, currency: string) => formatMoney(money(minor, currency), locale);
  return {
    heading: t('digest.receivables.heading'),
    ...(data.positions.length === 0
      ? { lines: [t('digest.receivables.none')] }
      : {
          table: {
            columns: [
              t('aging.currency'),
              t('digest.receivables.exposure'),
              t('digest.receivables.vs_previous'),
              t('digest.receivables.vs_week'),
              t('digest.receivables.overdue'),
              t('digest.receivables.vs_previous'),
              t('digest.receivables.vs_week'),
            ],
            rows: data.positions.map((p) => [
              p.currency,
              fmt(p.exposureMinor, p.currency),
              changeText(p.vsPreviousBusinessDay, p.currency, 'exposureMinor', ctx),
              changeText(p.vsWeekAgo, p.currency, 'exposureMinor', ctx),
              fmt(p.overdueMinor, p.currency),
              changeText(p.vsPreviousBusinessDay, p.currency, 'overdueMinor', ctx),
              changeText(p.vsWeekAgo, p.currency, 'overdueMinor', ctx),
            ]),
            align: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
          },
        }),
  };
}

function aging(data: DigestData, { t, locale }: CardContext): CardSection | undefined {
  const first = data.positions[0];
  if (!first) return undefined;
  const keys = first.aging.buckets.map((b) => b.label);
  return {
    heading: t('digest.aging.heading'),
    table: {
      columns: [t('aging.currency'), ...keys.map((k) => bucketName(k, t))],
      rows: data.positions.map((p) => [
        p.currency,
        ...p.aging.buckets.map((b) => formatMoney(money(b.amountMinor, p.currency), locale)),
      ]),
      align: ['left', ...keys.map(() => 'right' as const)],
    },
  };
}

/** A KPI with its trend over the week: "42.5 days (▲ 3.0)". */
function kpiValue(now: number | null, before: number | null, t: Translate, unit: string): string {
  if (now === null) return t('digest.kpi.not_computable');
  const value = t(unit, { value: now.toFixed(1) });
  if (before === null) return value;
  const diff = Math.round((now - before) * 10) / 10;
  const arrow = diff === 0 ? '±0' : `${diff > 0 ? '▲' : '▼'} ${Math.abs(diff).toFixed(1)}`;
  return t('digest.kpi.trend', { value, trend: arrow });
}

function kpis(lines: readonly KpiLine[], { t }: CardContext): CardSection {
  return {
    heading: t('digest.kpi.heading'),
    lines:
      lines.length === 0
        ? [t('digest.kpi.none')]
        : lines.map((k) =>
            t('digest.kpi.line', {
              currency: k.currency,
              dso: kpiValue(k.dso, k.dsoBefore, t, 'digest.kpi.days'),
              cei: kpiValue(k.cei, k.ceiBefore, t, 'digest.kpi.percent'),
            }),
          ),
  };
}

function overdueLines(rows: readonly OverdueCustomerRow[], { t, locale }: CardContext): string[] {
  return rows.map((c) =>
    t('digest.overdue.line', {
      code: c.code,
      name: c.legalName,
      amount: formatMoney(money(c.overdueMinor, c.currency), locale),
      days: t('card.days', { count: c.maxDaysOverdue }),
    }),
  );
}

function listSection(heading: string, lines: readonly string[], empty: string): CardSection {
  return { heading, lines: lines.length > 0 ? lines : [empty] };
}

/**
 * Lines a digest list shows before it counts the rest. A large book has thousands of dunning
 * steps and reviews due each morning: a chat message holds a few dozen lines (Slack cuts it
 * at about 13,000 characters), and wording every one of them for every channel took most of a
 * delivery round. The lists come most urgent first, so the lines shown are the ones to act on.
 */
export const DIGEST_LIST_LINES = 10;

function capped<T>(items: readonly T[], line: (item: T) => string, t: Translate): string[] {
  const more = items.length - DIGEST_LIST_LINES;
  return [
    ...items.slice(0, DIGEST_LIST_LINES).map(line),
    ...(more > 0 ? [t('digest.more', { count: more })] : []),
  ];
}

function approvals(data: DigestData, { t, locale, timeZone }: CardContext): CardSection {
  const { pending, oldestAt } = data.approvals;
  return listSection(
    t('digest.approvals.heading'),
    pending === 0
      ? []
      : [
          t('digest.approvals.pending', { count: pending }),
          ...(oldestAt
            ? [t('digest.approvals.oldest', { at: formatDateTime(oldestAt, locale, timeZone) })]
            : []),
        ],
    t('digest.approvals.none'),
  );
}

function promises(data: DigestData, { t, locale }: CardContext): CardSection {
  const line = ([key, p]: readonly [string, DigestPromise]) =>
    t(key, {
      code: p.code,
      name: p.legalName,
      amount: formatMoney(money(p.amountMinor, p.currency), locale),
      date: formatDate(p.promisedOn, locale),
    });
  const all = [
    ...data.promisesDueToday.map((p) => ['digest.promises.due_today', p] as const),
    ...data.promisesBroken.map((p) => ['digest.promises.broken', p] as const),
  ];
  return listSection(t('digest.promises.heading'), capped(all, line, t), t('digest.promises.none'));
}

/** What was alerted since the last digest: the counts, then the most severe. */
function alerts(data: DigestData, ctx: CardContext): CardSection {
  const { t } = ctx;
  const { counts, latest } = data.alerts;
  const total = counts.critical + counts.warning + counts.info;
  const more = total - latest.length;
  return listSection(
    t('digest.alerts.heading'),
    total === 0
      ? []
      : [
          t('digest.alerts.counts', counts),
          ...latest.map((a) => alertLine(a, ctx)),
          ...(more > 0 ? [t('digest.alerts.more', { count: more })] : []),
        ],
    t('digest.alerts.none'),
  );
}

export function digestCard(data: DigestData, ctx: CardContext): Card {
  const { t, locale } = ctx;
  const sections: CardSection[] = [receivables(data, ctx)];
  const agingSection = aging(data, ctx);
  if (agingSection) sections.push(agingSection);
  sections.push(
    kpis(data.kpis, ctx),
    alerts(data, ctx),
    listSection(
      t('digest.overdue.heading'),
      overdueLines(data.topOverdue, ctx),
      t('digest.overdue.none'),
    ),
    listSection(
      t('digest.strategic.heading'),
      overdueLines(data.strategicOverdue, ctx),
      t('digest.strategic.none'),
    ),
    approvals(data, ctx),
    promises(data, ctx),
    listSection(
      t('digest.dunning.heading'),
      capped(
        data.dunning,
        (d) =>
          t('digest.dunning.line', {
            code: d.code,
            name: d.legalName,
            step: t(`dunning.step.${d.step}`),
            days: t('card.days', { count: d.maxDaysOverdue }),
          }),
        t,
      ),
      t('digest.dunning.none'),
    ),
    listSection(
      t('digest.reviews.heading'),
      capped(
        data.reviews,
        (r) =>
          t('digest.reviews.line', {
            code: r.code,
            name: r.legalName,
            date: formatDate(r.nextReviewOn, locale),
          }),
        t,
      ),
      t('digest.reviews.none'),
    ),
  );
  const filters = [data.filters.currency, data.filters.segment, data.filters.owner].filter(
    (f): f is string => typeof f === 'string',
  );
  return {
    title: t('digest.title', { date: formatDate(data.asOf, locale) }),
    ...(filters.length > 0
      ? { subtitle: t('digest.filters', { filters: filters.join(t('list.separator')) }) }
      : {}),
    sections,
    locale,
    visibility: 'channel',
  };
}
