import type { IsoDate } from '../domain/dates.ts';
import type { DunningStep } from '../domain/dunning.ts';
import { dunningRowsIn, dunningStepsFromRows, withoutPaused } from './collections.ts';
import type { DunningCustomerRow, PromiseListRow } from './collections-ports.ts';
import type { OverdueCustomer, OverdueCustomerRow, PortfolioSnapshot } from './digest-ports.ts';
import type { DigestShare } from './digest-share.ts';
import { type KpiReport, kpiReport } from './kpi-report.ts';
import type { CreditPolicy } from './policy.ts';
import type { Clock, Store } from './ports.ts';
import { type AgingReport, agingReport } from './reports.ts';
import { type ReviewRow, reviewsReport } from './reviews.ts';

// The portfolio-wide parts of the digest, each read for the whole book as of a date (with no
// filter) and, given a share, read once for every channel of a delivery round. A channel's
// filters then pick rows out of them, exactly as the filtered queries did: every part is
// per currency or per customer, so narrowing after reading changes no figure.

export interface PortfolioDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly timeZone: string;
  readonly policy: CreditPolicy;
  readonly digestShare?: DigestShare;
}

/** `load()`, or the share's value of it: the key names the part and everything it depends on. */
function shared<T>(
  deps: PortfolioDeps,
  key: readonly (string | number | undefined)[],
  load: () => Promise<T>,
): Promise<T> {
  return deps.digestShare ? deps.digestShare.get(JSON.stringify(key), load) : load();
}

/** Aging per currency, as the aging report computes it. */
export function portfolioAging(deps: PortfolioDeps, asOf: IsoDate): Promise<AgingReport[]> {
  const edges = deps.policy.aging.edges;
  return shared(deps, ['aging', asOf, edges.join(',')], () =>
    agingReport(deps.store.reports, { asOf, edges }),
  );
}

export function snapshotsOn(deps: PortfolioDeps, date: IsoDate): Promise<PortfolioSnapshot[]> {
  return shared(deps, ['snapshots', date], () => deps.store.digests.snapshotsOn(date));
}

/** Every currency's KPIs as of the date. */
export function portfolioKpis(deps: PortfolioDeps, asOf: IsoDate): Promise<KpiReport[]> {
  return shared(deps, ['kpis', asOf], () => kpiReport(deps.store.kpis, { asOf }));
}

export function pendingApprovals(
  deps: PortfolioDeps,
): Promise<{ readonly pending: number; readonly oldestAt: Date | undefined }> {
  return shared(deps, ['approvals'], async () => {
    const pending = await deps.store.approvals.pending();
    return { pending: pending.length, oldestAt: pending[0]?.createdAt };
  });
}

/** Promises pending as of the date and those resolved since `resolvedFrom`, every currency. */
export function portfolioPromises(
  deps: PortfolioDeps,
  input: { readonly asOf: IsoDate; readonly resolvedFrom: IsoDate },
): Promise<PromiseListRow[]> {
  const { asOf, resolvedFrom } = input;
  return shared(deps, ['promises', asOf, resolvedFrom, deps.timeZone], () =>
    deps.store.collections.promiseList({ asOf, resolvedFrom, timeZone: deps.timeZone }),
  );
}

/** A dunning step as the digest lists it. */
export interface DigestDunningLine {
  readonly code: string;
  readonly legalName: string;
  readonly step: DunningStep;
  readonly maxDaysOverdue: number;
  readonly isNew: boolean;
}

/**
 * Today's dunning steps as `dunningList` gives them, for one currency's invoices or all of
 * them, within a segment. The overdue invoices are read once per date and each currency's
 * steps worked out once from them; the promises that hold customers back are read per time
 * zone (the day a promise was made depends on it) and each segment's lines picked once.
 */
export function portfolioDunning(
  deps: PortfolioDeps,
  input: {
    readonly asOf: IsoDate;
    readonly currency?: string | undefined;
    readonly segment?: string | undefined;
  },
): Promise<readonly DigestDunningLine[]> {
  const { asOf, currency, segment } = input;
  const { policy, timeZone } = deps;
  const steps = () =>
    shared(deps, ['dunning-steps', asOf, policy.dunning.version, currency], async () => {
      const rows = await shared(deps, ['dunning-invoices', asOf], async () =>
        (await deps.store.collections.dunningCustomers({ asOf, timeZone })).map(
          (r): DunningCustomerRow => ({ ...r, pendingPromiseUntil: undefined }),
        ),
      );
      return dunningStepsFromRows(
        currency ? dunningRowsIn(rows, currency) : rows,
        asOf,
        policy.dunning,
      );
    });
  const promised = () =>
    shared(deps, ['promised-until', asOf, timeZone], () =>
      deps.store.collections.promisedUntil({ asOf, timeZone }),
    );
  const key = ['dunning-lines', asOf, timeZone, policy.dunning.version, currency, segment];
  return shared(deps, key, async () => {
    const [all, held] = await Promise.all([steps(), promised()]);
    return withoutPaused(all, held, asOf)
      .filter((d) => !segment || d.segment === segment)
      .map((d) => ({
        code: d.code,
        legalName: d.legalName,
        step: d.step,
        maxDaysOverdue: d.maxDaysOverdue,
        isNew: d.isNew,
      }));
  });
}

/** Reviews overdue or due within the days given, longest overdue first. */
export function portfolioReviews(
  deps: PortfolioDeps,
  input: { readonly asOf: IsoDate; readonly dueWithinDays: number },
): Promise<readonly ReviewRow[]> {
  const { asOf, dueWithinDays } = input;
  return shared(deps, ['reviews', asOf, dueWithinDays], async () => {
    const reviews = { ...deps.policy.reviews, dueWithinDays };
    const report = await reviewsReport({ ...deps, policy: { ...deps.policy, reviews } }, { asOf });
    return report.reviews;
  });
}

/**
 * The `limit` customers with the most overdue per currency, strategic accounts or the others,
 * within the filters; an owner filter matches the owner's name or user id.
 */
export async function topOverdue(
  deps: PortfolioDeps,
  input: {
    readonly asOf: IsoDate;
    readonly limit: number;
    readonly strategic: boolean;
    readonly currency?: string | undefined;
    readonly segment?: string | undefined;
    readonly owner?: string | undefined;
  },
): Promise<OverdueCustomerRow[]> {
  const { asOf, limit, strategic, currency, segment, owner } = input;
  const partitions = await shared(deps, ['overdue', asOf], async () => {
    // By currency and strategic or not, each largest first as read.
    const parts = new Map<string, OverdueCustomer[]>();
    for (const c of await deps.store.digests.overdueCustomers(asOf)) {
      const key = `${c.currency}:${c.strategic}`;
      const part = parts.get(key);
      if (part) part.push(c);
      else parts.set(key, [c]);
    }
    return parts;
  });
  const matches = (c: OverdueCustomer) =>
    (!segment || c.segment === segment) &&
    (!owner ||
      c.ownerName === owner ||
      (c.ownerUserId !== null && String(c.ownerUserId) === owner));
  const top: OverdueCustomerRow[] = [];
  // Map order is reading order: currencies as the query sorted them.
  for (const [key, part] of partitions) {
    const [partCurrency, partStrategic] = key.split(':');
    if (partStrategic !== String(strategic) || (currency && partCurrency !== currency)) continue;
    let taken = 0;
    for (const c of part) {
      if (taken >= limit) break;
      if (!matches(c)) continue;
      taken += 1;
      const { ownerUserId: _, ...row } = c;
      top.push(row);
    }
  }
  return top;
}

/**
 * The alerts raised in a window within the filters, counted and the most severe: a digest
 * and its chart, and the channels of a zone with the same filters, read them once.
 */
export function alertsBetween(
  deps: PortfolioDeps,
  input: Parameters<Store['alerts']['createdBetween']>[0],
): ReturnType<Store['alerts']['createdBetween']> {
  const { from, to, filters, limit } = input;
  const key = [
    'alerts',
    from.toISOString(),
    to.toISOString(),
    filters.currency,
    filters.segment,
    filters.owner,
    limit,
  ];
  return shared(deps, key, () => deps.store.alerts.createdBetween(input));
}
