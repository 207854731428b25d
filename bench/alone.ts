import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Database } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrator.ts';
import { generateLedger, loadLedger } from './digest-ledger.ts';
import { type Figure, formatFigures } from './figures.ts';
import { type Named, nameCustomers } from './lookup-book.ts';
import { AS_OF, log, openBenchDatabase } from './support.ts';

// One part of `npm run bench` on its own, for working on it: the same deterministic ledger
// the runner builds (by default the small scale), loaded into a scratch database (embedded,
// or on the server with BENCH_DATABASE_URL), named, then the part and its table.
//
//   npx tsx bench/<part>.ts [--customers N] [--invoices N] [--<option> N]…

export interface AloneRun {
  readonly database: Database;
  readonly named: readonly Named[];
  /** The part's own numeric options, as given on the command line. */
  readonly options: Readonly<Record<string, number | undefined>>;
}

/** Whether the module was started as `tsx bench/<module>.ts` rather than imported. */
export function startedAlone(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && moduleUrl === pathToFileURL(script).href;
}

function whole(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.replaceAll('_', ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number`);
  return n;
}

export async function runAlone(part: {
  readonly title: string;
  /** Extra numeric options the part takes (`queries` for `--queries N`). */
  readonly options?: readonly string[];
  /** Whether the part needs the customers renamed and their names searchable. */
  readonly named?: boolean;
  readonly measure: (run: AloneRun) => Promise<Figure[]>;
}): Promise<void> {
  const own = part.options ?? [];
  const { values } = parseArgs({
    options: Object.fromEntries(
      ['customers', 'invoices', ...own].map((name) => [name, { type: 'string' as const }]),
    ),
  });
  const text = (name: string) => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const customers = whole(text('customers'), 'customers') ?? 10_000;
  const invoices = whole(text('invoices'), 'invoices') ?? customers * 20;
  const options = Object.fromEntries(own.map((name) => [name, whole(text(name), name)]));
  const dir = mkdtempSync(join(tmpdir(), 'creditops-bench-alone-'));
  try {
    const n = (x: number) => x.toLocaleString('en');
    log(`ledger: generating ${n(customers)} customers, ${n(invoices)} invoices…`);
    const ledger = await generateLedger(dir, { customers, invoices }, AS_OF);
    const { database, engine, cleanup } = await openBenchDatabase(dir, 10);
    try {
      await migrateToLatest(database.db);
      await loadLedger(database, ledger, (t) => log(`  loading ${t}…`));
      const named = part.named === false ? [] : await nameCustomers(database, dir);
      log(`${part.title}…`);
      const figures = await part.measure({ database, named, options });
      console.log(`engine   ${engine}`);
      console.log(
        `book     ${n(customers)} customers, ${n(invoices)} invoices (${n(ledger.counts.openInvoices)} open)`,
      );
      console.log('');
      console.log(formatFigures(figures));
      for (const f of figures) console.log(`${f.name.trim()}: ${JSON.stringify(f.detail ?? {})}`);
    } finally {
      await cleanup();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
