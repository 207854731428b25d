import { z } from 'zod';
import { daysBetween, type IsoDate } from './dates.ts';
import { DomainError } from './errors.ts';
import { parsePolicy } from './policy.ts';

/**
 * An aging bucket by days past due, inclusive on both ends. `current` is not yet due
 * (days ≤ 0); the last bucket is open-ended (`toDays` undefined).
 */
export interface AgingBucket {
  readonly key: string;
  readonly fromDays: number;
  readonly toDays: number | undefined;
}

/** Upper edges of the overdue buckets: current, 1–30, 31–60, 61–90, 91+. */
export const DEFAULT_AGING_EDGES: readonly number[] = [30, 60, 90];

export function agingBuckets(edges: readonly number[] = DEFAULT_AGING_EDGES): AgingBucket[] {
  edges.forEach((edge, i) => {
    const previous = i === 0 ? 0 : (edges[i - 1] ?? 0);
    if (!Number.isInteger(edge) || edge <= previous) {
      throw new DomainError('errors.config.aging_edges', { edges: edges.join(',') });
    }
  });
  const buckets: AgingBucket[] = [{ key: 'current', fromDays: Number.MIN_SAFE_INTEGER, toDays: 0 }];
  let from = 1;
  for (const edge of edges) {
    buckets.push({ key: `${from}-${edge}`, fromDays: from, toDays: edge });
    from = edge + 1;
  }
  buckets.push({ key: `${from}+`, fromDays: from, toDays: undefined });
  return buckets;
}

export function daysPastDue(dueOn: IsoDate, asOf: IsoDate): number {
  return daysBetween(dueOn, asOf);
}

/** Index of the bucket an invoice due on `dueOn` falls in, as of `asOf`. */
export function bucketIndex(
  buckets: readonly AgingBucket[],
  dueOn: IsoDate,
  asOf: IsoDate,
): number {
  const days = daysPastDue(dueOn, asOf);
  const index = buckets.findIndex(
    (b) => days >= b.fromDays && (b.toDays === undefined || days <= b.toDays),
  );
  return index === -1 ? buckets.length - 1 : index;
}

export interface AgingPolicy {
  readonly version: string;
  /** Upper edges of the overdue buckets, in days: [30, 60, 90] gives 1–30, 31–60, 61–90, 91+. */
  readonly edges: readonly number[];
}

export const DEFAULT_AGING_POLICY: AgingPolicy = { version: '2026-11', edges: DEFAULT_AGING_EDGES };

const agingSchema = z
  .strictObject({
    version: z.string().min(1),
    edges: z.array(z.number().int().min(1).max(3_650)).min(1).max(8),
  })
  .superRefine((value, ctx) => {
    value.edges.forEach((edge, i) => {
      if (i > 0 && edge <= (value.edges[i - 1] ?? 0)) {
        ctx.addIssue({
          code: 'custom',
          path: ['edges', i],
          message: 'errors.policy.aging_edges_order',
          params: { edges: value.edges.join(', ') },
        });
      }
    });
  });

/** `config/aging.json`: the bucket edges every aging view uses. */
export function parseAgingPolicy(raw: unknown): AgingPolicy {
  return parsePolicy('aging', agingSchema, raw);
}
