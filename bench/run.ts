import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { migrateToLatest } from '../src/db/migrator.ts';
import { measureCustomerAging } from './customer-aging.ts';
import { measureDigest, measurePortfolioAging } from './digest.ts';
import { generateLedger, type LedgerCounts, loadLedger } from './digest-ledger.ts';
import { type Figure, formatFigures } from './figures.ts';
import { measureImport } from './import.ts';
import { measureLookup } from './lookup.ts';
import { nameCustomers } from './lookup-book.ts';
import { measureSearch } from './search.ts';
import { measureStart } from './start.ts';
import { AS_OF, benchServerUrl, log, openBenchDatabase } from './support.ts';

// `npm run bench [-- --scale small|large] [--json FILE] [--only part,part]`: what users feel,
// each figure measured next to its floor in the same run, on embedded PGlite or, with
// BENCH_DATABASE_URL, on a database of its own on that server (created and dropped).
//
//   start    `npm start` to ready with the demo data, first run and restart
//   lookup   `/credit <name>` over signed HTTP at concurrency 1 and 50, and the peak RSS
//   aging    per-customer aging (the card's) and portfolio aging, against bare sum()s
//   search   fuzzy name search: kana, full-width, romaji, partial
//   digest   1,000 channels' digests and charts
//   import   1,000,000 invoice rows through `creditops import`, against COPY
//
// The ledger is generated with one seed: small = 10k customers / 200k invoices, large = 100k /
// 2M (about 300k open), named in Japanese, Chinese and English, a few big customers and a long
// tail. Generating and loading it is not measured.

const SCALES = {
  small: { customers: 10_000, invoices: 200_000, requests: 200, channels: 1_000, rows: 1_000_000 },
  large: {
    customers: 100_000,
    invoices: 2_000_000,
    requests: 400,
    channels: 1_000,
    rows: 1_000_000,
  },
} as const;
const PARTS = ['start', 'lookup', 'aging', 'search', 'digest', 'import'] as const;
type Part = (typeof PARTS)[number];
const LEDGER_PARTS: readonly Part[] = ['lookup', 'aging', 'search', 'digest'];

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'small' },
    json: { type: 'string' },
    only: { type: 'string' },
    customers: { type: 'string' },
    invoices: { type: 'string' },
    requests: { type: 'string' },
    channels: { type: 'string' },
    rows: { type: 'string' },
  },
});

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: npm run bench [-- --scale small|large] [--json FILE] [--only ${PARTS.join(',')}]\n` +
      '       [--customers N] [--invoices N] [--requests N] [--channels N] [--rows N]\n',
  );
  process.exit(2);
}

const scaleName = values.scale ?? 'small';
if (scaleName !== 'small' && scaleName !== 'large') usage(`unknown scale "${scaleName}"`);
const count = (text: string | undefined, fallback: number, name: string) => {
  if (text === undefined) return fallback;
  const n = Number(text.replaceAll('_', ''));
  if (!Number.isInteger(n) || n <= 0) usage(`--${name} must be a positive whole number`);
  return n;
};
const base = SCALES[scaleName];
const scale = {
  customers: count(values.customers, base.customers, 'customers'),
  invoices: count(values.invoices, base.invoices, 'invoices'),
  requests: count(values.requests, base.requests, 'requests'),
  channels: count(values.channels, base.channels, 'channels'),
  rows: count(values.rows, base.rows, 'rows'),
};
const only = values.only?.split(',').map((p) => p.trim()) ?? [...PARTS];
for (const p of only) if (!PARTS.includes(p as Part)) usage(`unknown part "${p}"`);
const runs = (part: Part) => only.includes(part);
const jsonPath = resolve(values.json ?? join(import.meta.dirname, 'results.json'));

async function ledgerParts(dir: string, figures: Figure[]): Promise<LedgerCounts | undefined> {
  if (!LEDGER_PARTS.some(runs)) return undefined;
  const n = (x: number) => x.toLocaleString('en');
  log(`ledger: generating ${n(scale.customers)} customers, ${n(scale.invoices)} invoices…`);
  mkdirSync(dir, { recursive: true });
  const ledger = await generateLedger(dir, scale, AS_OF);
  const { database, cleanup } = await openBenchDatabase(dir, 10);
  try {
    await migrateToLatest(database.db);
    const started = performance.now();
    await loadLedger(database, ledger, (t) => log(`  loading ${t}…`));
    log('  naming customers in Japanese, Chinese and English…');
    const named = await nameCustomers(database, dir);
    log(`  loaded and named in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (runs('lookup')) {
      log('lookup: /credit over signed HTTP…');
      figures.push(...(await measureLookup(database, named, { requests: scale.requests })));
    }
    if (runs('aging')) {
      log('aging: portfolio and per-customer aging against their floors…');
      figures.push(...(await measurePortfolioAging(database)));
      figures.push(...(await measureCustomerAging(database, AS_OF)));
    }
    if (runs('search')) {
      log('search: fuzzy name search…');
      figures.push(...(await measureSearch(database, named)));
    }
    if (runs('digest')) {
      log(`digest: ${n(scale.channels)} channels…`);
      figures.push(...(await measureDigest(database, { channels: scale.channels })));
    }
    return ledger.counts;
  } finally {
    await cleanup();
  }
}

async function main() {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'creditops-bench-'));
  const figures: Figure[] = [];
  let book: LedgerCounts | undefined;
  try {
    // Start-up first, while nothing else of the benchmark holds memory or the cores.
    if (runs('start')) {
      log('start: npm start to ready, first run and restart…');
      figures.push(...(await measureStart()));
    }
    book = await ledgerParts(join(dir, 'ledger'), figures);
    if (runs('import')) {
      log(`import: ${scale.rows.toLocaleString('en')} invoice rows…`);
      figures.push(...(await measureImport(join(dir, 'import'), { rows: scale.rows })));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  const engine = benchServerUrl ? 'PostgreSQL server' : 'embedded PGlite';
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const n = (x: number) => x.toLocaleString('en');
  console.log(`engine   ${engine}`);
  console.log(`machine  ${machine}`);
  console.log(
    book
      ? `ledger   ${scaleName}: ${n(book.customers)} customers, ${n(book.invoices)} invoices (${n(book.openInvoices)} open), ${n(book.payments)} payments`
      : `ledger   ${scaleName}: not generated (no part needs it)`,
  );
  console.log('');
  console.log(formatFigures(figures));
  const missed = figures.filter((f) => f.met === false);
  console.log('');
  console.log(
    `${figures.filter((f) => f.met !== undefined).length - missed.length} targets met, ${missed.length} missed; ${seconds.toFixed(0)} s in all`,
  );
  writeFileSync(
    jsonPath,
    `${JSON.stringify(
      {
        scale: scaleName,
        size: scale,
        engine,
        machine,
        date: new Date().toISOString(),
        seconds: Number(seconds.toFixed(1)),
        ledger: book ?? null,
        figures,
      },
      null,
      2,
    )}\n`,
  );
  log(`wrote ${jsonPath}`);
}

await main();
