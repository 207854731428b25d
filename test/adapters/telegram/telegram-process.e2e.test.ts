import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeTelegram, startFakeTelegram } from '../../support/fake-telegram.ts';
import { cleanEnv, finish, freePort, run, start, tempDataDir } from '../../support/process.ts';
import { messageUpdate, privateChat, TELEGRAM_TOKEN } from '../../support/telegram-bot.ts';

// `npm start` with a Telegram token: the real process, long polling without a public URL, a
// webhook on its one HTTP server with one.

const SECRET = 'process-webhook-secret_0123456789';
const dir = tempDataDir('creditops-telegram-');
let fake: FakeTelegram;

beforeAll(async () => {
  fake = await startFakeTelegram(TELEGRAM_TOKEN);
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => fake.reset());

const env = (extra: Record<string, string>) =>
  cleanEnv({
    DATA_DIR: dir,
    TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
    // As an operator might write it; the bot drops the trailing slash.
    TELEGRAM_API_ROOT: `${fake.apiRoot}/`,
    ...extra,
  });

const person = { id: 3301, firstName: 'Ops' };

describe('npm start with a Telegram token', () => {
  it('long-polls without a public URL, answers, and stops on SIGTERM', async () => {
    const child = start('src/main.ts', [], env({ PORT: String(await freePort()) }));
    const done = finish(child);
    try {
      await fake.waitFor(() => fake.polling > 0, 30_000, 'the first poll');
      fake.pushUpdate(messageUpdate({ text: '/help', from: person, chat: privateChat(person) }));
      const help = await fake.waitForCall('sendMessage', 1, 15_000);
      expect(String(help.args.text)).toContain('<b>creditops commands</b>');
      expect(fake.callsTo('setMyCommands').map((c) => c.args.language_code)).toEqual([
        undefined,
        'en',
        'ja',
        'zh',
      ]);
    } finally {
      child.kill('SIGTERM');
    }
    const finished = await done;
    expect(finished.code).toBe(0);
    expect(finished.stderr).toContain('long polling');
    expect(finished.stderr).not.toContain(TELEGRAM_TOKEN);
  }, 60_000);

  it('sets its webhook under PUBLIC_BASE_URL and serves it on the one HTTP server', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = start(
      'src/main.ts',
      [],
      env({ PORT: String(port), PUBLIC_BASE_URL: `${base}/`, TELEGRAM_WEBHOOK_SECRET: SECRET }),
    );
    const done = finish(child);
    try {
      const webhook = await fake.waitForCall('setWebhook', 1, 30_000);
      expect(webhook.args).toMatchObject({ url: `${base}/telegram/webhook`, secret_token: SECRET });
      // setWebhook comes after the server listens, so the URL it names already answers.
      const post = (secret: string) =>
        fetch(`${base}/telegram/webhook`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-telegram-bot-api-secret-token': secret,
          },
          body: JSON.stringify(
            messageUpdate({ text: '/help', from: person, chat: privateChat(person) }),
          ),
        });
      expect((await post('not-the-secret')).status).toBe(401);
      expect((await post(SECRET)).status).toBe(200);
      expect(String((await fake.waitForCall('sendMessage', 1, 15_000)).args.text)).toContain(
        'creditops commands',
      );
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    const finished = await done;
    expect(finished.code).toBe(0);
    expect(finished.stderr).not.toContain(SECRET);
  }, 60_000);

  it('refuses to start a webhook without its secret, and says which variable', async () => {
    const finished = await run(
      'src/main.ts',
      [],
      env({ PORT: String(await freePort()), PUBLIC_BASE_URL: 'https://creditops.example.com' }),
    );
    expect(finished.code).toBe(1);
    expect(finished.stderr).toContain('TELEGRAM_WEBHOOK_SECRET');
    expect(fake.calls).toEqual([]);
  }, 60_000);
});
