import { adminDirects } from './outbox-admin.ts';
import type { Store } from './ports.ts';

// LINE counts every push against a monthly limit (the lower of the plan's quota and
// LINE_MONTHLY_PUSH_CAP), and past it no digest, approval card or notice reaches LINE until the
// month ends. The admins hear of it before that: once when the month's pushes reach 80 % of
// the limit and once when they reach it, whichever replica sees it first, by direct message on
// another platform where they have one (LINE is the one running out).

export const LINE_QUOTA_TYPE = 'line_quota';

export const LINE_QUOTA_THRESHOLDS = [80, 100] as const;
/** The share of the month's limit used, in percent, at which the admins are told. */
export type LineQuotaThreshold = (typeof LINE_QUOTA_THRESHOLDS)[number];

/** What the LINE adapter saw when the month's pushes reached a threshold. */
export interface LineQuotaUsage {
  /** The month as LINE counts it, YYYY-MM. */
  readonly month: string;
  readonly threshold: LineQuotaThreshold;
  readonly used: number;
  /** The lower of `lineQuota` and `cap`. */
  readonly limit: number;
  /** The plan's quota; undefined when the plan sets none. */
  readonly lineQuota: number | undefined;
  /** LINE_MONTHLY_PUSH_CAP; undefined when not set. */
  readonly cap: number | undefined;
}

/**
 * Queues the admins' warning for one threshold of one month, unless it was queued before (by
 * this process or another replica); returns how many admins it goes to.
 */
export async function queueLineQuotaWarning(
  store: Store,
  input: LineQuotaUsage & { readonly reachable: readonly string[] },
): Promise<number> {
  const { reachable, ...usage } = input;
  const subjectId = `${usage.month}:${usage.threshold}`;
  return store.transaction(async (tx) => {
    // Replicas count the same pushes and cross a threshold together. Locking the admins'
    // rows makes the second wait for the first to commit, then find its notice queued.
    await tx.users.lockAdmins();
    if (await tx.outbox.has(LINE_QUOTA_TYPE, subjectId)) return 0;
    const notices = await adminDirects(tx, {
      reachable,
      avoid: 'line',
      message: {
        payload: {
          type: LINE_QUOTA_TYPE,
          month: usage.month,
          threshold: usage.threshold,
          used: usage.used,
          limit: usage.limit,
          lineQuota: usage.lineQuota ?? null,
          cap: usage.cap ?? null,
        },
        subjectType: LINE_QUOTA_TYPE,
        subjectId,
      },
    });
    await tx.outbox.enqueue(notices);
    return notices.length;
  });
}
