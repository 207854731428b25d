import type { StoredLimit } from '../app/assessment-ports.ts';
import { storedTopContributions } from '../app/assessments.ts';
import type { Locale } from '../app/locales.ts';
import type { CustomerView } from '../app/lookup.ts';
import type { PhaseMoveProposal, ProposalReason } from '../app/proposals.ts';
import { money } from '../domain/money.ts';
import type { Contribution } from '../domain/scorecard.ts';
import type { CardSection } from './card.ts';
import { formatDate, formatMoney } from './format.ts';
import type { Translate } from './i18n.ts';

// The card's "why": the latest assessment's biggest contributions up and down, the
// recommended limit with every step of its calculation, and what the phase rules propose.
// A handful of short lines in one section, so every platform shows it whole.

interface Context {
  readonly t: Translate;
  readonly locale: Locale;
}

const INTL: Record<Locale, string> = { en: 'en-US', ja: 'ja-JP', zh: 'zh-CN' };
const TOP = 3;

/** A contribution's pull in score points, signed: +12.5, −3.75. */
function points(hundredths: number, locale: Locale): string {
  return new Intl.NumberFormat(INTL[locale], {
    signDisplay: 'always',
    maximumFractionDigits: 2,
  }).format(hundredths / 100);
}

function contributionText(c: Contribution, { t, locale }: Context): string {
  const band =
    c.bandLabel === null
      ? t('scorecard.missing')
      : c.bandLabel === 'yes' || c.bandLabel === 'no'
        ? t(`scorecard.band.${c.bandLabel}`)
        : c.bandLabel;
  return t('assessment.contribution', {
    item: t(`scorecard.item.${c.item}`),
    band,
    delta: points(c.delta, locale),
  });
}

function whyLines(contributions: readonly Contribution[], ctx: Context): string[] {
  const { up, down } = storedTopContributions(contributions, TOP);
  const line = (direction: 'up' | 'down', list: readonly Contribution[]) =>
    list.length === 0
      ? []
      : [
          ctx.t('assessment.why_line', {
            direction: ctx.t(`scorecard.why.${direction}`),
            items: list.map((c) => contributionText(c, ctx)).join(ctx.t('list.separator')),
          }),
        ];
  return [...line('up', up), ...line('down', down)];
}

/** Capacity, trade cap and authority cap; base × multiplier, rounding; flags. */
export function limitLines(limit: StoredLimit, currency: string, { t, locale }: Context): string[] {
  const amount = (minor: number) => formatMoney(money(minor, currency), locale);
  const caps = (['capacity', 'tradeCap', 'authorityCap'] as const).flatMap((key) => {
    const value = limit[key];
    return value === undefined
      ? []
      : [t('assessment.part', { label: t(`limits.component.${key}`), amount: amount(value) })];
  });
  const multiplier = new Intl.NumberFormat(INTL[locale], {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(limit.multiplierBp / 10_000);
  const calculation = {
    base: amount(limit.base),
    multiplier: `×${multiplier}`,
    multiplied: amount(limit.multiplied),
    rounded: amount(limit.rounded),
  };
  const lines = [
    caps.join(' · '),
    limit.pdPpm === undefined
      ? t('assessment.calculation', calculation)
      : t('assessment.calculation_pd', {
          ...calculation,
          pd: new Intl.NumberFormat(INTL[locale], {
            style: 'percent',
            maximumFractionDigits: 2,
          }).format(limit.pdPpm / 1_000_000),
        }),
  ];
  const notes = [
    ...limit.flags.map((f) => t(`limits.flag.${f}`)),
    ...(limit.attention ? [t('limits.attention')] : []),
  ];
  if (notes.length > 0)
    lines.push(t('assessment.notes', { notes: notes.join(t('list.separator')) }));
  return lines;
}

export function reasonText(reason: ProposalReason, { t, locale }: Context): string {
  const params: Record<string, string | number> = { ...reason.params };
  if (typeof params.kind === 'string') params.kind = t(`phase.event_kind.${params.kind}`);
  if (typeof params.on === 'string') params.on = formatDate(params.on, locale);
  return t(`phase.rule.${reason.rule}`, params);
}

/** "Proposed: Ongoing → Watch — 70 days overdue (threshold 60)", or a strategic account's flag. */
export function proposalLine(p: PhaseMoveProposal, ctx: Context): string {
  const { t } = ctx;
  const reasons = p.reasons.map((r) => reasonText(r, ctx)).join(t('list.separator'));
  return p.strategic
    ? t('assessment.strategic', { to: t(`phase.${p.to}`), reasons })
    : t('assessment.proposed', { from: t(`phase.${p.from}`), to: t(`phase.${p.to}`), reasons });
}

/** The assessment section of the customer card; none when there is nothing to explain. */
export function assessmentSections(c: CustomerView, ctx: Context): CardSection[] {
  const { t, locale } = ctx;
  const lines: string[] = [];
  const detail = c.assessment?.detail;
  if (detail) {
    if (detail.antisocialCheck === 'failed') lines.push(t('scorecard.gate.forced_e'));
    lines.push(...whyLines(detail.contributions, ctx));
    if (detail.recommendedLimitMinor !== null) {
      lines.push(
        t('assessment.recommended', {
          amount: formatMoney(money(detail.recommendedLimitMinor, detail.currency), locale),
        }),
      );
    }
    if (detail.limit) lines.push(...limitLines(detail.limit, detail.currency, ctx));
  }
  if (c.proposal) lines.push(proposalLine(c.proposal, ctx));
  if (lines.length === 0) return [];
  return [{ heading: t('assessment.heading'), lines }];
}
