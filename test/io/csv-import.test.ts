import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityKind } from '../../src/app/ingest/entities.ts';
import { lookUpCustomer } from '../../src/app/lookup.ts';
import { DEFAULT_POLICY } from '../../src/app/policy.ts';
import { agingReport } from '../../src/app/reports.ts';
import { importCsv } from '../../src/io/csv-import.ts';
import { loadMapping } from '../../src/io/mapping.ts';
import { TEST_NOW } from '../support/constants.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { ROOT } from '../support/process.ts';

const IBM = join(ROOT, '../shared/datasets/ibm-accounts-receivable.csv');
const SJIS = join(ROOT, 'examples/data/urikake-meisai.sjis.csv');
const mappingFile = (name: string) => join(ROOT, 'examples/mappings', name);

let database: TestDatabase;
let dir: string;
beforeAll(async () => {
  database = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'creditops-import-'));
});
afterAll(async () => {
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function load(
  kind: EntityKind,
  file: string,
  extra: { mapping?: string; skipInvalid?: boolean; dryRun?: boolean } = {},
) {
  const mapping = extra.mapping ? await loadMapping(mappingFile(extra.mapping), kind) : undefined;
  return importCsv({
    file,
    kind,
    store: database.store,
    explain: (p) => `${p.code}`,
    ...(mapping ? { mapping } : {}),
    ...(extra.skipInvalid ? { skipInvalid: true } : {}),
    ...(extra.dryRun ? { dryRun: true } : {}),
  });
}

const count = async (table: 'invoices' | 'customers' | 'payments' | 'payment_allocations') =>
  Number(
    (
      await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The IBM sample read without any product code: integer cents, dates as UTC days. */
function ibmRows() {
  const rows: Record<string, string>[] = parse(readFileSync(IBM), { columns: true });
  const day = (mdy: string) => {
    const [m, d, y] = mdy.split('/').map(Number);
    return Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1) / 86_400_000;
  };
  return rows.map((r) => {
    const [whole = '0', cents = ''] = (r.InvoiceAmount ?? '').split('.');
    return {
      customer: r.customerID ?? '',
      issued: day(r.InvoiceDate ?? ''),
      due: day(r.DueDate ?? ''),
      settled: day(r.SettledDate ?? ''),
      cents: Number(whole) * 100 + Number(cents.padEnd(2, '0')),
      disputed: r.Disputed === 'Yes',
    };
  });
}

describe('importing the IBM accounts-receivable sample', () => {
  it('loads 100 customers and 2,466 invoices with the shipped mappings', async () => {
    const customers = await load('customers', IBM, { mapping: 'ibm-customers.json' });
    expect(customers.tally).toMatchObject({ read: 2466, inserted: 100, updated: 0, rejected: 0 });
    const invoices = await load('invoices', IBM, { mapping: 'ibm-invoices.json' });
    expect(invoices.tally).toMatchObject({
      read: 2466,
      inserted: 2466,
      updated: 0,
      unchanged: 0,
      rejected: 0,
    });
    expect(invoices.applied).toBe(true);
    expect(await count('invoices')).toBe(2466);
  });

  it('ages the portfolio as of 2013-06-30 exactly as an independent computation does', async () => {
    const asOf = Date.UTC(2013, 5, 30) / 86_400_000;
    const expected: Record<string, { amount: number; n: number }> = {};
    for (const key of ['current', '1-30', '31-60', '61-90', '91+'])
      expected[key] = { amount: 0, n: 0 };
    let disputed = 0;
    for (const r of ibmRows()) {
      if (!(r.issued <= asOf && asOf < r.settled)) continue;
      if (r.disputed) {
        disputed += r.cents;
        continue;
      }
      const late = asOf - r.due;
      const key =
        late <= 0
          ? 'current'
          : late <= 30
            ? '1-30'
            : late <= 60
              ? '31-60'
              : late <= 90
                ? '61-90'
                : '91+';
      const bucket = expected[key] ?? { amount: 0, n: 0 };
      bucket.amount += r.cents;
      bucket.n += 1;
    }
    const [report] = await agingReport(database.store.reports, { asOf: '2013-06-30' });
    expect(report?.currency).toBe('USD');
    expect(report?.buckets.map((b) => [b.label, b.amountMinor, b.count])).toEqual(
      Object.entries(expected).map(([label, b]) => [label, b.amount, b.n]),
    );
    expect(report?.disputedMinor).toBe(disputed);
    expect(report?.totalMinor).toBe(Object.values(expected).reduce((sum, b) => sum + b.amount, 0));
  });

  it('matches each customer’s average days late to the cent of a day', async () => {
    const byCustomer = new Map<string, { n: number; days: number }>();
    for (const r of ibmRows()) {
      const acc = byCustomer.get(r.customer) ?? { n: 0, days: 0 };
      acc.n += 1;
      acc.days += Math.max(0, r.settled - r.due);
      byCustomer.set(r.customer, acc);
    }
    const rows = await database.store.reports.paymentBehaviour({});
    expect(rows).toHaveLength(100);
    for (const row of rows) {
      const mine = byCustomer.get(row.customerCode);
      expect(row.settledCount, row.customerCode).toBe(mine?.n);
      expect(row.totalDaysLate, row.customerCode).toBe(mine?.days);
    }
  });

  it('changes nothing when the same files are imported again', async () => {
    const customers = await load('customers', IBM, { mapping: 'ibm-customers.json' });
    const invoices = await load('invoices', IBM, { mapping: 'ibm-invoices.json' });
    expect(customers.tally).toMatchObject({ inserted: 0, updated: 0, unchanged: 2466 });
    expect(invoices.tally).toMatchObject({ inserted: 0, updated: 0, unchanged: 2466 });
    expect(await count('payments')).toBe(2466);
  });
});

describe('line numbers', () => {
  it('name the line a bad row starts on, across quoted line breaks, blank lines and CRLF', async () => {
    const file = join(dir, 'multiline.csv');
    const rows = [
      'externalId,customerCode,issuedOn,dueOn,amount,currency,number',
      'ML-1,0379-NEVHP,2026-10-01,2026-10-31,1.00,USD,"first\r\nsecond\r\nthird"',
      '',
      'ML-2,0379-NEVHP,2026-10-01,2026-10-31,oops,USD,A-2',
      'ML-3,0379-NEVHP,2026-02-30,2026-10-31,3.00,USD,A-3',
    ];
    writeFileSync(file, `${rows.join('\r\n')}\r\n`);
    const result = await load('invoices', file);
    expect(result.problems.map((p) => [p.line, p.column])).toEqual([
      [6, 'amount'],
      [7, 'issuedOn'],
    ]);
  });
});

describe('a file with bad rows', () => {
  let file: string;
  beforeAll(() => {
    const lines = ['externalId,customerCode,issuedOn,dueOn,amount,currency'];
    for (let i = 1; i <= 1000; i += 1) {
      const code = `0379-NEVHP`;
      let amount = `${i}.50`;
      let issued = '2026-10-01';
      let customer = code;
      if (i === 100) amount = '12abc';
      if (i === 500) issued = '2026-02-30';
      if (i === 900) customer = 'NO-SUCH';
      lines.push(`BAD-${i},${customer},${issued},2026-10-31,${amount},USD`);
    }
    file = join(dir, 'thousand.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
  });

  it('writes nothing and reports the three bad rows by line and column', async () => {
    const before = await count('invoices');
    const result = await load('invoices', file);
    expect(result.applied).toBe(false);
    expect(result.tally).toMatchObject({ read: 1000, rejected: 3 });
    expect(result.problems.map((p) => [p.line, p.column, p.code])).toEqual([
      [101, 'amount', 'errors.amount.invalid'],
      [501, 'issuedOn', 'errors.date.invalid'],
      [901, 'customerCode', 'errors.import.unknown_customer'],
    ]);
    expect(await count('invoices')).toBe(before);
  });

  it('applies the 997 good rows with --skip-invalid and writes the 3 others with a reason', async () => {
    const before = await count('invoices');
    const result = await load('invoices', file, { skipInvalid: true });
    expect(result.applied).toBe(true);
    expect(result.tally).toMatchObject({ inserted: 997, rejected: 3 });
    expect(await count('invoices')).toBe(before + 997);
    const rejects: string[][] = parse(
      readFileSync(`${file}.rejects.csv`, 'utf8').replace(/^\ufeff/, ''),
    );
    expect(rejects[0]).toEqual([
      'line',
      'externalId',
      'customerCode',
      'issuedOn',
      'dueOn',
      'amount',
      'currency',
      'reason',
    ]);
    expect(rejects.slice(1).map((r) => [r[0], r[1], r.at(-1)])).toEqual([
      ['101', 'BAD-100', 'errors.amount.invalid'],
      ['501', 'BAD-500', 'errors.date.invalid'],
      ['901', 'BAD-900', 'errors.import.unknown_customer'],
    ]);
  });

  it('changes nothing in a dry run', async () => {
    const before = await count('invoices');
    const result = await load('invoices', file, { dryRun: true, skipInvalid: true });
    expect(result.applied).toBe(false);
    expect(await count('invoices')).toBe(before);
  });

  it('audits an applied import once, under the importer’s name, and a refused one not at all', async () => {
    const file = join(dir, 'audited.csv');
    writeFileSync(file, 'code,legalName,country,currency\nA100,Audited Trading KK,JP,JPY\n');
    const entries = () =>
      database.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'entity_type', 'entity_id', 'before', 'after'])
        .where('action', '=', 'import.upsert')
        .execute();
    const before = (await entries()).length;
    await importCsv({
      file,
      kind: 'customers',
      store: database.store,
      actor: 'cli:ops',
      dryRun: true,
      explain: (p) => p.code,
    });
    expect(await entries()).toHaveLength(before);
    await importCsv({
      file,
      kind: 'customers',
      store: database.store,
      actor: 'cli:ops',
      explain: (p) => p.code,
    });
    expect((await entries()).slice(before)).toEqual([
      {
        actor: 'cli:ops',
        action: 'import.upsert',
        entity_type: 'customers',
        entity_id: 'audited.csv',
        before: null,
        after: { file: 'audited.csv', read: 1, inserted: 1, updated: 0, unchanged: 0, rejected: 0 },
      },
    ]);
  });
});

describe('a Shift_JIS export from a Japanese ERP', () => {
  it('keeps 株式会社 names unchanged from the file to the card', async () => {
    const customers = await load('customers', SJIS, { mapping: 'jp-erp-customers.json' });
    expect(customers.encoding).toBe('shift_jis');
    expect(customers.tally).toMatchObject({ inserted: 6, rejected: 0 });
    const invoices = await load('invoices', SJIS, { mapping: 'jp-erp-invoices.json' });
    expect(invoices.tally).toMatchObject({ inserted: 12, rejected: 0 });
    const deps = {
      store: database.store,
      clock: { now: () => TEST_NOW },
      timeZone: 'Asia/Tokyo',
      policy: DEFAULT_POLICY,
    };
    const found = await lookUpCustomer(deps, 'たかはし');
    expect(found.kind).toBe('found');
    if (found.kind !== 'found') return;
    expect(found.customer.legalName).toBe('株式会社髙橋製作所');
    expect(found.customer.exposureMinor).toBe(2_750_000 + 1_980_000);
    const acme = await lookUpCustomer(deps, 'T1001');
    expect(acme.kind === 'found' && acme.customer.exposureMinor).toBe(980_500 + 2_015_300);
  });
});

describe('payments', () => {
  // R-1 (3,500) pays N-3 (3,000) as named, then 500 of the oldest, N-1; R-2 (3,000) finishes
  // N-1 (500) and N-2 (2,000) and keeps $500 (50,000 cents) unallocated.
  it('go to the named invoice first, then the oldest open ones, and leave the rest unallocated', async () => {
    const customers = join(dir, 'pay-customers.csv');
    writeFileSync(
      customers,
      'code,legalName,country,currency\nPAY-1,Harbor Payments Ltd.,GB,USD\n',
    );
    expect((await load('customers', customers)).tally.inserted).toBe(1);
    const invoices = join(dir, 'pay-invoices.csv');
    writeFileSync(
      invoices,
      [
        'externalId,customerCode,number,issuedOn,dueOn,amount',
        'P-1,PAY-1,N-1,2026-01-10,2026-02-10,1000',
        'P-2,PAY-1,N-2,2026-03-10,2026-04-10,2000',
        'P-3,PAY-1,N-3,2026-05-10,2026-06-10,3000',
      ].join('\n'),
    );
    expect((await load('invoices', invoices)).tally.inserted).toBe(3);
    const payments = join(dir, 'payments.csv');
    writeFileSync(
      payments,
      [
        'externalId,customerCode,receivedOn,amount,invoiceNumber',
        'R-1,PAY-1,2026-07-01,3500,N-3',
        'R-2,PAY-1,2026-07-02,3000,',
      ].join('\n'),
    );
    const result = await load('payments', payments);
    expect(result.tally).toMatchObject({ inserted: 2, rejected: 0 });
    const open = await database.db
      .selectFrom('invoices')
      .select(['number', 'open_amount_minor', 'settled_on'])
      .where('external_id', 'in', ['P-1', 'P-2', 'P-3'])
      .orderBy('number')
      .execute();
    expect(open).toEqual([
      { number: 'N-1', open_amount_minor: 0, settled_on: '2026-07-02' },
      { number: 'N-2', open_amount_minor: 0, settled_on: '2026-07-02' },
      { number: 'N-3', open_amount_minor: 0, settled_on: '2026-07-01' },
    ]);
    const unallocated = await database.db
      .selectFrom('payments')
      .select(['external_id', 'unallocated_minor'])
      .where('external_id', 'in', ['R-1', 'R-2'])
      .orderBy('external_id')
      .execute();
    expect(unallocated).toEqual([
      { external_id: 'R-1', unallocated_minor: 0 },
      { external_id: 'R-2', unallocated_minor: 50_000 },
    ]);
    expect((await load('payments', payments)).tally).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 2,
    });
  });
});
