import { daysInMonth } from '../domain/calendar.ts';
import { addDays, type IsoDate, parseIsoDate } from '../domain/dates.ts';
import {
  averageDaysDelinquent,
  bestPossibleDso,
  collectionEffectivenessIndex,
  collectionRate,
  dsoCountback,
  dsoSimple,
  type MonthlySales,
  overdueRatio,
  paymentLatenessFromTotals,
} from '../domain/kpi.ts';
import { addMonths } from '../domain/reviews.ts';
import type { KpiInputRow, KpiRepository, KpiWindows } from './kpi-ports.ts';

/** DSO, best possible DSO and ADD: the 90 days ending on the as-of date. */
export const DSO_PERIOD_DAYS = 90;
/** CEI and collection rate: the 30 days ending on the as-of date. */
export const CEI_PERIOD_DAYS = 30;
/** Countback DSO walks back at most this many months (the as-of month counts as one). */
export const COUNTBACK_MONTHS = 24;
/** Average days late and the late share: invoices settled in the 12 months to the as-of date. */
export const LATENESS_MONTHS = 12;

export function kpiWindows(asOf: IsoDate): KpiWindows {
  parseIsoDate(asOf);
  return {
    asOf,
    dsoFrom: addDays(asOf, 1 - DSO_PERIOD_DAYS),
    ceiFrom: addDays(asOf, 1 - CEI_PERIOD_DAYS),
    countbackFrom: `${addMonths(asOf, 1 - COUNTBACK_MONTHS).slice(0, 7)}-01`,
    latenessFrom: addDays(addMonths(asOf, -LATENESS_MONTHS), 1),
  };
}

export interface CountbackMonth {
  /** 'YYYY-MM'. */
  readonly month: string;
  readonly salesMinor: number;
  /** Days of the month counted: the as-of month only up to the as-of date. */
  readonly days: number;
}

/**
 * One currency's receivables KPIs as of a date. Days and percentages have one decimal
 * (src/domain/kpi.ts rounds them); null where a KPI is undefined (no sales, no settled
 * invoices). Amounts are integer minor units of `currency`.
 */
export interface KpiReport {
  readonly asOf: IsoDate;
  readonly currency: string;
  readonly dso: {
    readonly simple: number | null;
    readonly countback: number | null;
    readonly bestPossible: number | null;
    readonly averageDaysDelinquent: number | null;
  };
  /** Collection effectiveness index over the CEI period, in percent. */
  readonly cei: number | null;
  /** Overdue ÷ total receivables as of the date, in percent. */
  readonly overdueRatio: number | null;
  /** Over invoices settled in the lateness period, in days. */
  readonly averageDaysLate: number | null;
  /** Share of those invoices paid after their due date, in basis points, rounded down. */
  readonly lateShareBp: number | null;
  /** Collected in the CEI period ÷ (receivables at its start + its credit sales), in percent. */
  readonly collectionRate: number | null;
  readonly periods: {
    readonly dso: { readonly from: IsoDate; readonly to: IsoDate; readonly days: number };
    readonly cei: { readonly from: IsoDate; readonly to: IsoDate; readonly days: number };
    readonly lateness: { readonly from: IsoDate; readonly to: IsoDate };
  };
  readonly inputs: {
    /** Open receivables at the end of the date, disputed invoices included. */
    readonly arMinor: number;
    readonly currentArMinor: number;
    readonly overdueArMinor: number;
    /** Credit sales (invoices issued) in the DSO period. */
    readonly salesMinor: number;
    /** Receivables at the start of the CEI period (end of the day before it). */
    readonly beginningArMinor: number;
    readonly ceiSalesMinor: number;
    /** Payments applied to invoices in the CEI period. */
    readonly collectedMinor: number;
    readonly settledInvoices: number;
    readonly lateInvoices: number;
    /** Newest first, as countback DSO reads them. */
    readonly countbackMonths: readonly CountbackMonth[];
  };
}

function countbackMonths(asOf: IsoDate, sales: ReadonlyMap<string, number>): CountbackMonth[] {
  const first = `${asOf.slice(0, 7)}-01`;
  return Array.from({ length: COUNTBACK_MONTHS }, (_, i) => {
    const month = addMonths(first, -i).slice(0, 7);
    const days =
      i === 0
        ? Number(asOf.slice(8, 10))
        : daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)));
    return { month, salesMinor: sales.get(month) ?? 0, days };
  });
}

const orNull = (value: number | undefined): number | null => value ?? null;

/** The KPIs of one currency from its inputs; every formula is src/domain/kpi.ts's. */
export function kpisFromInputs(windows: KpiWindows, row: KpiInputRow): KpiReport {
  const months = countbackMonths(windows.asOf, row.monthlySalesMinor);
  const period = { creditSalesMinor: row.salesMinor, daysInPeriod: DSO_PERIOD_DAYS };
  const lateness = paymentLatenessFromTotals(row.settled);
  return {
    asOf: windows.asOf,
    currency: row.currency,
    dso: {
      simple: orNull(dsoSimple({ endingArMinor: row.arMinor, ...period })),
      countback: orNull(
        dsoCountback({
          endingArMinor: row.arMinor,
          months: months.map(
            (m): MonthlySales => ({ creditSalesMinor: m.salesMinor, days: m.days }),
          ),
        }),
      ),
      bestPossible: orNull(bestPossibleDso({ currentArMinor: row.currentArMinor, ...period })),
      averageDaysDelinquent: orNull(
        averageDaysDelinquent({
          endingArMinor: row.arMinor,
          currentArMinor: row.currentArMinor,
          ...period,
        }),
      ),
    },
    cei: orNull(
      collectionEffectivenessIndex({
        beginningArMinor: row.beginningArMinor,
        creditSalesMinor: row.ceiSalesMinor,
        endingArMinor: row.arMinor,
        endingCurrentArMinor: row.currentArMinor,
      }),
    ),
    overdueRatio: orNull(
      overdueRatio({
        overdueArMinor: row.arMinor - row.currentArMinor,
        totalArMinor: row.arMinor,
      }),
    ),
    averageDaysLate: orNull(lateness.averageDaysLate),
    lateShareBp: orNull(lateness.lateShareBp),
    collectionRate: orNull(
      collectionRate({
        collectedMinor: row.collectedMinor,
        beginningArMinor: row.beginningArMinor,
        creditSalesMinor: row.ceiSalesMinor,
      }),
    ),
    periods: {
      dso: { from: windows.dsoFrom, to: windows.asOf, days: DSO_PERIOD_DAYS },
      cei: { from: windows.ceiFrom, to: windows.asOf, days: CEI_PERIOD_DAYS },
      lateness: { from: windows.latenessFrom, to: windows.asOf },
    },
    inputs: {
      arMinor: row.arMinor,
      currentArMinor: row.currentArMinor,
      overdueArMinor: row.arMinor - row.currentArMinor,
      salesMinor: row.salesMinor,
      beginningArMinor: row.beginningArMinor,
      ceiSalesMinor: row.ceiSalesMinor,
      collectedMinor: row.collectedMinor,
      settledInvoices: row.settled.invoices,
      lateInvoices: row.settled.lateInvoices,
      countbackMonths: months,
    },
  };
}

/**
 * `creditops report kpi`: DSO (simple, countback, best possible), ADD, CEI, overdue ratio,
 * average days late, late share and collection rate as of a date, one report per currency
 * (amounts in different currencies are never added together).
 */
export async function kpiReport(
  kpis: KpiRepository,
  input: { readonly asOf: IsoDate; readonly currency?: string },
): Promise<KpiReport[]> {
  const windows = kpiWindows(input.asOf);
  const rows = await kpis.inputs({
    ...windows,
    ...(input.currency ? { currency: input.currency } : {}),
  });
  return rows.map((row) => kpisFromInputs(windows, row));
}
