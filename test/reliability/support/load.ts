import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLedger, type LedgerCounts, loadLedger } from '../../../bench/digest-ledger.ts';
import { type LookupQuery, type Named, nameCustomers } from '../../../bench/lookup-book.ts';
import type { BenchSlack } from '../../../bench/lookup-slack.ts';
import { AS_OF, percentile } from '../../../bench/support.ts';
import type { Database } from '../../../src/db/connection.ts';
import { signedHeaders, slashCommandBody } from '../../support/slack-requests.ts';

// Sustained `/credit <name>` traffic against the benchmark's ledger: the book `npm run bench`
// generates and loads (same generator, same seed, same names and queries), and signed slash
// commands sent on a fixed schedule — open loop, so a slow answer does not slow the sending
// down and hide itself — each timed to its acknowledgement and to its answer at response_url.

export interface LedgerSize {
  readonly customers: number;
  readonly invoices: number;
}

/** A `prepare` for `startBot` that loads the benchmark ledger; `named()` once it ran. */
export function benchLedger(size: LedgerSize): {
  readonly prepare: (database: Database) => Promise<void>;
  named(): readonly Named[];
  counts(): LedgerCounts | undefined;
} {
  let named: readonly Named[] = [];
  let counts: LedgerCounts | undefined;
  return {
    async prepare(database) {
      const dir = mkdtempSync(join(tmpdir(), 'creditops-reliability-ledger-'));
      try {
        const ledger = await generateLedger(dir, size, AS_OF);
        await loadLedger(database, ledger, () => undefined);
        named = await nameCustomers(database, dir);
        counts = ledger.counts;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    named: () => named,
    counts: () => counts,
  };
}

export interface Shot {
  readonly query: LookupQuery;
  /** When it was due (performance.now()), and how many ms late it actually left. */
  readonly due: number;
  readonly late: number;
  /** HTTP status of the acknowledgement; 0 when the request failed outright. */
  readonly status: number;
  /** From when it was due to the acknowledgement's arrival, and to the answer's. */
  readonly ackMs: number;
  readonly answerMs: number | undefined;
  readonly answer: string | undefined;
  readonly error?: string;
}

export interface Schedule {
  readonly url: string;
  readonly signingSecret: string;
  readonly answers: BenchSlack;
  readonly queries: readonly LookupQuery[];
  /** Slack users asking, in turn. */
  readonly users: readonly string[];
  readonly rate: number;
  readonly seconds: number;
  /** How long an answer may take before it counts as lost. */
  readonly answerTimeoutMs: number;
}

/**
 * The sender shares the machine's cores with the bot and its database: plain node:http on
 * kept-alive sockets costs it about half of what fetch does per request. A socket idle for
 * 4 s is dropped here, before the server's 5 s keep-alive ends it: a request written onto a
 * socket the server is closing at that moment would be reset, a failure of the sender's.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 512, timeout: 4_000 });

function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  acknowledged: () => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        acknowledged();
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends `rate × seconds` signed slash commands, request i due at i / rate seconds, whether
 * the earlier ones were answered or not. Latencies count from when a request was due, so a
 * sender that fell behind shows in them rather than flattering them.
 */
export async function fire(s: Schedule): Promise<Shot[]> {
  const total = Math.round(s.rate * s.seconds);
  const start = performance.now();
  const shots: Promise<Shot>[] = [];
  for (let i = 0; i < total; i += 1) {
    const due = (i * 1000) / s.rate;
    const wait = start + due - performance.now();
    if (wait > 1) await sleep(wait);
    const query = s.queries[i % s.queries.length] as LookupQuery;
    const user = s.users[i % s.users.length] as string;
    shots.push(one(s, `load-${i}`, query, user, start + due));
  }
  return Promise.all(shots);
}

async function one(
  s: Schedule,
  id: string,
  query: LookupQuery,
  user: string,
  dueAt: number,
): Promise<Shot> {
  const late = performance.now() - dueAt;
  const body = slashCommandBody({
    text: query.text,
    responseUrl: s.answers.responseUrl(id),
    userId: user,
    channelId: `D${user.slice(1)}`,
  });
  const answered = s.answers.answer(id, s.answerTimeoutMs).then(
    (text) => ({ text, at: performance.now() }),
    (error: unknown) => ({ error: String(error), at: performance.now() }),
  );
  const base = { query, due: dueAt, late };
  let status = 0;
  let ackMs = Number.NaN;
  try {
    status = await post(s.url, body, signedHeaders(s.signingSecret, body), () => {
      ackMs = performance.now() - dueAt;
    });
  } catch (error) {
    return { ...base, status, ackMs, answerMs: undefined, answer: undefined, error: String(error) };
  }
  const got = await answered;
  return 'text' in got
    ? { ...base, status, ackMs, answerMs: got.at - dueAt, answer: got.text }
    : { ...base, status, ackMs, answerMs: undefined, answer: undefined, error: got.error };
}

const round = (x: number) => Math.round(x * 10) / 10;

export interface LoadFigures {
  readonly requests: number;
  /** Requests sent per second over the schedule, and answers received per second. */
  readonly sentRate: number;
  readonly answeredRate: number;
  readonly errors: number;
  readonly ack: { readonly p50: number; readonly p95: number; readonly p99: number };
  readonly answer: { readonly p50: number; readonly p95: number; readonly p99: number };
  /** The sender's own worst lateness against the schedule, ms. */
  readonly maxLate: number;
  /** Share of answers naming the customer the query was drawn from, per cent. */
  readonly namedPercent: number;
}

export function figures(shots: readonly Shot[]): LoadFigures {
  const ok = shots.filter((s) => s.status === 200 && s.answer !== undefined);
  const sentSpan =
    Math.max(1, ...shots.map((s) => s.due + s.late)) - Math.min(...shots.map((s) => s.due));
  const answeredSpan =
    Math.max(1, ...ok.map((s) => s.due + (s.answerMs ?? 0))) - Math.min(...shots.map((s) => s.due));
  const stats = (xs: number[]) => ({
    p50: round(percentile(xs, 0.5)),
    p95: round(percentile(xs, 0.95)),
    p99: round(percentile(xs, 0.99)),
  });
  return {
    requests: shots.length,
    sentRate: round((shots.length * 1000) / sentSpan),
    answeredRate: round((ok.length * 1000) / answeredSpan),
    errors: shots.length - ok.length,
    ack: stats(shots.map((s) => s.ackMs)),
    answer: stats(ok.map((s) => s.answerMs ?? 0)),
    maxLate: round(Math.max(0, ...shots.map((s) => s.late))),
    namedPercent: round(
      (100 * ok.filter((s) => s.answer?.includes(s.query.code)).length) / Math.max(1, ok.length),
    ),
  };
}
