import { createHmac } from 'node:crypto';
import {
  createLineAdapter,
  LINE_WEBHOOK_PATH,
  type LineAdapter,
} from '../../src/adapters/line/index.ts';
import { createSlackAdapter } from '../../src/adapters/slack/index.ts';
import { queueLineQuotaWarning } from '../../src/app/line-quota-warnings.ts';
import type { Deliverer } from '../../src/app/outbox-ports.ts';
import type { CreditPolicy } from '../../src/app/policy.ts';
import type { Logger } from '../../src/app/ports.ts';
import { type Bot, type BotDeps, createBot } from '../../src/chat/bot.ts';
import type { Card } from '../../src/chat/card.ts';
import { createOutboxQueue } from '../../src/db/outbox-repository.ts';
import { createHttpApp, type HttpServer, startHttpServer } from '../../src/http/server.ts';
import { createOutboxWorker } from '../../src/jobs/outbox-worker.ts';
import { createTestCore, quietLogger } from './bot.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { type FakeLine, startFakeLine } from './fake-line.ts';
import { type FakeSlack, startFakeSlack } from './fake-slack.ts';

export const LINE_SECRET = 'test-line-channel-secret-5d41402abc4b2a76';
export const LINE_TOKEN = 'test-line-channel-access-token';

/**
 * The bot as `main.ts` runs it with LINE — the webhook on the bot's one HTTP server, the real
 * @line/bot-sdk against a fake LINE API — over a test database. With `slack`, the outbox
 * also delivers to a fake Slack, for cards posted to both platforms.
 */
export interface LineBot {
  readonly database: TestDatabase;
  readonly fake: FakeLine;
  readonly slack: FakeSlack | undefined;
  readonly core: BotDeps;
  readonly bot: Bot;
  readonly adapter: LineAdapter;
  /** http://127.0.0.1:<port>/line/webhook */
  readonly endpoint: string;
  /** POSTs a raw body signed as LINE signs it (or with `signature`, null for none). */
  post(raw: string, options?: { signature?: string | null }): Promise<Response>;
  /** Posts the events in one signed body and waits until the bot has answered them. */
  send(...events: object[]): Promise<Response>;
  /** Runs the outbox worker once, as the bot's timer would: sends what is due. */
  deliver(): Promise<number>;
  close(): Promise<void>;
}

export function sign(raw: string, secret = LINE_SECRET): string {
  return createHmac('sha256', secret).update(raw).digest('base64');
}

/** JSON as LINE sends it: everything beyond ASCII as \uXXXX escapes. */
export function lineJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

let events = 0;

export interface EventOptions {
  readonly userId: string;
  /** A group (C…) or room (R…) chat; a 1:1 chat with the user otherwise. */
  readonly chatId?: string;
  readonly replyToken?: string;
  readonly webhookEventId?: string;
  readonly redelivery?: boolean;
  readonly timestamp?: number;
}

function common(o: EventOptions) {
  events += 1;
  const chat = o.chatId;
  const source = !chat
    ? { type: 'user', userId: o.userId }
    : chat.startsWith('R')
      ? { type: 'room', roomId: chat, userId: o.userId }
      : { type: 'group', groupId: chat, userId: o.userId };
  return {
    mode: 'active',
    timestamp: o.timestamp ?? Date.now(),
    source,
    webhookEventId: o.webhookEventId ?? `01JTEST${String(events).padStart(19, '0')}`,
    deliveryContext: { isRedelivery: o.redelivery ?? false },
    replyToken: o.replyToken ?? `rt-${events}`,
  };
}

export function textEvent(text: string, o: EventOptions): Record<string, unknown> {
  const base = common(o);
  return {
    type: 'message',
    ...base,
    message: { type: 'text', id: `m${events}`, quoteToken: `q${events}`, text },
  };
}

export function postbackEvent(data: string, o: EventOptions): Record<string, unknown> {
  return { type: 'postback', ...common(o), postback: { data } };
}

export async function startLineBot(
  options: {
    base?: 'empty' | 'demo';
    logger?: Logger;
    policy?: CreditPolicy;
    slack?: boolean;
    monthlyPushCap?: number;
    /** Another surface's database, to share its data; left open on close. */
    database?: TestDatabase;
  } = {},
): Promise<LineBot> {
  const database = options.database ?? (await createTestDatabase({ base: options.base ?? 'demo' }));
  const fake = await startFakeLine(LINE_TOKEN);
  const slack = options.slack ? await startFakeSlack() : undefined;
  const logger = options.logger ?? quietLogger;
  const core = {
    ...createTestCore(database.store, logger),
    ...(options.policy ? { policy: options.policy } : {}),
  };
  const bot = createBot(core);
  const adapter = createLineAdapter({
    bot,
    i18n: core.i18n,
    logger,
    channelSecret: LINE_SECRET,
    channelAccessToken: LINE_TOKEN,
    apiBaseUrl: fake.baseUrl,
    ...(options.monthlyPushCap ? { monthlyPushCap: options.monthlyPushCap } : {}),
    // As main.ts wires it: the admins' warning goes out on the platforms this bot sends to.
    onQuotaThreshold: (usage) =>
      queueLineQuotaWarning(database.store, { ...usage, reachable: Object.keys(deliverers) }),
  });
  const deliverers: Record<string, Deliverer<Card>> = { line: adapter.deliverer };
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
  const http: HttpServer = await startHttpServer(
    createHttpApp({ ...core, apiTokens: new Map() }),
    0,
    [{ path: LINE_WEBHOOK_PATH, listener: adapter.listener }],
  );
  const endpoint = `http://127.0.0.1:${http.port}${LINE_WEBHOOK_PATH}`;
  const worker = createOutboxWorker({
    db: createOutboxQueue(database.db),
    deliverers,
    render: (delivery) => bot.outbox(delivery),
    clock: core.clock,
    logger,
    workerId: 'test-worker',
    // The test clock stands still; the limits have tests of their own.
    rateLimits: { line: [], slack: [] },
  });
  const post = (raw: string, o: { signature?: string | null } = {}) => {
    const signature = o.signature === undefined ? sign(raw) : o.signature;
    return fetch(endpoint, {
      method: 'POST',
      body: raw,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        ...(signature === null ? {} : { 'x-line-signature': signature }),
      },
    });
  };
  return {
    database,
    fake,
    slack,
    core,
    bot,
    adapter,
    endpoint,
    post,
    async send(...sent) {
      const response = await post(lineJson({ destination: 'Ubot0000', events: sent }));
      await adapter.idle();
      return response;
    },
    deliver: () => worker.runOnce(),
    async close() {
      await http.close();
      await adapter.stop();
      await fake.close();
      await slack?.close();
      if (!options.database) await database.close();
    },
  };
}
