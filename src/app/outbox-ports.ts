// Messages to platforms leave through the outbox: a use case writes them in the transaction of
// the change they announce, and the outbox worker delivers them afterwards, retrying as a
// platform allows. Nothing is posted for a change that rolled back, and nothing is lost when a
// platform is down.

export const OUTBOX_KINDS = ['post', 'update', 'direct'] as const;
/** post: a new message in a channel; update: edit the posts of the same subject; direct: a DM. */
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export interface NewOutboxMessage {
  readonly platform: string;
  /** The platform's channel id; for 'direct', the user's id on that platform. */
  readonly channel: string;
  readonly kind: OutboxKind;
  /** What to say, as an intent (e.g. `{ type: 'approval_card', requestId }`), rendered at delivery. */
  readonly payload: Record<string, unknown>;
  /** What the message is about; an 'update' edits the earlier posts of the same subject. */
  readonly subjectType?: string;
  readonly subjectId?: string;
}

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'dead'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** One row as an operator sees it (`npx creditops outbox list`): never the message text. */
export interface OutboxEntry {
  readonly id: number;
  readonly platform: string;
  readonly channel: string;
  readonly kind: OutboxKind;
  /** The payload's `type` (digest, approval_card…), what the message is. */
  readonly type: string;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly lastError: string | null;
  readonly createdAt: Date;
}

/** On the Store as `outbox`: enqueue inside the transaction of the change. */
export interface OutboxRepository {
  enqueue(messages: readonly NewOutboxMessage[]): Promise<void>;
  /** Whether a message about this subject was ever queued (e.g. a channel's digest of a day). */
  has(subjectType: string, subjectId: string): Promise<boolean>;
  /** Messages not sent (or only the dead ones), newest first. */
  list(input: { readonly dead: boolean; readonly limit: number }): Promise<OutboxEntry[]>;
  find(id: number): Promise<OutboxEntry | undefined>;
  /**
   * Gives dead messages (all of them when `ids` is 'all-dead') a fresh set of attempts from
   * `at`; returns the ids that were dead and are pending now.
   */
  revive(input: {
    readonly ids: readonly number[] | 'all-dead';
    readonly at: Date;
  }): Promise<number[]>;
}

/** One claimed message, as the worker hands it to the render callback and the deliverer. */
export interface OutboxDelivery {
  readonly id: number;
  readonly platform: string;
  readonly channel: string;
  readonly kind: OutboxKind;
  readonly payload: Record<string, unknown>;
  /** Attempts so far, this one included. */
  readonly attempts: number;
  /** For 'update': the platform refs of every earlier sent 'post' of the same subject to the same channel. */
  readonly updateRefs: readonly string[];
}

/** A message the worker gave up on, and why (short, without secrets). */
export interface DeadLetter {
  readonly delivery: OutboxDelivery;
  readonly error: string;
}

/**
 * What `render` made of a delivery: the card and the opaque tokens of its actions. The card type
 * is the chat layer's `Card`; it stays a parameter here so the worker never imports chat.
 */
export interface RenderedOutboxCard<C = unknown> {
  readonly card: C;
  /** tokens[i] stands for card.actions[i]. */
  readonly tokens: readonly string[];
}

/** One per platform, from its adapter. Throws DeliveryError when the platform did not take it. */
export interface Deliverer<C = unknown> {
  deliver(delivery: OutboxDelivery, card: RenderedOutboxCard<C>): Promise<{ ref?: string }>;
}

/**
 * A platform refused or could not be reached. `permanent`: trying again cannot help (unknown
 * channel, revoked token). `retryAfterMs`: the platform named the earliest retry (a 429).
 * The message is stored as the row's last error and logged: never put a token or message text in it.
 */
export class DeliveryError extends Error {
  readonly retryAfterMs?: number;
  readonly permanent: boolean;

  constructor(
    message: string,
    options: { readonly permanent?: boolean; readonly retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'DeliveryError';
    this.permanent = options.permanent ?? false;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * The outbox table as the worker needs it. Every write after the claim names the attempt it
 * reports on, so a worker whose lease ran out cannot overwrite what the next claim did.
 */
export interface OutboxQueue {
  /**
   * Leases up to `limit` due messages until `leaseUntil`, oldest first, at most one per
   * (platform, channel): a message waits while an older one of its channel is pending or
   * being sent. New messages are due at once; retries from their next attempt time, and
   * deferred ones from the time they were held back to.
   */
  claim(input: {
    readonly now: Date;
    readonly leaseUntil: Date;
    readonly limit: number;
  }): Promise<OutboxDelivery[]>;
  /** False when the lease was lost (another claim took the message since). */
  markSent(input: {
    readonly id: number;
    readonly attempts: number;
    readonly ref: string | null;
    readonly at: Date;
  }): Promise<boolean>;
  retryAt(input: {
    readonly id: number;
    readonly attempts: number;
    readonly at: Date;
    readonly error: string;
  }): Promise<boolean>;
  /** Gives the message up; `notices` (the dead-letter DMs) are queued in the same transaction. */
  markDead(input: {
    readonly id: number;
    readonly attempts: number;
    readonly error: string;
    readonly notices?: readonly NewOutboxMessage[];
  }): Promise<boolean>;
  /**
   * Puts a claimed message back untried, not before `at` (a rate limit): the attempt the claim
   * counted is taken back, and the channel's later messages keep waiting behind it.
   */
  defer(input: {
    readonly id: number;
    readonly attempts: number;
    readonly at: Date;
  }): Promise<boolean>;
}
