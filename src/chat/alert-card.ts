import type { AlertView } from '../app/alert-ports.ts';
import { alertBatch, alertView } from '../app/alerts.ts';
import type { Locale } from '../app/locales.ts';
import type { OutboxDelivery } from '../app/outbox-ports.ts';
import type { Store } from '../app/ports.ts';
import type { ProposalReason } from '../app/proposals.ts';
import type { AlertSeverity } from '../domain/alerts.ts';
import type { StatusColour } from '../domain/credit.ts';
import { money } from '../domain/money.ts';
import { reasonText } from './assessment-card.ts';
import type { Card, CardAction } from './card.ts';
import type { CardContext } from './customer-card.ts';
import { formatDate, formatDateTime, formatMoney, formatPercent } from './format.ts';
import type { I18n } from './i18n.ts';

// An alert as the channel and the owner read it, and the hourly summary of a batched channel.
// The words come from the facts stored with the alert: the card says what was seen when it
// fired, even if the ledger has moved on by the time it is read.

/** A batch summary names this many alerts; the rest are counted. */
export const BATCH_LINES = 15;

const COLOUR: Readonly<Record<AlertSeverity, StatusColour | undefined>> = {
  critical: 'red',
  warning: 'yellow',
  info: undefined,
};

const text = (facts: AlertView['facts'], key: string): string => {
  const value = facts[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
};
const num = (facts: AlertView['facts'], key: string): number => Number(facts[key] ?? 0);

function amount(alert: AlertView, key: string, { locale }: CardContext): string {
  return formatMoney(money(num(alert.facts, key), text(alert.facts, 'currency')), locale);
}

function isReason(value: unknown): value is ProposalReason {
  return typeof value === 'object' && value !== null && 'rule' in value && 'params' in value;
}

function proposalLines(alert: AlertView, ctx: CardContext): string[] {
  const { t } = ctx;
  const f = alert.facts;
  const reasons = (Array.isArray(f.reasons) ? f.reasons : [])
    .filter(isReason)
    .map((r) => reasonText(r, ctx))
    .join(t('list.separator'));
  const from = t(`phase.${text(f, 'from')}`);
  const to = t(`phase.${text(f, 'to')}`);
  return f.strategic === true
    ? [t('alerts.summary.phase_proposal_strategic', { to, reasons })]
    : [t('alerts.summary.phase_proposal', { from, to, reasons })];
}

/** What happened, in one sentence per line (the first is what summaries show). */
export function alertSummary(alert: AlertView, ctx: CardContext): string[] {
  const { t, locale } = ctx;
  const f = alert.facts;
  switch (alert.kind) {
    case 'over_limit':
    case 'high_utilisation': {
      const bp = f.utilisationBp;
      if (typeof bp !== 'number' || num(f, 'limitMinor') === 0) {
        return [t('alerts.summary.no_limit', { exposure: amount(alert, 'exposureMinor', ctx) })];
      }
      return [
        t(`alerts.summary.${alert.kind}`, {
          exposure: amount(alert, 'exposureMinor', ctx),
          limit: amount(alert, 'limitMinor', ctx),
          utilisation: formatPercent(bp, locale),
        }),
      ];
    }
    case 'invoice_overdue':
      return [
        t('alerts.summary.invoice_overdue', {
          number: text(f, 'number'),
          count: num(f, 'line'),
          due: formatDate(text(f, 'dueOn'), locale),
          amount: amount(alert, 'openMinor', ctx),
        }),
      ];
    case 'broken_promise':
      return [
        t('alerts.summary.broken_promise', {
          amount: amount(alert, 'amountMinor', ctx),
          date: formatDate(text(f, 'promisedOn'), locale),
        }),
      ];
    case 'rating_drop':
      return [
        t('alerts.summary.rating_drop', {
          from: text(f, 'from'),
          to: text(f, 'to'),
          score: num(f, 'score'),
          date: formatDate(text(f, 'on'), locale),
        }),
      ];
    case 'credit_event':
      return [
        t('alerts.summary.credit_event', {
          kind: t(`phase.event_kind.${text(f, 'kind')}`),
          date: formatDate(text(f, 'on'), locale),
          severity: t(`phase.severity.${text(f, 'severity')}`),
        }),
        ...(text(f, 'text') ? [text(f, 'text')] : []),
        ...(text(f, 'url') ? [text(f, 'url')] : []),
      ];
    case 'review_overdue':
      return [t('alerts.summary.review_overdue', { date: formatDate(text(f, 'dueOn'), locale) })];
    case 'phase_proposal':
      return proposalLines(alert, ctx);
  }
}

const customerText = (alert: AlertView) => `${alert.legalName} (${alert.code})`;

/** One alert: what, for whom, how serious, and what to do next. */
export function alertCard(alert: AlertView, ctx: CardContext): Card {
  const { t, locale, timeZone } = ctx;
  const colour = COLOUR[alert.severity];
  const actions: CardAction[] = [];
  if (alert.kind === 'phase_proposal') {
    // The click runs `/credit phase` as the person who clicked: their role is checked then.
    actions.push({
      label: t('alerts.action.request_phase'),
      command: `/credit phase ${alert.code}`,
      style: 'primary',
    });
  }
  actions.push({ label: t('approval.action.open_customer'), command: `/credit ${alert.code}` });
  return {
    title: t('alerts.title', {
      kind: t(`alerts.kind.${alert.kind}`),
      customer: customerText(alert),
    }),
    ...(colour
      ? { status: { colour, label: t(`alerts.severity.${alert.severity}`) } }
      : { subtitle: t(`alerts.severity.${alert.severity}`) }),
    fields: [{ label: t('card.owner'), value: alert.ownerName ?? t('card.unassigned') }],
    lines: [
      ...alertSummary(alert, ctx),
      ...(alert.kind === 'phase_proposal' ? [t('alerts.request_hint')] : []),
    ],
    actions,
    footer: t('alerts.footer', { when: formatDateTime(alert.createdAt, locale, timeZone) }),
    visibility: 'channel',
  };
}

/** "Critical · Over credit limit · Acme (C0001): exposure … against …". */
export function alertLine(alert: AlertView, ctx: CardContext): string {
  const { t } = ctx;
  return t('alerts.line', {
    severity: t(`alerts.severity.${alert.severity}`),
    kind: t(`alerts.kind.${alert.kind}`),
    customer: customerText(alert),
    summary: alertSummary(alert, ctx)[0] ?? '',
  });
}

/** A batched channel's summary: the held alerts, red first, the overflow counted. */
export function alertBatchCard(alerts: readonly AlertView[], ctx: CardContext): Card {
  const { t } = ctx;
  const shown = alerts.slice(0, BATCH_LINES);
  const more = alerts.length - shown.length;
  return {
    title: t('alerts.batch.title', { count: alerts.length }),
    lines: [
      ...shown.map((a) => alertLine(a, ctx)),
      ...(more > 0 ? [t('alerts.batch.more', { count: more })] : []),
    ],
    footer: t('alerts.batch.footer'),
    visibility: 'channel',
  };
}

export interface AlertCardDeps {
  readonly store: Store;
  readonly i18n: I18n;
  readonly timeZone: string;
}

/** The card of an outbox message about alerts; undefined when there is nothing to say. */
export async function alertOutboxCard(
  deps: AlertCardDeps,
  delivery: OutboxDelivery,
  locale: Locale,
): Promise<Card | undefined> {
  const ctx = { t: deps.i18n.t(locale), locale, timeZone: deps.timeZone };
  const { payload } = delivery;
  if (payload.type === 'alert') {
    const id = Number(payload.alertId);
    const alert = Number.isSafeInteger(id) ? await alertView(deps.store, id) : undefined;
    return alert ? { ...alertCard(alert, ctx), locale } : undefined;
  }
  if (payload.type === 'alert_batch' && typeof payload.batch === 'string') {
    const channel = { platform: delivery.platform, externalId: delivery.channel };
    const alerts = await alertBatch(deps.store, { channel, batch: payload.batch });
    return alerts.length > 0 ? { ...alertBatchCard(alerts, ctx), locale } : undefined;
  }
  return undefined;
}
