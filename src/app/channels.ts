import { isTimeZone } from '../domain/dates.ts';
import { DomainError } from '../domain/errors.ts';
import { isCurrencyCode } from '../domain/money.ts';
import {
  SUBSCRIPTION_KINDS,
  type Subscription,
  type SubscriptionFilters,
  type SubscriptionKind,
} from './channel-ports.ts';
import type { ChannelRef } from './chat-ports.ts';
import { isLocale, type Locale } from './locales.ts';
import type { Store } from './ports.ts';
import { IDENTITY_PLATFORMS, readPlatformRef } from './users.ts';

// Which channels receive the digest, alerts and approval requests, and when. Managed by
// `npx creditops channels …` and `/credit subscribe …`; both refuse the same input in the
// same words because both come through here.

export const channelText = (channel: ChannelRef) => `${channel.platform}:${channel.externalId}`;

/** `slack:C0123ABCD` → the channel; anything else is refused with the expected form. */
export function parseChannel(text: string): ChannelRef {
  const channel = readPlatformRef(text);
  if (channel) return channel;
  throw new DomainError('errors.channels.bad_channel', {
    value: text,
    platforms: IDENTITY_PLATFORMS.join(', '),
  });
}

export function parseSubscriptionKind(text: string): SubscriptionKind {
  const kind = SUBSCRIPTION_KINDS.find((k) => k === text.trim().toLowerCase());
  if (!kind) {
    throw new DomainError('errors.channels.unknown_kind', {
      value: text,
      kinds: SUBSCRIPTION_KINDS.join(', '),
    });
  }
  return kind;
}

/** `9:00`, `09:00`, `０９：００` → `09:00`; a time that is not on the clock is refused. */
export function parseLocalTime(text: string): string {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/u.exec(text.normalize('NFKC').trim());
  if (!match) throw new DomainError('errors.channels.bad_time', { value: text });
  return `${(match[1] ?? '').padStart(2, '0')}:${match[2]}`;
}

export function parseTimeZone(text: string): string {
  const value = text.trim();
  // Intl also takes offsets such as +09:00; a channel names a place so daylight saving follows.
  if (!value.includes('/') && value !== 'UTC') {
    throw new DomainError('errors.channels.unknown_time_zone', { value: text });
  }
  if (!isTimeZone(value)) throw new DomainError('errors.channels.unknown_time_zone', { value });
  return value;
}

export function parseChannelLocale(text: string): Locale {
  const value = text.trim().toLowerCase();
  if (!isLocale(value)) {
    throw new DomainError('errors.channels.bad_locale', { value: text, choices: 'ja, zh, en' });
  }
  return value;
}

function parseFilters(filters: SubscriptionInput['filters']): SubscriptionFilters {
  const segment = filters?.segment?.trim();
  const owner = filters?.owner?.trim();
  const currency = filters?.currency?.trim().toUpperCase();
  if (currency !== undefined && !isCurrencyCode(currency)) {
    throw new DomainError('errors.channels.bad_currency', { value: filters?.currency ?? '' });
  }
  return {
    ...(segment ? { segment } : {}),
    ...(owner ? { owner } : {}),
    ...(currency ? { currency } : {}),
  };
}

export interface SubscriptionInput {
  /** `platform:id`. */
  readonly channel: string;
  readonly kind: string;
  /** `HH:MM`; 09:00 when not given. */
  readonly localTime?: string;
  /** Changes the channel's time zone; a new channel otherwise gets `defaultTimeZone`. */
  readonly timeZone?: string;
  /** Changes the channel's language; a new channel otherwise gets `defaultLocale`. */
  readonly locale?: string;
  /** True when not given: weekends and holidays carry the digest to the next business day. */
  readonly businessDaysOnly?: boolean;
  /** False when not given: alerts go out as they happen. */
  readonly batched?: boolean;
  readonly filters?: {
    readonly segment?: string;
    readonly owner?: string;
    readonly currency?: string;
  };
  readonly defaultTimeZone: string;
  readonly defaultLocale: Locale;
}

export interface SubscriptionChange {
  readonly outcome: 'created' | 'updated' | 'unchanged';
  readonly subscription: Subscription;
}

/** Key order aside: jsonb hands filters back in its own order. */
const canonical = (s: Subscription) =>
  JSON.stringify(Object.entries({ ...s, filters: Object.entries(s.filters).sort() }).sort());
const same = (a: Subscription, b: Subscription) => canonical(a) === canonical(b);

/**
 * Subscribes a channel to one kind, or changes the subscription it has. The channel's row
 * is created on first use; its time zone and language change only when given. `actor`
 * labels the audit entry (`cli:<os user>`, `user:<id>`).
 */
export async function addSubscription(
  store: Store,
  actor: string,
  input: SubscriptionInput,
): Promise<SubscriptionChange> {
  const channel = parseChannel(input.channel);
  const kind = parseSubscriptionKind(input.kind);
  const localTime = parseLocalTime(input.localTime ?? '09:00');
  const timeZone = input.timeZone === undefined ? undefined : parseTimeZone(input.timeZone);
  const locale = input.locale === undefined ? undefined : parseChannelLocale(input.locale);
  const filters = parseFilters(input.filters);
  const defaultTimeZone = parseTimeZone(input.defaultTimeZone);
  return store.transaction(async (tx) => {
    const before = await tx.subscriptions.find(channel, kind);
    const row = await tx.subscriptions.saveChannel({
      channel,
      initial: { locale: input.defaultLocale, timeZone: defaultTimeZone },
      changes: { ...(locale ? { locale } : {}), ...(timeZone ? { timeZone } : {}) },
    });
    const fields = {
      kind,
      localTime,
      businessDaysOnly: input.businessDaysOnly ?? true,
      batched: input.batched ?? false,
      filters,
    };
    const after: Subscription = { channel, ...fields, timeZone: row.timeZone, locale: row.locale };
    if (before && same(before, after)) return { outcome: 'unchanged', subscription: after };
    await tx.subscriptions.upsert(row.id, fields);
    await tx.audit.record({
      actor,
      action: before ? 'subscription.update' : 'subscription.create',
      entityType: 'subscription',
      entityId: `${channelText(channel)}/${kind}`,
      before: before ?? null,
      after,
    });
    return { outcome: before ? 'updated' : 'created', subscription: after };
  });
}

/** Every subscription, grouped by channel. */
export function listSubscriptions(store: Store): Promise<Subscription[]> {
  return store.subscriptions.list();
}

/** Ends one kind for a channel, or all of them; refused when there was nothing to end. */
export async function removeSubscription(
  store: Store,
  actor: string,
  input: { readonly channel: string; readonly kind?: string },
): Promise<Subscription[]> {
  const channel = parseChannel(input.channel);
  const kind = input.kind === undefined ? undefined : parseSubscriptionKind(input.kind);
  return store.transaction(async (tx) => {
    const removed = await tx.subscriptions.remove(channel, kind);
    if (removed.length === 0) {
      throw new DomainError('errors.channels.not_subscribed', {
        channel: channelText(channel),
        kind: kind ?? SUBSCRIPTION_KINDS.join(', '),
      });
    }
    for (const subscription of removed) {
      await tx.audit.record({
        actor,
        action: 'subscription.remove',
        entityType: 'subscription',
        entityId: `${channelText(channel)}/${subscription.kind}`,
        before: subscription,
        after: null,
      });
    }
    return removed;
  });
}
