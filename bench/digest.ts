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
import { createStore } from '../src/db/store.ts';
import { CURRENCIES, OWNER_NAMES, SEGMENTS } from './digest-book.ts';
import { type Figure, figure } from './figures.ts';
import { AS_OF, log, percentile, quiet } from './support.ts';

// The morning digests of every subscribed channel, rendered as the outbox worker renders them
// (the bot's outbox render: subscription, data, card, ten channels side by side, each digest
// followed by its aging chart), over the generated ledger; then, in the same run, the portfolio
// aging query next to its floor, a bare sum() of the open amounts of the same table, and each
// portfolio-wide part of the digest timed alone.

/** Monday 23 November 2026, 09:00 in Tokyo: the digest slot of the channels. */
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
async function buildAll(database: Database, count: number) {
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
  for (let from = 0; from < count; from += BATCH) {
    const channels = Array.from({ length: Math.min(BATCH, count - from) }, (_, k) => from + k);
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
async function queueAll(deps: DigestDeps, count: number) {
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
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

/**
 * The digest's floor: what any digest of every channel must at least read — each channel's
 * subscription (ten channels side by side, as the worker delivers) and the open amounts of the
 * book once (a bare sum(), the aging floor).
 */
async function digestFloor(database: Database, count: number) {
  const started = performance.now();
  await sql`select sum(open_amount_minor)::int8 from invoices where open_amount_minor > 0`.execute(
    database.db,
  );
  for (let from = 0; from < count; from += BATCH) {
    await Promise.all(
      Array.from({ length: Math.min(BATCH, count - from) }, (_, k) =>
        database.db
          .selectFrom('channels')
          .innerJoin('subscriptions', 'subscriptions.channel_id', 'channels.id')
          .select(['subscriptions.filters', 'channels.locale', 'channels.timezone'])
          .where('channels.platform', '=', 'slack')
          .where('channels.external_id', '=', channelId(from + k))
          .execute(),
      ),
    );
  }
  return (performance.now() - started) / 1000;
}

/**
 * `channels` channels subscribe; the scheduler queues their morning (timed apart); every
 * digest and chart is rendered next to the digest floor.
 */
export async function measureDigest(
  database: Database,
  options: { readonly channels: number },
): Promise<Figure[]> {
  const deps = {
    store: createStore(database.db),
    policy: DEFAULT_POLICY,
    clock: { now: () => NOW },
    timeZone: 'Asia/Tokyo',
  };
  // The snapshots earlier mornings wrote, for the changes the digest shows.
  for (const day of [WEEK_AGO, PREVIOUS_BUSINESS_DAY]) await snapshotPortfolio(deps, day);
  await subscribe(database, options.channels);
  log(`  queueing ${options.channels} channels' digests…`);
  const queueSeconds = await queueAll(deps, options.channels);
  log(`  rendering ${options.channels} channels' digests…`);
  const digests = await buildAll(database, options.channels);
  const floorSeconds = await digestFloor(database, options.channels);
  log('  portfolio parts, each alone…');
  const parts = await portfolioParts(database);
  return [
    figure({
      section: 'digest',
      name: `${options.channels.toLocaleString('en')} channels, digest + chart each`,
      value: digests.seconds,
      unit: 's',
      floorName: 'their subscriptions + one sum()',
      floor: floorSeconds,
      target: { text: `< ${TARGET_SECONDS} s`, met: (v) => v < TARGET_SECONDS },
      detail: {
        messages: digests.each.length,
        medianMs: round(percentile(digests.each, 0.5)),
        p95Ms: round(percentile(digests.each, 0.95)),
        firstMs: round(digests.each[0] ?? 0),
        cardLines: digests.lines,
        charts: digests.charts,
        queueingSeconds: round(queueSeconds, 2),
        ...Object.fromEntries(Object.entries(parts).map(([k, v]) => [`part ${k} ms`, v])),
      },
    }),
  ];
}

/** The portfolio aging (`report aging`, the digest, the snapshot) next to its floor. */
export async function measurePortfolioAging(database: Database): Promise<Figure[]> {
  const aging = await agingAgainstFloor(database);
  return [
    figure({
      section: 'aging',
      name: 'portfolio aging (median)',
      value: aging.agingMs,
      unit: 'ms',
      floorName: 'bare sum() of open amounts',
      floor: aging.floorMs,
      target: { text: `≤ ${TARGET_RATIO}× floor`, met: (_, r) => r <= TARGET_RATIO },
      detail: { repeats: REPEATS, wholeTableSumMs: round(aging.tableMs) },
    }),
  ];
}
