import { createSlackAdapter, SLACK_EVENTS_PATH } from '../src/adapters/slack/index.ts';
import { type BotDeps, createBot } from '../src/chat/bot.ts';
import { createI18n } from '../src/chat/i18n.ts';
import type { Database } from '../src/db/connection.ts';
import { createStore } from '../src/db/store.ts';
import { createHttpApp, startHttpServer } from '../src/http/server.ts';
import { loadPolicy } from '../src/policy-files.ts';
import { signedHeaders, slashCommandBody } from '../test/support/slack-requests.ts';
import { type Figure, figure } from './figures.ts';
import { drawQueries, type LookupQuery, type Named, type QueryKind } from './lookup-book.ts';
import { FLOOR_PATH, floorRoute } from './lookup-floor.ts';
import { startBenchSlack } from './lookup-slack.ts';
import { log, percentile, quiet } from './support.ts';

// `/credit <name>` end to end over HTTP, as Slack sends it: a signed slash command POSTed to
// the bot's one server, through the real Bolt HTTPReceiver and the Slack adapter to the chat
// core and the database, until the answer reaches the (fake) response_url. Latency is counted
// from the POST to the answer's arrival, at one request at a time and at fifty in flight. The
// floor is measured the same way: a route beside Slack's on the same server that checks the
// same signature, acks, runs `select 1` and answers at the same response_url. Queries are a
// mix of customer codes, kana, romaji and partial names drawn from the book.

const CONCURRENCY = [1, 50] as const;
/** The Slack users asking: one per request in flight at most, each answered in its language. */
const USERS = 50;
const NOW = new Date('2026-11-23T01:00:00Z');
const SECRET = 'bench-signing-secret-5f4dcc3b5aa765d6';
const KINDS: readonly QueryKind[] = ['code', 'kana', 'romaji', 'partial'];
/** Slack's acknowledgement window: an answer later than this is an error to the user. */
const ACK_WINDOW_MS = 3_000;

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

const stats = (samples: readonly Sample[]) => {
  const ms = samples.map((s) => s.ms);
  return {
    n: samples.length,
    p50: round(percentile(ms, 0.5)),
    p95: round(percentile(ms, 0.95)),
    p99: percentile(ms, 0.99),
  };
};

/** The share, in per cent, of answers that named the customer the query was drawn from. */
const namedShare = (samples: readonly Sample[]) =>
  round((100 * samples.filter((s) => s.named).length) / Math.max(1, samples.length));

export interface LookupOptions {
  /** Requests at concurrency 1; five times as many at 50. */
  readonly requests: number;
}

/**
 * `/credit` at concurrency 1 and 50 next to the signed-ping floor at the same concurrency,
 * p99 against p99; and the process's peak RSS while it serves them against its RSS at rest
 * just before (embedded, the database lives in the same process, as it does in the bot).
 */
export async function measureLookup(
  database: Database,
  named: readonly Named[],
  options: LookupOptions,
): Promise<Figure[]> {
  const queries = drawQueries(named, options.requests * 5 + USERS);
  const bot = await startBot(database);
  const figures: Figure[] = [];
  try {
    // Every user once: Bolt's first auth.test, users.info cached per user, identities made.
    log('  warming up…');
    for (const [i, q] of queries.slice(-USERS).entries()) {
      await bot.lookup(q, 1 + i);
      await bot.floor(q, 1 + i);
    }
    const rest = process.memoryUsage().rss;
    let peak = rest;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    try {
      for (const concurrency of CONCURRENCY) {
        const count = concurrency === 1 ? options.requests : options.requests * 5;
        log(`  floor at concurrency ${concurrency}: ${count} requests…`);
        const floorSamples = await run(queries, count, concurrency, bot.floor);
        log(`  /credit at concurrency ${concurrency}: ${count} requests…`);
        const lookups = await run(queries, count, concurrency, bot.lookup);
        const floor = stats(floorSamples);
        const all = stats(lookups);
        const floorName = `signed select 1, p99 c=${concurrency}`;
        figures.push(
          figure({
            section: 'lookup',
            name: `/credit p99, c=${concurrency}`,
            value: all.p99,
            unit: 'ms',
            floorName,
            floor: floor.p99,
            target:
              concurrency === 1
                ? { text: '≤ 3× floor', met: (_, r) => r <= 3 }
                : { text: '≤ 3× floor and < 3 s', met: (v, r) => r <= 3 && v < ACK_WINDOW_MS },
            detail: {
              n: all.n,
              p50: all.p50,
              p95: all.p95,
              floorP50: floor.p50,
              floorP95: floor.p95,
              namedPercent: namedShare(lookups),
            },
          }),
        );
        for (const kind of KINDS) {
          const some = lookups.filter((s) => s.kind === kind);
          if (some.length === 0) continue;
          const k = stats(some);
          figures.push(
            figure({
              section: 'lookup',
              name: `  ${kind} p99, c=${concurrency}`,
              value: k.p99,
              unit: 'ms',
              floorName,
              floor: floor.p99,
              detail: { n: k.n, p50: k.p50, p95: k.p95, namedPercent: namedShare(some) },
            }),
          );
        }
      }
    } finally {
      clearInterval(sampler);
    }
    const mb = (bytes: number) => bytes / 2 ** 20;
    figures.push(
      figure({
        section: 'memory',
        name: 'peak RSS serving /credit',
        value: mb(peak),
        unit: 'MB',
        floorName: 'RSS at rest before',
        floor: mb(rest),
      }),
    );
  } finally {
    await bot.close();
  }
  return figures;
}
