import type { IsoDate } from '../domain/dates.ts';

/** The windows the receivables KPIs are measured over; every bound is inclusive. */
export interface KpiWindows {
  readonly asOf: IsoDate;
  /** First day of the DSO period (90 days ending `asOf`). */
  readonly dsoFrom: IsoDate;
  /** First day of the CEI / collection-rate period (30 days ending `asOf`). */
  readonly ceiFrom: IsoDate;
  /** First day of the oldest month walked back by countback DSO. */
  readonly countbackFrom: IsoDate;
  /** First day of the 12 months whose settled invoices measure lateness. */
  readonly latenessFrom: IsoDate;
}

/** One currency's KPI inputs, each a sum the database computed; amounts in minor units. */
export interface KpiInputRow {
  readonly currency: string;
  /** Open receivables at the end of `asOf`, disputed invoices included. */
  readonly arMinor: number;
  /** The part of `arMinor` not yet due (due on or after `asOf`). */
  readonly currentArMinor: number;
  /** Open receivables at the end of the day before `ceiFrom`. */
  readonly beginningArMinor: number;
  /** Invoices issued from `dsoFrom` to `asOf`. */
  readonly salesMinor: number;
  /** Invoices issued from `ceiFrom` to `asOf`. */
  readonly ceiSalesMinor: number;
  /** Payment allocations applied from `ceiFrom` to `asOf`. */
  readonly collectedMinor: number;
  /** Invoices issued per calendar month from `countbackFrom`, keyed 'YYYY-MM'; months without sales absent. */
  readonly monthlySalesMinor: ReadonlyMap<string, number>;
  /** Invoices settled in full from `latenessFrom` to `asOf`. */
  readonly settled: {
    readonly invoices: number;
    readonly lateInvoices: number;
    readonly totalDaysLate: number;
    readonly weightedDaysLate: bigint;
    readonly totalAmountMinor: number;
  };
}

export interface KpiRepository {
  /** Per currency (never summed across), in currency order; `currency` narrows to one. */
  inputs(windows: KpiWindows & { readonly currency?: string }): Promise<KpiInputRow[]>;
}
