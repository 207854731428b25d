import {
  createSlackAdapter,
  SLACK_EVENTS_PATH,
  type SlackAdapter,
} from '../../src/adapters/slack/index.ts';
import type { CreditPolicy } from '../../src/app/policy.ts';
import type { Logger } from '../../src/app/ports.ts';
import { type Bot, type BotDeps, createBot } from '../../src/chat/bot.ts';
import { createOutboxQueue } from '../../src/db/outbox-repository.ts';
import { createHttpApp, type HttpServer, startHttpServer } from '../../src/http/server.ts';
import { renderAgingChart } from '../../src/io/aging-chart.ts';
import { createOutboxWorker } from '../../src/jobs/outbox-worker.ts';
import { createTestCore, quietLogger } from './bot.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { type FakeSlack, startFakeSlack } from './fake-slack.ts';
import {
  type BlockActionsOptions,
  blockActionsBody,
  type PostSignedOptions,
  postSigned,
  slashCommandBody,
} from './slack-requests.ts';

export const SLACK_SECRET = 'test-signing-secret-8f14e45fceea167a';
export const SLACK_BOT_TOKEN = 'xoxb-test-token';

/**
 * The bot as `main.ts` runs it with Slack over HTTP — the real Bolt receiver on the bot's one
 * HTTP server — against a fake Slack Web API, over a test database.
 */
export interface SlackBot {
  readonly database: TestDatabase;
  readonly fake: FakeSlack;
  readonly core: BotDeps;
  readonly bot: Bot;
  readonly adapter: SlackAdapter;
  /** http://127.0.0.1:<port>/slack/events */
  readonly endpoint: string;
  readonly baseUrl: string;
  /** POSTs a raw body signed as Slack signs it. */
  post(rawBody: string, options?: Partial<PostSignedOptions>): Promise<Response>;
  /** `/credit <text>`; the answer is recorded under response id `responseId`. */
  slash(
    text: string,
    options?: { userId?: string; channelId?: string; responseId?: string; triggerId?: string },
  ): Promise<Response>;
  click(
    options: Omit<BlockActionsOptions, 'responseUrl'> & { responseId?: string },
  ): Promise<Response>;
  /** Runs the outbox worker once, as the bot's timer would: sends what is due. */
  deliver(): Promise<number>;
  close(): Promise<void>;
}

let responses = 0;

export async function startSlackBot(
  options: {
    base?: 'empty' | 'demo';
    logger?: Logger;
    policy?: CreditPolicy;
    /** Another surface's database, to share its data; left open on close. */
    database?: TestDatabase;
  } = {},
): Promise<SlackBot> {
  const database = options.database ?? (await createTestDatabase({ base: options.base ?? 'demo' }));
  const fake = await startFakeSlack();
  const logger = options.logger ?? quietLogger;
  const core = {
    ...createTestCore(database.store, logger),
    ...(options.policy ? { policy: options.policy } : {}),
  };
  const bot = createBot(core);
  const adapter = createSlackAdapter({
    bot,
    i18n: core.i18n,
    logger,
    botToken: SLACK_BOT_TOKEN,
    signingSecret: SLACK_SECRET,
    apiUrl: fake.apiUrl,
    // As main.ts wires it: the digest's aging chart is drawn and uploaded after the digest.
    renderChart: (chart) => renderAgingChart(chart),
  });
  if (!adapter.listener) throw new Error('HTTP mode has a listener');
  const http: HttpServer = await startHttpServer(
    createHttpApp({ ...core, apiTokens: new Map() }),
    0,
    [{ path: SLACK_EVENTS_PATH, listener: adapter.listener }],
  );
  const baseUrl = `http://127.0.0.1:${http.port}`;
  const worker = createOutboxWorker({
    db: createOutboxQueue(database.db),
    deliverers: { slack: adapter.deliverer },
    render: (delivery) => bot.outbox(delivery),
    clock: core.clock,
    logger,
    workerId: 'test-worker',
    // The test clock stands still, so a rate limit would hold a channel's second message
    // forever; the limits have tests of their own (outbox-worker, slack-outbox e2e).
    rateLimits: { slack: [] },
  });
  const endpoint = `${baseUrl}${SLACK_EVENTS_PATH}`;
  const post = (rawBody: string, signing: Partial<PostSignedOptions> = {}) =>
    postSigned(endpoint, rawBody, { secret: SLACK_SECRET, ...signing });
  return {
    database,
    fake,
    core,
    bot,
    adapter,
    endpoint,
    baseUrl,
    post,
    deliver: () => worker.runOnce(),
    slash(text, o = {}) {
      responses += 1;
      const responseId = o.responseId ?? `r${responses}`;
      return post(
        slashCommandBody({
          text,
          responseUrl: fake.responseUrl(responseId),
          ...(o.userId ? { userId: o.userId } : {}),
          ...(o.channelId ? { channelId: o.channelId } : {}),
          ...(o.triggerId ? { triggerId: o.triggerId } : {}),
        }),
      );
    },
    click({ responseId, ...o }) {
      responses += 1;
      return post(
        blockActionsBody({ ...o, responseUrl: fake.responseUrl(responseId ?? `r${responses}`) }),
      );
    },
    async close() {
      await http.close();
      await fake.close();
      if (!options.database) await database.close();
    },
  };
}
