import { createHash } from 'node:crypto';
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import type { LineQuotaUsage } from '../../app/line-quota-warnings.ts';
import { DeliveryError } from '../../app/outbox-ports.ts';
import type { Logger } from '../../app/ports.ts';
import type { LineChat } from './line-parse.ts';

// The monthly push budget. LINE counts every pushed message per recipient (a push to a group
// counts once per member; replies are free), and the free plan allows 200 a month: past it
// LINE answers 429 "You have reached your monthly limit." until the month ends. Before each
// push we compare LINE's own count of this month (quota/consumption) plus what this process
// sent since reading it with the lower of LINE's quota and our own cap (LINE_MONTHLY_PUSH_CAP),
// warn as it runs low (in the log, and the admins through `onThreshold`), and refuse what
// would go over.

/** Where this month stands; `limit` is the lower of LINE's quota and our cap, if any. */
export interface LineQuotaStatus {
  /** Pushes LINE has counted this month, plus those this process sent since it last asked. */
  readonly used: number;
  /** LINE's target limit; undefined when the plan sets none. */
  readonly lineQuota: number | undefined;
  readonly cap: number | undefined;
  readonly limit: number | undefined;
  /** When LINE was last asked; undefined when it could not be reached. */
  readonly checkedAt: Date | undefined;
}

export interface PushBudget {
  /** What a push to this chat costs: 1 for a person, the member count for a group or room. */
  cost(chat: LineChat): Promise<number>;
  /** Counts `cost` against the month, or throws a permanent DeliveryError when it would not fit. */
  reserve(cost: number): Promise<void>;
  /** The month as LINE counts it now (asks LINE). */
  status(): Promise<LineQuotaStatus>;
}

export interface PushBudgetOptions {
  readonly client: messagingApi.MessagingApiClient;
  readonly logger: Logger;
  /** Our own monthly ceiling, below LINE's plan (LINE_MONTHLY_PUSH_CAP). */
  readonly monthlyCap?: number;
  /**
   * Called once a month per process for each threshold (80 %, 100 %) the pushes reach, before
   * the push that reached it goes out; the app keeps it to one warning across replicas.
   */
  readonly onThreshold?: (usage: LineQuotaUsage) => Promise<unknown>;
  readonly now?: () => Date;
}

/** LINE's numbers are read again after this; between reads the count is kept here. */
const REFRESH_MS = 5 * 60_000;
const MEMBERS_MS = 60 * 60_000;
/** The share of the month's limit at which the log starts warning. */
export const QUOTA_WARN_SHARE = 0.8;

/** A group id starts with C, a room id with R, a user id with U. */
export function chatOfId(id: string): LineChat {
  if (id.startsWith('C')) return { kind: 'group', id };
  if (id.startsWith('R')) return { kind: 'room', id };
  return { kind: 'user', id };
}

const monthOf = (date: Date) => date.toISOString().slice(0, 7);

/** LINE's count of this month's pushes and its quota (undefined: the plan sets none). */
interface LineCount {
  readonly usage: number;
  readonly quota: number | undefined;
  readonly at: Date;
}

async function askLine(client: messagingApi.MessagingApiClient, at: Date): Promise<LineCount> {
  const [quota, consumption] = await Promise.all([
    client.getMessageQuota(),
    client.getMessageQuotaConsumption(),
  ]);
  return {
    usage: consumption.totalUsage,
    quota: quota.type === 'limited' ? quota.value : undefined,
    at,
  };
}

function statusOf(
  known: LineCount | undefined,
  sentSince: number,
  cap: number | undefined,
): LineQuotaStatus {
  const lineQuota = known?.quota;
  const limits = [lineQuota, cap].filter((n): n is number => n !== undefined);
  return {
    used: (known?.usage ?? 0) + sentSince,
    lineQuota,
    cap,
    limit: limits.length > 0 ? Math.min(...limits) : undefined,
    checkedAt: known?.at,
  };
}

export function createPushBudget(options: PushBudgetOptions): PushBudget {
  const { client, logger, monthlyCap } = options;
  const now = options.now ?? (() => new Date());
  let known: LineCount | undefined;
  let sentSince = 0;
  const members = new Map<string, { count: number; at: number }>();
  const warned = new Set<string>();

  async function refresh(force: boolean): Promise<void> {
    const at = now();
    const stale =
      !known ||
      at.getTime() - known.at.getTime() >= REFRESH_MS ||
      monthOf(at) !== monthOf(known.at);
    if (!force && !stale) return;
    try {
      known = await askLine(client, at);
      sentSince = 0;
    } catch (error) {
      // LINE still refuses past its limit (a 429 the deliverer reads); only our early
      // warning and the cap wait until LINE answers again.
      logger.warn('line quota unreadable; counting locally', { error: describe(error) });
    }
  }

  const current = () => statusOf(known, sentSince, monthlyCap);

  /** `refused`: a push did not fit, so the month is spent even if a few pushes are left. */
  async function warn(status: LineQuotaStatus, refused = false): Promise<void> {
    const { used, limit } = status;
    if (limit === undefined || (!refused && used < limit * QUOTA_WARN_SHARE)) return;
    const spent = refused || used >= limit;
    const month = monthOf(now());
    const key = `${month}:${spent ? 'out' : 'low'}`;
    if (warned.has(key)) return;
    warned.add(key);
    const fields = { used, limit, cap: status.cap };
    if (spent) logger.error('line monthly push limit reached', fields);
    else logger.warn('line monthly push quota running low', fields);
    if (!options.onThreshold) return;
    const usage = { month, used, limit, lineQuota: status.lineQuota, cap: status.cap };
    try {
      await options.onThreshold({ ...usage, threshold: spent ? 100 : 80 });
    } catch (error) {
      // The push matters more than the warning: it goes out, and the next one tries again.
      warned.delete(key);
      logger.error('line quota warning not queued', { error: describe(error) });
    }
  }

  return {
    async cost(chat) {
      if (chat.kind === 'user') return 1;
      const cached = members.get(chat.id);
      if (cached && now().getTime() - cached.at < MEMBERS_MS) return cached.count;
      try {
        const { count } =
          chat.kind === 'group'
            ? await client.getGroupMemberCount(chat.id)
            : await client.getRoomMemberCount(chat.id);
        members.set(chat.id, { count, at: now().getTime() });
        return count;
      } catch (error) {
        logger.warn('line member count unreadable; counting the push once', {
          error: describe(error),
        });
        return 1;
      }
    },

    async reserve(cost) {
      await refresh(false);
      const status = current();
      if (status.limit !== undefined && status.used + cost > status.limit) {
        await warn(status, true);
        throw new DeliveryError(
          `line push: the month's limit would be passed (${status.used} + ${cost} > ${status.limit})`,
          { permanent: true },
        );
      }
      sentSince += cost;
      await warn(current());
    },

    async status() {
      await refresh(true);
      return current();
    },
  };
}

/**
 * The month as LINE counts it, for `npx creditops line quota`: asks LINE directly and throws
 * when LINE cannot be reached or refuses the token.
 */
export async function readLineQuota(options: {
  readonly channelAccessToken: string;
  readonly apiBaseUrl?: string;
  readonly monthlyCap?: number;
}): Promise<LineQuotaStatus> {
  const client = new messagingApi.MessagingApiClient({
    channelAccessToken: options.channelAccessToken,
    ...(options.apiBaseUrl ? { baseURL: options.apiBaseUrl } : {}),
  });
  return statusOf(await askLine(client, new Date()), 0, options.monthlyCap);
}

/** A LINE failure in a few words for logs: the status and LINE's message, never a token. */
export function describe(error: unknown): string {
  if (error instanceof HTTPFetchError) return `HTTP ${error.status} ${lineMessage(error)}`.trim();
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** LINE's `message` from an error body, cut short. */
export function lineMessage(error: HTTPFetchError): string {
  try {
    const body = JSON.parse(error.body) as { message?: unknown };
    return typeof body.message === 'string' ? body.message.slice(0, 200) : '';
  } catch {
    return '';
  }
}

/**
 * An X-Line-Retry-Key: a UUID (version 5 layout) from a SHA-256 of `seed`, so every attempt
 * at the same message carries the same key and LINE sends it once (a repeat answers 409).
 */
export function retryKey(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
