import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleText } from '../../../src/adapters/telegram/telegram-limits.ts';
import { addSubscription } from '../../../src/app/channels.ts';
import type { OutboxDelivery } from '../../../src/app/outbox-ports.ts';
import type { Card } from '../../../src/chat/card.ts';
import { digestJob } from '../../../src/jobs/digest-job.ts';
import { parseTelegramHtml } from '../../support/fake-telegram.ts';
import { schedulerReplicas, tickAll } from '../../support/replicas.ts';
import {
  messageUpdate,
  startTelegramBot,
  type TelegramBot,
  type TelegramChat,
  type TelegramPerson,
} from '../../support/telegram-bot.ts';

// The morning digest in Telegram groups: subscribed by command from the group or by the
// CLI, queued once at the group's 09:00 and sent by the outbox worker through the Telegram
// deliverer, in the group's language, its aging chart as a picture right after it.

let tg: TelegramBot;
const TOKYO: TelegramChat = { id: -1001000000001, type: 'supergroup' };
const SHANGHAI: TelegramChat = { id: -1001000000002, type: 'supergroup' };
const MANAGER: TelegramPerson = { id: 2201, firstName: 'Tanaka' };

beforeAll(async () => {
  tg = await startTelegramBot({ base: 'demo' });
  await tg.database.store.users.create({
    identity: { platform: 'telegram', externalId: String(MANAGER.id) },
    displayName: 'Tanaka Credit',
    role: 'admin',
  });
  // 2026-11-23 is a Japanese holiday: this group takes every day.
  await addSubscription(tg.database.store, 'cli:test', {
    channel: `telegram:${TOKYO.id}`,
    kind: 'digest',
    localTime: '09:00',
    timeZone: 'Asia/Tokyo',
    locale: 'ja',
    businessDaysOnly: false,
    defaultTimeZone: 'UTC',
    defaultLocale: 'en',
  });
});
afterAll(async () => {
  await tg?.close();
});

const digestTexts = (chat: TelegramChat) => tg.fake.sentTo(chat.id).map((c) => String(c.args.text));

describe('the daily digest in a Telegram group', () => {
  it('is subscribed from the group itself with /subscribe', async () => {
    await tg.send(
      messageUpdate({
        text: '/subscribe@creditops_test_bot digest 09:00 Asia/Shanghai zh',
        from: MANAGER,
        chat: SHANGHAI,
      }),
    );
    const answer = tg.fake.sentTo(SHANGHAI.id).at(-1);
    expect(answer?.args.parse_mode).toBe('HTML');
    const stored = await tg.database.db
      .selectFrom('subscriptions as s')
      .innerJoin('channels as c', 'c.id', 's.channel_id')
      .select(['s.kind', 's.local_time', 'c.locale', 'c.timezone'])
      .where('c.platform', '=', 'telegram')
      .where('c.external_id', '=', String(SHANGHAI.id))
      .execute();
    expect(stored).toEqual([
      { kind: 'digest', local_time: '09:00:00', locale: 'zh', timezone: 'Asia/Shanghai' },
    ]);
  });

  it('is sent once per group by the outbox worker, in the group’s language', async () => {
    const instances = schedulerReplicas({
      jobs: [digestJob(tg.core)],
      db: tg.database.db,
      clock: tg.core.clock,
    });
    await tickAll(instances);
    await tickAll(instances);
    expect(await tg.deliver()).toBeGreaterThan(0);

    const tokyo = digestTexts(TOKYO);
    expect(tokyo.length).toBeGreaterThan(0);
    expect(tokyo[0]).toMatch(/^<b>与信日次ダイジェスト/);
    expect(tokyo.join('\n')).toContain('売掛金残高');
    expect(digestTexts(SHANGHAI).join('\n')).toContain('信用日报');
    for (const text of [...tokyo, ...digestTexts(SHANGHAI)]) {
      expect(text.length).toBeLessThanOrEqual(4096);
      expect(parseTelegramHtml(text)).not.toHaveProperty('error');
    }
    const sent = await tg.database.db
      .selectFrom('outbox')
      .select(['status', 'platform_ref', (eb) => eb.ref('payload', '->>').key('type').as('type')])
      .where('subject_type', '=', 'digest')
      .where('channel_external_id', '=', String(TOKYO.id))
      .orderBy('id')
      .execute();
    expect(sent.map((m) => [m.type, m.status])).toEqual([
      ['digest', 'sent'],
      ['digest_chart', 'sent'],
    ]);
    expect(sent[0]?.platform_ref).toMatch(new RegExp(`^${TOKYO.id}:\\d+(,\\d+)*$`));

    // Another round sends nothing again.
    const calls = tg.fake.calls.length;
    expect(await tg.deliver()).toBe(0);
    expect(tg.fake.calls.length).toBe(calls);
  });

  it('sends the aging chart as a picture right after the digest, titled in the group’s language', () => {
    const photo = tg.fake
      .callsTo('sendPhoto')
      .find((c) => String(c.args.chat_id) === String(TOKYO.id));
    expect(photo?.status).toBe(200);
    expect(String(photo?.args.caption)).toContain('売掛金エイジング');
    expect(photo?.args.parse_mode).toBe('HTML');
    const [file] = photo?.files ?? [];
    expect(file?.name).toBe('aging-2026-11-23.png');
    const image = PNG.sync.read(file?.bytes ?? Buffer.alloc(0));
    expect(image.width).toBeGreaterThan(0);
    const order = tg.fake.calls.filter((c) => String(c.args.chat_id) === String(TOKYO.id));
    expect(order.at(-1)?.method).toBe('sendPhoto');
    expect(order[0]?.method).toBe('sendMessage');
  });
});

describe('a card too long for one Telegram message', () => {
  const GROUP = '-1001000000009';
  const lines = Array.from(
    { length: 120 },
    (_, i) => `Invoice INV-${i} <disputed> & "open" ¥${i},000,000 — 督促`,
  );
  const card = (status: string): Card => ({
    title: `Overdue invoices — ${status}`,
    sections: [
      {
        heading: 'Aging',
        table: {
          columns: ['Customer', 'Overdue', 'Days'],
          rows: Array.from({ length: 60 }, (_, i) => [`C${1000 + i}`, `¥${i * 1000}`, `${i}`]),
          align: ['left', 'right', 'right'],
        },
      },
    ],
    lines,
    actions: [{ label: 'Open', command: '/credit C0001' }],
    locale: 'en',
  });
  const delivery = (kind: OutboxDelivery['kind'], refs: string[] = []): OutboxDelivery => ({
    id: 1,
    platform: 'telegram',
    channel: GROUP,
    kind,
    payload: {},
    attempts: 1,
    updateRefs: refs,
  });

  it('goes out in parts under 4,096, cut between lines, the keyboard on the last', async () => {
    tg.fake.reset();
    const tokens = ['t'.repeat(16)];
    const { ref } = await tg.adapter.deliverer.deliver(delivery('post'), {
      card: card('open'),
      tokens,
    });
    const parts = tg.fake.sentTo(GROUP);
    expect(parts.length).toBeGreaterThan(1);
    expect(ref).toBe(`${GROUP}:${parts.map((p) => tg.fake.messageId(p)).join(',')}`);
    const shown = parts.map((p) => {
      expect(String(p.args.text).length).toBeLessThanOrEqual(4096);
      return visibleText(String(p.args.text)) ?? '';
    });
    for (const line of lines) expect(shown.join('\n')).toContain(line);
    expect(parts.slice(0, -1).every((p) => p.args.reply_markup === undefined)).toBe(true);
    expect(parts.at(-1)?.args.reply_markup).toEqual({
      inline_keyboard: [[{ text: 'Open', callback_data: tokens[0] }]],
    });

    // An edit reaches every part it was posted in; the parts that read the same are
    // refused as "not modified", which is what was wanted.
    await expect(
      tg.adapter.deliverer.deliver(delivery('update', [ref ?? '']), {
        card: card('closed'),
        tokens,
      }),
    ).resolves.toEqual({});
    const edits = tg.fake.callsTo('editMessageText');
    expect(edits.map((e) => e.args.message_id)).toEqual(parts.map((p) => tg.fake.messageId(p)));
    expect(edits[0]?.status).toBe(200);
    expect(String(edits[0]?.args.text)).toContain('closed');
    for (const edit of edits.slice(1)) expect(edit.error).toMatch(/message is not modified/);
  });
});
