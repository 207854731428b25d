import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryKey } from '../../src/adapters/line/line-quota.ts';
import type { DB } from '../../src/db/schema.ts';
import { textEvent } from '../support/line-bot.ts';
import {
  plainTextInputValue,
  staticSelectValue,
  viewSubmissionBody,
} from '../support/slack-requests.ts';
import { messageUpdate, privateChat } from '../support/telegram-bot.ts';
import { auditEntries, auditGaps } from './support/audit.ts';
import { CAST, CAST_SEED } from './support/cast.ts';
import { type ReliabilityBot, startBot } from './support/harness.ts';

// Every platform delivers some events more than once: Slack retries what was not answered in
// three seconds (X-Slack-Retry-Num), LINE redelivers (same webhookEventId, isRedelivery),
// Telegram re-sends an update, an API client repeats a request with its Idempotency-Key.
// Here each is delivered three times — across a restart of the bot, too — and each must
// take effect once: one row, one answer, one audit entry.

let bot: ReliabilityBot;
const { collector, manager } = CAST;

beforeAll(async () => {
  bot = await startBot({ seed: CAST_SEED });
});
afterAll(async () => {
  await bot?.close();
});

/** Time for a wrong second answer to show before the count is taken. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));
const ANSWER_MS = 15_000;

describe('each delivery three times', () => {
  it('Slack: a slash command retried with X-Slack-Retry-Num logs one contact, answered once', async () => {
    const send = (retryNum?: number) =>
      bot.slack.command('log C001 call reached [dup slack command]', {
        userId: collector.slack,
        responseId: 'dup-command',
        triggerId: 'dup-trigger-command',
        ...(retryNum ? { retryNum, retryReason: 'http_timeout' } : {}),
      });
    expect((await send()).status).toBe(200);
    await bot.fakes.slack.waitForResponse('dup-command', 1, ANSWER_MS);
    expect((await send(1)).status).toBe(200);
    expect((await send(2)).status).toBe(200);
    await settle();
    expect(bot.fakes.slack.responses.filter((r) => r.id === 'dup-command')).toHaveLength(1);
  });

  it('Slack: the contact form submitted three times logs one contact', async () => {
    await bot.slack.command('log C001', {
      userId: collector.slack,
      responseId: 'dup-form',
      triggerId: 'dup-trigger-form',
    });
    const opened = await bot.fakes.slack.waitFor(
      () =>
        bot.fakes.slack.callsTo('views.open').find((c) => c.args.trigger_id === 'dup-trigger-form'),
      ANSWER_MS,
      'the contact form',
    );
    const view = opened.args.view as { callback_id: string; private_metadata: string };
    const submission = viewSubmissionBody({
      userId: collector.slack,
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      viewId: 'V-DUP-FORM',
      values: {
        method: { method: staticSelectValue('visit') },
        outcome: { outcome: staticSelectValue('reached') },
        note: { note: plainTextInputValue('[dup slack form]') },
      },
    });
    // A modal is answered only after the work is done: each retry is complete when it returns.
    for (const retryNum of [undefined, 1, 2]) {
      const response = await bot.slack.post(submission, {
        ...(retryNum ? { retryNum, retryReason: 'http_timeout' } : {}),
      });
      expect(response.status).toBe(200);
    }
    await settle();
    expect(bot.fakes.slack.responses.filter((r) => r.id === 'dup-form')).toHaveLength(1);
  });

  it('Slack: a limit request and its approval, each sent three times, make one of each', async () => {
    const request = (retryNum?: number) =>
      bot.slack.command('limit C002 3500000 [dup] busier season', {
        userId: collector.slack,
        responseId: 'dup-limit',
        triggerId: 'dup-trigger-limit',
        ...(retryNum ? { retryNum, retryReason: 'http_timeout' } : {}),
      });
    const approve = (id: string, retryNum?: number) =>
      bot.slack.command(`approve ${id}`, {
        userId: manager.slack,
        responseId: 'dup-approve',
        triggerId: 'dup-trigger-approve',
        ...(retryNum ? { retryNum, retryReason: 'http_timeout' } : {}),
      });
    await request();
    const asked = await bot.fakes.slack.waitForResponse('dup-limit', 1, ANSWER_MS);
    const id = /#(\d+)/.exec(JSON.stringify(asked.body))?.[1] ?? '';
    expect(id, JSON.stringify(asked.body)).not.toBe('');
    await request(1);
    await approve(id);
    await bot.fakes.slack.waitForResponse('dup-approve', 1, ANSWER_MS);
    await approve(id, 1);
    // The last retry of the request comes after the limit it asked for was granted: still a
    // repeat, not a refusal that there is nothing to change.
    await request(2);
    await approve(id, 2);
    await settle();
    const answers = (responseId: string) =>
      bot.fakes.slack.responses.filter((r) => r.id === responseId).map((r) => r.body);
    expect(answers('dup-limit'), JSON.stringify(answers('dup-limit'))).toHaveLength(1);
    expect(answers('dup-approve'), JSON.stringify(answers('dup-approve'))).toHaveLength(1);
    const limit = await bot.api('/customers/C002', { token: 'reader' });
    expect(await limit.json()).toMatchObject({ creditLimitMinor: 3_500_000 });
  });

  it('LINE: an event redelivered twice logs one contact and its promise, answered once', async () => {
    const event = (redelivery: boolean, replyToken: string) =>
      textEvent('/credit log C002 call promise 2099-01-15 500000 [dup line]', {
        userId: collector.line,
        webhookEventId: '01JDUPLICATELINEEVENT00001',
        redelivery,
        replyToken,
      });
    expect((await bot.line.events(event(false, 'rt-dup-1'))).status).toBe(200);
    await bot.fakes.line.waitFor(() => bot.fakes.line.replies()[0], ANSWER_MS);
    expect((await bot.line.events(event(true, 'rt-dup-2'))).status).toBe(200);
    expect((await bot.line.events(event(true, 'rt-dup-3'))).status).toBe(200);
    await settle();
    expect(bot.fakes.line.replies().map((d) => d.to)).toEqual(['reply:rt-dup-1']);
    // Nor pushed instead: an answer that misses its reply token is pushed under the event's key.
    const eventKey = retryKey('creditops:event:01JDUPLICATELINEEVENT00001');
    expect(bot.fakes.line.pushes().filter((p) => p.retryKey === eventKey)).toEqual([]);
  });

  it('Telegram: an update sent twice, and again after the bot was killed, logs one contact', async () => {
    const update = messageUpdate({
      text: '/credit log C003 email no-answer [dup telegram]',
      from: collector.telegram,
      chat: privateChat(collector.telegram),
    });
    const answers = () =>
      bot.fakes.telegram
        .callsTo('sendMessage')
        .filter(
          (c) =>
            (c.args.reply_parameters as { message_id?: number } | undefined)?.message_id ===
            update.message.message_id,
        );
    expect((await bot.telegram.post(update)).status).toBe(200);
    await bot.fakes.telegram.waitFor(() => answers()[0], ANSWER_MS, 'the answer');
    expect((await bot.telegram.post(update)).status).toBe(200);
    await settle();
    // The process that remembered the update id is gone; the database still knows it.
    expect(await bot.restart('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect((await bot.telegram.post(update)).status).toBe(200);
    await settle();
    expect(answers()).toHaveLength(1);
  });

  it('REST: a batch sent twice with its Idempotency-Key, and again after a restart, applies once', async () => {
    const batch = {
      items: [{ code: 'C010', legalName: 'Dup Trading KK', country: 'JP', currency: 'JPY' }],
    };
    const send = () =>
      bot.api('/customers', { body: batch, headers: { 'idempotency-key': 'dup-batch-1' } });
    const first = await send();
    expect(first.status).toBe(200);
    const applied = await first.json();
    expect(applied).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    const again = await send();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(applied);
    expect(await bot.restart('SIGTERM')).toEqual({ code: 0, signal: null });
    const afterRestart = await send();
    expect(afterRestart.status).toBe(200);
    expect(afterRestart.headers.get('idempotent-replayed')).toBe('true');
    expect(await afterRestart.json()).toEqual(applied);
  });
});

describe('in the database', () => {
  let found: Awaited<ReturnType<typeof readEffects>>;
  beforeAll(async () => {
    found = await bot.read(readEffects);
  });

  it('holds each effect once', () => {
    expect(found.contacts).toEqual([
      { note: '[dup slack command]', method: 'call', outcome: 'reached' },
      { note: '[dup slack form]', method: 'visit', outcome: 'reached' },
      { note: '[dup line]', method: 'call', outcome: 'promise' },
      { note: '[dup telegram]', method: 'email', outcome: 'no_answer' },
    ]);
    expect(found.promises).toEqual([{ amount_minor: 500_000, promised_on: '2099-01-15' }]);
    expect(found.requests).toEqual([{ status: 'approved' }]);
    expect(found.decisions).toEqual([{ decision: 'approve' }]);
    expect(found.customers).toHaveLength(1);
    expect(found.keys).toEqual([{ key: 'dup-batch-1' }]);
  });

  it('audits every change once, with its actor, before and after', () => {
    expect(found.gaps).toEqual([]);
    expect(found.entries.map((e) => e.action).sort()).toEqual(
      [
        'api.upsert',
        'approval.approved',
        'approval.request',
        'contact.log',
        'contact.log',
        'contact.log',
        'contact.log',
        'customer.limit',
        'promise.create',
      ].sort(),
    );
    const limit = found.entries.find((e) => e.action === 'customer.limit');
    expect(limit?.before).toMatchObject({ creditLimitMinor: 3_000_000 });
    expect(limit?.after).toMatchObject({ creditLimitMinor: 3_500_000 });
    expect(found.entries.find((e) => e.action === 'api.upsert')).toMatchObject({
      actor: 'ledger',
      entity_id: 'dup-batch-1',
    });
  });
});

/** Everything the deliveries above could have written more than once, in one read. */
async function readEffects(db: Kysely<DB>) {
  return {
    contacts: await db
      .selectFrom('contacts')
      .select(['note', 'method', 'outcome'])
      .orderBy('id')
      .execute(),
    promises: await db.selectFrom('promises').select(['amount_minor', 'promised_on']).execute(),
    requests: await db.selectFrom('approval_requests').select(['status']).execute(),
    decisions: await db.selectFrom('approval_decisions').select(['decision']).execute(),
    customers: await db.selectFrom('customers').select('code').where('code', '=', 'C010').execute(),
    keys: await db.selectFrom('idempotency_keys').select('key').execute(),
    gaps: await auditGaps(db),
    entries: await auditEntries(db),
  };
}

describe('the logs', () => {
  it('hold no token, signing secret or API key, and no error', () => {
    expect(bot.leakedSecrets()).toEqual([]);
    expect(bot.logRecords().filter((r) => r.level === 'error')).toEqual([]);
    // Every stop but the kill was a SIGTERM (a restart, an embedded read), ended cleanly.
    expect(bot.exits.filter((e) => e.signal !== 'SIGKILL' && e.code !== 0)).toEqual([]);
  });
});
