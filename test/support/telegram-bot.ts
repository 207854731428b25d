import { createSlackAdapter } from '../../src/adapters/slack/index.ts';
import {
  createTelegramAdapter,
  TELEGRAM_WEBHOOK_PATH,
  type TelegramAdapter,
} from '../../src/adapters/telegram/index.ts';
import type { Deliverer } from '../../src/app/outbox-ports.ts';
import type { CreditPolicy } from '../../src/app/policy.ts';
import type { Logger } from '../../src/app/ports.ts';
import { type Bot, type BotDeps, createBot } from '../../src/chat/bot.ts';
import type { Card } from '../../src/chat/card.ts';
import { createOutboxQueue } from '../../src/db/outbox-repository.ts';
import { createHttpApp, type HttpServer, startHttpServer } from '../../src/http/server.ts';
import { renderAgingChart } from '../../src/io/aging-chart.ts';
import { createOutboxWorker } from '../../src/jobs/outbox-worker.ts';
import { createTestCore, quietLogger } from './bot.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { type FakeSlack, startFakeSlack } from './fake-slack.ts';
import { FAKE_BOT, type FakeTelegram, startFakeTelegram } from './fake-telegram.ts';

export const TELEGRAM_TOKEN = '7000000001:AAH-test-token-for-the-fake-bot-api_xyz';
export const TELEGRAM_SECRET = 'test-webhook-secret_8f14e45f';
export const WEBHOOK_URL = 'https://creditops.example.com/telegram/webhook';

/** A person on Telegram; `languageCode` is what their app is set to. */
export interface TelegramPerson {
  readonly id: number;
  readonly firstName: string;
  readonly languageCode?: string;
}

/** A chat: a person's private chat (id = their id) or a group (negative id). */
export interface TelegramChat {
  readonly id: number;
  readonly type: 'private' | 'group' | 'supergroup';
}

export const privateChat = (person: TelegramPerson): TelegramChat => ({
  id: person.id,
  type: 'private',
});

let updates = 5000;
let messages = 1;
/** A fresh update id, as Telegram counts them. */
export const nextUpdateId = () => ++updates;

const userOf = (p: TelegramPerson) => ({
  id: p.id,
  is_bot: false,
  first_name: p.firstName,
  ...(p.languageCode ? { language_code: p.languageCode } : {}),
});
const chatOf = (c: TelegramChat) =>
  c.type === 'private'
    ? { id: c.id, type: c.type, first_name: 'Person' }
    : { id: c.id, type: c.type, title: 'Credit team' };

/** A text message as Telegram sends it; a leading /command gets its bot_command entity. */
export function messageUpdate(input: {
  readonly text: string;
  readonly from: TelegramPerson;
  readonly chat: TelegramChat;
  readonly updateId?: number;
  readonly replyTo?: {
    readonly messageId: number;
    readonly text: string;
    readonly entities?: unknown[];
  };
}) {
  const command = /^\/\S+/.exec(input.text);
  messages += 1;
  return {
    update_id: input.updateId ?? nextUpdateId(),
    message: {
      message_id: messages,
      date: 1_700_000_000,
      chat: chatOf(input.chat),
      from: userOf(input.from),
      text: input.text,
      ...(command
        ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] }
        : {}),
      ...(input.replyTo
        ? {
            reply_to_message: {
              message_id: input.replyTo.messageId,
              date: 1_700_000_000,
              chat: chatOf(input.chat),
              from: FAKE_BOT,
              text: input.replyTo.text,
              ...(input.replyTo.entities ? { entities: input.replyTo.entities } : {}),
            },
          }
        : {}),
    },
  };
}

/** A click on an inline button of a message the bot sent. */
export function callbackUpdate(input: {
  readonly data: string;
  readonly from: TelegramPerson;
  readonly chat: TelegramChat;
  readonly messageId: number;
  readonly updateId?: number;
}) {
  const updateId = input.updateId ?? nextUpdateId();
  return {
    update_id: updateId,
    callback_query: {
      id: `cq-${updateId}`,
      from: userOf(input.from),
      chat_instance: '-4242',
      data: input.data,
      message: {
        message_id: input.messageId,
        date: 1_700_000_000,
        chat: chatOf(input.chat),
        from: FAKE_BOT,
        text: 'card',
      },
    },
  };
}

/**
 * The bot as `main.ts` runs it with Telegram by webhook — the adapter's listener on the bot's
 * one HTTP server, real grammY — against a fake Bot API, over a test database. With
 * `mode: 'polling'` there is no webhook route and grammY long-polls the fake instead. With
 * `slack`, the outbox also delivers to a fake Slack, for cards posted to both platforms.
 */
export interface TelegramBot {
  readonly database: TestDatabase;
  readonly fake: FakeTelegram;
  readonly slack: FakeSlack | undefined;
  readonly core: BotDeps;
  readonly bot: Bot;
  readonly adapter: TelegramAdapter;
  /** http://127.0.0.1:<port>/telegram/webhook */
  readonly endpoint: string;
  /** POSTs an update as Telegram does, with the secret header unless told otherwise. */
  post(update: unknown, options?: { secret?: string | null; body?: string }): Promise<Response>;
  /** Posts the update, then waits until the adapter has answered it. */
  send(update: unknown): Promise<Response>;
  /** Runs the outbox worker once, as the bot's timer would: sends what is due. */
  deliver(): Promise<number>;
  /** A second instance of the bot on the same database and Bot API, as another replica. */
  replica(): Promise<{ send(update: unknown): Promise<Response>; close(): Promise<void> }>;
  close(): Promise<void>;
}

/** The adapter on its own HTTP server, as main.ts mounts it beside the REST API. */
async function serve(input: {
  readonly core: BotDeps;
  readonly bot: Bot;
  readonly fake: FakeTelegram;
  readonly logger: Logger;
  readonly webhook: boolean;
}) {
  const adapter = createTelegramAdapter({
    bot: input.bot,
    i18n: input.core.i18n,
    logger: input.logger,
    botToken: TELEGRAM_TOKEN,
    // As an operator might write it: the adapter drops the trailing slash grammY refuses.
    apiRoot: `${input.fake.apiRoot}/`,
    defaultLocale: 'en',
    ...(input.webhook ? { webhookUrl: WEBHOOK_URL, webhookSecret: TELEGRAM_SECRET } : {}),
    // As main.ts wires it: the digest's aging chart is drawn and sent after the digest.
    renderChart: (chart) => renderAgingChart(chart),
  });
  const http: HttpServer = await startHttpServer(
    createHttpApp({ ...input.core, apiTokens: new Map() }),
    0,
    adapter.listener ? [{ path: TELEGRAM_WEBHOOK_PATH, listener: adapter.listener }] : [],
  );
  await adapter.start();
  const endpoint = `http://127.0.0.1:${http.port}${TELEGRAM_WEBHOOK_PATH}`;
  const post: TelegramBot['post'] = (update, o = {}) => {
    const secret = o.secret === undefined ? TELEGRAM_SECRET : o.secret;
    return fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
      },
      body: o.body ?? JSON.stringify(update),
    });
  };
  return {
    adapter,
    endpoint,
    post,
    async send(update: unknown) {
      const response = await post(update);
      await adapter.idle();
      return response;
    },
    async close() {
      await adapter.stop();
      await http.close();
    },
  };
}

export async function startTelegramBot(
  options: {
    base?: 'empty' | 'demo';
    logger?: Logger;
    policy?: CreditPolicy;
    mode?: 'webhook' | 'polling';
    slack?: boolean;
    /** Another surface's database, to share its data; left open on close. */
    database?: TestDatabase;
  } = {},
): Promise<TelegramBot> {
  const database = options.database ?? (await createTestDatabase({ base: options.base ?? 'demo' }));
  const fake = await startFakeTelegram(TELEGRAM_TOKEN);
  const slack = options.slack ? await startFakeSlack() : undefined;
  const logger = options.logger ?? quietLogger;
  const core = {
    ...createTestCore(database.store, logger),
    ...(options.policy ? { policy: options.policy } : {}),
  };
  const bot = createBot(core);
  const webhook = (options.mode ?? 'webhook') === 'webhook';
  const served = await serve({ core, bot, fake, logger, webhook });
  const deliverers: Record<string, Deliverer<Card>> = { telegram: served.adapter.deliverer };
  if (slack) {
    deliverers.slack = createSlackAdapter({
      bot,
      i18n: core.i18n,
      logger,
      botToken: 'xoxb-test-token',
      signingSecret: 'test-signing-secret',
      apiUrl: slack.apiUrl,
    }).deliverer;
  }
  const worker = createOutboxWorker({
    db: createOutboxQueue(database.db),
    deliverers,
    render: (delivery) => bot.outbox(delivery),
    clock: core.clock,
    logger,
    workerId: 'test-worker',
    // The test clock stands still, so a rate limit would hold a chat's second message
    // forever; the limits have tests of their own (outbox-worker).
    rateLimits: { telegram: [], slack: [] },
  });
  const replicas: { close(): Promise<void> }[] = [];
  return {
    database,
    fake,
    slack,
    core,
    bot,
    adapter: served.adapter,
    endpoint: served.endpoint,
    post: served.post,
    send: served.send,
    deliver: () => worker.runOnce(),
    async replica() {
      const other = await serve({ core, bot: createBot(core), fake, logger, webhook: true });
      replicas.push(other);
      return other;
    },
    async close() {
      for (const replica of replicas) await replica.close();
      await served.close();
      await fake.close();
      await slack?.close();
      if (!options.database) await database.close();
    },
  };
}
