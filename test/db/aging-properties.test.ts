import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgingRow } from '../../src/app/ports.ts';
import { agingBuckets } from '../../src/domain/aging.ts';
import { addDays, daysBetween, type IsoDate } from '../../src/domain/dates.ts';
import { type FixturePayment, insertLedger } from '../app/ledger-fixture.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// Aging as the card computes it (one SQL aggregate over the ledger as of a date), checked
// against a model of the same ledger kept in the test. Each run writes a fresh customer
// with up to 30 invoices in two currencies and partial payments, through the ledger writer.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ base: 'empty' });
});
afterAll(async () => {
  await database?.close();
});

const BASE = '2026-01-01';
const CURRENCIES = ['JPY', 'USD'] as const;

interface ModelInvoice {
  readonly number: string;
  readonly issuedOn: IsoDate;
  readonly dueOn: IsoDate;
  readonly currency: string;
  readonly amount: number;
  readonly disputed: boolean;
}

const invoiceArb = fc.record({
  issued: fc.integer({ min: 0, max: 240 }),
  terms: fc.integer({ min: 0, max: 120 }),
  amount: fc.integer({ min: 2, max: 5_000_000 }),
  currency: fc.constantFrom(...CURRENCIES),
  // About one invoice in five is disputed.
  disputed: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
});
const paymentArb = fc.record({
  invoice: fc.nat(),
  // Share of what is still open that this payment pays, in per mille; never all of it.
  perMille: fc.integer({ min: 1, max: 900 }),
  delay: fc.integer({ min: 0, max: 200 }),
});
const edgesArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 150 }), { minLength: 1, maxLength: 4 })
  .map((edges) => [...edges].sort((a, b) => a - b));
const ledgerArb = fc.record({
  invoices: fc.array(invoiceArb, { minLength: 1, maxLength: 30 }),
  payments: fc.array(paymentArb, { maxLength: 30 }),
  edges: edgesArb,
  asOf: fc.integer({ min: -10, max: 420 }),
  // Half the runs put the date on a bucket boundary of one invoice: due today, or exactly
  // an edge (or an edge + 1) days past due.
  pin: fc.option(fc.record({ invoice: fc.nat(), edge: fc.nat(), plusOne: fc.boolean() })),
  later: fc.integer({ min: 0, max: 200 }),
});

type Ledger = typeof ledgerArb extends fc.Arbitrary<infer T> ? T : never;

let runs = 0;

/** Writes the ledger; the model keeps each invoice and the (date, amount) of its payments. */
async function write(ledger: Ledger) {
  runs += 1;
  const code = `AGE${runs}`;
  const invoices: ModelInvoice[] = ledger.invoices.map((i, n) => ({
    number: `N${n}`,
    issuedOn: addDays(BASE, i.issued),
    dueOn: addDays(BASE, i.issued + i.terms),
    currency: i.currency,
    amount: i.amount,
    disputed: i.disputed,
  }));
  const open = invoices.map((i) => i.amount);
  const paid: { invoice: number; on: IsoDate; amount: number }[] = [];
  const payments: FixturePayment[] = [];
  for (const p of ledger.payments) {
    const index = p.invoice % invoices.length;
    const invoice = invoices[index];
    const left = open[index] ?? 0;
    const amount = Math.floor((left * p.perMille) / 1000);
    // Strictly partial: at least 1 minor unit stays open, so every invoice stays open forever.
    if (!invoice || amount < 1 || amount >= left) continue;
    open[index] = left - amount;
    const on = addDays(invoice.issuedOn, p.delay);
    paid.push({ invoice: index, on, amount });
    payments.push({
      invoiceNumber: invoice.number,
      receivedOn: on,
      currency: invoice.currency,
      amount,
    });
  }
  const customerId = await insertLedger(database.store, {
    code,
    currency: 'JPY',
    invoices,
    payments,
  });
  /** Open amount of invoice `i` at the end of `asOf`, by the definition: issued, less paid. */
  const openOn = (i: number, asOf: IsoDate) => {
    const invoice = invoices[i];
    if (!invoice || invoice.issuedOn > asOf) return 0;
    const settled = paid.filter((p) => p.invoice === i && p.on <= asOf);
    return invoice.amount - settled.reduce((sum, p) => sum + p.amount, 0);
  };
  /** The as-of date the run asked for. */
  const pinned = ledger.pin && invoices[ledger.pin.invoice % invoices.length];
  const edge = ledger.pin ? [0, ...ledger.edges][ledger.pin.edge % (ledger.edges.length + 1)] : 0;
  const asOf = pinned
    ? addDays(pinned.dueOn, (edge ?? 0) + (ledger.pin?.plusOne ? 1 : 0))
    : addDays(BASE, ledger.asOf);
  return { customerId, invoices, openOn, asOf };
}

async function agingOf(customerId: number, asOf: IsoDate, edges: readonly number[]) {
  const snapshot = await database.store.customers.snapshot({
    customerId,
    asOf,
    buckets: agingBuckets(edges),
  });
  if (!snapshot) throw new Error(`customer ${customerId} is missing`);
  return snapshot;
}

/** Index of the bucket `days` past due falls in, from the edges alone. */
function modelBucket(days: number, edges: readonly number[]): number {
  if (days <= 0) return 0;
  const i = edges.findIndex((edge) => days <= edge);
  return i === -1 ? edges.length + 1 : i + 1;
}

const cumulativeFromOldest = (counts: readonly number[]) =>
  counts.map((_, k) => counts.slice(k).reduce((a, b) => a + b, 0));

describe('aging as of a date, on a real database', () => {
  it('puts every open minor unit in exactly one bucket or in disputed, per currency', async () => {
    await fc.assert(
      fc.asyncProperty(ledgerArb, async (ledger) => {
        const { customerId, invoices, openOn, asOf } = await write(ledger);
        const snapshot = await agingOf(customerId, asOf, ledger.edges);
        let maxDays = 0;
        for (const currency of CURRENCIES) {
          const amounts = Array<number>(ledger.edges.length + 2).fill(0);
          const counts = Array<number>(ledger.edges.length + 2).fill(0);
          let disputed = 0;
          let total = 0;
          invoices.forEach((invoice, i) => {
            const open = openOn(i, asOf);
            if (invoice.currency !== currency || open === 0) return;
            total += open;
            if (invoice.disputed) {
              disputed += open;
              return;
            }
            const days = daysBetween(invoice.dueOn, asOf);
            maxDays = Math.max(maxDays, days);
            const b = modelBucket(days, ledger.edges);
            amounts[b] = (amounts[b] ?? 0) + open;
            counts[b] = (counts[b] ?? 0) + 1;
          });
          const row: AgingRow | undefined = snapshot.aging.find((r) => r.currency === currency);
          const sum = (row?.bucketMinor ?? []).reduce((a, b) => a + b, 0);
          expect(sum + (row?.disputedMinor ?? 0), `${currency} as of ${asOf}`).toBe(total);
          if (total === 0) {
            expect(row).toBeUndefined();
            continue;
          }
          expect(row?.bucketMinor).toEqual(amounts);
          expect(row?.bucketCount).toEqual(counts);
          expect(row?.disputedMinor).toBe(disputed);
        }
        expect(snapshot.maxDaysOverdue).toBe(maxDays);
      }),
      { numRuns: 12 },
    );
  });

  it('never moves an invoice to a younger bucket when the date moves forward', async () => {
    await fc.assert(
      fc.asyncProperty(ledgerArb, async (ledger) => {
        const { customerId, asOf: earlier } = await write(ledger);
        const later = addDays(earlier, ledger.later);
        const [before, after] = await Promise.all([
          agingOf(customerId, earlier, ledger.edges),
          agingOf(customerId, later, ledger.edges),
        ]);
        // Payments are partial, so an invoice open then is open later too: for every bucket,
        // the invoices in it or older can only grow in number.
        for (const currency of CURRENCIES) {
          const then = before.aging.find((r) => r.currency === currency);
          const now = after.aging.find((r) => r.currency === currency);
          if (!then) continue;
          expect(now, `${currency} open on ${earlier} but not on ${later}`).toBeDefined();
          const older = cumulativeFromOldest(now?.bucketCount ?? []);
          cumulativeFromOldest(then.bucketCount).forEach((count, k) => {
            expect(
              older[k],
              `${currency} bucket ${k}+ ${earlier} → ${later}`,
            ).toBeGreaterThanOrEqual(count);
          });
          expect(now?.disputedCount ?? 0).toBeGreaterThanOrEqual(then.disputedCount);
        }
        expect(after.maxDaysOverdue).toBeGreaterThanOrEqual(before.maxDaysOverdue);
      }),
      { numRuns: 12 },
    );
  });
});
