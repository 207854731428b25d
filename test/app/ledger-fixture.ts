import type { Store } from '../../src/app/ports.ts';
import type { IsoDate } from '../../src/domain/dates.ts';

// A small ledger written through the same ledger writer imports and the REST API use, so
// open amounts, settlement dates and allocations are what the product itself records.

export interface FixtureInvoice {
  readonly number: string;
  readonly issuedOn: IsoDate;
  readonly dueOn: IsoDate;
  readonly currency: string;
  readonly amount: number;
  readonly disputed?: boolean;
}

/** Applied to the named invoice first (then the oldest open ones), on `receivedOn`. */
export interface FixturePayment {
  readonly invoiceNumber: string;
  readonly receivedOn: IsoDate;
  readonly currency: string;
  readonly amount: number;
}

/** A new customer `code` with these invoices, then these payments in order; its id. */
export async function insertLedger(
  store: Store,
  input: {
    readonly code: string;
    readonly currency: string;
    readonly invoices: readonly FixtureInvoice[];
    readonly payments: readonly FixturePayment[];
  },
): Promise<number> {
  return store.transaction(async (tx) => {
    const { ids } = await tx.ledger.upsertCustomers([
      {
        code: input.code,
        legalName: `Fixture ${input.code}`,
        country: 'JP',
        currency: input.currency,
      },
    ]);
    const customerId = ids[0] ?? 0;
    await tx.ledger.upsertInvoices(
      input.invoices.map((i) => ({
        externalId: `${input.code}:${i.number}`,
        customerId,
        number: i.number,
        issuedOn: i.issuedOn,
        dueOn: i.dueOn,
        currency: i.currency,
        amount: i.amount,
        disputed: i.disputed ?? false,
      })),
      new Map(),
    );
    await tx.ledger.upsertPayments(
      input.payments.map((p, n) => ({
        externalId: `${input.code}:P${n + 1}`,
        customerId,
        receivedOn: p.receivedOn,
        currency: p.currency,
        amount: p.amount,
        invoiceNumber: p.invoiceNumber,
      })),
    );
    return customerId;
  });
}
