import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EntityKind } from '../../src/app/ingest/entities.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { type CsvImportResult, importCsv } from '../../src/io/csv-import.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// A big file is prepared in a worker thread, a small one inline: the same file must give the
// same tally, problems, rejects file and stored rows both ways.

const WAYS = ['inline', 'worker'] as const;
type Way = (typeof WAYS)[number];

const databases = {} as Record<Way, TestDatabase>;
let dir: string;

const HEADER = 'externalId,customerCode,number,issuedOn,dueOn,amount,openAmount,currency,settledOn';
// Line numbers in the comments: the header is line 1.
const TRICKY = [
  'A-1,C-1,N-1,2026-01-10,2026-02-10,100.00,,USD,', // 2
  'A-2,C-1,,2026-01-11,,200.00,,USD,', // 3: number and due date from the customer
  'A-3,C-2,N-3,2026-01-12,2026-02-12,5000,,JPY,2026-03-01', // 4: settled in the source
  'A-4,NOPE,N-4,2026-01-12,2026-02-12,10.00,,USD,', // 5: unknown customer
  'A-5,C-1,N-5,2026-02-30,2026-03-30,10.00,,USD,', // 6: no such date
  'A-6,C-1,N-6,2026-01-10,2026-02-10,12abc,,USD,', // 7: bad amount
  'A-7,C-1,N-7,2026-01-10', // 8: too few columns
  'A-1,C-1,N-1,2026-01-10,2026-02-10,100.00,,USD,', // 9: repeats line 2
  'A-1,C-1,N-1,2026-01-10,2026-02-10,101.00,,USD,', // 10: contradicts line 2
  'PAID-1,C-1,P-1,2026-01-01,2026-02-01,50.00,,USD,', // 11: below the 60.00 paid
  'PAID-1,C-1,P-1,2026-01-01,2026-02-01,50.00,,USD,', // 12: the same again: refused again
  'PAID-1,C-1,P-1,2026-01-01,2026-02-01,80.00,,USD,', // 13: accepted, an update
  'PAID-1,C-1,P-1,2026-01-01,2026-02-01,80.00,,USD,', // 14: repeats line 13
  'PAID-1,C-1,P-1,2026-01-01,2026-02-01,90.00,,USD,', // 15: contradicts line 13
  'A-8,C-1,N-8,2026-01-10,2026-01-05,10.00,,USD,', // 16: due before issue
  'A-9,C-1,N-9,2026-01-10,2026-02-10,10.00,20.00,USD,', // 17: open above amount
  '', // 18
  'A-10,C-1,"two\nlines",2026-01-10,2026-02-10,10.00,,USD,', // 19–20
  'A-11,C-1,N-11,2026-01-10,2026-02-10,10.00,,USD,,extra', // 21: too many columns
  'A-9,C-1,N-9,2026-01-10,2026-02-10,10.00,,USD,', // 22: line 17 was refused: accepted
  'PAID-2,C-1,P-2,2026-01-10,2026-01-05,30.00,,USD,', // 23: due before issue and below paid
  'PAID-2,C-1,P-2,2026-01-10,2026-02-10,70.00,,USD,', // 24: accepted
  'PAID-3,C-1,P-3,2026-01-01,2026-02-01,10.00,,USD,', // 25: below paid
  'PAID-3,C-1,P-3,2026-01-01,2026-02-01,70.00,,USD,', // 26: accepted after all
  'PAID-3,C-1,P-3,2026-01-01,2026-02-01,10.00,,USD,', // 27: contradicts line 26
];

function fileOf(way: Way, name: string, lines: readonly string[]): string {
  const path = join(dir, way, name);
  writeFileSync(path, `${lines.join('\r\n')}\r\n`);
  return path;
}

function fill(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const customer = n % 3 === 0 ? 'C-2,' : 'C-1,';
    const amount = n % 3 === 0 ? `${n * 10}` : `${n}.${String(n % 100).padStart(2, '0')}`;
    const due = n % 5 === 0 ? '' : '2026-05-31';
    const settled = n % 7 === 0 ? '2026-06-15' : '';
    return `F-${n},${customer}F${n},2026-05-01,${due},${amount},,,${settled}`;
  });
}

const SETUP = {
  customers: [
    'code,legalName,country,currency,paymentTermsDays',
    'C-1,First Customer Ltd.,US,USD,45',
    'C-2,株式会社セカンド,JP,JPY,',
  ],
  // 60.00 of each is already paid.
  invoices: [
    'externalId,customerCode,number,issuedOn,dueOn,amount,openAmount',
    'PAID-1,C-1,P-1,2026-01-01,2026-02-01,100.00,40.00',
    'PAID-2,C-1,P-2,2026-01-10,2026-02-10,100.00,40.00',
    'PAID-3,C-1,P-3,2026-01-01,2026-02-01,100.00,40.00',
  ],
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'creditops-worker-'));
  for (const way of WAYS) {
    mkdirSync(join(dir, way));
    databases[way] = await createTestDatabase();
    for (const kind of ['customers', 'invoices'] as const) {
      const result = await run(way, kind, fileOf(way, `setup-${kind}.csv`, SETUP[kind]));
      expect(result.tally.rejected).toBe(0);
    }
  }
});
afterAll(async () => {
  for (const way of WAYS) await databases[way]?.close();
  rmSync(dir, { recursive: true, force: true });
});

const terminated = vi.spyOn(Worker.prototype, 'terminate');

/** Imports one file; the worker, when there is one, is ended whatever the outcome. */
async function run(
  way: Way,
  kind: EntityKind,
  file: string,
  extra: { skipInvalid?: boolean; dryRun?: boolean; batchSize?: number } = {},
): Promise<CsvImportResult> {
  const before = terminated.mock.calls.length;
  try {
    return await importCsv({
      file,
      kind,
      store: databases[way].store,
      explain: (p) => `${p.line}:${p.column}:${p.code}:${JSON.stringify(p.params)}`,
      worker: way === 'worker',
      batchSize: extra.batchSize ?? 4,
      ...(extra.skipInvalid ? { skipInvalid: true } : {}),
      ...(extra.dryRun ? { dryRun: true } : {}),
    });
  } finally {
    const started = way === 'worker' && existsSync(file) ? 1 : 0;
    expect(terminated.mock.calls.length - before).toBe(started);
  }
}

async function stored(way: Way) {
  const db = databases[way].db;
  const invoices = await db
    .selectFrom('invoices')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select([
      'invoices.external_id',
      'customers.code',
      'invoices.number',
      'invoices.issued_on',
      'invoices.due_on',
      'invoices.currency',
      'invoices.amount_minor',
      'invoices.open_amount_minor',
      'invoices.disputed',
      'invoices.settled_on',
    ])
    .orderBy('invoices.external_id')
    .execute();
  const payments = await db
    .selectFrom('payments')
    .select(['external_id', 'received_on', 'amount_minor', 'unallocated_minor'])
    .orderBy('external_id')
    .execute();
  const alerts = await db
    .selectFrom('customers')
    .select(['code', 'alerts_due'])
    .orderBy('code')
    .execute();
  return { invoices, payments, alerts };
}

/** Imports the same lines both ways; expects the same outcome and returns it. */
async function both(
  kind: EntityKind,
  name: string,
  lines: readonly string[],
  extra: { skipInvalid?: boolean; dryRun?: boolean; batchSize?: number } = {},
) {
  const outcomes = [];
  for (const way of WAYS) {
    const file = fileOf(way, name, lines);
    const result = await run(way, kind, file, extra);
    let rejects: string | undefined;
    if (result.rejectsFile) {
      expect(result.rejectsFile).toBe(`${file}.rejects.csv`);
      rejects = readFileSync(result.rejectsFile, 'utf8');
    }
    const { seconds: _seconds, rejectsFile: _file, ...rest } = result;
    outcomes.push({ ...rest, rejects, stored: await stored(way) });
  }
  const [inline, worker] = outcomes;
  expect(worker).toEqual(inline);
  if (!inline) throw new Error('no outcome');
  return inline;
}

describe('a file imported inline and in a worker thread', () => {
  const tricky = [HEADER, ...TRICKY, ...fill(1, 40)];

  it('refuses the same rows, by the same lines and columns, and writes nothing', async () => {
    const result = await both('invoices', 'tricky.csv', tricky);
    expect(result.applied).toBe(false);
    // What would have been written is counted all the same.
    expect(result.tally).toEqual({
      read: 64,
      inserted: 45,
      updated: 3,
      unchanged: 2,
      rejected: 14,
    });
    // A row with the wrong number of columns is reported as met, before the rest of its batch.
    expect(result.problems.map((p) => [p.line, p.column, p.code])).toEqual([
      [5, 'customerCode', 'errors.import.unknown_customer'],
      [8, '', 'errors.import.column_count'],
      [6, 'issuedOn', 'errors.date.invalid'],
      [7, 'amount', 'errors.amount.invalid'],
      [10, 'externalId', 'errors.import.duplicate'],
      [11, 'amount', 'errors.import.amount_below_paid'],
      [12, 'amount', 'errors.import.amount_below_paid'],
      [15, 'externalId', 'errors.import.duplicate'],
      [16, 'dueOn', 'errors.import.due_before_issue'],
      [17, 'openAmount', 'errors.import.open_above_amount'],
      [21, '', 'errors.import.column_count'],
      [23, 'dueOn', 'errors.import.due_before_issue'],
      [23, 'amount', 'errors.import.amount_below_paid'],
      [25, 'amount', 'errors.import.amount_below_paid'],
      [27, 'externalId', 'errors.import.duplicate'],
    ]);
    expect(result.problems.find((p) => p.line === 27)?.params).toEqual({ line: 26 });
  });

  it('changes nothing in a dry run', async () => {
    const result = await both('invoices', 'tricky.csv', tricky, {
      dryRun: true,
      skipInvalid: true,
    });
    expect(result.applied).toBe(false);
    expect(result.rejects).toBeUndefined();
  });

  it('applies the good rows with --skip-invalid and writes the same rejects file', async () => {
    const result = await both('invoices', 'tricky.csv', tricky, { skipInvalid: true });
    expect(result.applied).toBe(true);
    expect(result.tally).toMatchObject({ inserted: 45, updated: 3, unchanged: 2, rejected: 14 });
    expect(result.rejects?.split('\n')[0]).toBe(`\ufeffline,${HEADER},reason`);
    expect(result.rejects).toContain('12,PAID-1,C-1,P-1,2026-01-01,2026-02-01,50.00,,USD,,');
    expect(result.rejects).toContain('8,A-7,C-1,N-7,2026-01-10,');
  });

  it('changes nothing when the same file comes again', async () => {
    const result = await both('invoices', 'tricky.csv', tricky, { skipInvalid: true });
    expect(result.tally).toMatchObject({ inserted: 0, updated: 0, unchanged: 50, rejected: 14 });
  });

  it('goes the same way with batches of every size and other kinds', async () => {
    const more = [HEADER, ...fill(30, 200)];
    for (const batchSize of [1, 7, 1000]) {
      await both('invoices', `more-${batchSize}.csv`, more, { batchSize, skipInvalid: true });
    }
    const payments = [
      'externalId,customerCode,receivedOn,amount,invoiceNumber',
      'R-1,C-1,2026-07-01,35.00,N-1',
      'R-2,C-1,2026-07-02,1000.00,',
      'R-3,NOPE,2026-07-02,1.00,',
      'R-1,C-1,2026-07-01,35.00,N-1',
    ];
    const paid = await both('payments', 'payments.csv', payments, { skipInvalid: true });
    expect(paid.tally).toMatchObject({ inserted: 2, unchanged: 1, rejected: 1 });
    const customers = [
      'code,legalName,country,currency',
      'C-3,Third Co.,GB,GBP',
      'C-1,First Customer Limited,US,USD',
      'C-4,Fourth,XX1,EUR',
    ];
    const changed = await both('customers', 'customers.csv', customers, { skipInvalid: true });
    expect(changed.tally).toMatchObject({ inserted: 1, updated: 1, rejected: 1 });
  });
});

describe('the import worker', () => {
  it('reports a bad header as the same localized error, and stops', async () => {
    const file = fileOf('worker', 'bad-header.csv', ['externalId,amount', 'X,1']);
    const error = await run('worker', 'invoices', file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'errors.mapping.required_field',
      params: { field: 'customerCode', header: 'externalId, amount' },
    });
  });

  it('reports a file that cannot be read', async () => {
    const error = await run('worker', 'invoices', join(dir, 'no-such.csv')).catch((e) => e);
    expect(error).toMatchObject({ code: 'ENOENT' });
  });

  it('goes to a worker by default only for big files', async () => {
    const lines = [HEADER, ...fill(10_000, 20_000)];
    const file = fileOf('worker', 'big.csv', lines);
    expect(readFileSync(file).length).toBeGreaterThan(1024 * 1024);
    const before = terminated.mock.calls.length;
    const result = await importCsv({
      file,
      kind: 'invoices',
      store: databases.worker.store,
      explain: (p) => p.code,
      dryRun: true,
    });
    expect(result.tally).toMatchObject({ read: 20_000, inserted: 20_000, rejected: 0 });
    expect(terminated.mock.calls.length - before).toBe(1);
  });
});
