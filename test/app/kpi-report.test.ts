import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiReport, kpiWindows } from '../../src/app/kpi-report.ts';
import { DEFAULT_POLICY } from '../../src/app/policy.ts';
import { createI18n } from '../../src/chat/i18n.ts';
import { creditReport } from '../../src/cli-report-credit.ts';
import { addDays, daysBetween } from '../../src/domain/dates.ts';
import {
  averageDaysDelinquent,
  bestPossibleDso,
  collectionEffectivenessIndex,
  collectionRate,
  dsoSimple,
  overdueRatio,
  paymentLateness,
  paymentLatenessFromTotals,
} from '../../src/domain/kpi.ts';
import { importCsv } from '../../src/io/csv-import.ts';
import { loadMapping } from '../../src/io/mapping.ts';
import { TEST_TIMEZONE, TEST_TODAY } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { ROOT } from '../support/process.ts';
import { insertLedger } from './ledger-fixture.ts';

describe('report kpi on a ledger computed by hand', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ base: 'empty' });
    // As of 2026-11-23: DSO period 2026-08-26 … 11-23 (90 days), CEI period 2026-10-25 …
    // 11-23 (30 days; beginning AR at the end of 10-24), lateness 2025-11-24 … 2026-11-23.
    await insertLedger(database.store, {
      code: 'K1',
      currency: 'JPY',
      invoices: [
        // Before the DSO period; paid in full 20 days late.
        {
          number: 'I1',
          issuedOn: '2026-07-15',
          dueOn: '2026-08-14',
          currency: 'JPY',
          amount: 1_000_000,
        },
        // 200,000 paid on 10-30; 400,000 open and 44 days overdue on 11-23.
        {
          number: 'I2',
          issuedOn: '2026-09-10',
          dueOn: '2026-10-10',
          currency: 'JPY',
          amount: 600_000,
        },
        // Paid in full on its due date.
        {
          number: 'I3',
          issuedOn: '2026-10-05',
          dueOn: '2026-11-04',
          currency: 'JPY',
          amount: 300_000,
        },
        {
          number: 'I4',
          issuedOn: '2026-11-01',
          dueOn: '2026-12-01',
          currency: 'JPY',
          amount: 500_000,
        },
        // Disputed but still a receivable: in AR, never in an aging bucket.
        {
          number: 'I5',
          issuedOn: '2026-11-20',
          dueOn: '2026-12-20',
          currency: 'JPY',
          amount: 250_000,
          disputed: true,
        },
        // Another currency: a report of its own, never added to the yen.
        {
          number: 'U1',
          issuedOn: '2026-11-10',
          dueOn: '2026-12-10',
          currency: 'USD',
          amount: 100_000,
        },
      ],
      payments: [
        { invoiceNumber: 'I1', receivedOn: '2026-09-03', currency: 'JPY', amount: 1_000_000 },
        { invoiceNumber: 'I2', receivedOn: '2026-10-30', currency: 'JPY', amount: 200_000 },
        { invoiceNumber: 'I3', receivedOn: '2026-11-04', currency: 'JPY', amount: 300_000 },
      ],
    });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('gives every KPI per currency as the arithmetic written out says', async () => {
    const reports = await kpiReport(database.store.kpis, { asOf: TEST_TODAY });
    expect(reports.map((r) => r.currency)).toEqual(['JPY', 'USD']);
    const [jpy, usd] = reports;

    // AR = I2 400,000 + I4 500,000 + I5 250,000 = 1,150,000; not yet due: I4 + I5 = 750,000.
    // Sales 08-26…11-23 = I2 600,000 + I3 300,000 + I4 500,000 + I5 250,000 = 1,650,000.
    // Beginning AR (10-24) = I2 600,000 + I3 300,000 = 900,000; CEI-period sales I4 + I5 = 750,000;
    // collected 10-25…11-23 = 200,000 + 300,000 = 500,000.
    expect(jpy?.inputs).toMatchObject({
      arMinor: 1_150_000,
      currentArMinor: 750_000,
      overdueArMinor: 400_000,
      salesMinor: 1_650_000,
      beginningArMinor: 900_000,
      ceiSalesMinor: 750_000,
      collectedMinor: 500_000,
      settledInvoices: 2,
      lateInvoices: 1,
    });
    expect(jpy?.inputs.countbackMonths.slice(0, 5)).toEqual([
      { month: '2026-11', salesMinor: 750_000, days: 23 },
      { month: '2026-10', salesMinor: 300_000, days: 31 },
      { month: '2026-09', salesMinor: 600_000, days: 30 },
      { month: '2026-08', salesMinor: 0, days: 31 },
      { month: '2026-07', salesMinor: 1_000_000, days: 31 },
    ]);
    expect(jpy).toMatchObject({
      asOf: '2026-11-23',
      dso: {
        // 1,150,000 ÷ 1,650,000 × 90 = 62.72…
        simple: 62.7,
        // November absorbs 750,000 (23 days), October 300,000 (31 days), then
        // 100,000 ÷ 600,000 of September's 30 days = 5: 23 + 31 + 5 = 59.
        countback: 59,
        // 750,000 ÷ 1,650,000 × 90 = 40.90…
        bestPossible: 40.9,
        // 400,000 ÷ 1,650,000 × 90 = 21.81…
        averageDaysDelinquent: 21.8,
      },
      // (900,000 + 750,000 − 1,150,000) ÷ (900,000 + 750,000 − 750,000) × 100 = 55.55…
      cei: 55.6,
      // 400,000 ÷ 1,150,000 × 100 = 34.78…
      overdueRatio: 34.8,
      // I1 20 days late, I3 on time: (20 + 0) ÷ 2.
      averageDaysLate: 10,
      lateShareBp: 5_000,
      // 500,000 ÷ (900,000 + 750,000) × 100 = 30.30…
      collectionRate: 30.3,
      periods: {
        dso: { from: '2026-08-26', to: '2026-11-23', days: 90 },
        cei: { from: '2026-10-25', to: '2026-11-23', days: 30 },
        lateness: { from: '2025-11-24', to: '2026-11-23' },
      },
    });

    // $1,000.00 issued 11-10, not yet due, nothing collected or settled.
    expect(usd).toMatchObject({
      currency: 'USD',
      // 100,000 ÷ 100,000 × 90; countback: November's sales absorb it all in 23 days.
      dso: { simple: 90, countback: 23, bestPossible: 90, averageDaysDelinquent: 0 },
      // Nothing was collectible: 0 + 100,000 − 100,000 over 0 + 100,000 − 100,000.
      cei: null,
      overdueRatio: 0,
      averageDaysLate: null,
      lateShareBp: null,
      collectionRate: 0,
      inputs: { arMinor: 100_000, salesMinor: 100_000, collectedMinor: 0 },
    });
  });

  it("prints the table per currency in the operator's language", async () => {
    const out = await creditReport(
      'kpi',
      {
        store: database.store,
        policy: DEFAULT_POLICY,
        t: createI18n().t('en'),
        locale: 'en',
        timeZone: TEST_TIMEZONE,
      },
      { positionals: [], asOf: TEST_TODAY, currency: undefined, json: false },
    );
    expect(out.code).toBe(0);
    const lines = out.stdout.split('\n');
    expect(lines[1]).toMatch(/\sJPY\s+USD$/);
    // CEI, overdue ratio, collection rate, paid-late share; receivables per currency.
    for (const figure of ['55.6%', '34.8%', '30.3%', '50.0%', '¥1,150,000', '$1,000.00'])
      expect(out.stdout).toContain(figure);
  });

  it('narrows to one currency and measures any earlier date', async () => {
    const [usd, ...rest] = await kpiReport(database.store.kpis, {
      asOf: TEST_TODAY,
      currency: 'USD',
    });
    expect(rest).toEqual([]);
    expect(usd?.currency).toBe('USD');
    // On 2026-10-01 only I1 (paid 09-03) and I2 (not yet paid, not yet due) exist.
    const [jpy] = await kpiReport(database.store.kpis, { asOf: '2026-10-01' });
    expect(jpy?.inputs).toMatchObject({ arMinor: 600_000, currentArMinor: 600_000 });
    expect(jpy?.overdueRatio).toBe(0);
    // Settled in the 12 months to 10-01: I1, 20 days late.
    expect(jpy?.averageDaysLate).toBe(20);
  });
});

describe(paymentLatenessFromTotals.name, () => {
  it('agrees with paymentLateness over the invoices it sums', () => {
    const invoices = [
      { dueOn: '2026-01-31', settledOn: '2026-02-10', amountMinor: 300 },
      { dueOn: '2026-02-28', settledOn: '2026-02-20', amountMinor: 700 },
      { dueOn: '2026-03-31', settledOn: '2026-04-03', amountMinor: 1_000 },
    ];
    const late = invoices.map((i) => Math.max(0, daysBetween(i.dueOn, i.settledOn)));
    expect(
      paymentLatenessFromTotals({
        invoices: 3,
        lateInvoices: 2,
        totalDaysLate: late.reduce((a, b) => a + b, 0),
        weightedDaysLate: BigInt(10 * 300 + 0 * 700 + 3 * 1_000),
        totalAmountMinor: 2_000,
      }),
    ).toEqual(paymentLateness(invoices));
  });
});

describe('report kpi on the IBM accounts-receivable sample', () => {
  const IBM = join(ROOT, '../shared/datasets/ibm-accounts-receivable.csv');
  const AS_OF = '2013-06-30';
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ base: 'empty' });
    for (const kind of ['customers', 'invoices'] as const) {
      const mapping = await loadMapping(join(ROOT, `examples/mappings/ibm-${kind}.json`), kind);
      const result = await importCsv({
        file: IBM,
        kind,
        store: database.store,
        explain: (p) => p.code,
        mapping,
      });
      expect(result.tally.rejected).toBe(0);
    }
  });
  afterAll(async () => {
    await database?.close();
  });

  /** The sample read without product code: cents and ISO dates. */
  function rows() {
    const iso = (mdy: string) => {
      const [m = '', d = '', y = ''] = mdy.split('/');
      return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
    };
    const raw: Record<string, string>[] = parse(readFileSync(IBM), { columns: true });
    return raw.map((r) => {
      const [whole = '0', cents = ''] = (r.InvoiceAmount ?? '').split('.');
      return {
        issued: iso(r.InvoiceDate ?? ''),
        due: iso(r.DueDate ?? ''),
        settled: iso(r.SettledDate ?? ''),
        cents: Number(whole) * 100 + Number(cents.padEnd(2, '0')),
      };
    });
  }

  it('matches an independent reading of the file, input by input', async () => {
    const w = kpiWindows(AS_OF);
    const all = rows();
    const openOn = (d: string) => all.filter((r) => r.issued <= d && r.settled > d);
    const sum = (list: readonly { cents: number }[]) => list.reduce((a, r) => a + r.cents, 0);
    const ar = sum(openOn(AS_OF));
    const current = sum(openOn(AS_OF).filter((r) => r.due >= AS_OF));
    const sales = sum(all.filter((r) => r.issued >= w.dsoFrom && r.issued <= AS_OF));
    const beginning = sum(openOn(addDays(w.ceiFrom, -1)));
    const ceiSales = sum(all.filter((r) => r.issued >= w.ceiFrom && r.issued <= AS_OF));
    const collected = sum(all.filter((r) => r.settled >= w.ceiFrom && r.settled <= AS_OF));
    const settled = all.filter((r) => r.settled >= w.latenessFrom && r.settled <= AS_OF);

    const [usd, ...others] = await kpiReport(database.store.kpis, { asOf: AS_OF });
    expect(others).toEqual([]);
    expect(usd?.inputs).toMatchObject({
      arMinor: ar,
      currentArMinor: current,
      salesMinor: sales,
      beginningArMinor: beginning,
      ceiSalesMinor: ceiSales,
      collectedMinor: collected,
      settledInvoices: settled.length,
    });
    const period = { creditSalesMinor: sales, daysInPeriod: 90 };
    const lateness = paymentLateness(
      settled.map((r) => ({ dueOn: r.due, settledOn: r.settled, amountMinor: r.cents })),
    );
    expect(usd).toMatchObject({
      dso: {
        simple: dsoSimple({ endingArMinor: ar, ...period }),
        bestPossible: bestPossibleDso({ currentArMinor: current, ...period }),
        averageDaysDelinquent: averageDaysDelinquent({
          endingArMinor: ar,
          currentArMinor: current,
          ...period,
        }),
      },
      cei: collectionEffectivenessIndex({
        beginningArMinor: beginning,
        creditSalesMinor: ceiSales,
        endingArMinor: ar,
        endingCurrentArMinor: current,
      }),
      overdueRatio: overdueRatio({ overdueArMinor: ar - current, totalArMinor: ar }),
      collectionRate: collectionRate({
        collectedMinor: collected,
        beginningArMinor: beginning,
        creditSalesMinor: ceiSales,
      }),
      averageDaysLate: lateness.averageDaysLate,
      lateShareBp: lateness.lateShareBp,
    });
    // A real portfolio gives a DSO in days, not an undefined one.
    expect(usd?.dso.simple).toBeGreaterThan(0);
    expect(usd?.dso.countback).toBeGreaterThan(0);
  });
});
