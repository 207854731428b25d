import { type Calendar, isBusinessDay } from '../domain/calendar.ts';
import { addDays, dateInTimeZone, type IsoDate } from '../domain/dates.ts';
import type { DunningStep } from '../domain/dunning.ts';
import { dunningList } from './collections.ts';
import type { OverdueCustomerRow, PortfolioSnapshot } from './digest-ports.ts';
import { kpiReport } from './kpi-report.ts';
import type { CreditPolicy } from './policy.ts';
import type { Clock, Store } from './ports.ts';
import { type AgingReport, agingReport } from './reports.ts';
import { type ReviewRow, reviewsReport } from './reviews.ts';

/** The morning digest of one channel: where the receivables stand, as data; chat words it. */

export interface DigestDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly timeZone: string;
  readonly policy: CreditPolicy;
  /** Which days count as business days for "the previous business day"; weekends only if not given. */
  readonly calendar?: Calendar;
}

export interface DigestFilters {
  readonly currency?: string;
  readonly segment?: string;
  readonly owner?: string;
}

export const TOP_OVERDUE = 5;
export const REVIEWS_WITHIN_DAYS = 7;
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
  const aging = await agingReport(deps.store.reports, {
    asOf,
    edges: deps.policy.aging.edges,
    ...(filters.currency ? { currency: filters.currency } : {}),
  });
  const previous = previousBusinessDay(asOf, deps.calendar ?? 'NONE');
  const weekAgo = addDays(asOf, -TREND_DAYS);
  const byCurrency = async (date: IsoDate) =>
    new Map((await deps.store.digests.snapshotsOn(date)).map((s) => [s.currency, s]));
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
  const filter = currency ? { currency } : {};
  const now = await kpiReport(deps.store.kpis, { asOf, ...filter });
  const before = new Map(
    (await kpiReport(deps.store.kpis, { asOf: addDays(asOf, -TREND_DAYS), ...filter })).map((k) => [
      k.currency,
      k,
    ]),
  );
  return now.map((k) => ({
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
  const rows = await deps.store.collections.promiseList({
    asOf,
    resolvedFrom: yesterday,
    timeZone: deps.timeZone,
    ...(currency ? { currency } : {}),
  });
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
  input: { readonly asOf: IsoDate; readonly filters?: DigestFilters },
): Promise<DigestData> {
  const { asOf } = input;
  const filters = input.filters ?? {};
  const { currency, segment, owner } = filters;
  const pos = await positions(deps, asOf, filters);
  const top = { asOf, limit: TOP_OVERDUE, ...(currency ? { currency } : {}) };
  const scope = { ...(segment ? { segment } : {}), ...(owner ? { owner } : {}) };
  const pending = await deps.store.approvals.pending();
  const promiseLists = await promises(deps, asOf, currency);
  const dunning = await dunningList(deps.store, asOf, deps.policy.dunning, {
    timeZone: deps.timeZone,
    ...(currency ? { currency } : {}),
  });
  const reviewPolicy = { ...deps.policy.reviews, dueWithinDays: REVIEWS_WITHIN_DAYS };
  const reviews = await reviewsReport(
    { ...deps, policy: { ...deps.policy, reviews: reviewPolicy } },
    { asOf },
  );
  return {
    asOf,
    previousBusinessDay: pos.previous,
    weekAgo: pos.weekAgo,
    filters,
    positions: pos.rows,
    kpis: await kpiLines(deps, asOf, currency),
    topOverdue: await deps.store.digests.topOverdue({ ...top, ...scope, strategic: false }),
    strategicOverdue: await deps.store.digests.topOverdue({ ...top, ...scope, strategic: true }),
    approvals: { pending: pending.length, oldestAt: pending[0]?.createdAt },
    promisesDueToday: promiseLists.dueToday,
    promisesBroken: promiseLists.broken,
    dunning: dunning.due
      .filter((d) => !segment || d.segment === segment)
      .map((d) => ({
        code: d.code,
        legalName: d.legalName,
        step: d.step,
        maxDaysOverdue: d.maxDaysOverdue,
        isNew: d.isNew,
      })),
    reviews: reviews.reviews.filter((r) => !owner || r.ownerName === owner),
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
