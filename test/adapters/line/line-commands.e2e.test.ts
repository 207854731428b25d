import type { messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addSubscription } from '../../../src/app/channels.ts';
import {
  type LineBot,
  lineJson,
  postbackEvent,
  sign,
  startLineBot,
  textEvent,
} from '../../support/line-bot.ts';

// LINE end to end: signed webhooks into the real bot, answers through the real @line/bot-sdk
// to a fake LINE API. Commands in a 1:1 chat and in groups (where chit-chat is left alone),
// signatures, LINE's Verify request, redelivery, and the push when a reply token ran out.

let line: LineBot;
const SALES = 'U5a1e5000000000000000000000000001';
const VIEWER = 'U0b5e7000000000000000000000000002';
const GROUP = 'C9a0e1000000000000000000000000001';
const JA_GROUP = 'C9a0e1000000000000000000000000002';

beforeAll(async () => {
  line = await startLineBot({ base: 'demo' });
  await line.database.store.users.create({
    identity: { platform: 'line', externalId: SALES },
    displayName: 'Suzuki Sales',
    role: 'sales',
  });
  // A group configured for Japanese (the digest's channel settings): LINE does not say.
  await addSubscription(line.database.store, 'cli:test', {
    channel: `line:${JA_GROUP}`,
    kind: 'digest',
    localTime: '09:00',
    timeZone: 'Asia/Tokyo',
    locale: 'ja',
    defaultTimeZone: 'UTC',
    defaultLocale: 'en',
  });
});
afterAll(async () => {
  await line?.close();
});
beforeEach(() => {
  line.fake.reset();
});

type Json = Record<string, unknown>;
function texts(node: unknown, out: string[] = []): string[] {
  if (!node || typeof node !== 'object') return out;
  const n = node as Json;
  if (n.type === 'text' && typeof n.text === 'string') out.push(n.text);
  for (const value of Object.values(n)) {
    if (Array.isArray(value)) for (const v of value) texts(v, out);
    else if (value && typeof value === 'object') texts(value, out);
  }
  return out;
}
function postbacks(node: unknown, out: Json[] = []): Json[] {
  if (!node || typeof node !== 'object') return out;
  const n = node as Json;
  if (n.type === 'postback') out.push(n);
  for (const value of Object.values(n)) {
    if (Array.isArray(value)) for (const v of value) postbacks(v, out);
    else if (value && typeof value === 'object') postbacks(value, out);
  }
  return out;
}
const flex = (messages: readonly messagingApi.Message[] | undefined) =>
  messages?.[0] as messagingApi.FlexMessage | undefined;

const contactCount = async () =>
  Number(
    (
      await line.database.db
        .selectFrom('contacts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('a command in a 1:1 chat', () => {
  it('is answered with a Flex card by reply, its buttons as postbacks', async () => {
    const response = await line.send(
      textEvent('/credit C0001', { userId: SALES, replyToken: 'rt-card' }),
    );
    expect(response.status).toBe(200);

    const [reply] = line.fake.replies();
    expect(reply?.to).toBe('reply:rt-card');
    const card = flex(reply?.messages);
    expect(card?.type).toBe('flex');
    expect(card?.altText).toContain('株式会社アクメ');
    expect(card?.contents.type).toBe('bubble');
    expect(texts(card?.contents)).toContain('株式会社アクメ');
    const buttons = postbacks(card?.contents);
    expect(buttons.map((b) => b.label)).toContain('Log contact');
    // A short opaque token names the command; the command never travels through LINE.
    for (const b of buttons) expect(String(b.data)).toMatch(/^[A-Za-z0-9_-]{16}$/);
    // Replies are free: nothing was pushed.
    expect(line.fake.pushes()).toEqual([]);
  });

  it('needs no /credit prefix, and a pick list comes as a carousel whose postback opens the card', async () => {
    await line.send(textEvent('ミドリ', { userId: SALES, replyToken: 'rt-pick' }));
    const list = flex(line.fake.replies()[0]?.messages);
    expect(list?.contents.type).toBe('carousel');
    const choices = postbacks(list?.contents);
    expect(choices).toHaveLength(2);

    await line.send(
      postbackEvent(String(choices[0]?.data), { userId: SALES, replyToken: 'rt-open' }),
    );
    const opened = flex(line.fake.replies()[1]?.messages);
    expect(opened?.contents.type).toBe('bubble');
    expect(opened?.altText).toMatch(/ミドリ/);
  });

  it('follows /credit lang for the person, over the chat’s language', async () => {
    await line.send(textEvent('/credit lang zh', { userId: VIEWER, chatId: JA_GROUP }));
    await line.send(textEvent('与信 C0001', { userId: VIEWER, chatId: JA_GROUP }));
    const card = flex(line.fake.replies()[1]?.messages);
    expect(texts(card?.contents)).toContain('信用额度');
  });
});

describe('in a group', () => {
  it('answers the bare command word, in the language configured for the chat', async () => {
    await line.send(
      textEvent('与信 C0001', { userId: SALES, chatId: JA_GROUP, replyToken: 'rt-g1' }),
    );
    const card = flex(line.fake.replies()[0]?.messages);
    expect(card?.contents.type).toBe('bubble');
    expect(texts(card?.contents)).toContain('与信限度額');
  });

  it('logs a contact from a Japanese subcommand word without the slash', async () => {
    const before = await contactCount();
    await line.send(
      textEvent('記録 C0001 電話 話した 経理部長と話した', { userId: SALES, chatId: GROUP }),
    );
    expect(await contactCount()).toBe(before + 1);
    expect(line.fake.replies()).toHaveLength(1);
  });

  it('leaves conversation alone: no answer, no call to LINE', async () => {
    await line.send(
      textEvent('今日のランチどうする？', { userId: SALES, chatId: GROUP }),
      textEvent('取消 明日の会議', { userId: SALES, chatId: GROUP }),
      textEvent('/weather tokyo', { userId: SALES, chatId: GROUP }),
      textEvent('credit is tight this quarter', {
        userId: SALES,
        chatId: 'R5000000000000000000000000000001',
      }),
    );
    // The last one starts with the command's name, so it is a look-up (nothing matches).
    expect(line.fake.replies()).toHaveLength(1);
    expect(line.fake.calls.filter((c) => c.path.startsWith('/v2/bot/message'))).toHaveLength(1);
  });
});

describe('the webhook', () => {
  const body = (text: string, webhookEventId: string) =>
    lineJson({
      destination: 'Ubot0000',
      events: [textEvent(text, { userId: SALES, chatId: GROUP, webhookEventId })],
    });

  it('refuses a wrong or missing signature with 401, and nothing is written', async () => {
    const before = await contactCount();
    const raw = body('/credit log C0001 電話 話した 署名なし', '01JWRONGSIGNATURE000000001');
    const wrong = await line.post(raw, { signature: sign(raw, 'not-the-channel-secret') });
    const missing = await line.post(raw, { signature: null });
    const garbage = await line.post(raw, { signature: '%%%' });
    await line.adapter.idle();

    expect([wrong.status, missing.status, garbage.status]).toEqual([401, 401, 401]);
    expect(await contactCount()).toBe(before);
    const claimed = await line.database.db
      .selectFrom('inbound_events')
      .selectAll()
      .where('platform', '=', 'line')
      .execute();
    expect(claimed.map((row) => JSON.stringify(row))).not.toContain('01JWRONGSIGNATURE000000001');
    expect(line.fake.calls).toEqual([]);
  });

  it('checks the bytes as sent: a body re-serialised after signing is refused', async () => {
    const raw = body('与信 アクメ', '01JRESERIALISED0000000001');
    const signature = sign(raw);
    const reparsed = JSON.stringify(JSON.parse(raw));
    expect(reparsed).not.toBe(raw);
    expect((await line.post(reparsed, { signature })).status).toBe(401);
    expect((await line.post(raw, { signature })).status).toBe(200);
    await line.adapter.idle();
  });

  it('answers LINE’s Verify request (no events) with 200', async () => {
    const response = await line.post(lineJson({ destination: 'Ubot0000', events: [] }));
    expect(response.status).toBe(200);
    expect(line.fake.calls).toEqual([]);
  });

  it('refuses what is not LINE’s: other methods, bodies that are not JSON, huge bodies', async () => {
    expect((await fetch(line.endpoint)).status).toBe(405);
    expect((await line.post('not json')).status).toBe(400);
    const huge = lineJson({ destination: 'Ubot0000', events: [], pad: 'x'.repeat(1_100_000) });
    expect((await line.post(huge)).status).toBe(413);
  });

  it('passes by events of a shape LINE does not send and answers the others in the body', async () => {
    const odd = [
      null,
      'text',
      { type: 'message' },
      { type: 'message', mode: 'active', source: { type: 'user', userId: SALES } },
      { ...textEvent('x', { userId: SALES }), message: { type: 'text', text: 42 } },
      { type: 'postback', mode: 'active', source: { type: 'user', userId: SALES } },
    ];
    // null and a string are no events at all; LINE's signature still vouches for them.
    const response = await line.send(
      ...(odd as object[]),
      textEvent('/credit help', { userId: SALES }),
    );
    expect(response.status).toBe(200);
    expect(line.fake.replies()).toHaveLength(1);
    expect(JSON.stringify(line.fake.replies()[0]?.messages)).toContain('creditops commands');
  });

  it('acts once on a redelivered event: the contact is logged once, answered once', async () => {
    const before = await contactCount();
    const event = (redelivery: boolean, replyToken: string) =>
      textEvent('/credit log C0002 電話 話した 再送テスト', {
        userId: SALES,
        chatId: GROUP,
        webhookEventId: '01JREDELIVERED00000000000A',
        redelivery,
        replyToken,
      });
    await line.send(event(false, 'rt-first'));
    await line.send(event(true, 'rt-again'));

    expect(await contactCount()).toBe(before + 1);
    expect(line.fake.replies().map((r) => r.to)).toEqual(['reply:rt-first']);
  });
});

describe('a reply token that ran out', () => {
  it('falls back to a push to the chat, with a retry key', async () => {
    line.fake.expireReplyToken('rt-stale');
    await line.send(
      textEvent('与信 C0003', { userId: SALES, chatId: GROUP, replyToken: 'rt-stale' }),
    );
    const [push] = line.fake.pushes(GROUP);
    expect(flex(push?.messages)?.altText).toContain('上海华信贸易有限公司');
    expect(push?.retryKey).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('is not even tried when the event is older than a minute', async () => {
    await line.send(
      textEvent('与信 C0004', {
        userId: SALES,
        chatId: GROUP,
        replyToken: 'rt-old',
        timestamp: Date.now() - 5 * 60_000,
      }),
    );
    expect(line.fake.callsTo('/v2/bot/message/reply')).toEqual([]);
    expect(line.fake.pushes(GROUP)).toHaveLength(1);
  });
});
