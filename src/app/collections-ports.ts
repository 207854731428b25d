import type { ContactMethod, ContactOutcome } from '../domain/credit.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { Money } from '../domain/money.ts';

// The ports of collections work (contact log, promises to pay, the dunning ladder), part of
// `Store` in ports.ts. `src/db/contact-repository.ts` and `collections-repository.ts`
// implement them.

export interface ContactCustomer {
  readonly id: number;
  readonly code: string;
  readonly legalName: string;
  readonly currency: string;
}

export interface InvoiceRef {
  readonly id: number;
  readonly number: string;
  readonly dueOn: IsoDate;
  readonly open: Money;
  readonly disputed: boolean;
}

export interface NewContact {
  readonly customerId: number;
  readonly actorUserId: number;
  readonly actorLabel: string;
  readonly method: ContactMethod;
  readonly outcome: ContactOutcome;
  readonly note: string | null;
  readonly invoiceIds: readonly number[];
  readonly contactedAt: Date;
}

export interface NewPromise {
  readonly customerId: number;
  readonly contactId: number;
  readonly promisedOn: IsoDate;
  readonly amount: Money;
}

/** Contacts and promises are only ever added: a correction is a new entry. */
export interface ContactRepository {
  customer(customerId: number): Promise<ContactCustomer | undefined>;
  /** The customer's invoices whose number is one of `numbers`, case aside. */
  invoicesByNumber(customerId: number, numbers: readonly string[]): Promise<InvoiceRef[]>;
  insertContact(contact: NewContact): Promise<number>;
  insertPromise(promise: NewPromise): Promise<number>;
  /** Flags the invoices disputed; returns the ids that were not disputed before. */
  markDisputed(invoiceIds: readonly number[]): Promise<number[]>;
}

/** A promise with the payments that may count towards it, for the domain to evaluate. */
export interface PromiseRow {
  readonly id: number;
  readonly customerId: number;
  readonly currency: string;
  readonly promisedOn: IsoDate;
  readonly amountMinor: number;
  /** The day the promise was given: its contact's date, else its creation, in the time zone. */
  readonly madeOn: IsoDate;
  readonly status: 'pending' | 'kept' | 'broken';
}

export interface PaymentRow {
  readonly customerId: number;
  readonly currency: string;
  readonly receivedOn: IsoDate;
  readonly amountMinor: number;
}

export interface PromiseResolution {
  readonly id: number;
  readonly status: 'kept' | 'broken';
  readonly resolvedOn: IsoDate;
}

export interface DunningInvoiceRow {
  readonly id: number;
  readonly number: string;
  readonly dueOn: IsoDate;
  readonly openMinor: number;
  readonly currency: string;
  readonly disputed: boolean;
}

export interface DunningCustomerRow {
  readonly customerId: number;
  readonly code: string;
  readonly legalName: string;
  readonly currency: string;
  readonly segment: string;
  readonly strategic: boolean;
  /** Open invoices past their due date as of the date asked for. */
  readonly invoices: readonly DunningInvoiceRow[];
  readonly pendingPromiseUntil: IsoDate | undefined;
}

export interface PromiseListRow {
  readonly id: number;
  readonly customerId: number;
  readonly code: string;
  readonly legalName: string;
  readonly promisedOn: IsoDate;
  readonly amount: Money;
  readonly madeOn: IsoDate;
  readonly status: 'pending' | 'kept' | 'broken';
  readonly resolvedOn: IsoDate | undefined;
  readonly actorLabel: string | undefined;
}

export interface CollectionsRepository {
  /**
   * The customers' promises that payments may still be allocated to: every pending one,
   * and the kept and broken ones dated on or after the customer's earliest pending madeOn
   * (they took payments first). Cancelled promises take no payments.
   */
  promisesToEvaluate(input: {
    readonly timeZone: string;
    readonly customerIds?: readonly number[];
  }): Promise<PromiseRow[]>;
  /** Payments received from `since` to `until`, for the customers asked about. */
  paymentsSince(input: {
    readonly customers: readonly { readonly customerId: number; readonly since: IsoDate }[];
    readonly until: IsoDate;
  }): Promise<PaymentRow[]>;
  /** Moves pending promises to kept or broken; returns the ids moved (others were not pending). */
  resolvePromises(changes: readonly PromiseResolution[]): Promise<number[]>;
  /** Per customer with an open invoice past due as of `asOf`: those invoices and promises. */
  dunningCustomers(input: {
    readonly asOf: IsoDate;
    readonly timeZone: string;
    readonly currency?: string;
    readonly customerIds?: readonly number[];
  }): Promise<DunningCustomerRow[]>;
  /**
   * Per customer, `pendingPromiseUntil` as `dunningCustomers` gives it: the latest promised date
   * of the promises pending as of `asOf` and made by then in the time zone. The digest reads
   * the overdue invoices once and this per time zone.
   */
  promisedUntil(input: {
    readonly asOf: IsoDate;
    readonly timeZone: string;
  }): Promise<ReadonlyMap<number, IsoDate>>;
  /** Promises pending as of `asOf`, and those kept or broken from `resolvedFrom` to `asOf`. */
  promiseList(input: {
    readonly asOf: IsoDate;
    readonly resolvedFrom: IsoDate;
    readonly timeZone: string;
    readonly currency?: string;
  }): Promise<PromiseListRow[]>;
}
