import type { Locale } from './locales.ts';

// What the chat surfaces need from the database beyond the credit data: button tokens,
// de-duplication of platform deliveries, and per-channel settings.

export interface ActionTokenRow {
  readonly token: string;
  readonly command: string;
  readonly userId: number | null;
  readonly expiresAt: Date;
}

export interface ActionTokenRepository {
  insert(rows: readonly ActionTokenRow[]): Promise<void>;
  /** The command a token stands for, with its expiry; undefined when no such token exists. */
  find(
    token: string,
  ): Promise<{ readonly command: string; readonly expiresAt: Date | null } | undefined>;
}

export interface InboundEventRepository {
  /**
   * Records that a platform delivery was handled. False when it was already recorded (a
   * retry or a double submit). Call inside the transaction of the effect it guards: a
   * concurrent claim of the same id waits for that transaction and then sees it.
   */
  claim(platform: string, eventId: string): Promise<boolean>;
  /**
   * Whether the delivery was claimed already. Asked before anything is checked, so a repeat
   * that comes after the world moved on (a redelivery after the approval it asked for) is
   * dropped as a repeat rather than answered with a refusal; the claim still decides.
   */
  handled(platform: string, eventId: string): Promise<boolean>;
}

export interface ChannelSettings {
  readonly locale: Locale;
  readonly timeZone: string;
}

/** A conversation on a platform: a Slack channel, a LINE group, a Telegram chat. */
export interface ChannelRef {
  readonly platform: string;
  readonly externalId: string;
}

export interface ChannelRepository {
  settings(channel: ChannelRef): Promise<ChannelSettings | undefined>;
}
