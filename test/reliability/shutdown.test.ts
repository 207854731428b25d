import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditGaps } from './support/audit.ts';
import { CAST, CAST_SEED } from './support/cast.ts';
import { type ReliabilityBot, startBot } from './support/harness.ts';

// SIGTERM is how a supervisor (systemd, Kubernetes, docker stop) ends the bot on every deploy.
// What was taken before it must not be lost: commands already acknowledged get their answers,
// a message the outbox is delivering is delivered once, and the process exits with 0.

let bot: ReliabilityBot;
const { viewer, collector, manager } = CAST;

beforeAll(async () => {
  bot = await startBot({ seed: CAST_SEED });
});
afterAll(async () => {
  await bot?.close();
});

describe('SIGTERM', () => {
  it('answers every command acknowledged before it, then exits with 0', async () => {
    const ids = Array.from({ length: 40 }, (_, n) => `burst-${n}`);
    const acks = await Promise.all(
      ids.map((id, n) =>
        bot.slack.command(['C001', 'C002', 'C003', 'さくら'][n % 4] ?? 'C001', {
          userId: viewer.slack,
          responseId: id,
          triggerId: `trigger-${id}`,
        }),
      ),
    );
    expect(acks.map((a) => a.status)).toEqual(ids.map(() => 200));
    const exit = await bot.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    const answered = new Set(bot.fakes.slack.responses.map((r) => r.id));
    expect(ids.filter((id) => !answered.has(id))).toEqual([]);
    expect(bot.logRecords().filter((r) => r.level === 'error')).toEqual([]);
    await bot.start();
  });

  it('delivers a notice the outbox was sending once, across the stop', async () => {
    await bot.slack.command('limit C002 3500000 new orders from the Kobe plant', {
      userId: collector.slack,
      responseId: 'ask',
      triggerId: 'trigger-ask',
    });
    await bot.fakes.slack.waitForResponse('ask', 1, 15_000);
    const request = await bot.read((db) =>
      db.selectFrom('approval_requests').select('id').executeTakeFirstOrThrow(),
    );
    const sent = () => ({
      slack: bot.fakes.slack.callsTo('chat.postMessage').length,
      line: bot.fakes.line.pushes().length,
      telegram: bot.fakes.telegram.callsTo('sendMessage').length,
    });
    const postsBefore = bot.fakes.slack.callsTo('chat.postMessage').length;
    const before = sent();
    // Slack takes its time with the notice to the requester: the stop comes while it is on
    // its way (or, had the worker not claimed it yet, before it).
    bot.fakes.slack.delayNext('chat.postMessage', 3_000);
    await bot.slack.command(`approve ${request.id}`, {
      userId: manager.slack,
      responseId: 'decide',
      triggerId: 'trigger-decide',
    });
    await bot.fakes.slack.waitForResponse('decide', 1, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const exit = await bot.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    await bot.start();
    const outbox = () =>
      bot.read((db) =>
        db
          .selectFrom('outbox')
          .select(['platform', 'status', 'attempts'])
          .where('subject_id', '=', String(request.id))
          .execute(),
      );
    await bot.fakes.slack.waitFor(
      () => bot.fakes.slack.callsTo('chat.postMessage').length > postsBefore || undefined,
      20_000,
      'the notice',
    );
    // Time for a second delivery to show, were the first one not recorded as sent.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const rows = await outbox();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    // One message per address of the requester, each sent once: no more arrived than queued.
    const after = sent();
    for (const platform of ['slack', 'line', 'telegram'] as const) {
      expect(after[platform] - before[platform], platform).toBe(
        rows.filter((r) => r.platform === platform).length,
      );
    }
  });

  it('audited every change once and leaked no secret', async () => {
    expect(await bot.read((db) => auditGaps(db))).toEqual([]);
    expect(bot.leakedSecrets()).toEqual([]);
    expect(bot.exits.every((e) => e.code === 0)).toBe(true);
  });
});
