import type { OutboxKind } from '../app/outbox-ports.ts';

// The platforms' sending limits, kept before a message is sent rather than learnt from 429s:
// a burst (a digest to many channels, approvals DMed to a team) goes out at the pace each
// platform allows instead of being throttled and retried.
//
// The counts live in this process. Two replicas may together send up to twice a limit; the
// platform then answers 429 with Retry-After, which the worker honours, so the cost is a delay,
// never a lost or doubled message. Most installations run one or two replicas.

/** At most `limit` messages in any `windowMs`, counted per platform or per chat. */
export interface RateRule {
  readonly limit: number;
  readonly windowMs: number;
  readonly per: 'platform' | 'channel';
  /** The chats the rule counts (Telegram's groups); every chat when absent. */
  readonly appliesTo?: (channel: string) => boolean;
  /** The kinds of message it counts (Slack limits posts and edits apart); all when absent. */
  readonly kinds?: readonly OutboxKind[];
}

/** By platform name; a platform without rules is not limited here. */
export type RateLimits = Readonly<Record<string, readonly RateRule[]>>;

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;

/** Telegram group and supergroup chat ids are negative; users' ids are positive. */
export const isTelegramGroup = (chatId: string): boolean => chatId.startsWith('-');

/**
 * Slack: chat.postMessage about 1 message/s per channel; chat.update is Tier 3, 50+/min per
 * workspace. Telegram (Bot FAQ): about 30/s in all, 1/s per chat, 20/min per group. LINE:
 * 2,000 requests/s per bot channel for push. Every platform still answers 429 past its limit.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  slack: [
    { per: 'channel', limit: 1, windowMs: SECOND_MS, kinds: ['post', 'direct'] },
    { per: 'platform', limit: 50, windowMs: MINUTE_MS, kinds: ['update'] },
  ],
  telegram: [
    { per: 'platform', limit: 30, windowMs: SECOND_MS },
    { per: 'channel', limit: 1, windowMs: SECOND_MS },
    { per: 'channel', limit: 20, windowMs: MINUTE_MS, appliesTo: isTelegramGroup },
  ],
  line: [{ per: 'platform', limit: 2000, windowMs: SECOND_MS }],
};

export interface RateLimiter {
  /**
   * Takes a place for one message at `now`. Undefined when it may go now (the place is
   * counted); otherwise the earliest time it may, and nothing is counted.
   */
  take(
    target: { readonly platform: string; readonly channel: string; readonly kind: OutboxKind },
    now: Date,
  ): Date | undefined;
}

/** How often the counts of chats that went quiet are dropped. */
const SWEEP_EVERY_MS = 10 * MINUTE_MS;

export function createRateLimiter(limits: RateLimits): RateLimiter {
  // Send times per rule and scope, oldest first, only those still inside the rule's window.
  const sent = new Map<string, { windowMs: number; times: number[] }>();
  let sweptAt = Number.NEGATIVE_INFINITY;

  function sweep(now: number): void {
    if (now - sweptAt < SWEEP_EVERY_MS) return;
    sweptAt = now;
    for (const [key, log] of sent) {
      const last = log.times.at(-1);
      if (last === undefined || last <= now - log.windowMs) sent.delete(key);
    }
  }

  function logFor(key: string, rule: RateRule, now: number): number[] {
    let log = sent.get(key);
    if (!log) {
      log = { windowMs: rule.windowMs, times: [] };
      sent.set(key, log);
    }
    const start = now - rule.windowMs;
    let stale = 0;
    while (stale < log.times.length && (log.times[stale] ?? 0) <= start) stale += 1;
    if (stale > 0) log.times.splice(0, stale);
    return log.times;
  }

  return {
    take({ platform, channel, kind }, at) {
      const now = at.getTime();
      sweep(now);
      const logs = (limits[platform] ?? []).flatMap((rule, i) => {
        if (rule.appliesTo && !rule.appliesTo(channel)) return [];
        if (rule.kinds && !rule.kinds.includes(kind)) return [];
        const scope = rule.per === 'platform' ? '' : channel;
        return [{ rule, times: logFor(`${platform}\u0000${i}\u0000${scope}`, rule, now) }];
      });
      let earliest = now;
      for (const { rule, times } of logs) {
        if (times.length < rule.limit) continue;
        // The window frees a place when the send `limit` places back leaves it.
        const freesAt = (times[times.length - rule.limit] ?? now) + rule.windowMs;
        earliest = Math.max(earliest, freesAt);
      }
      if (earliest > now) return new Date(earliest);
      for (const { times } of logs) times.push(now);
      return undefined;
    },
  };
}
