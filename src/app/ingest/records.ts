import type { IsoDate } from '../../domain/dates.ts';
import type { PaymentTerms } from '../../domain/payment-terms.ts';

// Validated rows, in minor units and ISO dates, ready for the ledger.

export interface CustomerInput {
  readonly code: string;
  readonly externalId?: string;
  readonly legalName: string;
  readonly nameKana?: string;
  readonly nameRomaji?: string;
  readonly namePinyin?: string;
  readonly aliases?: readonly string[];
  readonly country: string;
  readonly currency: string;
  readonly segment?: string;
  readonly paymentTermsDays?: number;
  readonly strategic?: boolean;
  readonly blacklisted?: boolean;
  readonly creditLimit?: number;
}

export interface InvoiceInput {
  readonly externalId: string;
  readonly customerId: number;
  readonly number: string;
  readonly issuedOn: IsoDate;
  readonly dueOn: IsoDate;
  readonly currency: string;
  readonly amount: number;
  /** When the source says how much is still open; else it follows from payments. */
  readonly openAmount?: number;
  readonly disputed: boolean;
  readonly settledOn?: IsoDate;
}

/** An invoice as the ledger holds it, for change detection and the paid-so-far check. */
export interface ExistingInvoice {
  readonly customerId: number;
  readonly number: string;
  readonly issuedOn: IsoDate;
  readonly dueOn: IsoDate;
  readonly currency: string;
  readonly amount: number;
  readonly openAmount: number;
  readonly disputed: boolean;
  readonly settledOn?: IsoDate;
}

export interface PaymentInput {
  readonly externalId: string;
  readonly customerId: number;
  readonly receivedOn: IsoDate;
  readonly currency: string;
  readonly amount: number;
  readonly invoiceNumber?: string;
  readonly reference?: string;
}

export interface OrderInput {
  readonly externalId: string;
  readonly customerId: number;
  readonly number: string;
  readonly orderedOn: IsoDate;
  readonly currency: string;
  readonly amount: number;
  readonly openAmount: number;
  readonly status: 'open' | 'invoiced' | 'cancelled';
}

export interface CreditReportInput {
  readonly source: string;
  readonly reportId: string;
  readonly customerId: number;
  readonly reportedOn: IsoDate;
  readonly score?: number;
  readonly grade?: string;
  readonly pd?: number;
  readonly currency: string;
  readonly capital?: number;
  readonly revenue?: number;
  readonly employees?: number;
  readonly foundedOn?: IsoDate;
}

export interface CreditEventInput {
  readonly source: string;
  readonly sourceEventId: string;
  readonly customerId: number;
  readonly kind: string;
  readonly severity: string;
  readonly text?: string;
  readonly url?: string;
  readonly occurredAt: Date;
}

export interface UpsertCounts {
  readonly inserted: number;
  readonly updated: number;
}

export interface CustomerRef {
  readonly id: number;
  readonly currency: string;
  /** What a row without a due date is due by: net N, EOM + N or 締め支払い, with its calendar. */
  readonly paymentTerms: PaymentTerms;
}

/** The ledger writes behind imports and the REST API; `src/db/` implements it. */
export interface LedgerWriter {
  customersByCode(codes: readonly string[]): Promise<Map<string, CustomerRef>>;
  /** Every customer by code: what a big import resolves its rows against, once. */
  customerSnapshot(): Promise<Map<string, CustomerRef>>;
  upsertCustomers(rows: readonly CustomerInput[]): Promise<UpsertCounts & { ids: number[] }>;
  /** `existing` is `existingInvoices` of the same rows, made in the same transaction. */
  upsertInvoices(
    rows: readonly InvoiceInput[],
    existing: ReadonlyMap<string, ExistingInvoice>,
  ): Promise<UpsertCounts>;
  upsertPayments(rows: readonly PaymentInput[]): Promise<UpsertCounts>;
  upsertOrders(rows: readonly OrderInput[]): Promise<UpsertCounts>;
  upsertCreditReports(rows: readonly CreditReportInput[]): Promise<UpsertCounts>;
  insertCreditEvents(rows: readonly CreditEventInput[]): Promise<UpsertCounts>;
  /** The stored invoices among these external ids (what is paid so far follows from them). */
  existingInvoices(externalIds: readonly string[]): Promise<Map<string, ExistingInvoice>>;
  markAlertsDue(customerIds: readonly number[]): Promise<void>;
}
