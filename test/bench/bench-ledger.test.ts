import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GeneratedLedger, generateLedger, loadLedger } from '../../bench/digest-ledger.ts';
import { figure, formatFigures } from '../../bench/figures.ts';
import { nameCustomers } from '../../bench/lookup-book.ts';
import { AS_OF } from '../../bench/support.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// What `npm run bench` measures against: a ledger that is the same on every run and shaped like
// a real receivables book, and figures that state their floor, ratio and target honestly.

const SIZE = { customers: 400, invoices: 8_000 };
const dirs: string[] = [];
let first: GeneratedLedger;
let database: TestDatabase;

const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'creditops-bench-test-'));
  dirs.push(dir);
  return dir;
};
const digest = (ledger: GeneratedLedger) =>
  ledger.files.map((f) => createHash('sha256').update(readFileSync(f.path)).digest('hex'));

beforeAll(async () => {
  first = await generateLedger(scratch(), SIZE, AS_OF);
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the benchmark ledger', () => {
  it('is the same on every run', async () => {
    const again = await generateLedger(scratch(), SIZE, AS_OF);
    expect(digest(again)).toEqual(digest(first));
    expect(again.counts).toEqual(first.counts);
  });

  it('has the asked size, a share still open, and a few big customers over a long tail', () => {
    expect(first.counts).toMatchObject(SIZE);
    const open = first.counts.openInvoices / SIZE.invoices;
    expect(open).toBeGreaterThan(0.05);
    expect(open).toBeLessThan(0.4);
    const file = first.files.find((f) => f.statement.startsWith('COPY invoices '));
    if (!file) throw new Error('no invoices file');
    const columns = /\(([^)]*)\)/.exec(file.statement)?.[1]?.split(', ') ?? [];
    const at = columns.indexOf('customer_id');
    const perCustomer = new Map<string, number>();
    for (const line of readFileSync(file.path, 'utf8').trim().split('\n')) {
      const id = line.split(',')[at] ?? '';
      perCustomer.set(id, (perCustomer.get(id) ?? 0) + 1);
    }
    const sizes = [...perCustomer.values()].sort((a, b) => b - a);
    const biggestTenth = sizes.slice(0, sizes.length / 10).reduce((a, b) => a + b, 0);
    expect(biggestTenth / SIZE.invoices).toBeGreaterThan(0.3);
    expect(sizes[Math.floor(sizes.length / 2)]).toBeLessThan(SIZE.invoices / SIZE.customers);
  });

  it('loads and names its customers in Japanese, Chinese and English', async () => {
    await loadLedger(database, first, () => {});
    const named = await nameCustomers(database, scratch());
    expect(named).toHaveLength(SIZE.customers);
    const names = (await database.db.selectFrom('customers').select('legal_name').execute()).map(
      (r) => r.legal_name,
    );
    expect(names.filter((n) => /株式会社|有限会社|合同会社/.test(n)).length).toBeGreaterThan(20);
    expect(names.filter((n) => /有限公司|股份/.test(n)).length).toBeGreaterThan(20);
    expect(names.filter((n) => /^[A-Za-z]/.test(n)).length).toBeGreaterThan(20);
    expect(new Set(names).size).toBeGreaterThan(SIZE.customers * 0.9);
  });
});

describe('a figure', () => {
  it('is printed next to its floor, with the ratio and whether its target was met', () => {
    const within = figure({
      section: 'lookup',
      name: '/credit p99, c=1',
      value: 30,
      unit: 'ms',
      floorName: 'signed select 1',
      floor: 12,
      target: { text: '≤ 3× floor', met: (_, ratio) => ratio <= 3 },
    });
    const over = figure({
      section: 'aging',
      name: 'portfolio aging',
      value: 9,
      unit: 'ms',
      floorName: 'bare sum()',
      floor: 3,
      target: { text: '≤ 1.5× floor', met: (_, ratio) => ratio <= 1.5 },
    });
    expect(within).toMatchObject({ ratio: 2.5, met: true });
    expect(over).toMatchObject({ ratio: 3, met: false });
    const table = formatFigures([within, over]);
    expect(table).toContain('signed select 1');
    expect(table).toContain('signed select 1: 12 ms  2.50×');
    expect(table).toContain('met (≤ 3× floor)');
    expect(table).toContain('MISSED (≤ 1.5× floor)');
  });
});
