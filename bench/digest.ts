import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { type DigestDeps, snapshotPortfolio } from '../src/app/digest.ts';
import { queueDigest } from '../src/app/digest-delivery.ts';
import {
  pendingApprovals,
  portfolioAging,
  portfolioDunning,
  portfolioKpis,
  portfolioPromises,
  portfolioReviews,
} from '../src/app/digest-portfolio.ts';
import { DEFAULT_POLICY } from '../src/app/policy.ts';
import { agingReport } from '../src/app/reports.ts';
import { createBot } from '../src/chat/bot.ts';
import { createI18n } from '../src/chat/i18n.ts';
import type { Database } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrator.ts';
import { createStore } from '../src/db/store.ts';
import { CURRENCIES, OWNER_NAMES, SEGMENTS } from './digest-book.ts';
import { generateLedger, loadLedger } from './digest-ledger.ts';
import { log, openBenchDatabase, percentile, quiet } from './support.ts';

// `npm run bench:digest [-- --customers N --invoices N --channels N]`: the morning digests of
// every subscribed channel, rendered as the outbox worker renders them (the bot's outbox
// render: subscription, data, card, ten channels side by side, each digest followed by its
// aging chart), over a generated ledger; then, in the same run, the portfolio aging query next
// to its floor, a bare sum() of the open amounts of the same table, and each portfolio-wide
// part of the digest timed alone. Embedded PGlite by default; the server when
// BENCH_DATABASE_URL is set.

const server = process.env.BENCH_DATABASE_URL;
const { values } = parseArgs({
  options: {
    customers: { type: 'string' },
    invoices: { type: 'string' },
    channels: { type: 'string' },
  },
});
const CUSTOMERS = Number(values.customers ?? 100_000);
const INVOICES = Number(values.invoices ?? 2_000_000);
const CHANNELS = Number(values.channels ?? 1_000);
/** Monday 23 November 2026, 09:00 in Tokyo: the digest slot of the channels. */
const AS_OF = '2026-11-23';
const NOW = new Date('2026-11-23T00:00:00Z');
const PREVIOUS_BUSINESS_DAY = '2026-11-20';
const WEEK_AGO = '2026-11-16';
/** The outbox worker's default batch: one message per channel, delivered side by side. */
const BATCH = 10;
const REPEATS = 11;
const TARGET_SECONDS = 30;
const TARGET_RATIO = 1.5;

/**
 * Channel subscriptions as a company would set them up: most channels take the whole book or
 * one segment or currency, some a segment in one currency, some one owner's customers.
 */
function filtersOf(i: number): Record<string, string> {
  const pick = <T>(list: readonly T[], n: number): T => list[n % list.length] as T;
  const kind = (i * 37) % 100;
  if (kind < 35) return {};
  if (kind < 55) return { segment: pick(SEGMENTS, i) };
  if (kind < 70) return { currency: pick(CURRENCIES, i) };
  if (kind < 82) return { segment: pick(SEGMENTS, i), currency: pick(CURRENCIES, i >> 2) };
  if (kind < 95) return { owner: pick(OWNER_NAMES, i) };
  return { owner: pick(OWNER_NAMES, i), currency: pick(CURRENCIES, i >> 3) };
}

const ZONES = [
  ['Asia/Tokyo', 'ja'],
  ['Asia/Shanghai', 'zh'],
  ['Asia/Tokyo', 'en'],
  ['Asia/Singapore', 'en'],
] as const;

const channelId = (i: number) => `CB${String(i).padStart(5, '0')}`;

async function subscribe(database: Database, count: number) {
  for (let from = 0; from < count; from += 500) {
    const rows = Array.from({ length: Math.min(500, count - from) }, (_, k) => from + k);
    const channels = await database.db
      .insertInto('channels')
      .values(
        rows.map((i) => {
          const [timezone, locale] = ZONES[i % ZONES.length] ?? ZONES[0];
          return { platform: 'slack', external_id: channelId(i), timezone, locale };
        }),
      )
      .returning('id')
      .execute();
    await database.db
      .insertInto('subscriptions')
      .values(
        channels.map((c, k) => ({
          channel_id: c.id,
          kind: 'digest',
          local_time: '09:00',
          filters: JSON.stringify(filtersOf(from + k)),
        })),
      )
      .execute();
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

const round = (x: number, digits = 1) => Number(x.toFixed(digits));

/**
 * Every channel's digest through the bot's outbox render. queueDigest puts two messages in the
 * outbox per channel, the digest and then its aging chart; the worker claims the oldest
 * message of ten channels at a time, so a batch of digests is followed by their charts.
 */
async function buildAll(database: Database) {
  const bot = createBot({
    store: createStore(database.db),
    policy: DEFAULT_POLICY,
    clock: { now: () => NOW },
    i18n: createI18n(),
    logger: quiet,
    defaultLocale: 'en',
    timeZone: 'Asia/Tokyo',
  });
  const delivery = (i: number, type: 'digest' | 'digest_chart') => ({
    id: 2 * i + (type === 'digest' ? 1 : 2),
    platform: 'slack',
    channel: channelId(i),
    kind: 'post' as const,
    payload: { type, asOf: AS_OF, late: false },
    attempts: 1,
    updateRefs: [],
  });
  const each: number[] = [];
  let lines = 0;
  let charts = 0;
  const started = performance.now();
  for (let from = 0; from < CHANNELS; from += BATCH) {
    const channels = Array.from({ length: Math.min(BATCH, CHANNELS - from) }, (_, k) => from + k);
    for (const type of ['digest', 'digest_chart'] as const) {
      await Promise.all(
        channels.map(async (i) => {
          const { value, ms } = await timed(() => bot.outbox(delivery(i, type)));
          each.push(ms);
          if (type === 'digest_chart') {
            if (value?.card.chart) charts += 1;
            return;
          }
          if (!value) throw new Error(`no digest for channel ${i}`);
          for (const section of value.card.sections ?? []) lines += section.lines?.length ?? 0;
        }),
      );
    }
    if ((from / BATCH) % 25 === 0) {
      log(`  ${from + BATCH} channels, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  }
  return { seconds: (performance.now() - started) / 1000, each, lines, charts };
}

/** The scheduler's digest slots of the morning, one after another, as its job runs them. */
async function queueAll(deps: DigestDeps) {
  const started = performance.now();
  for (let i = 0; i < CHANNELS; i += 1) {
    const payload = { platform: 'slack', channel: channelId(i), asOf: AS_OF, late: false };
    await queueDigest(deps, { key: `slack:${channelId(i)}:${AS_OF}`, late: false, payload });
  }
  return (performance.now() - started) / 1000;
}

/**
 * The portfolio aging as the digest and `report aging` run it, next to its floor: a bare sum()
 * of the open amounts of the same rows (the open invoices, from whichever index the planner
 * likes best). A bare sum() over the whole table, what scanning it once costs, is a second
 * reference.
 */
async function agingAgainstFloor(database: Database) {
  const reports = createStore(database.db).reports;
  const runs: Record<'aging' | 'floor' | 'table', () => Promise<unknown>> = {
    aging: () => agingReport(reports, { asOf: AS_OF, edges: DEFAULT_POLICY.aging.edges }),
    floor: () =>
      sql`select sum(open_amount_minor)::int8 from invoices where open_amount_minor > 0`.execute(
        database.db,
      ),
    table: () => sql`select sum(open_amount_minor)::int8 from invoices`.execute(database.db),
  };
  const ms = { aging: [] as number[], floor: [] as number[], table: [] as number[] };
  for (const run of Object.values(runs)) await run();
  // Interleaved, so all see the same cache and the same neighbours.
  for (let i = 0; i < REPEATS; i += 1) {
    for (const [name, run] of Object.entries(runs)) {
      ms[name as keyof typeof ms].push((await timed(run)).ms);
    }
  }
  return {
    agingMs: percentile(ms.aging, 0.5),
    floorMs: percentile(ms.floor, 0.5),
    tableMs: percentile(ms.table, 0.5),
  };
}

/** Each portfolio-wide part alone, read afresh: what the first digest of a round waits for. */
async function portfolioParts(database: Database) {
  const deps = {
    store: createStore(database.db),
    policy: DEFAULT_POLICY,
    clock: { now: () => NOW },
    timeZone: 'Asia/Tokyo',
  };
  const parts: Record<string, () => Promise<unknown>> = {
    aging: () => portfolioAging(deps, AS_OF),
    'KPIs (today)': () => portfolioKpis(deps, AS_OF),
    'KPIs (a week ago)': () => portfolioKpis(deps, WEEK_AGO),
    'overdue customers': () => deps.store.digests.overdueCustomers(AS_OF),
    dunning: () => portfolioDunning(deps, { asOf: AS_OF }),
    reviews: () => portfolioReviews(deps, { asOf: AS_OF, dueWithinDays: 7 }),
    promises: () => portfolioPromises(deps, { asOf: AS_OF, resolvedFrom: '2026-11-22' }),
    approvals: () => pendingApprovals(deps),
  };
  const ms: Record<string, number> = {};
  for (const [name, read] of Object.entries(parts)) ms[name] = round((await timed(read)).ms);
  return ms;
}

function report(result: {
  engine: string;
  ledger: Awaited<ReturnType<typeof generateLedger>>['counts'];
  loadSeconds: number;
  queueSeconds: number;
  digests: Awaited<ReturnType<typeof buildAll>>;
  aging: Awaited<ReturnType<typeof agingAgainstFloor>>;
  parts: Record<string, number>;
}) {
  const { ledger, digests, aging } = result;
  const n = (x: number) => x.toLocaleString('en');
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const ratio = aging.agingMs / aging.floorMs;
  console.log(`engine              ${result.engine}`);
  console.log(
    `ledger              ${n(ledger.customers)} customers, ${n(ledger.invoices)} invoices (${n(ledger.openInvoices)} open), ${n(ledger.allocations)} allocations, ${n(ledger.promises)} promises, ${n(ledger.alerts)} alerts, ${n(ledger.approvals)} pending approvals`,
  );
  console.log(`load (COPY)         ${result.loadSeconds.toFixed(1)} s (not measured)`);
  console.log(
    `queueing            ${n(CHANNELS)} digest slots in ${result.queueSeconds.toFixed(1)} s (the scheduler, one after another; not in the target)`,
  );
  console.log(
    `digests             ${n(CHANNELS)} channels (digest + chart each) in ${digests.seconds.toFixed(1)} s — target < ${TARGET_SECONDS} s: ${verdict(digests.seconds < TARGET_SECONDS)}`,
  );
  console.log(
    `  per message       median ${percentile(digests.each, 0.5).toFixed(1)} ms, p95 ${percentile(digests.each, 0.95).toFixed(1)} ms, first ${(digests.each[0] ?? 0).toFixed(0)} ms; ${n(digests.lines)} card lines, ${n(digests.charts)} charts`,
  );
  console.log(`portfolio aging     ${aging.agingMs.toFixed(1)} ms (median of ${REPEATS})`);
  console.log(
    `floor: bare sum()   ${aging.floorMs.toFixed(1)} ms (open amounts of the open invoices)`,
  );
  console.log(
    `aging / floor       ${ratio.toFixed(2)}× — target ≤ ${TARGET_RATIO}×: ${verdict(ratio <= TARGET_RATIO)}`,
  );
  console.log(
    `whole-table sum()   ${aging.tableMs.toFixed(1)} ms (every invoice: a scan of the table); aging / that ${(aging.agingMs / aging.tableMs).toFixed(2)}×`,
  );
  console.log('portfolio parts, each read alone:');
  for (const [name, ms] of Object.entries(result.parts)) {
    console.log(`  ${name.padEnd(18)}${ms.toFixed(0).padStart(7)} ms`);
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'creditops-bench-digest-'));
  try {
    log(`generating ${CUSTOMERS} customers, ${INVOICES} invoices…`);
    const ledger = await generateLedger(dir, { customers: CUSTOMERS, invoices: INVOICES }, AS_OF);
    const { database, engine, cleanup } = await openBenchDatabase(dir, 10);
    try {
      await migrateToLatest(database.db);
      const load = await timed(() => loadLedger(database, ledger, (t) => log(`loading ${t}…`)));
      const deps = {
        store: createStore(database.db),
        policy: DEFAULT_POLICY,
        clock: { now: () => NOW },
        timeZone: 'Asia/Tokyo',
      };
      // The snapshots earlier mornings wrote, for the changes the digest shows.
      for (const day of [WEEK_AGO, PREVIOUS_BUSINESS_DAY]) await snapshotPortfolio(deps, day);
      await subscribe(database, CHANNELS);
      log(`queueing ${CHANNELS} channels' digests…`);
      const queueSeconds = await queueAll(deps);
      log(`rendering ${CHANNELS} channels' digests…`);
      const digests = await buildAll(database);
      log('portfolio aging against its floor…');
      const aging = await agingAgainstFloor(database);
      log('portfolio parts…');
      const parts = await portfolioParts(database);
      const result = {
        engine,
        ledger: ledger.counts,
        loadSeconds: load.ms / 1000,
        queueSeconds,
        digests,
        aging,
        parts,
      };
      report(result);
      const path = join(import.meta.dirname, 'results-digest.json');
      const all = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
      all[server ? 'server' : 'embedded'] = {
        engine,
        machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
        ledger: ledger.counts,
        channels: CHANNELS,
        loadSeconds: round(load.ms / 1000),
        queueSeconds: round(queueSeconds),
        digests: {
          seconds: round(digests.seconds, 2),
          messages: digests.each.length,
          perMessageMs: {
            median: round(percentile(digests.each, 0.5)),
            p95: round(percentile(digests.each, 0.95)),
            first: round(digests.each[0] ?? 0),
          },
          cardLines: digests.lines,
          charts: digests.charts,
          targetSeconds: TARGET_SECONDS,
        },
        portfolioAging: {
          ms: round(aging.agingMs),
          floorMs: round(aging.floorMs),
          ratio: round(aging.agingMs / aging.floorMs, 2),
          wholeTableMs: round(aging.tableMs),
          targetRatio: TARGET_RATIO,
        },
        portfolioPartsMs: parts,
      };
      writeFileSync(path, `${JSON.stringify(all, null, 2)}\n`);
    } finally {
      await cleanup();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
