import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../support/fake-telegram.ts';
import {
  messageUpdate,
  privateChat,
  startTelegramBot,
  TELEGRAM_SECRET,
  type TelegramBot,
  type TelegramChat,
  type TelegramPerson,
  WEBHOOK_URL,
} from '../../support/telegram-bot.ts';

// Real grammY on the bot's HTTP server, fed webhook updates, against a fake Bot API.

let tg: TelegramBot;
let startCalls: RecordedCall[];

const SALES: TelegramPerson = { id: 4242, firstName: 'Suzuki' };
const STRANGER: TelegramPerson = { id: 5151, firstName: 'Mallory' };
const GROUP: TelegramChat = { id: -1001234567890, type: 'supergroup' };

beforeAll(async () => {
  tg = await startTelegramBot({ base: 'demo' });
  startCalls = [...tg.fake.calls];
  await tg.database.store.users.create({
    identity: { platform: 'telegram', externalId: String(SALES.id) },
    displayName: 'Suzuki Sales',
    role: 'sales',
  });
});
afterAll(async () => {
  await tg?.close();
});
beforeEach(() => tg.fake.reset());

type Button = { text: string; callback_data?: string };
const keyboardOf = (call: RecordedCall | undefined) =>
  (
    (call?.args.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []
  ).flat();
const textOf = (calls: readonly RecordedCall[]) => calls.map((c) => String(c.args.text)).join('\n');

describe('starting the bot', () => {
  it('sets the command menu in en, ja and zh, then the webhook with its secret', () => {
    const menus = startCalls.filter((c) => c.method === 'setMyCommands');
    expect(menus.map((c) => c.args.language_code)).toEqual([undefined, 'en', 'ja', 'zh']);
    const names = ((menus[0]?.args.commands ?? []) as { command: string }[]).map((c) => c.command);
    expect(names).toEqual(
      expect.arrayContaining([
        'credit',
        'log',
        'limit',
        'phase',
        'aging',
        'approvals',
        'help',
        'lang',
      ]),
    );
    const ja = ((menus[2]?.args.commands ?? []) as { command: string; description: string }[]).find(
      (c) => c.command === 'limit',
    );
    expect(ja?.description).toContain('与信限度額');
    const webhook = startCalls.find((c) => c.method === 'setWebhook');
    expect(webhook?.args).toMatchObject({ url: WEBHOOK_URL, secret_token: TELEGRAM_SECRET });
    expect(webhook?.args.allowed_updates).toEqual(['message', 'callback_query']);
  });
});

describe('/credit by webhook', () => {
  it('acknowledges and answers with an HTML card and an inline keyboard', async () => {
    const response = await tg.send(
      messageUpdate({ text: '/credit アクメ', from: SALES, chat: privateChat(SALES) }),
    );
    expect(response.status).toBe(200);
    const [card] = tg.fake.sentTo(SALES.id);
    expect(card?.args.parse_mode).toBe('HTML');
    expect(String(card?.args.text)).toMatch(/^<b>株式会社アクメ<\/b>\n[🟢🟡🔴] <b>/u);
    for (const label of ['Score / rating', 'Credit limit', 'Exposure', 'Credit phase', 'Owner']) {
      expect(String(card?.args.text)).toContain(`<b>${label}</b>: `);
    }
    const buttons = keyboardOf(card);
    expect(buttons.map((b) => b.text)).toEqual(
      expect.arrayContaining(['Log contact', 'Request limit change', 'Propose phase change']),
    );
    // Buttons carry the core's opaque tokens, never the command.
    for (const button of buttons) {
      expect(button.callback_data).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(Buffer.byteLength(button.callback_data ?? '', 'utf8')).toBeLessThanOrEqual(64);
    }
  });

  it('refuses a wrong or missing secret with 401 before reading, and does nothing', async () => {
    const update = messageUpdate({
      text: '/log C0001 call reached forged by a stranger',
      from: STRANGER,
      chat: privateChat(STRANGER),
    });
    expect((await tg.post(update, { secret: 'wrong-secret' })).status).toBe(401);
    expect((await tg.post(update, { secret: null })).status).toBe(401);
    expect((await tg.post(update, { secret: `${TELEGRAM_SECRET}x` })).status).toBe(401);
    await tg.adapter.idle();
    expect(tg.fake.calls).toEqual([]);
    const written = await tg.database.db
      .selectFrom('platform_identities')
      .select('user_id')
      .where('platform', '=', 'telegram')
      .where('external_id', '=', String(STRANGER.id))
      .execute();
    expect(written).toEqual([]);
    const contacts = await tg.database.db
      .selectFrom('contacts')
      .select('id')
      .where('note', 'like', '%forged%')
      .execute();
    expect(contacts).toEqual([]);
  });

  it('refuses what is not an update: a body too big, bad JSON, another method', async () => {
    expect(
      (await tg.post(undefined, { body: `{"update_id":1,"x":"${'a'.repeat(300_000)}"}` })).status,
    ).toBe(413);
    expect((await tg.post(undefined, { body: '{"update_id":' })).status).toBe(400);
    expect((await tg.post(undefined, { body: '{"message":{}}' })).status).toBe(400);
    expect((await fetch(tg.endpoint)).status).toBe(405);
    await tg.adapter.idle();
    expect(tg.fake.calls).toEqual([]);
  });

  it('logs a contact once however often and wherever Telegram delivers the update', async () => {
    const note = `redelivered ${Date.now()}`;
    const update = messageUpdate({
      text: `/log C0002 call reached ${note}`,
      from: SALES,
      chat: privateChat(SALES),
    });
    await tg.send(update);
    await tg.send(update);
    // Another replica behind the load balancer gets the same update again.
    const replica = await tg.replica();
    expect((await replica.send(update)).status).toBe(200);
    const logged = await tg.database.db
      .selectFrom('contacts')
      .select(['method', 'outcome'])
      .where('note', '=', note)
      .execute();
    expect(logged).toEqual([{ method: 'call', outcome: 'reached' }]);
    // One answer: the repeat is dropped, not answered again.
    const answers = tg.fake.sentTo(SALES.id);
    expect(answers).toHaveLength(1);
    expect(String(answers[0]?.args.text)).toContain('C0002');
  });

  it('answers /credit@this_bot in a group as a reply, and leaves /credit@other_bot alone', async () => {
    const asked = messageUpdate({
      text: '/credit@creditops_test_bot C0001',
      from: SALES,
      chat: GROUP,
    });
    await tg.send(asked);
    await tg.send(messageUpdate({ text: '/credit@other_bot C0003', from: SALES, chat: GROUP }));
    await tg.send(messageUpdate({ text: 'C0003 looks late again', from: SALES, chat: GROUP }));
    const sent = tg.fake.sentTo(GROUP.id);
    expect(sent).toHaveLength(1);
    expect(String(sent[0]?.args.text)).toContain('<b>株式会社アクメ</b>');
    expect(sent[0]?.args.reply_parameters).toMatchObject({
      message_id: asked.message.message_id,
    });
  });

  it('maps the menu shortcuts onto the /credit grammar', async () => {
    await tg.send(messageUpdate({ text: '/help', from: SALES, chat: privateChat(SALES) }));
    await tg.send(messageUpdate({ text: '/aging', from: SALES, chat: privateChat(SALES) }));
    await tg.send(messageUpdate({ text: '/limit C0001', from: SALES, chat: privateChat(SALES) }));
    const [help, aging, limit] = tg.fake.sentTo(SALES.id).map((c) => String(c.args.text));
    expect(help).toContain('<b>creditops commands</b>');
    expect(aging).toMatch(/<pre>/);
    // No modal on Telegram: the limit form shows its typed grammar.
    expect(limit).toContain('/credit limit C0001');
  });

  it('takes plain text in a private chat as a look-up', async () => {
    await tg.send(messageUpdate({ text: 'アクメ', from: SALES, chat: privateChat(SALES) }));
    expect(textOf(tg.fake.sentTo(SALES.id))).toContain('<b>株式会社アクメ</b>');
  });

  it('answers in the language of the person’s Telegram app, until /lang pins another', async () => {
    const yamada: TelegramPerson = { id: 6161, firstName: '山田', languageCode: 'ja' };
    const chat = privateChat(yamada);
    await tg.send(messageUpdate({ text: '/credit C0001', from: yamada, chat }));
    expect(textOf(tg.fake.sentTo(yamada.id))).toContain('<b>与信限度額</b>');

    const wang: TelegramPerson = { id: 7171, firstName: '王', languageCode: 'zh-hans' };
    await tg.send(messageUpdate({ text: '/credit C0001', from: wang, chat: privateChat(wang) }));
    expect(textOf(tg.fake.sentTo(wang.id))).toContain('<b>信用额度</b>');

    tg.fake.reset();
    await tg.send(messageUpdate({ text: '/lang en', from: yamada, chat }));
    await tg.send(messageUpdate({ text: '/credit C0001', from: yamada, chat }));
    expect(String(tg.fake.sentTo(yamada.id).at(-1)?.args.text)).toContain('<b>Credit limit</b>');
  });
});

describe('long polling, when the bot has no public URL', () => {
  let polling: TelegramBot;
  beforeAll(async () => {
    polling = await startTelegramBot({ base: 'demo', mode: 'polling' });
  });
  afterAll(async () => {
    await polling?.close();
  });

  it('has no webhook route, polls Telegram and answers what it fetched', async () => {
    expect(polling.adapter.listener).toBeUndefined();
    expect(polling.fake.callsTo('setWebhook')).toEqual([]);
    // grammY removes any webhook before it polls, or Telegram would refuse getUpdates.
    expect(polling.fake.callsTo('deleteWebhook')).toHaveLength(1);
    const person: TelegramPerson = { id: 8181, firstName: 'Poll' };
    polling.fake.pushUpdate(
      messageUpdate({ text: '/credit C0001', from: person, chat: privateChat(person) }),
    );
    await polling.fake.waitFor(
      () => polling.fake.sentTo(person.id)[0],
      10_000,
      'the polled answer',
    );
    expect(String(polling.fake.sentTo(person.id)[0]?.args.text)).toContain('<b>株式会社アクメ</b>');
  });
});
