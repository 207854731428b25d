import type { IsoDate } from '../domain/dates.ts';

/** One currency's row of the daily portfolio snapshot (table portfolio_snapshots). */
export interface PortfolioSnapshot {
  readonly snapshotOn: IsoDate;
  readonly currency: string;
  readonly exposureMinor: number;
  readonly overdueMinor: number;
  /** Open, undisputed amount per aging bucket key. */
  readonly buckets: Readonly<Record<string, number>>;
  /** Customers with open receivables in the currency. */
  readonly customers: number;
}

/** Per customer and currency, its open, undisputed receivables past due as of a date. */
export interface OverdueCustomerRow {
  readonly customerId: number;
  readonly code: string;
  readonly legalName: string;
  readonly currency: string;
  readonly segment: string;
  readonly ownerName: string | null;
  readonly strategic: boolean;
  readonly overdueMinor: number;
  readonly maxDaysOverdue: number;
}

export interface DigestRepository {
  /** Inserts or replaces the rows of (snapshot_on, currency): writing a day twice is harmless. */
  upsertSnapshots(rows: readonly PortfolioSnapshot[]): Promise<void>;
  /** The snapshot rows of one day, by currency. */
  snapshotsOn(date: IsoDate): Promise<PortfolioSnapshot[]>;
  /** Customers with open receivables as of the date, per currency. */
  openCustomerCounts(asOf: IsoDate): Promise<Map<string, number>>;
  /**
   * Every customer with receivables overdue as of the date, per currency: currencies in order,
   * the largest overdue first within each, then by code. The digest takes each channel's top
   * customers from this one list.
   */
  overdueCustomers(asOf: IsoDate): Promise<OverdueCustomer[]>;
}

/** An overdue customer with its owner's user id, which an owner filter may name instead. */
export interface OverdueCustomer extends OverdueCustomerRow {
  readonly ownerUserId: number | null;
}
