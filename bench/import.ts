import { once } from 'node:events';
import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { migrateToLatest } from '../src/db/migrator.ts';
import { createStore } from '../src/db/store.ts';
import { importCsv } from '../src/io/csv-import.ts';
import { openBenchDatabase } from './support.ts';

// `npm run bench:import [-- --rows N]`: invoice rows per second through `creditops import`
// (parse, validate, resolve customers, upsert with change detection) next to the floor: a
// plain COPY of the same rows, already as the ledger stores them (customer ids, minor units),
// into the real `invoices` table with its indexes, checks and foreign key. A COPY of the raw
// export into a bare table is a second reference. Embedded PGlite by default; the server
// when BENCH_DATABASE_URL is set.

const { values } = parseArgs({
  options: { rows: { type: 'string' }, customers: { type: 'string' } },
});
const ROWS = Number(values.rows ?? 1_000_000);
const CUSTOMERS = Number(values.customers ?? 1_000);

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
async function generate(dir: string) {
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
    ROWS,
    (i) => {
      const r = exported();
      const amount = `${Math.floor(r.cents / 100)}.${String(r.cents % 100).padStart(2, '0')}`;
      return `BI${i},${code(r.customer)},INV-${i},${r.issued},${r.due},${amount},USD`;
    },
  );
  return { customers, invoices };
}

/** The same rows as the ledger stores them: customer ids (as imported), minor units. */
async function resolve(dir: string, ids: ReadonlyMap<string, number>) {
  const resolved = join(dir, 'invoices-resolved.csv');
  const stored = invoiceStream();
  const header =
    'external_id,customer_id,number,issued_on,due_on,currency,amount_minor,open_amount_minor';
  await writeLines(resolved, header, ROWS, (i) => {
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

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'creditops-bench-'));
  try {
    process.stderr.write(`generating ${ROWS.toLocaleString('en')} invoice rows…\n`);
    const files = await generate(dir);
    const { database, engine, cleanup } = await openBenchDatabase(dir, 4);
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
      const resolved = await resolve(dir, customerIds);
      // The floor: the rows as stored, straight into the table the import writes.
      process.stderr.write('COPY into invoices (floor)…\n');
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
      process.stderr.write('COPY into a bare table…\n');
      const bare = await timed(() =>
        database.copyFrom(
          'COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)',
          files.invoices,
        ),
      );
      await sql`drop table bench_copy`.execute(database.db);
      process.stderr.write('creditops import…\n');
      const imported = await timed(() =>
        importCsv({ file: files.invoices, kind: 'invoices', store, explain }),
      );
      const again = await timed(() =>
        importCsv({ file: files.invoices, kind: 'invoices', store, explain }),
      );
      const rate = (s: number) => Math.round(ROWS / s);
      const percent = (n: number) => `${(n * 100).toFixed(0)} %`;
      const result = {
        engine,
        rows: ROWS,
        machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
        floor: { seconds: floor.seconds, rowsPerSecond: rate(floor.seconds) },
        copyIntoBareTable: { seconds: bare.seconds, rowsPerSecond: rate(bare.seconds) },
        import: {
          seconds: imported.seconds,
          rowsPerSecond: rate(imported.seconds),
          tally: imported.value.tally,
        },
        reimport: {
          seconds: again.seconds,
          rowsPerSecond: rate(again.seconds),
          tally: again.value.tally,
        },
        importToFloor: Number((floor.seconds / imported.seconds).toFixed(3)),
        importToBareCopy: Number((bare.seconds / imported.seconds).toFixed(3)),
      };
      const rows = (n: number) => `${n.toLocaleString('en')} rows/s`;
      console.log(`engine          ${engine}\nrows            ${ROWS.toLocaleString('en')}`);
      console.log(
        `COPY (floor)    ${floor.seconds.toFixed(1)} s  ${rows(result.floor.rowsPerSecond)}  (resolved rows into the invoices table: indexes, checks, foreign key)`,
      );
      console.log(
        `COPY, bare      ${bare.seconds.toFixed(1)} s  ${rows(result.copyIntoBareTable.rowsPerSecond)}  (the raw export into a table with no indexes)`,
      );
      console.log(
        `import          ${imported.seconds.toFixed(1)} s  ${rows(result.import.rowsPerSecond)}  (${percent(result.importToFloor)} of the floor; target ≥ 50 %)`,
      );
      console.log(
        `re-import       ${again.seconds.toFixed(1)} s  ${rows(result.reimport.rowsPerSecond)}  (${again.value.tally.unchanged.toLocaleString('en')} unchanged)`,
      );
      const path = join(import.meta.dirname, 'results.json');
      const all = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
      all[`import:${process.env.BENCH_DATABASE_URL ? 'server' : 'embedded'}`] = result;
      writeFileSync(path, `${JSON.stringify(all, null, 2)}\n`);
    } finally {
      await cleanup();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
