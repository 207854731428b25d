import type { IsoDate } from '../domain/dates.ts';
import type { Money } from '../domain/money.ts';

// The port behind a person's home view (Slack's App Home tab and its like), part of `Store`
// in ports.ts. `src/db/home-repository.ts` implements it.

export const APPROVAL_KINDS = ['limit', 'phase'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

/** A capped list and how many rows matched in all, so a view can say "+N more". */
export interface Capped<T> {
  readonly rows: readonly T[];
  readonly total: number;
}

export interface PromiseDueRow {
  readonly promiseId: number;
  readonly customerId: number;
  readonly code: string;
  readonly legalName: string;
  readonly promisedOn: IsoDate;
  readonly amount: Money;
}

export interface RequestRow {
  readonly id: number;
  readonly kind: ApprovalKind;
  readonly customerId: number;
  readonly code: string;
  readonly legalName: string;
  readonly requestedBy: string;
  readonly reason: string;
  readonly createdAt: Date;
}

export interface HomeRepository {
  /** Ids of the customers the user owns, by code, at most `limit`; `total` counts them all. */
  ownedCustomerIds(input: {
    readonly userId: number;
    readonly limit: number;
  }): Promise<Capped<number>>;
  /** Pending promises on the user's customers dated `from` to `to` inclusive, by date, code. */
  promisesDue(input: {
    readonly userId: number;
    readonly from: IsoDate;
    readonly to: IsoDate;
    readonly limit: number;
  }): Promise<Capped<PromiseDueRow>>;
  /** Approval requests the user made that nobody has decided yet, oldest first. */
  pendingRequests(input: {
    readonly userId: number;
    readonly limit: number;
  }): Promise<Capped<RequestRow>>;
}
