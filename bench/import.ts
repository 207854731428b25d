import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { migrateToLatest } from '../src/db/migrator.ts';
import { createStore } from '../src/db/store.ts';
import { importCsv } from '../src/io/csv-import.ts';
import { type Figure, figure } from './figures.ts';
import { log, openBenchDatabase } from './support.ts';

// Invoice rows per second through `creditops import` (parse, validate, resolve customers,
// upsert with change detection) next to the floor: a plain COPY of the same rows, already as
// the ledger stores them (customer ids, minor units), into the real `invoices` table with its
// indexes, checks and foreign key. A COPY of the raw export into a bare table is a second
// reference. The import gets a database of its own, so the ledger of the other parts does not
// weigh on it.

const CUSTOMERS = 1_000;

async function writeLines(
  file: string,
  header: string,
  count: number,
  line: (i: number) => string,
) {
  const out = createWriteStream(file);
  out.write(`${header}\n`);
  for (let i = 1; i <= count; i += 1) {
    if (!out.write(`${line(i)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

interface BenchInvoice {
  readonly customer: number;
  readonly issued: string;
  readonly due: string;
  readonly cents: number;
}

const code = (i: number) => `BC${String(i).padStart(6, '0')}`;

/** A deterministic stream of invoices: skewed amounts, two years of dates, a few big customers. */
function invoiceStream(): () => BenchInvoice {
  let seed = 20261123;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  return () => {
    const customer = Math.min(CUSTOMERS, 1 + Math.floor(CUSTOMERS * next() ** 3));
    const day = Math.floor(next() * 700);
    const issued = new Date(Date.UTC(2025, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
    const due = new Date(Date.UTC(2025, 0, 31) + day * 86_400_000).toISOString().slice(0, 10);
    return { customer, issued, due, cents: 1_000 + Math.floor(next() ** 2 * 5_000_000) };
  };
}

/** The export to import. */
async function generate(dir: string, rows: number) {
  const customers = join(dir, 'customers.csv');
  const invoices = join(dir, 'invoices.csv');
  await writeLines(
    customers,
    'code,legalName,country,currency',
    CUSTOMERS,
    (i) => `${code(i)},Bench Customer ${i} Ltd.,US,USD`,
  );
  const exported = invoiceStream();
  await writeLines(
    invoices,
    'externalId,customerCode,number,issuedOn,dueOn,amount,currency',
    rows,
    (i) => {
      const r = exported();
      const amount = `${Math.floor(r.cents / 100)}.${String(r.cents % 100).padStart(2, '0')}`;
      return `BI${i},${code(r.customer)},INV-${i},${r.issued},${r.due},${amount},USD`;
    },
  );
  return { customers, invoices };
}

/** The same rows as the ledger stores them: customer ids (as imported), minor units. */
async function resolve(dir: string, rows: number, ids: ReadonlyMap<string, number>) {
  const resolved = join(dir, 'invoices-resolved.csv');
  const stored = invoiceStream();
  const header =
    'external_id,customer_id,number,issued_on,due_on,currency,amount_minor,open_amount_minor';
  await writeLines(resolved, header, rows, (i) => {
    const r = stored();
    const id = ids.get(code(r.customer));
    if (id === undefined) throw new Error(`customer ${code(r.customer)} was not imported`);
    return `BI${i},${id},INV-${i},${r.issued},${r.due},USD,${r.cents},${r.cents}`;
  });
  return resolved;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - started) / 1000 };
}

/** `rows` invoice rows imported into a new database under `dir`, next to COPY of the same. */
export async function measureImport(
  dir: string,
  options: { readonly rows: number },
): Promise<Figure[]> {
  const ROWS = options.rows;
  mkdirSync(dir, { recursive: true });
  log(`  generating ${ROWS.toLocaleString('en')} invoice rows…`);
  const files = await generate(dir, ROWS);
  const { database, cleanup } = await openBenchDatabase(dir, 4);
  try {
    await migrateToLatest(database.db);
    const store = createStore(database.db);
    const explain = (p: { code: string }) => p.code;
    await importCsv({ file: files.customers, kind: 'customers', store, explain });
    const customerIds = new Map(
      (await database.db.selectFrom('customers').select(['id', 'code']).execute()).map((c) => [
        c.code,
        c.id,
      ]),
    );
    const resolved = await resolve(dir, ROWS, customerIds);
    // The floor: the rows as stored, straight into the table the import writes.
    log('  COPY into invoices (floor)…');
    const floor = await timed(() =>
      database.copyFrom(
        'COPY invoices (external_id, customer_id, number, issued_on, due_on, currency, amount_minor, open_amount_minor) FROM STDIN WITH (FORMAT csv, HEADER true)',
        resolved,
      ),
    );
    await sql`truncate invoices cascade`.execute(database.db);
    // A second reference: the raw export into a bare table, no indexes, no conversion.
    await sql`create table bench_copy (external_id text, customer_code text, number text,
      issued_on date, due_on date, amount numeric, currency text)`.execute(database.db);
    log('  COPY into a bare table…');
    const bare = await timed(() =>
      database.copyFrom(
        'COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)',
        files.invoices,
      ),
    );
    await sql`drop table bench_copy`.execute(database.db);
    log('  creditops import…');
    const imported = await timed(() =>
      importCsv({ file: files.invoices, kind: 'invoices', store, explain }),
    );
    log('  creditops import again, nothing changed…');
    const again = await timed(() =>
      importCsv({ file: files.invoices, kind: 'invoices', store, explain }),
    );
    const rate = (s: number) => ROWS / s;
    const floorName = 'COPY into invoices';
    return [
      figure({
        section: 'import',
        name: `import ${ROWS.toLocaleString('en')} invoice rows`,
        value: rate(imported.seconds),
        unit: 'rows/s',
        floorName,
        floor: rate(floor.seconds),
        target: { text: '≥ 50 % of COPY', met: (_, r) => r >= 0.5 },
        detail: {
          seconds: Number(imported.seconds.toFixed(2)),
          floorSeconds: Number(floor.seconds.toFixed(2)),
          inserted: imported.value.tally.inserted,
          bareCopyRowsPerSecond: Math.round(rate(bare.seconds)),
        },
      }),
      figure({
        section: 'import',
        name: '  re-import, nothing changed',
        value: rate(again.seconds),
        unit: 'rows/s',
        floorName,
        floor: rate(floor.seconds),
        detail: {
          seconds: Number(again.seconds.toFixed(2)),
          unchanged: again.value.tally.unchanged,
        },
      }),
    ];
  } finally {
    await cleanup();
  }
}
