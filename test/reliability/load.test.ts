import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawQueries } from '../../bench/lookup-book.ts';
import { type BenchSlack, startBenchSlack } from '../../bench/lookup-slack.ts';
import { auditEntries } from './support/audit.ts';
import { internalErrorPrefixes } from './support/crowd.ts';
import { SLACK_PATH } from './support/doors.ts';
import { type ReliabilityBot, startBot } from './support/harness.ts';
import { benchLedger, figures, fire, type LoadFigures, type Shot } from './support/load.ts';

// Sustained `/credit <name>` traffic, as a busy credit desk sends it through Slack, against
// the benchmark's ledger: every request acknowledged within Slack's window and answered.
// RELIABILITY_FULL=1 runs the promise's numbers — 200 requests a second for a minute on the
// small benchmark scale (10,000 customers, 200,000 invoices); the default run is a short
// version of the same on a smaller book.

const FULL = process.env.RELIABILITY_FULL === '1';
/** For finding what bounds the rate: other figures, and a CPU profile of the bot. */
const env = (name: string) => Number(process.env[name] ?? '') || undefined;
const PROFILE_DIR = process.env.RELIABILITY_LOAD_PROFILE;
const LOAD = {
  ...(FULL
    ? { rate: 200, seconds: 60, customers: 10_000, invoices: 200_000 }
    : { rate: 50, seconds: 10, customers: 1_000, invoices: 20_000 }),
  ...(env('RELIABILITY_LOAD_RATE') ? { rate: env('RELIABILITY_LOAD_RATE') as number } : {}),
  ...(env('RELIABILITY_LOAD_SECONDS')
    ? { seconds: env('RELIABILITY_LOAD_SECONDS') as number }
    : {}),
};
const USERS = Array.from({ length: 50 }, (_, i) => `ULOAD${String(i + 1).padStart(3, '0')}`);
/** The acknowledgement promised at the 99th percentile; Slack itself gives up at 3 s. */
const ACK_P99_MS = 1_000;
const SETUP_MS = FULL ? 900_000 : 180_000;

let bot: ReliabilityBot;
let answers: BenchSlack;
let shots: Shot[] = [];
let found: LoadFigures;
const ledger = benchLedger(LOAD);

beforeAll(async () => {
  answers = await startBenchSlack();
  bot = await startBot({
    prepare: ledger.prepare,
    ...(PROFILE_DIR
      ? {
          env: {
            NODE_OPTIONS: `--import ${join(import.meta.dirname, 'support/cpu-profile.mjs')}`,
            CPU_PROFILE_DIR: PROFILE_DIR,
          },
        }
      : {}),
  });
  const queries = drawQueries(ledger.named(), Math.round(LOAD.rate * LOAD.seconds) + USERS.length);
  const schedule = {
    url: `${bot.baseUrl}${SLACK_PATH}`,
    signingSecret: bot.secrets.slackSigningSecret,
    answers,
    users: USERS,
    answerTimeoutMs: 30_000,
  };
  // Everyone once, as a desk that has used the bot before: each person's identity is made
  // on their first request, not in the middle of the measured minute.
  await fire({
    ...schedule,
    queries: queries.slice(-USERS.length),
    rate: 10,
    seconds: USERS.length / 10,
  });
  shots = await fire({ ...schedule, queries, rate: LOAD.rate, seconds: LOAD.seconds });
  found = figures(shots);
  const counts = ledger.counts();
  console.info(
    `/credit load on ${bot.engine} (${counts?.customers} customers, ${counts?.invoices} invoices): ${JSON.stringify(found)}`,
  );
}, SETUP_MS);
afterAll(async () => {
  await bot?.close();
  await answers?.close();
});

describe(`${LOAD.rate} signed /credit requests a second for ${LOAD.seconds} s`, () => {
  it('acknowledges every one with 200 and answers every one', () => {
    expect(shots).toHaveLength(LOAD.rate * LOAD.seconds);
    const failed = shots.filter((s) => s.status !== 200 || s.answer === undefined);
    expect(
      failed.slice(0, 5).map((s) => `${s.status} ${s.query.kind} "${s.query.text}": ${s.error}`),
    ).toEqual([]);
    expect(found.errors).toBe(0);
  });

  it(`acknowledges 99 % within ${ACK_P99_MS} ms`, () => {
    expect(found.ack.p99).toBeLessThan(ACK_P99_MS);
  });

  it('answers with the customer, never with an internal error', () => {
    const internal = internalErrorPrefixes();
    expect(shots.filter((s) => internal.some((p) => s.answer?.includes(p)))).toEqual([]);
    // Codes and exact names find their customer; half-remembered names may get a pick list.
    expect(found.namedPercent).toBeGreaterThan(50);
  });
});

describe('afterwards', () => {
  it('audits what the requests wrote, leaks no secret, logs no error', async () => {
    // Look-ups write the askers themselves, each made on their first request, and settle
    // promises to pay whose day has come as the card shows them (kept or broken).
    const { people, entries } = await bot.read(async (db) => ({
      people: await db
        .selectFrom('platform_identities')
        .select('user_id')
        .where('external_id', 'like', 'ULOAD%')
        .execute(),
      entries: await auditEntries(db),
    }));
    expect(people).toHaveLength(USERS.length);
    const made = entries.filter((e) => e.action === 'user.create');
    expect(made.map((e) => e.entity_id).sort()).toEqual(
      people.map((p) => String(p.user_id)).sort(),
    );
    expect(made.filter((e) => !e.actor || e.after === null || e.before !== null)).toEqual([]);
    const settled = entries.filter((e) => e.action !== 'user.create');
    expect(settled.filter((e) => !/^promise\.(kept|broken)$/.test(e.action))).toEqual([]);
    expect(new Set(settled.map((e) => e.entity_id)).size).toBe(settled.length);
    expect(settled.filter((e) => !e.actor || e.after === null || e.before === null)).toEqual([]);
    expect(bot.leakedSecrets()).toEqual([]);
    expect(bot.logRecords().filter((r) => r.level === 'error')).toEqual([]);
    expect(bot.exits.filter((e) => e.code !== 0)).toEqual([]);
  });
});
