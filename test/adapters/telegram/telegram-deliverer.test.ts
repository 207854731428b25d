import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Api } from 'grammy';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramDeliverer } from '../../../src/adapters/telegram/telegram-deliverer.ts';
import { DeliveryError, type OutboxDelivery } from '../../../src/app/outbox-ports.ts';
import type { Card } from '../../../src/chat/card.ts';
import { createI18n } from '../../../src/chat/i18n.ts';
import { type FakeTelegram, startFakeTelegram } from '../../support/fake-telegram.ts';
import { TELEGRAM_TOKEN } from '../../support/telegram-bot.ts';

// How the Telegram deliverer reports what the Bot API refused, as the outbox worker reads it:
// wait as long as Telegram asks, retry what a later attempt may get through, give up on what
// it never will — through real grammY against the fake Bot API.

let fake: FakeTelegram;
const i18n = createI18n();
const card: Card = { title: 'Daily credit digest', lines: ['Total receivables ¥19,700,000'] };
const post = (channel: string): OutboxDelivery => ({
  id: 1,
  platform: 'telegram',
  channel,
  kind: 'post',
  payload: {},
  attempts: 1,
  updateRefs: [],
});

beforeAll(async () => {
  fake = await startFakeTelegram(TELEGRAM_TOKEN);
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => fake.reset());

const deliverer = (apiRoot = fake.apiRoot) =>
  createTelegramDeliverer({ api: new Api(TELEGRAM_TOKEN, { apiRoot }), i18n });

async function failure(run: Promise<unknown>): Promise<DeliveryError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  const failed = error as DeliveryError;
  // What the worker stores and logs never carries the token.
  expect(failed.message).not.toContain(TELEGRAM_TOKEN);
  return failed;
}

describe('the Telegram deliverer', () => {
  it('posts and answers with the ref a later edit needs', async () => {
    const { ref } = await deliverer().deliver(post('-100200'), { card, tokens: [] });
    expect(ref).toBe(`-100200:${fake.messageId(fake.sentTo('-100200')[0])}`);
  });

  it('passes on Telegram’s retry_after from a 429', async () => {
    fake.failNext('sendMessage', { kind: 'rate_limited', retryAfter: 7 });
    const error = await failure(deliverer().deliver(post('-100200'), { card, tokens: [] }));
    expect(error).toMatchObject({ permanent: false, retryAfterMs: 7000 });
  });

  it('gives up on a chat that is gone or a bot that was blocked', async () => {
    fake.refuseChat('-100404', 'not_found');
    fake.refuseChat('777', 'blocked');
    const gone = await failure(deliverer().deliver(post('-100404'), { card, tokens: [] }));
    expect(gone.permanent).toBe(true);
    expect(gone.message).toContain('chat not found');
    const blocked = await failure(
      deliverer().deliver({ ...post('777'), kind: 'direct' }, { card, tokens: [] }),
    );
    expect(blocked.permanent).toBe(true);
    expect(blocked.message).toContain('403');
  });

  it('retries a server error, a proxy’s HTML page and a refused connection', async () => {
    fake.failNext('sendMessage', { kind: 'server_error' });
    fake.failNext('sendMessage', { kind: 'bad_gateway' });
    for (const _ of [1, 2]) {
      const error = await failure(deliverer().deliver(post('-100200'), { card, tokens: [] }));
      expect(error.permanent).toBe(false);
      expect(error.retryAfterMs).toBeUndefined();
    }
    // A port nobody listens on.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const down = await failure(
      deliverer(`http://127.0.0.1:${port}`).deliver(post('-100200'), { card, tokens: [] }),
    );
    expect(down.permanent).toBe(false);
    expect(down.message).toMatch(/request failed/);
  });

  it('refuses an edit whose ref it cannot read, for good', async () => {
    const error = await failure(
      deliverer().deliver(
        { ...post('-100200'), kind: 'update', updateRefs: ['-100200:'] },
        {
          card,
          tokens: [],
        },
      ),
    );
    expect(error.permanent).toBe(true);
  });
});
