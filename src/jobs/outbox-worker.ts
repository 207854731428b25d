import {
  type DeadLetter,
  type Deliverer,
  DeliveryError,
  type NewOutboxMessage,
  type OutboxDelivery,
  type OutboxQueue,
  type RenderedOutboxCard,
} from '../app/outbox-ports.ts';
import type { Clock, Logger } from '../app/ports.ts';
import { createRateLimiter, DEFAULT_RATE_LIMITS, type RateLimits } from './rate-limiter.ts';

// Delivers what use cases wrote to the outbox. Several replicas may run this side by side: the
// claim leases each message to one worker, and per channel only the oldest unfinished message
// is ever claimed, so posts arrive in order and an update never overtakes its post.

export type { Deliverer, OutboxDelivery, RenderedOutboxCard };
export { DeliveryError };

export interface OutboxWorkerOptions<C = unknown> {
  /** The outbox table (src/db/outbox-repository.ts `createOutboxQueue`). */
  readonly db: OutboxQueue;
  /** By platform name; a message for a platform without one is dead at once. */
  readonly deliverers: Partial<Record<string, Deliverer<C>>>;
  /** The card for a message, as of now; undefined when there is nothing to say any more. */
  readonly render: (delivery: OutboxDelivery) => Promise<RenderedOutboxCard<C> | undefined>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly workerId: string;
  /** Messages claimed per round (each from a different channel). Default 10. */
  readonly batchSize?: number;
  /** Attempts before a message that keeps failing is given up as dead. Default 8. */
  readonly maxAttempts?: number;
  /** How long a claim holds a message before another worker may take it over. Default 30 s. */
  readonly leaseMs?: number;
  /**
   * Sending limits by platform, over `DEFAULT_RATE_LIMITS` (src/jobs/rate-limiter.ts); a
   * platform given `[]` is not limited. A message over a limit waits without spending an attempt.
   */
  readonly rateLimits?: RateLimits;
  /** In [0, 1): spreads retries (the back-off's jitter). Default Math.random. */
  readonly random?: () => number;
  /**
   * The notices to queue when a message goes dead (the admins' DMs), in the transaction that
   * marks it; a failure here is logged and the message still goes dead.
   */
  readonly deadLetters?: (dead: DeadLetter) => Promise<readonly NewOutboxMessage[]>;
}

export interface OutboxWorker {
  /** Delivers everything due, round after round, until nothing is; returns how many were delivered. */
  runOnce(): Promise<number>;
  /** Runs `runOnce` every `intervalMs` after the previous run ends. */
  start(intervalMs: number): void;
  /** Stops scheduling and waits for the run in progress. */
  stop(): Promise<void>;
}

const SECOND_MS = 1000;
const MAX_BACKOFF_MS = 10 * 60 * SECOND_MS;
const MAX_ERROR_LENGTH = 500;

/**
 * 2^attempts seconds, at most 10 minutes, with equal jitter (half of it fixed, half at random)
 * so the messages one outage failed together do not all come back in the same second; never
 * sooner than the platform asked.
 */
export function retryDelayMs(
  attempts: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const backoff = Math.min(2 ** attempts * SECOND_MS, MAX_BACKOFF_MS);
  const jittered = Math.round(backoff / 2 + (random() * backoff) / 2);
  return Math.max(retryAfterMs ?? 0, jittered);
}

// Slack bot/app tokens, Telegram bot tokens, bearer headers and any long opaque string: an
// error text is stored and logged, and some SDKs put the request (and so a token) in it.
const SECRETS = [
  /\bbearer\s+[\w.~+/=-]+/gi,
  /\bx(?:ox[a-z]|app)-[\w-]+/gi,
  /\b\d{6,}:[\w-]{30,}/g,
  /[\w+/=-]{40,}/g,
];

/** What is kept of an error: short and without secrets. */
export function describeFailure(error: unknown): string {
  let text =
    error instanceof DeliveryError
      ? error.message
      : error instanceof Error
        ? `${error.name}: ${error.message}`
        : String(error);
  for (const pattern of SECRETS) text = text.replace(pattern, '[redacted]');
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

export function createOutboxWorker<C>(options: OutboxWorkerOptions<C>): OutboxWorker {
  const { db, deliverers, render, clock, logger, workerId } = options;
  const batchSize = options.batchSize ?? 10;
  const maxAttempts = options.maxAttempts ?? 8;
  const leaseMs = options.leaseMs ?? 30 * SECOND_MS;
  const random = options.random ?? Math.random;
  const limiter = createRateLimiter({ ...DEFAULT_RATE_LIMITS, ...options.rateLimits });
  let started = false;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;

  // Log fields name the message, never its content or the channel's words.
  const about = (d: OutboxDelivery) => ({
    workerId,
    id: d.id,
    platform: d.platform,
    kind: d.kind,
    attempts: d.attempts,
  });

  const lost = (d: OutboxDelivery) =>
    logger.warn('outbox lease lost; a later claim owns the message', about(d));

  async function noticesFor(dead: DeadLetter): Promise<readonly NewOutboxMessage[]> {
    try {
      return (await options.deadLetters?.(dead)) ?? [];
    } catch (error) {
      logger.error('outbox dead-letter notice not queued', {
        ...about(dead.delivery),
        error: describeFailure(error),
      });
      return [];
    }
  }

  async function fail(d: OutboxDelivery, error: unknown): Promise<void> {
    const text = describeFailure(error);
    const permanent = error instanceof DeliveryError && error.permanent;
    if (permanent || d.attempts >= maxAttempts) {
      const notices = await noticesFor({ delivery: d, error: text });
      if (!(await db.markDead({ id: d.id, attempts: d.attempts, error: text, notices }))) {
        return lost(d);
      }
      logger.error('outbox message dead', { ...about(d), error: text, notices: notices.length });
      return;
    }
    const retryAfterMs = error instanceof DeliveryError ? error.retryAfterMs : undefined;
    const delayMs = retryDelayMs(d.attempts, retryAfterMs, random);
    const at = new Date(clock.now().getTime() + delayMs);
    if (!(await db.retryAt({ id: d.id, attempts: d.attempts, at, error: text }))) return lost(d);
    logger.warn('outbox delivery failed; will retry', { ...about(d), error: text, delayMs });
  }

  async function sent(d: OutboxDelivery, ref: string | null, delivered: boolean) {
    const at = clock.now();
    if (!(await db.markSent({ id: d.id, attempts: d.attempts, ref, at }))) return lost(d);
    logger.info(delivered ? 'outbox message sent' : 'outbox message has nothing to say', about(d));
  }

  /** True when the platform took the message. */
  async function handle(d: OutboxDelivery): Promise<boolean> {
    const deliverer = deliverers[d.platform];
    if (!deliverer) {
      await fail(d, new DeliveryError(`no adapter for ${d.platform}`, { permanent: true }));
      return false;
    }
    // Channel order means the posts it edits are finished: none sent means they are dead.
    if (d.kind === 'update' && d.updateRefs.length === 0) {
      await fail(d, new DeliveryError('no sent post to update', { permanent: true }));
      return false;
    }
    // Taken before the first await, so the messages of one batch count in claim order.
    const notBefore = limiter.take(d, clock.now());
    if (notBefore) {
      if (!(await db.defer({ id: d.id, attempts: d.attempts, at: notBefore }))) lost(d);
      return false;
    }
    let ref: string | undefined;
    try {
      const rendered = await render(d);
      if (rendered === undefined) {
        await sent(d, null, false);
        return false;
      }
      ({ ref } = await deliverer.deliver(d, rendered));
    } catch (error) {
      await fail(d, error);
      return false;
    }
    await sent(d, ref ?? null, true);
    return true;
  }

  async function runOnce(): Promise<number> {
    let delivered = 0;
    while (!stopping) {
      const now = clock.now();
      const leaseUntil = new Date(now.getTime() + leaseMs);
      const batch = await db.claim({ now, leaseUntil, limit: batchSize });
      if (batch.length === 0) break;
      // One message per channel in a batch, so they may go out side by side.
      const results = await Promise.allSettled(batch.map(handle));
      for (const result of results) {
        if (result.status === 'rejected') throw result.reason;
        if (result.value) delivered += 1;
      }
    }
    return delivered;
  }

  async function tick(intervalMs: number): Promise<void> {
    try {
      await runOnce();
    } catch (error) {
      // The database is away: the leases run out and the next run picks the messages up.
      logger.error('outbox run failed', { workerId, error: describeFailure(error) });
    }
    if (started) {
      timer = setTimeout(() => {
        current = tick(intervalMs);
      }, intervalMs);
    }
  }

  return {
    runOnce,
    start(intervalMs) {
      if (started) return;
      started = true;
      current = tick(intervalMs);
    },
    async stop() {
      started = false;
      stopping = true;
      clearTimeout(timer);
      try {
        await current;
      } finally {
        stopping = false;
      }
    },
  };
}
