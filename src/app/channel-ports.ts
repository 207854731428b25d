import type { ChannelRef } from './chat-ports.ts';
import type { Locale } from './locales.ts';

// What a channel has asked to receive: the daily digest, alerts, approval requests. The
// scheduler and the alert router read these; nothing here sends anything.

export const SUBSCRIPTION_KINDS = ['digest', 'alerts', 'approvals'] as const;
export type SubscriptionKind = (typeof SUBSCRIPTION_KINDS)[number];

/** Narrows what a channel receives; an absent filter lets everything through. */
export interface SubscriptionFilters {
  readonly segment?: string;
  readonly owner?: string;
  readonly currency?: string;
}

export interface Subscription {
  readonly channel: ChannelRef;
  readonly kind: SubscriptionKind;
  /** `HH:MM` in the channel's time zone. */
  readonly localTime: string;
  /** The channel's settings: every subscription of a channel shares them. */
  readonly timeZone: string;
  readonly locale: Locale;
  readonly businessDaysOnly: boolean;
  readonly batched: boolean;
  readonly filters: SubscriptionFilters;
}

export interface ChannelRow {
  readonly id: number;
  readonly locale: Locale;
  readonly timeZone: string;
}

export interface SubscriptionRepository {
  /**
   * The channel's row, created with `initial` settings when it is new; `changes` apply to
   * an existing row (and override `initial` on a new one).
   */
  saveChannel(input: {
    readonly channel: ChannelRef;
    readonly initial: { readonly locale: Locale; readonly timeZone: string };
    readonly changes: { readonly locale?: Locale; readonly timeZone?: string };
  }): Promise<ChannelRow>;
  find(channel: ChannelRef, kind: SubscriptionKind): Promise<Subscription | undefined>;
  /** Inserts or replaces the (channel, kind) subscription. */
  upsert(
    channelId: number,
    subscription: Omit<Subscription, 'channel' | 'timeZone' | 'locale'>,
  ): Promise<void>;
  /** Every subscription, by platform, channel and kind. */
  list(): Promise<Subscription[]>;
  /** Deletes the channel's subscriptions (of one kind when given) and returns them. */
  remove(channel: ChannelRef, kind?: SubscriptionKind): Promise<Subscription[]>;
}
