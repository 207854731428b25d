import { agingBuckets } from '../domain/aging.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { ReportRepository } from './ports.ts';

export interface AgingReport {
  readonly asOf: IsoDate;
  readonly currency: string;
  readonly buckets: readonly {
    readonly label: string;
    readonly amountMinor: number;
    readonly count: number;
  }[];
  /** Open, undisputed receivables: the sum of the buckets. */
  readonly totalMinor: number;
  readonly overdueMinor: number;
  readonly disputedMinor: number;
  readonly disputedCount: number;
}

/** Portfolio aging per currency as of a date; currencies are never summed together. */
export type { PaymentBehaviourRow, ReportRepository } from './ports.ts';

export async function agingReport(
  reports: ReportRepository,
  input: { readonly asOf: IsoDate; readonly currency?: string; readonly edges?: readonly number[] },
): Promise<AgingReport[]> {
  const buckets = agingBuckets(input.edges);
  const rows = await reports.portfolioAging({
    asOf: input.asOf,
    buckets,
    ...(input.currency ? { currency: input.currency } : {}),
  });
  return rows.map((row) => {
    const amounts = buckets.map((b, i) => ({
      label: b.key,
      amountMinor: row.bucketMinor[i] ?? 0,
      count: row.bucketCount[i] ?? 0,
    }));
    const totalMinor = amounts.reduce((sum, b) => sum + b.amountMinor, 0);
    const current = amounts.find((b) => b.label === 'current')?.amountMinor ?? 0;
    return {
      asOf: input.asOf,
      currency: row.currency,
      buckets: amounts,
      totalMinor,
      overdueMinor: totalMinor - current,
      disputedMinor: row.disputedMinor,
      disputedCount: row.disputedCount,
    };
  });
}

/** Average days late of an account, to two decimals, from its exact totals. */
export function averageDaysLate(row: {
  readonly settledCount: number;
  readonly totalDaysLate: number;
}): number {
  return row.settledCount === 0
    ? 0
    : Math.round((row.totalDaysLate * 100) / row.settledCount) / 100;
}
