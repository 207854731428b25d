import type { ApprovalEvent } from '../app/approval-ports.ts';
import { type ApprovalDeps, approvalView } from '../app/approvals.ts';
import { buildDigest } from '../app/digest.ts';
import { calendarForZone } from '../app/digest-delivery.ts';
import type { Locale } from '../app/locales.ts';
import type { OutboxDelivery } from '../app/outbox-ports.ts';
import { isIsoDate } from '../domain/dates.ts';
import { approvalCard, approvalNoticeCard } from './approval-card.ts';
import type { Card } from './card.ts';
import { digestCard } from './digest-card.ts';
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

/** A channel's digest of a day, with its filters, in its language; a late one says so. */
async function digestMessage(
  deps: OutboxCardDeps,
  delivery: OutboxDelivery,
): Promise<Card | undefined> {
  const asOf = String(delivery.payload.asOf);
  if (!isIsoDate(asOf)) return undefined;
  const channel = { platform: delivery.platform, externalId: delivery.channel };
  const subscription = await deps.store.subscriptions.find(channel, 'digest');
  const locale = subscription?.locale ?? (await localeFor(deps, delivery));
  const timeZone = subscription?.timeZone ?? deps.timeZone;
  const data = await buildDigest(
    { ...deps, timeZone, calendar: calendarForZone(timeZone) },
    { asOf, ...(subscription ? { filters: subscription.filters } : {}) },
  );
  const t = deps.i18n.t(locale);
  const card = digestCard(data, { t, locale, timeZone });
  const late = delivery.payload.late === true ? [t('digest.late')] : [];
  return { ...card, lines: [...late, ...(card.lines ?? [])], locale };
}
