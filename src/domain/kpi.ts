import { daysBetween, type IsoDate, parseIsoDate } from './dates.ts';
import { DomainError } from './errors.ts';
import { ratioBasisPoints } from './money.ts';

/**
 * Receivables KPIs, every formula in one place. Amounts are integer minor units of ONE
 * currency (convert or split by currency before calling; nothing here can tell yen from
 * dollars). Periods are whole days. Arithmetic is exact (BigInt) up to the single final
 * division, whose result — days or a percentage — is rounded to one decimal, halves away
 * from zero (30.25 → 30.3). A KPI whose denominator is 0 (or negative, which only a period
 * of net credit notes produces) is undefined: no sales means no DSO, not a DSO of 0.
 */

function requireAmount(field: string, value: number, min = Number.MIN_SAFE_INTEGER): bigint {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new DomainError('errors.kpi.invalid_input', { field, value: String(value) });
  }
  return BigInt(value);
}

function requireDays(field: string, value: number): bigint {
  return requireAmount(field, value, 1);
}

/** numerator ÷ denominator to one decimal, halves away from zero; undefined if denominator ≤ 0. */
function oneDecimal(numerator: bigint, denominator: bigint): number | undefined {
  if (denominator <= 0n) return undefined;
  const abs = numerator < 0n ? -numerator : numerator;
  const tenths = (abs * 20n + denominator) / (2n * denominator);
  return Number(numerator < 0n ? -tenths : tenths) / 10;
}

export interface DsoInput {
  /** Total receivables at the end of the period (売掛金残高). */
  readonly endingArMinor: number;
  /** Credit sales of the period (掛売上高). */
  readonly creditSalesMinor: number;
  readonly daysInPeriod: number;
}

/**
 * Days sales outstanding, simple (period-average) method:
 * DSO = ending AR ÷ credit sales of the period × days in the period.
 * The standard DSO of the Credit Research Foundation and of Japanese 売上債権回転日数
 * (売上債権 ÷ 売上高 × 日数). It swings with sales: a strong last month raises AR and DSO
 * together even when customers pay on time, which is why the countback method exists.
 */
export function dsoSimple(input: DsoInput): number | undefined {
  const ar = requireAmount('endingArMinor', input.endingArMinor);
  const sales = requireAmount('creditSalesMinor', input.creditSalesMinor);
  const days = requireDays('daysInPeriod', input.daysInPeriod);
  return oneDecimal(ar * days, sales);
}

export interface MonthlySales {
  readonly creditSalesMinor: number;
  /** Days in that month (28–31). */
  readonly days: number;
}

/**
 * DSO by the countback (exhaustion) method, favoured by the UK CICM and many European and
 * Japanese groups because it is not distorted by seasonal sales: walk back month by month
 * from the newest, taking a month's full days while the AR left is at least that month's
 * sales and subtracting those sales; the AR then left counts as the fraction
 * AR left ÷ that month's sales of that month's days.
 * DSO = Σ days of the exhausted months + AR left ÷ sales of the next month × its days.
 * `months` is newest first. Undefined when the months given do not absorb the AR (the
 * history is too short to tell) or when the AR is negative (a credit balance has no age);
 * 0 when the AR is 0.
 */
export function dsoCountback(input: {
  readonly endingArMinor: number;
  readonly months: readonly MonthlySales[];
}): number | undefined {
  let remaining = requireAmount('endingArMinor', input.endingArMinor);
  if (remaining < 0n) return undefined;
  let fullDays = 0n;
  for (const [i, month] of input.months.entries()) {
    if (remaining === 0n) break;
    const sales = requireAmount(`months.${i}.creditSalesMinor`, month.creditSalesMinor, 0);
    const days = requireDays(`months.${i}.days`, month.days);
    if (remaining >= sales) {
      remaining -= sales;
      fullDays += days;
    } else {
      // fullDays + remaining ÷ sales × days, as one fraction over `sales` for exact rounding.
      return oneDecimal(fullDays * sales + remaining * days, sales);
    }
  }
  return remaining === 0n ? Number(fullDays) : undefined;
}

/**
 * Best possible DSO (BPDSO, Credit Research Foundation):
 * BPDSO = current (not yet due) AR ÷ credit sales × days in the period.
 * The DSO the company would have if every customer paid exactly on terms; the floor that
 * the terms themselves set.
 */
export function bestPossibleDso(input: {
  readonly currentArMinor: number;
  readonly creditSalesMinor: number;
  readonly daysInPeriod: number;
}): number | undefined {
  const current = requireAmount('currentArMinor', input.currentArMinor);
  const sales = requireAmount('creditSalesMinor', input.creditSalesMinor);
  const days = requireDays('daysInPeriod', input.daysInPeriod);
  return oneDecimal(current * days, sales);
}

/**
 * Average days delinquent (ADD, Credit Research Foundation): ADD = DSO − BPDSO, i.e.
 * (ending AR − current AR) ÷ credit sales × days = overdue AR ÷ credit sales × days.
 * The part of DSO caused by late payment rather than by the terms granted. Computed from
 * the unrounded DSO and BPDSO, so it can differ by 0.1 from the difference of the rounded ones.
 */
export function averageDaysDelinquent(input: {
  readonly endingArMinor: number;
  readonly currentArMinor: number;
  readonly creditSalesMinor: number;
  readonly daysInPeriod: number;
}): number | undefined {
  const ar = requireAmount('endingArMinor', input.endingArMinor);
  const current = requireAmount('currentArMinor', input.currentArMinor);
  const sales = requireAmount('creditSalesMinor', input.creditSalesMinor);
  const days = requireDays('daysInPeriod', input.daysInPeriod);
  return oneDecimal((ar - current) * days, sales);
}

/**
 * Collection effectiveness index (CEI, Credit Research Foundation), in percent:
 * CEI = (beginning AR + credit sales − ending total AR)
 *     ÷ (beginning AR + credit sales − ending current AR) × 100.
 * What was collected against what was collectible (everything except what is not yet due);
 * 100 means every due amount came in. Unlike DSO it is not moved by sales volume.
 */
export function collectionEffectivenessIndex(input: {
  readonly beginningArMinor: number;
  readonly creditSalesMinor: number;
  readonly endingArMinor: number;
  readonly endingCurrentArMinor: number;
}): number | undefined {
  const beginning = requireAmount('beginningArMinor', input.beginningArMinor);
  const sales = requireAmount('creditSalesMinor', input.creditSalesMinor);
  const ending = requireAmount('endingArMinor', input.endingArMinor);
  const endingCurrent = requireAmount('endingCurrentArMinor', input.endingCurrentArMinor);
  return oneDecimal((beginning + sales - ending) * 100n, beginning + sales - endingCurrent);
}

/**
 * Overdue ratio (延滞率 / 逾期率), in percent: overdue AR ÷ total AR × 100, both at the same
 * date. The headline of an aging report.
 */
export function overdueRatio(input: {
  readonly overdueArMinor: number;
  readonly totalArMinor: number;
}): number | undefined {
  const overdue = requireAmount('overdueArMinor', input.overdueArMinor);
  const total = requireAmount('totalArMinor', input.totalArMinor);
  return oneDecimal(overdue * 100n, total);
}

/**
 * Collection rate (回収率 / 回款率), in percent: collected in the period ÷ (beginning AR +
 * credit sales of the period) × 100. The Japanese monthly 回収率 (当月回収高 ÷
 * (前月末売掛金残高 + 当月売上高)); what share of everything that could have been
 * collected was.
 */
export function collectionRate(input: {
  readonly collectedMinor: number;
  readonly beginningArMinor: number;
  readonly creditSalesMinor: number;
}): number | undefined {
  const collected = requireAmount('collectedMinor', input.collectedMinor);
  const beginning = requireAmount('beginningArMinor', input.beginningArMinor);
  const sales = requireAmount('creditSalesMinor', input.creditSalesMinor);
  return oneDecimal(collected * 100n, beginning + sales);
}

export interface SettledInvoice {
  readonly dueOn: IsoDate;
  /** The day the invoice was paid in full (消込日). */
  readonly settledOn: IsoDate;
  readonly amountMinor: number;
}

export interface PaymentLateness {
  readonly invoices: number;
  /** Σ days late ÷ number of invoices; undefined without invoices. */
  readonly averageDaysLate: number | undefined;
  /** Σ (days late × amount) ÷ Σ amount; undefined when the amounts add up to 0. */
  readonly weightedAverageDaysLate: number | undefined;
  /** Invoices paid after their due date ÷ invoices, in basis points, rounded down. */
  readonly lateShareBp: number | undefined;
}

/**
 * Average days late (平均遅延日数; Dun & Bradstreet's "days beyond terms") over settled
 * invoices, where days late = max(0, settledOn − dueOn): early payment does not offset
 * late payment. The simple mean shows the customer's habit; the amount-weighted mean shows
 * what the lateness costs in cash; the late share shows how often it happens.
 */
export function paymentLateness(invoices: readonly SettledInvoice[]): PaymentLateness {
  let totalDays = 0n;
  let weightedDays = 0n;
  let totalAmount = 0n;
  let late = 0;
  for (const [i, invoice] of invoices.entries()) {
    const amount = requireAmount(`invoices.${i}.amountMinor`, invoice.amountMinor, 0);
    const daysLate = Math.max(
      0,
      daysBetween(parseIsoDate(invoice.dueOn), parseIsoDate(invoice.settledOn)),
    );
    if (daysLate > 0) late += 1;
    totalDays += BigInt(daysLate);
    weightedDays += BigInt(daysLate) * amount;
    totalAmount += amount;
  }
  return latenessOf(invoices.length, late, totalDays, weightedDays, totalAmount);
}

function latenessOf(
  invoices: number,
  late: number,
  totalDays: bigint,
  weightedDays: bigint,
  totalAmount: bigint,
): PaymentLateness {
  return {
    invoices,
    averageDaysLate: oneDecimal(totalDays, BigInt(invoices)),
    weightedAverageDaysLate: oneDecimal(weightedDays, totalAmount),
    lateShareBp: ratioBasisPoints(late, invoices),
  };
}

/** What a database sums over settled invoices, so `paymentLateness` needs no row list. */
export interface LatenessTotals {
  readonly invoices: number;
  /** Invoices settled after their due date. */
  readonly lateInvoices: number;
  /** Σ max(0, settledOn − dueOn). */
  readonly totalDaysLate: number;
  /** Σ max(0, settledOn − dueOn) × amountMinor: a BigInt when it passes 2^53 (yen × days). */
  readonly weightedDaysLate: number | bigint;
  readonly totalAmountMinor: number;
}

/**
 * `paymentLateness` from its sums (a portfolio's settled invoices, aggregated in SQL):
 * the same formulas and rounding as over the invoices themselves.
 */
export function paymentLatenessFromTotals(totals: LatenessTotals): PaymentLateness {
  const invoices = Number(requireAmount('invoices', totals.invoices, 0));
  const late = Number(requireAmount('lateInvoices', totals.lateInvoices, 0));
  return latenessOf(
    invoices,
    late,
    requireAmount('totalDaysLate', totals.totalDaysLate, 0),
    typeof totals.weightedDaysLate === 'bigint' && totals.weightedDaysLate >= 0n
      ? totals.weightedDaysLate
      : requireAmount('weightedDaysLate', Number(totals.weightedDaysLate), 0),
    requireAmount('totalAmountMinor', totals.totalAmountMinor, 0),
  );
}
