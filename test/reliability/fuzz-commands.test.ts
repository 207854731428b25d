import type { types } from '@slack/bolt';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockKitViolations } from '../../src/adapters/slack/slack-limits.ts';
import { textEvent } from '../support/line-bot.ts';
import { slashCommandBody } from '../support/slack-requests.ts';
import { messageUpdate, privateChat } from '../support/telegram-bot.ts';
import { CAST, CAST_SEED } from './support/cast.ts';
import { fingerprint, SCHEDULER_TABLES } from './support/engine.ts';
import { answerProblems, FUZZ_SEED, hostileCommand, hostileText } from './support/fuzz.ts';
import { type ReliabilityBot, startBot } from './support/harness.ts';

// Fuzzed command text through every way in, from a viewer (who may only look customers up):
// every message is answered — with a card, the usage or a message in the reader's language,
// never the internal-error answer or an untranslated key — in a form the platform would
// take, the process never falls over, and nothing is written. The one thing a look-up may
// write is the action tokens behind its buttons, so those are left out of the comparison.
// The paths that write get the same text too: a collector's `/credit log <fuzz>`, and REST
// batches of fuzzed fields, each beside a bad item so that the whole batch must be refused.

const RUNS = 100;
const ANSWER_MS = 15_000;
/** Bolt's body limit as the Slack adapter sets it. */
const SLACK_BODY_LIMIT = 64 * 1024;
const WRITE_FREE = [...SCHEDULER_TABLES, 'action_tokens'];

let bot: ReliabilityBot;
let before: Record<string, string>;
const { viewer, collector } = CAST;
const settings = (runs = RUNS) => ({ numRuns: runs, seed: FUZZ_SEED, endOnFailure: true });

beforeAll(async () => {
  bot = await startBot({ seed: CAST_SEED });
  before = await bot.read((db) => fingerprint(db, WRITE_FREE));
});
afterAll(async () => {
  await bot?.close();
});

let deliveries = 0;

describe('fuzzed commands', () => {
  it('Slack: a viewer’s slash commands are answered within Block Kit’s limits', async () => {
    await fc.assert(
      fc.asyncProperty(hostileCommand, async (text) => {
        deliveries += 1;
        const id = `fuzz-${deliveries}`;
        const raw = slashCommandBody({
          text,
          userId: viewer.slack,
          responseUrl: bot.fakes.slack.responseUrl(id),
        });
        const response = await bot.slack.post(raw);
        if (Buffer.byteLength(raw) > SLACK_BODY_LIMIT) {
          expect(response.status).toBe(413);
          return;
        }
        expect(response.status).toBe(200);
        const answer = await bot.fakes.slack.waitForResponse(id, 1, ANSWER_MS);
        const body = answer.body as { blocks?: types.AnyBlock[] };
        expect(answerProblems(JSON.stringify(body))).toEqual([]);
        expect(blockKitViolations('message', body.blocks ?? [])).toEqual([]);
      }),
      settings(),
    );
  });

  it('LINE: a viewer’s messages are answered with replies LINE would take', async () => {
    await fc.assert(
      fc.asyncProperty(hostileCommand, fc.boolean(), async (text, prefixed) => {
        deliveries += 1;
        const replyToken = `rt-fuzz-${deliveries}`;
        // In a 1:1 chat anything typed is a command; /credit may come first or not.
        const event = textEvent(prefixed ? `/credit ${text}` : text, {
          userId: viewer.line,
          replyToken,
        });
        expect((await bot.line.events(event)).status).toBe(200);
        // The fake refuses (400) what LINE would; the adapter then has nothing to show here.
        const reply = await bot.fakes.line.waitFor(
          () => bot.fakes.line.replies().find((r) => r.to === `reply:${replyToken}`),
          ANSWER_MS,
        );
        expect(answerProblems(JSON.stringify(reply.messages))).toEqual([]);
      }),
      settings(),
    );
  });

  it('Telegram: a viewer’s commands are answered with messages Telegram would take', async () => {
    const telegram = bot.fakes.telegram;
    await fc.assert(
      fc.asyncProperty(hostileCommand, async (text) => {
        const update = messageUpdate({
          text: `/credit ${text}`,
          from: viewer.telegram,
          chat: privateChat(viewer.telegram),
        });
        const messageId = update.message.message_id;
        expect((await bot.telegram.post(update)).status).toBe(200);
        // The answer's first part replies to the command; the fake refuses (400) what
        // Telegram would, which fails here at once instead of timing out.
        const answer = await telegram.waitFor(
          () => {
            const calls = telegram
              .callsTo('sendMessage')
              .filter(
                (c) =>
                  (c.args.reply_parameters as { message_id?: number } | undefined)?.message_id ===
                  messageId,
              );
            const refused = calls.find((c) => c.status !== 200);
            if (refused) throw new Error(`Telegram refused the answer: ${refused.error}`);
            return calls[0];
          },
          ANSWER_MS,
          `the answer to message ${messageId}`,
        );
        expect(answerProblems(String(answer.args.text))).toEqual([]);
      }),
      settings(),
    );
  });

  it('REST: look-ups by any code or date answer 200, 400 or 404 (431 past Node’s URL limit)', async () => {
    // Percent-escapes that decode to no text at all, and path tricks, beside fuzzed text.
    const rawSegment = fc
      .array(
        fc.constantFrom('%FF', '%', '%C0%AF', '%00', '%2F', '..', '%E0%A4%A', '%25', ';', '?x='),
        {
          minLength: 1,
          maxLength: 6,
        },
      )
      .map((parts) => parts.join(''));
    const segment = fc.oneof(
      hostileText.map((t) => encodeURIComponent(t.toWellFormed())),
      rawSegment,
    );
    await fc.assert(
      fc.asyncProperty(segment, fc.boolean(), async (text, byCode) => {
        const path = byCode
          ? `/customers/${text}`
          : `/aging?asOf=${text}&currency=${text.slice(0, 9)}`;
        const response = await bot.api(path, { token: 'reader' });
        // Node refuses a request line over its 16 KB header limit before the API sees it.
        if (path.length > 16 * 1024) {
          expect(response.status).toBe(431);
          return;
        }
        expect([200, 400, 404]).toContain(response.status);
        const body = (await response.json()) as { title?: string; detail?: string };
        if (response.status !== 200) {
          expect(response.headers.get('content-type')).toContain('application/problem+json');
          expect(answerProblems(`${body.title} ${body.detail}`)).toEqual([]);
        }
      }),
      settings(),
    );
  });

  it('REST: a batch of fuzzed fields beside one bad item is refused whole, item by item', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, async (text, other) => {
        const fuzzed = {
          code: text.slice(0, 70),
          legalName: other,
          nameKana: text,
          aliases: [other.slice(0, 20), text],
          country: text.slice(0, 3),
          currency: 'JPY',
          creditLimit: other.slice(0, 24),
        };
        // Whatever the fuzzed item is, the batch has a bad one, so nothing may be written.
        const response = await bot.api('/customers', { body: { items: [fuzzed, { code: 'X' }] } });
        expect(response.status).toBe(422);
        const problem = (await response.json()) as { errors: { item: number; message: string }[] };
        expect(problem.errors.some((e) => e.item === 1)).toBe(true);
        expect(answerProblems(problem.errors.map((e) => e.message).join('\n'))).toEqual([]);
      }),
      settings(),
    );
  });

  it('Slack: a collector’s `/credit log <fuzz>` gets an answer or the entry form, and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, async (text) => {
        deliveries += 1;
        const id = `fuzz-log-${deliveries}`;
        const triggerId = `trigger-${id}`;
        const raw = slashCommandBody({
          text: `log ${text}`,
          userId: collector.slack,
          triggerId,
          responseUrl: bot.fakes.slack.responseUrl(id),
        });
        const response = await bot.slack.post(raw);
        if (Buffer.byteLength(raw) > SLACK_BODY_LIMIT) {
          expect(response.status).toBe(413);
          return;
        }
        expect(response.status).toBe(200);
        // Text that names a customer but no contact opens the entry form instead.
        const answer = await bot.fakes.slack.waitFor(
          () =>
            bot.fakes.slack.responses.find((r) => r.id === id)?.body ??
            bot.fakes.slack.callsTo('views.open').find((c) => c.args.trigger_id === triggerId)?.args
              .view,
          ANSWER_MS,
          `the answer to ${id}`,
        );
        expect(answerProblems(JSON.stringify(answer))).toEqual([]);
      }),
      settings(50),
    );
  });
});

describe('after the fuzz', () => {
  it('still serves, logged no error, and wrote nothing but button tokens', async () => {
    expect(bot.running()).toBe(true);
    expect(await bot.healthz()).toBe(200);
    expect(bot.logRecords().filter((r) => r.level === 'error')).toEqual([]);
    expect(await bot.read((db) => fingerprint(db, WRITE_FREE))).toEqual(before);
    // Each stop for an embedded read was a SIGTERM, and each ended cleanly.
    expect(bot.exits.filter((e) => e.code !== 0)).toEqual([]);
  });

  it('logged no token, signing secret or API key', () => {
    expect(bot.leakedSecrets()).toEqual([]);
  });
});
