import type { ApprovalEvent } from '../app/approval-ports.ts';
import { type ApprovalDeps, approvalView } from '../app/approvals.ts';
import { LINE_QUOTA_TYPE } from '../app/line-quota-warnings.ts';
import type { Locale } from '../app/locales.ts';
import { DEAD_LETTER_TYPE } from '../app/outbox-admin.ts';
import type { OutboxDelivery } from '../app/outbox-ports.ts';
import { isIsoDate } from '../domain/dates.ts';
import { alertOutboxCard } from './alert-card.ts';
import { approvalCard, approvalNoticeCard } from './approval-card.ts';
import type { Card } from './card.ts';
import { channelDigestCard } from './channel-digest.ts';
import { channelDigestChartCard } from './digest-chart.ts';
import { formatPercent } from './format.ts';
import type { I18n } from './i18n.ts';

// What an outbox message says, built when it is sent: the request as it stands then, in
// the language of the channel or of the person it goes to.

export interface OutboxCardDeps extends ApprovalDeps {
  readonly i18n: I18n;
  readonly defaultLocale: Locale;
}

async function localeFor(deps: OutboxCardDeps, delivery: OutboxDelivery): Promise<Locale> {
  const where = { platform: delivery.platform, externalId: delivery.channel };
  if (delivery.kind === 'direct') {
    const user = await deps.store.users.findByIdentity(where);
    if (user?.locale) return user.locale;
  }
  return (await deps.store.channels.settings(where))?.locale ?? deps.defaultLocale;
}

const EVENTS: readonly ApprovalEvent[] = [
  'approved',
  'rejected',
  'step_approved',
  'cancelled',
  'expired',
  'reminder',
];

/** The card for one outbox message; undefined when there is nothing to say any more. */
export async function outboxCard(
  deps: OutboxCardDeps,
  delivery: OutboxDelivery,
): Promise<Card | undefined> {
  const { payload } = delivery;
  if (payload.type === 'digest') return digestMessage(deps, delivery);
  if (payload.type === 'digest_chart') return digestChartMessage(deps, delivery);
  if (payload.type === DEAD_LETTER_TYPE) return deadLetterMessage(deps, delivery);
  if (payload.type === LINE_QUOTA_TYPE) return lineQuotaMessage(deps, delivery);
  if (payload.type === 'alert' || payload.type === 'alert_batch') {
    return alertOutboxCard(deps, delivery, await localeFor(deps, delivery));
  }
  const requestId = Number(payload.requestId);
  if (!Number.isSafeInteger(requestId)) return undefined;
  const view = await approvalView(deps, requestId);
  if (!view) return undefined;
  const locale = await localeFor(deps, delivery);
  const ctx = { t: deps.i18n.t(locale), locale, timeZone: deps.timeZone, now: deps.clock.now() };
  if (payload.type === 'approval_card') return { ...approvalCard(view, ctx), locale };
  const event = EVENTS.find((e) => e === payload.event);
  if (payload.type === 'approval_notice' && event) {
    // A reminder for a request decided since it was queued has nothing left to say.
    if (event === 'reminder' && view.status !== 'pending') return undefined;
    return { ...approvalNoticeCard(view, event, ctx), locale };
  }
  return undefined;
}

/** A channel's digest of a day, queued by the scheduler; a late one says so. */
function digestMessage(deps: OutboxCardDeps, delivery: OutboxDelivery): Promise<Card | undefined> {
  const asOf = String(delivery.payload.asOf);
  if (!isIsoDate(asOf)) return Promise.resolve(undefined);
  const channel = { platform: delivery.platform, externalId: delivery.channel };
  return channelDigestCard(deps, channel, { asOf, late: delivery.payload.late === true });
}

/** An admin's notice that a message was given up: what failed, and how to send it again. */
async function deadLetterMessage(deps: OutboxCardDeps, delivery: OutboxDelivery): Promise<Card> {
  const p = delivery.payload;
  const locale = await localeFor(deps, delivery);
  const t = deps.i18n.t(locale);
  const id = String(p.outboxId);
  const what = String(p.what ?? '');
  return {
    title: t('outbox.dead_letter.title', { id }),
    fields: [
      { label: t('outbox.dead_letter.where'), value: `${String(p.platform)}:${String(p.channel)}` },
      {
        label: t('outbox.dead_letter.what'),
        value: t('outbox.what', {
          type: t(`outbox.type.${what}`, { defaultValue: what }),
          kind: t(`outbox.kind.${String(p.kind)}`),
        }),
      },
      { label: t('outbox.dead_letter.attempts'), value: String(p.attempts) },
      { label: t('outbox.dead_letter.error'), value: String(p.error) },
    ],
    lines: [t('outbox.dead_letter.fix'), t('outbox.dead_letter.retry', { id })],
    locale,
  };
}

/** An admin's warning that LINE pushes near (80) or reached (100) the month's limit. */
async function lineQuotaMessage(deps: OutboxCardDeps, delivery: OutboxDelivery): Promise<Card> {
  const p = delivery.payload;
  const locale = await localeFor(deps, delivery);
  const t = deps.i18n.t(locale);
  const [used, limit] = [Number(p.used), Number(p.limit)];
  const spent = p.threshold === 100;
  const share = limit > 0 ? Math.floor((used * 10_000) / limit) : 10_000;
  // The cap binds when it is set and not above the plan's quota.
  const byCap =
    typeof p.cap === 'number' && (typeof p.lineQuota !== 'number' || p.cap <= p.lineQuota);
  const key = (k: string) => `outbox.line_quota.${k}`;
  return {
    title: t(key(spent ? 'title_spent' : 'title_low'), { month: String(p.month) }),
    status: { colour: spent ? 'red' : 'yellow', label: formatPercent(share, locale) },
    fields: [
      { label: t(key('month')), value: String(p.month) },
      { label: t(key('used')), value: t(key('used_value'), { used, limit }) },
      { label: t(key('limit')), value: t(key(byCap ? 'limit_cap' : 'limit_plan')) },
    ],
    lines: [t(key(spent ? 'effect_spent' : 'effect_low')), t(key('fix')), t(key('check'))],
    locale,
  };
}

/** The digest's aging chart, right behind the digest; nothing when no receivable is open. */
function digestChartMessage(
  deps: OutboxCardDeps,
  delivery: OutboxDelivery,
): Promise<Card | undefined> {
  const asOf = String(delivery.payload.asOf);
  if (!isIsoDate(asOf)) return Promise.resolve(undefined);
  const channel = { platform: delivery.platform, externalId: delivery.channel };
  return channelDigestChartCard(deps, channel, { asOf });
}
