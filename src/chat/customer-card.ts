import type { CollectionOutlook } from '../app/collections.ts';
import type { Locale } from '../app/locales.ts';
import type { CustomerView } from '../app/lookup.ts';
import type { CustomerMatch } from '../app/ports.ts';
import type { AgingBucket } from '../domain/aging.ts';
import { money } from '../domain/money.ts';
import { assessmentSections } from './assessment-card.ts';
import type { Card, CardAction, CardField, CardSection } from './card.ts';
import { formatDate, formatDateTime, formatMoney, formatPercent } from './format.ts';
import type { Translate } from './i18n.ts';

export interface CardContext {
  readonly t: Translate;
  readonly locale: Locale;
  readonly timeZone: string;
}

export function bucketLabel(bucket: AgingBucket, t: Translate): string {
  if (bucket.key === 'current') return t('aging.current');
  if (bucket.toDays === undefined) return t('aging.over', { from: bucket.fromDays });
  return t('aging.range', { from: bucket.fromDays, to: bucket.toDays });
}

/** "Next collection step: Collection call (12 days overdue)", or the promise holding it back. */
function nextStepField(next: CollectionOutlook, t: Translate, locale: Locale): CardField {
  const step = t(`dunning.step.${next.step}`);
  return {
    label: t('card.next_step'),
    value:
      next.kind === 'due'
        ? t('card.next_step_due', { step, count: next.maxDaysOverdue })
        : t('card.next_step_paused', {
            step,
            paused: t('dunning.paused_until', { date: formatDate(next.pausedUntil, locale) }),
          }),
  };
}

function keyFields(c: CustomerView, { t, locale }: CardContext): CardField[] {
  const a = c.assessment;
  const fields: CardField[] = [
    {
      label: t('card.score'),
      value: a
        ? t('card.score_value', { score: a.score, rating: a.rating })
        : t('card.not_assessed'),
    },
    { label: t('card.limit'), value: formatMoney(c.creditLimit, locale) },
    { label: t('card.exposure'), value: formatMoney(money(c.exposureMinor, c.currency), locale) },
    {
      label: t('card.utilisation'),
      value:
        c.utilisationBp === undefined || c.creditLimit.minor === 0
          ? t(c.exposureMinor > 0 ? 'card.no_limit' : 'card.none')
          : formatPercent(c.utilisationBp, locale),
    },
    { label: t('card.phase'), value: t(`phase.${c.phase}`) },
    { label: t('card.owner'), value: c.ownerName ?? t('card.unassigned') },
  ];
  if (c.maxDaysOverdue > 0) {
    fields.push({
      label: t('card.max_overdue'),
      value: t('card.days', { count: c.maxDaysOverdue }),
    });
  }
  if (c.collection) fields.push(nextStepField(c.collection, t, locale));
  if (c.openOrders.minor > 0) {
    fields.push({ label: t('card.open_orders'), value: formatMoney(c.openOrders, locale) });
  }
  if (c.nextReviewOn) {
    fields.push({ label: t('card.next_review'), value: formatDate(c.nextReviewOn, locale) });
  }
  const flags = [
    c.strategic && t('flag.strategic'),
    c.blacklisted && t('flag.blacklisted'),
    c.creditHold && t('flag.credit_hold'),
  ].filter((f): f is string => typeof f === 'string');
  if (flags.length > 0)
    fields.push({ label: t('card.flags'), value: flags.join(t('list.separator')) });
  return fields;
}

function agingSection(c: CustomerView, { t, locale }: CardContext): CardSection {
  const columns = [t('aging.currency'), ...c.buckets.map((b) => bucketLabel(b, t))];
  if (c.aging.length === 0) {
    return {
      heading: t('aging.heading', { date: formatDate(c.asOf, locale) }),
      lines: [t('aging.nothing_open')],
    };
  }
  const rows = c.aging.map((row) => [
    row.currency,
    ...row.bucketMinor.map((minor) => formatMoney(money(minor, row.currency), locale)),
  ]);
  const disputed = c.aging
    .filter((row) => row.disputedCount > 0)
    .map((row) =>
      t('aging.disputed', {
        amount: formatMoney(money(row.disputedMinor, row.currency), locale),
        count: row.disputedCount,
      }),
    );
  return {
    heading: t('aging.heading', { date: formatDate(c.asOf, locale) }),
    table: { columns, rows, align: ['left', ...c.buckets.map(() => 'right' as const)] },
    lines: disputed,
  };
}

function followUpSections(c: CustomerView, { t, locale, timeZone }: CardContext): CardSection[] {
  const sections: CardSection[] = [];
  if (c.openPromises.length > 0) {
    sections.push({
      heading: t('card.promises'),
      lines: c.openPromises.map((p) =>
        t('card.promise_line', {
          date: formatDate(p.promisedOn, locale),
          amount: formatMoney(p.amount, locale),
        }),
      ),
    });
  }
  if (c.lastContacts.length > 0) {
    sections.push({
      heading: t('card.contacts'),
      lines: c.lastContacts.map((k) =>
        t('card.contact_line', {
          when: formatDateTime(k.contactedAt, locale, timeZone),
          method: t(`contact.method.${k.method}`),
          outcome: t(`contact.outcome.${k.outcome}`),
          actor: k.actorLabel,
          note: k.note ?? '',
        }).trim(),
      ),
    });
  }
  return sections;
}

export function customerCard(c: CustomerView, ctx: CardContext): Card {
  const { t, locale } = ctx;
  const reasons = c.status.reasons.map((r) => t(`status.reason.${r}`));
  const actions: CardAction[] = [
    { label: t('action.log_contact'), command: `/credit log ${c.code}`, style: 'primary' },
    { label: t('action.request_limit'), command: `/credit limit ${c.code}` },
    { label: t('action.propose_phase'), command: `/credit phase ${c.code}` },
  ];
  return {
    title: c.legalName,
    subtitle: [c.code, c.nameKana].filter(Boolean).join(' · '),
    status: {
      colour: c.status.colour,
      label:
        reasons.length === 0
          ? t(`status.colour.${c.status.colour}`)
          : t('status.with_reasons', {
              colour: t(`status.colour.${c.status.colour}`),
              reasons: reasons.join(t('list.separator')),
            }),
    },
    fields: keyFields(c, ctx),
    sections: [agingSection(c, ctx), ...assessmentSections(c, ctx), ...followUpSections(c, ctx)],
    actions,
    footer: c.assessment
      ? t('card.footer_assessed', {
          date: formatDate(c.asOf, locale),
          assessed: formatDateTime(c.assessment.assessedAt, locale, ctx.timeZone),
        })
      : t('card.footer', { date: formatDate(c.asOf, locale) }),
  };
}

function matchLine(m: CustomerMatch, t: Translate): string {
  const via = m.matchedName !== m.legalName && m.matchedKind !== 'code';
  return via
    ? t('lookup.match_via', { code: m.code, name: m.legalName, matched: m.matchedName })
    : t('lookup.match', { code: m.code, name: m.legalName });
}

/** What a pick-list button runs: the look-up itself by default, or `log` / `share`. */
export type PickCommand = (code: string) => string;
const lookupCommand: PickCommand = (code) => `/credit ${code}`;

export function chooseCard(
  query: string,
  candidates: readonly CustomerMatch[],
  { t }: CardContext,
  command: PickCommand = lookupCommand,
): Card {
  return {
    title: t('lookup.choose_title', { count: candidates.length, query }),
    lines: [...candidates.map((m) => matchLine(m, t)), t('lookup.choose_hint')],
    actions: candidates.map((m) => ({
      label: `${m.code} ${m.legalName}`,
      command: command(m.code),
    })),
  };
}

export function noMatchCard(
  query: string,
  suggestions: readonly CustomerMatch[],
  { t }: CardContext,
  command: PickCommand = lookupCommand,
): Card {
  if (suggestions.length === 0) {
    return { title: t('lookup.none_title', { query }), lines: [t('lookup.none_hint')] };
  }
  return {
    title: t('lookup.none_title', { query }),
    lines: [t('lookup.did_you_mean'), ...suggestions.map((m) => matchLine(m, t))],
    actions: suggestions.map((m) => ({
      label: `${m.code} ${m.legalName}`,
      command: command(m.code),
    })),
  };
}
