import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSlackAdapter, SLACK_EVENTS_PATH } from '../src/adapters/slack/index.ts';
import { type BotDeps, createBot } from '../src/chat/bot.ts';
import { createI18n } from '../src/chat/i18n.ts';
import type { Database } from '../src/db/connection.ts';
import { migrateToLatest } from '../src/db/migrator.ts';
import { createStore } from '../src/db/store.ts';
import { createHttpApp, startHttpServer } from '../src/http/server.ts';
import { loadPolicy } from '../src/policy-files.ts';
import { signedHeaders, slashCommandBody } from '../test/support/slack-requests.ts';
import { generateLedger, loadLedger } from './digest-ledger.ts';
import { drawQueries, type LookupQuery, nameCustomers, type QueryKind } from './lookup-book.ts';
import { FLOOR_PATH, floorRoute } from './lookup-floor.ts';
import { startBenchSlack } from './lookup-slack.ts';
import { log, openBenchDatabase, percentile, quiet } from './support.ts';

// `npm run bench:lookup [-- --customers N --invoices N --requests N]`: `/credit <name>` end to
// end over HTTP, as Slack sends it: a signed slash command POSTed to the bot's one server,
// through the real Bolt HTTPReceiver and the Slack adapter to the chat core and the database,
// until the answer reaches the (fake) response_url. Latency is counted from the POST to the
// answer's arrival, at one request at a time and at fifty in flight. The floor is measured the
// same way: a route beside Slack's on the same server that checks the same signature, acks,
// runs `select 1` and answers at the same response_url. Queries are a mix of customer codes,
// kana, romaji and partial names drawn from the book. Embedded PGlite by default; the server
// when BENCH_DATABASE_URL is set.

const server = process.env.BENCH_DATABASE_URL;
const { values } = parseArgs({
  options: {
    customers: { type: 'string' },
    invoices: { type: 'string' },
    requests: { type: 'string' },
  },
});
const CUSTOMERS = Number(values.customers ?? 10_000);
const INVOICES = Number(values.invoices ?? CUSTOMERS * 20);
/** Requests per scenario at concurrency 1; five times as many at 50. */
const REQUESTS = Number(values.requests ?? 400);
const CONCURRENCY = [1, 50] as const;
/** The Slack users asking: one per request in flight at most, each answered in its language. */
const USERS = 50;
const AS_OF = '2026-11-23';
const NOW = new Date('2026-11-23T01:00:00Z');
const SECRET = 'bench-signing-secret-5f4dcc3b5aa765d6';
const KINDS: readonly QueryKind[] = ['code', 'kana', 'romaji', 'partial'];

const round = (x: number, digits = 1) => Number(x.toFixed(digits));

interface Sample {
  readonly ms: number;
  readonly kind: QueryKind | 'floor';
  /** The answer names the customer the query was drawn from (its card, or it in a pick list). */
  readonly named: boolean;
}

/** The bot as main.ts wires Slack over HTTP, plus the floor route, on one server. */
async function startBot(database: Database) {
  const slack = await startBenchSlack();
  const core: BotDeps = {
    store: createStore(database.db),
    policy: loadPolicy(),
    clock: { now: () => NOW },
    i18n: createI18n(),
    logger: quiet,
    defaultLocale: 'en',
    timeZone: 'Asia/Tokyo',
  };
  const adapter = createSlackAdapter({
    bot: createBot(core),
    i18n: core.i18n,
    logger: quiet,
    botToken: 'xoxb-bench',
    signingSecret: SECRET,
    apiUrl: slack.apiUrl,
  });
  if (!adapter.listener) throw new Error('Slack over HTTP has a listener');
  const http = await startHttpServer(createHttpApp({ ...core, apiTokens: new Map() }), 0, [
    { path: SLACK_EVENTS_PATH, listener: adapter.listener },
    floorRoute(database, SECRET),
  ]);
  const base = `http://127.0.0.1:${http.port}`;
  let sent = 0;

  /** One signed slash command, timed from the POST to its answer at response_url. */
  async function ask(
    path: string,
    text: string,
    user: number,
  ): Promise<{ ms: number; answer: string }> {
    sent += 1;
    const id = `q${sent}`;
    const body = slashCommandBody({
      text,
      responseUrl: slack.responseUrl(id),
      userId: `U${String(user).padStart(4, '0')}`,
      channelId: `C${String(user % 7).padStart(4, '0')}`,
    });
    const started = performance.now();
    const answered = slack.answer(id);
    const ack = await fetch(`${base}${path}`, {
      method: 'POST',
      body,
      headers: signedHeaders(SECRET, body),
    });
    await ack.arrayBuffer();
    if (!ack.ok) throw new Error(`${path} answered ${ack.status}`);
    const answer = await answered;
    return { ms: performance.now() - started, answer };
  }

  return {
    lookup: async (q: LookupQuery, user: number): Promise<Sample> => {
      const { ms, answer } = await ask(SLACK_EVENTS_PATH, q.text, user);
      return { ms, kind: q.kind, named: answer.includes(q.code) };
    },
    floor: async (_: LookupQuery, user: number): Promise<Sample> => {
      const { ms } = await ask(FLOOR_PATH, 'ping', user);
      return { ms, kind: 'floor', named: true };
    },
    async close() {
      await http.close();
      await slack.close();
    },
  };
}

/** `count` requests, `concurrency` at a time, each in-flight slot a different Slack user. */
async function run(
  queries: readonly LookupQuery[],
  count: number,
  concurrency: number,
  one: (q: LookupQuery, user: number) => Promise<Sample>,
): Promise<Sample[]> {
  const samples: Sample[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, slot) => {
      for (let i = next++; i < count; i = next++) {
        samples.push(await one(queries[i % queries.length] as LookupQuery, 1 + (slot % USERS)));
      }
    }),
  );
  return samples;
}

interface Row {
  readonly scenario: string;
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly floorP99: number;
  readonly ratio: number;
  readonly named?: number;
}

function row(scenario: string, samples: readonly Sample[], floor: readonly Sample[]): Row {
  const ms = samples.map((s) => s.ms);
  const floorP99 = percentile(
    floor.map((s) => s.ms),
    0.99,
  );
  const p99 = percentile(ms, 0.99);
  return {
    scenario,
    n: samples.length,
    p50: round(percentile(ms, 0.5)),
    p95: round(percentile(ms, 0.95)),
    p99: round(p99),
    floorP99: round(floorP99),
    ratio: round(p99 / floorP99, 2),
    ...(samples[0]?.kind === 'floor'
      ? {}
      : { named: round((100 * samples.filter((s) => s.named).length) / samples.length) }),
  };
}

function print(rows: readonly Row[]) {
  const head = ['scenario', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'floor p99', 'ratio', 'named'];
  const widths = [30, 6, 8, 8, 8, 10, 7, 7];
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join(' ');
  console.log(line(head));
  for (const r of rows) {
    console.log(
      line([
        r.scenario,
        String(r.n),
        r.p50.toFixed(1),
        r.p95.toFixed(1),
        r.p99.toFixed(1),
        r.floorP99.toFixed(1),
        `${r.ratio.toFixed(2)}×`,
        r.named === undefined ? '' : `${r.named.toFixed(0)} %`,
      ]),
    );
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'creditops-bench-lookup-'));
  try {
    log(`generating ${CUSTOMERS} customers, ${INVOICES} invoices…`);
    const ledger = await generateLedger(dir, { customers: CUSTOMERS, invoices: INVOICES }, AS_OF);
    const { database, engine, cleanup } = await openBenchDatabase(dir, 10);
    try {
      await migrateToLatest(database.db);
      const loadStarted = performance.now();
      await loadLedger(database, ledger, (t) => log(`loading ${t}…`));
      log('naming customers…');
      const named = await nameCustomers(database, dir);
      const loadSeconds = (performance.now() - loadStarted) / 1000;
      const queries = drawQueries(named, REQUESTS * 5 + USERS);
      const bot = await startBot(database);
      try {
        // Every user once: Bolt's first auth.test, users.info cached per user, identities made.
        log('warming up…');
        for (const [i, q] of queries.slice(-USERS).entries()) {
          await bot.lookup(q, 1 + i);
          await bot.floor(q, 1 + i);
        }
        const rows: Row[] = [];
        for (const concurrency of CONCURRENCY) {
          const count = concurrency === 1 ? REQUESTS : REQUESTS * 5;
          log(`floor at concurrency ${concurrency}: ${count} requests…`);
          const floor = await run(queries, count, concurrency, bot.floor);
          log(`/credit at concurrency ${concurrency}: ${count} requests…`);
          const lookups = await run(queries, count, concurrency, bot.lookup);
          rows.push(row(`floor (select 1), c=${concurrency}`, floor, floor));
          rows.push(row(`/credit mix, c=${concurrency}`, lookups, floor));
          for (const kind of KINDS) {
            const some = lookups.filter((s) => s.kind === kind);
            if (some.length > 0) rows.push(row(`  ${kind}, c=${concurrency}`, some, floor));
          }
        }
        const n = (x: number) => x.toLocaleString('en');
        console.log(`engine   ${engine}`);
        console.log(
          `book     ${n(ledger.counts.customers)} customers, ${n(ledger.counts.invoices)} invoices (${n(ledger.counts.openInvoices)} open); load and naming ${loadSeconds.toFixed(1)} s (not measured)`,
        );
        console.log(
          'latency  signed POST → answer at response_url; ratio = p99 / floor p99 at the same concurrency; named = answers naming the customer the query came from',
        );
        print(rows);
        const path = join(import.meta.dirname, 'results-lookup.json');
        const all = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
        all[server ? 'server' : 'embedded'] = {
          engine,
          machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
          book: ledger.counts,
          loadSeconds: round(loadSeconds),
          rows,
        };
        writeFileSync(path, `${JSON.stringify(all, null, 2)}\n`);
        log(`wrote ${path}`);
      } finally {
        await bot.close();
      }
    } finally {
      await cleanup();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
