import type { Subscription } from '../app/channel-ports.ts';
import { SUBSCRIPTION_KINDS } from '../app/channel-ports.ts';
import {
  addSubscription,
  channelText,
  listSubscriptions,
  removeSubscription,
} from '../app/channels.ts';
import type { Locale } from '../app/locales.ts';
import type { Identity, Store, User } from '../app/ports.ts';
import { DomainError } from '../domain/errors.ts';
import { type Card, type CardTable, messageCard } from './card.ts';
import type { CardContext } from './customer-card.ts';
import type { Translate } from './i18n.ts';
import type { SubscriptionCommand } from './subscription-command.ts';

// Answers about subscriptions, for chat and the command line. The bot has checked the
// 'subscribe' capability before any of this runs.

const kindName = (s: Subscription, t: Translate) => t(`channels.kind.${s.kind}`);

function filtersText(s: Subscription, t: Translate): string {
  const parts = [
    s.filters.segment ? t('channels.filter.segment', { value: s.filters.segment }) : undefined,
    s.filters.owner ? t('channels.filter.owner', { value: s.filters.owner }) : undefined,
    s.filters.currency ? t('channels.filter.currency', { value: s.filters.currency }) : undefined,
  ].filter((part) => part !== undefined);
  return parts.length === 0 ? t('channels.filter.none') : parts.join(', ');
}

const daysText = (s: Subscription, t: Translate) =>
  t(s.businessDaysOnly ? 'channels.days.business' : 'channels.days.all');
const deliveryText = (s: Subscription, t: Translate) =>
  t(s.batched ? 'channels.delivery.batched' : 'channels.delivery.immediate');

/** One row per subscription: where, what, when, in which language, with which filters. */
export function subscriptionsTable(subs: readonly Subscription[], t: Translate): CardTable {
  return {
    columns: [
      t('channels.column.channel'),
      t('channels.column.kind'),
      t('channels.column.time'),
      t('channels.column.time_zone'),
      t('channels.column.language'),
      t('channels.column.days'),
      t('channels.column.delivery'),
      t('channels.column.filters'),
    ],
    rows: subs.map((s) => [
      channelText(s.channel),
      kindName(s, t),
      s.localTime,
      s.timeZone,
      t(`lang.name.${s.locale}`),
      daysText(s, t),
      deliveryText(s, t),
      filtersText(s, t),
    ]),
  };
}

/** What `add` did, in one sentence, and the settings it left. */
export function subscriptionChangeText(
  outcome: 'created' | 'updated' | 'unchanged',
  s: Subscription,
  t: Translate,
): string[] {
  const params = {
    channel: channelText(s.channel),
    kind: kindName(s, t),
    time: s.localTime,
    timeZone: s.timeZone,
  };
  return [
    t(`channels.${outcome}`, params),
    t('channels.details', {
      days: daysText(s, t),
      delivery: deliveryText(s, t),
      language: t(`lang.name.${s.locale}`),
      filters: filtersText(s, t),
    }),
    // Where and when it arrives, and how to see it now.
    t('channels.preview_hint', { channel: channelText(s.channel) }),
  ];
}

export function removedText(removed: readonly Subscription[], t: Translate): string {
  return t('channels.removed', {
    count: removed.length,
    channel: removed[0] ? channelText(removed[0].channel) : '',
    kinds: removed.map((s) => kindName(s, t)).join(', '),
  });
}

/** `/credit subscribe` alone: what this channel receives, and how to change it. */
async function channelSubscriptionsCard(
  store: Store,
  channel: Identity | undefined,
  t: Translate,
): Promise<Card> {
  const usage = t('channels.usage', { kinds: SUBSCRIPTION_KINDS.join(', ') });
  const here = channel ? channelText(channel) : undefined;
  const subs = here
    ? (await listSubscriptions(store)).filter((s) => channelText(s.channel) === here)
    : [];
  if (subs.length === 0) return messageCard(t('channels.title'), [t('channels.none_here'), usage]);
  return {
    title: t('channels.title'),
    sections: [{ heading: here ?? '', table: subscriptionsTable(subs, t) }],
    lines: [usage],
  };
}

/** `/credit subscribe|unsubscribe …` for the channel the command came from. */
export async function subscriptionCard(
  deps: { readonly store: Store; readonly timeZone: string; readonly defaultLocale: Locale },
  user: User,
  command: SubscriptionCommand,
  input: { readonly channel: Identity | undefined; readonly ctx: CardContext },
): Promise<Card> {
  const { t } = input.ctx;
  if (command.kind === 'subscribe' && command.subscription === undefined) {
    return channelSubscriptionsCard(deps.store, input.channel, t);
  }
  if (!input.channel) throw new DomainError('errors.channels.no_channel');
  const channel = channelText(input.channel);
  const actor = `user:${user.id}`;
  if (command.kind === 'unsubscribe') {
    const removed = await removeSubscription(deps.store, actor, {
      channel,
      ...(command.subscription ? { kind: command.subscription } : {}),
    });
    return messageCard(t('channels.removed_title'), [removedText(removed, t)]);
  }
  const change = await addSubscription(deps.store, actor, {
    channel,
    kind: command.subscription ?? '',
    ...(command.time ? { localTime: command.time } : {}),
    ...(command.timeZone ? { timeZone: command.timeZone } : {}),
    ...(command.locale ? { locale: command.locale } : {}),
    defaultTimeZone: deps.timeZone,
    defaultLocale: deps.defaultLocale,
  });
  return messageCard(
    t('channels.saved_title'),
    subscriptionChangeText(change.outcome, change.subscription, t),
  );
}
