import type { AlertSeverity } from '../domain/alerts.ts';
import { type Calendar, isBusinessDay } from '../domain/calendar.ts';
import { addDays, dateInTimeZone, type IsoDate, zonedInstant } from '../domain/dates.ts';
import type { DunningStep } from '../domain/dunning.ts';
import type { AlertView } from './alert-ports.ts';
import {
  alertsBetween,
  pendingApprovals,
  portfolioAging,
  portfolioDunning,
  portfolioKpis,
  portfolioPromises,
  portfolioReviews,
  snapshotsOn,
  topOverdue,
} from './digest-portfolio.ts';
import type { OverdueCustomerRow, PortfolioSnapshot } from './digest-ports.ts';
import type { DigestShare } from './digest-share.ts';
import type { CreditPolicy } from './policy.ts';
import type { Clock, Store } from './ports.ts';
import { type AgingReport, agingReport } from './reports.ts';
import type { ReviewRow } from './reviews.ts';

/** The morning digest of one channel: where the receivables stand, as data; chat words it. */

export interface DigestDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly timeZone: string;
  readonly policy: CreditPolicy;
  /** Which days count as business days for "the previous business day"; weekends only if not given. */
  readonly calendar?: Calendar;
  /**
   * Reads the portfolio once for all the digests of a delivery round (digest-share.ts); each
   * digest reads it afresh without one.
   */
  readonly digestShare?: DigestShare;
}

export interface DigestFilters {
  readonly currency?: string;
  readonly segment?: string;
  readonly owner?: string;
}

export const TOP_OVERDUE = 5;
export const REVIEWS_WITHIN_DAYS = 7;
/** Alerts the digest names; the rest are counted. */
export const DIGEST_ALERTS = 5;
/** A digest subscription's time when none is given (the subscriptions' default). */
const DIGEST_TIME = '09:00';
const TREND_DAYS = 7;

export interface Change {
  readonly exposureMinor: number;
  readonly overdueMinor: number;
}

export interface CurrencyPosition {
  readonly currency: string;
  readonly exposureMinor: number;
  readonly overdueMinor: number;
  /** Undefined when that day has no snapshot. */
  readonly vsPreviousBusinessDay: Change | undefined;
  readonly vsWeekAgo: Change | undefined;
  readonly aging: AgingReport;
}

export interface KpiLine {
  readonly currency: string;
  readonly dso: number | null;
  readonly cei: number | null;
  /** The same KPI seven days earlier; null when it was not computable. */
  readonly dsoBefore: number | null;
  readonly ceiBefore: number | null;
}

export interface DigestData {
  readonly asOf: IsoDate;
  readonly previousBusinessDay: IsoDate;
  readonly weekAgo: IsoDate;
  readonly filters: DigestFilters;
  readonly positions: readonly CurrencyPosition[];
  readonly kpis: readonly KpiLine[];
  /** Per currency, largest overdue first; strategic accounts are in `strategicOverdue`. */
  readonly topOverdue: readonly OverdueCustomerRow[];
  readonly strategicOverdue: readonly OverdueCustomerRow[];
  readonly approvals: { readonly pending: number; readonly oldestAt: Date | undefined };
  readonly promisesDueToday: readonly DigestPromise[];
  readonly promisesBroken: readonly DigestPromise[];
  readonly dunning: readonly {
    readonly code: string;
    readonly legalName: string;
    readonly step: DunningStep;
    readonly maxDaysOverdue: number;
    readonly isNew: boolean;
  }[];
  readonly reviews: readonly ReviewRow[];
  readonly alerts: DigestAlerts;
}

/**
 * Alerts raised since the last digest: from the previous business day's digest time to this
 * one's, in the channel's time zone, so consecutive digests share no alert and miss none
 * (Monday's covers the weekend).
 */
export interface DigestAlerts {
  readonly from: Date;
  readonly to: Date;
  readonly counts: Readonly<Record<AlertSeverity, number>>;
  /** The DIGEST_ALERTS most severe, newest first. */
  readonly latest: readonly AlertView[];
}

export interface DigestPromise {
  readonly code: string;
  readonly legalName: string;
  readonly promisedOn: IsoDate;
  readonly amountMinor: number;
  readonly currency: string;
}

export function previousBusinessDay(date: IsoDate, calendar: Calendar): IsoDate {
  let day = addDays(date, -1);
  // No calendar closes for more than a fortnight; stop there rather than loop on bad data.
  for (let i = 0; i < 14 && !isBusinessDay(day, calendar); i++) day = addDays(day, -1);
  return day;
}

function change(now: AgingReport, before: PortfolioSnapshot | undefined): Change | undefined {
  if (!before) return undefined;
  return {
    exposureMinor: now.totalMinor - before.exposureMinor,
    overdueMinor: now.overdueMinor - before.overdueMinor,
  };
}

async function positions(deps: DigestDeps, asOf: IsoDate, filters: DigestFilters) {
  const aging = (await portfolioAging(deps, asOf)).filter(
    (a) => !filters.currency || a.currency === filters.currency,
  );
  const previous = previousBusinessDay(asOf, deps.calendar ?? 'NONE');
  const weekAgo = addDays(asOf, -TREND_DAYS);
  const byCurrency = async (date: IsoDate) =>
    new Map((await snapshotsOn(deps, date)).map((s) => [s.currency, s]));
  const [prev, week] = [await byCurrency(previous), await byCurrency(weekAgo)];
  const rows = aging.map(
    (a): CurrencyPosition => ({
      currency: a.currency,
      exposureMinor: a.totalMinor,
      overdueMinor: a.overdueMinor,
      vsPreviousBusinessDay: change(a, prev.get(a.currency)),
      vsWeekAgo: change(a, week.get(a.currency)),
      aging: a,
    }),
  );
  return { rows, previous, weekAgo };
}

async function kpiLines(deps: DigestDeps, asOf: IsoDate, currency?: string): Promise<KpiLine[]> {
  const only = (k: { readonly currency: string }) => !currency || k.currency === currency;
  const [now, then] = await Promise.all([
    portfolioKpis(deps, asOf),
    portfolioKpis(deps, addDays(asOf, -TREND_DAYS)),
  ]);
  const before = new Map(then.filter(only).map((k) => [k.currency, k]));
  return now.filter(only).map((k) => ({
    currency: k.currency,
    dso: k.dso.simple,
    cei: k.cei,
    dsoBefore: before.get(k.currency)?.dso.simple ?? null,
    ceiBefore: before.get(k.currency)?.cei ?? null,
  }));
}

/** Promises due today (still pending) and those found broken yesterday or today. */
async function promises(deps: DigestDeps, asOf: IsoDate, currency?: string) {
  const yesterday = addDays(asOf, -1);
  const rows = (await portfolioPromises(deps, { asOf, resolvedFrom: yesterday })).filter(
    (r) => !currency || r.amount.currency === currency,
  );
  const line = (r: (typeof rows)[number]): DigestPromise => ({
    code: r.code,
    legalName: r.legalName,
    promisedOn: r.promisedOn,
    amountMinor: r.amount.minor,
    currency: r.amount.currency,
  });
  return {
    dueToday: rows.filter((r) => r.status === 'pending' && r.promisedOn === asOf).map(line),
    broken: rows
      .filter(
        (r) => r.status === 'broken' && r.resolvedOn !== undefined && r.resolvedOn >= yesterday,
      )
      .map(line),
  };
}

/**
 * Everything the morning digest shows, as of a date, for one channel's filters. Reads only:
 * promises are evaluated by their own job, and the snapshot is written by `snapshotPortfolio`.
 * The currency filter applies to every section; segment and owner to the customer lists.
 */
export async function buildDigest(
  deps: DigestDeps,
  input: {
    readonly asOf: IsoDate;
    readonly filters?: DigestFilters;
    /** The channel's digest time (`HH:MM`), which bounds "since the last digest". */
    readonly localTime?: string;
  },
): Promise<DigestData> {
  const { asOf } = input;
  const filters = input.filters ?? {};
  const { currency, segment, owner } = filters;
  // The parts are independent: the first digest of a round reads them side by side.
  const top = { asOf, limit: TOP_OVERDUE, currency, segment, owner };
  const [pos, kpis, topOverdueRows, strategicOverdue, approvals, promiseLists, dunning, reviews] =
    await Promise.all([
      positions(deps, asOf, filters),
      kpiLines(deps, asOf, currency),
      topOverdue(deps, { ...top, strategic: false }),
      topOverdue(deps, { ...top, strategic: true }),
      pendingApprovals(deps),
      promises(deps, asOf, currency),
      portfolioDunning(deps, { asOf, currency, segment }),
      portfolioReviews(deps, { asOf, dueWithinDays: REVIEWS_WITHIN_DAYS }),
    ]);
  const at = (date: IsoDate) =>
    new Date(
      zonedInstant(Date.parse(`${date}T${input.localTime ?? DIGEST_TIME}:00Z`), deps.timeZone),
    );
  const window = { from: at(pos.previous), to: at(asOf) };
  const alerts = await alertsBetween(deps, {
    ...window,
    filters,
    limit: DIGEST_ALERTS,
  });
  return {
    asOf,
    previousBusinessDay: pos.previous,
    weekAgo: pos.weekAgo,
    filters,
    positions: pos.rows,
    kpis,
    topOverdue: topOverdueRows,
    strategicOverdue,
    approvals,
    promisesDueToday: promiseLists.dueToday,
    promisesBroken: promiseLists.broken,
    dunning,
    reviews: reviews.filter((r) => !owner || r.ownerName === owner),
    alerts: { ...window, counts: alerts.counts, latest: alerts.alerts },
  };
}

/**
 * Writes the day's portfolio snapshot (one row per currency) from the portfolio aging, so
 * tomorrow's digest can show the change. Idempotent: a second run replaces the rows.
 */
export async function snapshotPortfolio(
  deps: Pick<DigestDeps, 'store' | 'policy' | 'clock' | 'timeZone'>,
  asOf: IsoDate = dateInTimeZone(deps.clock.now(), deps.timeZone),
): Promise<PortfolioSnapshot[]> {
  const aging = await agingReport(deps.store.reports, { asOf, edges: deps.policy.aging.edges });
  const customers = await deps.store.digests.openCustomerCounts(asOf);
  const rows = aging.map(
    (a): PortfolioSnapshot => ({
      snapshotOn: asOf,
      currency: a.currency,
      exposureMinor: a.totalMinor,
      overdueMinor: a.overdueMinor,
      buckets: Object.fromEntries(a.buckets.map((b) => [b.label, b.amountMinor])),
      customers: customers.get(a.currency) ?? 0,
    }),
  );
  await deps.store.digests.upsertSnapshots(rows);
  return rows;
}
