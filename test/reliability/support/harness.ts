import type { Kysely } from 'kysely';
import type { Database, Engine } from '../../../src/db/connection.ts';
import type { DB } from '../../../src/db/schema.ts';
import { type FakeLine, startFakeLine } from '../../support/fake-line.ts';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack.ts';
import { type FakeTelegram, startFakeTelegram } from '../../support/fake-telegram.ts';
import { cleanEnv, freePort } from '../../support/process.ts';
import { createBotProcess, type Exit } from './bot-process.ts';
import { createDoors, type Doors, LINE_PATH, SLACK_PATH, TELEGRAM_PATH } from './doors.ts';
import { type BotDatabase, createBotDatabase } from './engine.ts';
import { apiTokensVariable, type BotSecrets, leakedSecrets, newSecrets } from './secrets.ts';
import { type Seed, seed } from './seed.ts';

export type { Exit } from './bot-process.ts';

// The bot under test as operators run it: `node --import tsx src/main.ts`, one process with
// Slack (HTTP mode), LINE, Telegram (webhook) and the REST API on its one HTTP port, against
// fake platforms in the test process, on a database of the test file's own. Everything the
// process writes to stdout and stderr, across restarts, is kept for the secrets check.

export interface LogRecord {
  readonly level: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

export interface BotOptions {
  readonly seed?: Seed;
  /** More environment for the bot (LINE_MONTHLY_PUSH_CAP, DEFAULT_LOCALE…). */
  readonly env?: Readonly<Record<string, string>>;
  /** The DATABASE_URL the bot gets, from its database's (server only): a proxy in between. */
  readonly databaseUrl?: (url: string) => string;
  /** Runs on the whole database connection after the seed, before the first start (COPY). */
  readonly prepare?: (database: Database) => Promise<void>;
}

export interface ReliabilityBot extends Doors {
  readonly engine: Engine;
  readonly secrets: BotSecrets;
  /**
   * The bot's whole environment. Another process on the same database (a replica, on the
   * server engine) is `createBotProcess` with this and another PORT and PUBLIC_BASE_URL.
   */
  readonly env: NodeJS.ProcessEnv;
  /** http://127.0.0.1:<port>, the same across restarts. */
  readonly baseUrl: string;
  readonly fakes: {
    readonly slack: FakeSlack;
    readonly line: FakeLine;
    readonly telegram: FakeTelegram;
  };
  /** How each stopped run ended, in order. */
  readonly exits: readonly Exit[];
  /** Whether a bot process is running now. */
  running(): boolean;
  /** GET /healthz: its status, or 0 when nothing answered. */
  healthz(): Promise<number>;
  /** Starts a process (after a stop) on the same database, port and configuration. */
  start(): Promise<void>;
  /** Sends the signal and waits for the process to end (SIGKILL: at once, nothing tidied). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<Exit>;
  restart(signal?: 'SIGTERM' | 'SIGKILL'): Promise<Exit>;
  /**
   * Reads the bot's database on a connection of the test's own. On the server the bot keeps
   * running; an embedded data directory is one process's at a time, so the bot is stopped
   * with SIGTERM for the read (its exit recorded) and started again after.
   */
  read<T>(fn: (db: Kysely<DB>) => Promise<T>): Promise<T>;
  /** Everything every run wrote to stdout and stderr. */
  output(): string;
  /** The JSON log lines among it. */
  logRecords(): LogRecord[];
  /** Names of the configured secrets of which a piece shows in the output. */
  leakedSecrets(): string[];
  close(): Promise<void>;
}

export async function startBot(options: BotOptions = {}): Promise<ReliabilityBot> {
  const secrets = newSecrets();
  const [slack, line, telegram] = await Promise.all([
    startFakeSlack(),
    startFakeLine(secrets.lineAccessToken),
    startFakeTelegram(secrets.telegramBotToken),
  ]);
  const database: BotDatabase = await createBotDatabase();
  if (options.seed) await database.use((db) => seed(db, options.seed ?? {}));
  if (options.prepare) await database.useDatabase(options.prepare);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const ownUrl = database.env.DATABASE_URL;
  const env = cleanEnv({
    ...database.env,
    ...(ownUrl && options.databaseUrl ? { DATABASE_URL: options.databaseUrl(ownUrl) } : {}),
    PORT: String(port),
    PUBLIC_BASE_URL: baseUrl,
    SLACK_SIGNING_SECRET: secrets.slackSigningSecret,
    SLACK_BOT_TOKEN: secrets.slackBotToken,
    SLACK_API_URL: slack.apiUrl,
    LINE_CHANNEL_SECRET: secrets.lineChannelSecret,
    LINE_CHANNEL_ACCESS_TOKEN: secrets.lineAccessToken,
    LINE_API_BASE_URL: line.baseUrl,
    TELEGRAM_BOT_TOKEN: secrets.telegramBotToken,
    TELEGRAM_WEBHOOK_SECRET: secrets.telegramWebhookSecret,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    API_TOKENS: apiTokensVariable(secrets),
    ...options.env,
  });
  let output = '';
  const runs = createBotProcess({
    env,
    readyWhen: [SLACK_PATH, LINE_PATH, TELEGRAM_PATH],
    record: (text) => {
      output += text;
    },
  });
  const { running, stop } = runs;
  try {
    await runs.start();
  } catch (error) {
    await Promise.all([slack.close(), line.close(), telegram.close()]);
    await database.drop();
    throw error;
  }
  const doors = createDoors({ baseUrl, secrets, fakeSlack: slack });
  return {
    ...doors,
    engine: database.engine,
    secrets,
    env,
    baseUrl,
    fakes: { slack, line, telegram },
    exits: runs.exits,
    running,
    async healthz() {
      try {
        return (await fetch(`${baseUrl}/healthz`)).status;
      } catch {
        return 0;
      }
    },
    start: runs.start,
    stop,
    async restart(signal) {
      const exit = await stop(signal);
      await runs.start();
      return exit;
    },
    async read(fn) {
      if (database.liveReads || !running()) return database.use(fn);
      await stop('SIGTERM');
      try {
        return await database.use(fn);
      } finally {
        await runs.start();
      }
    },
    output: () => output,
    logRecords() {
      return output.split('\n').flatMap((line) => {
        if (!line.startsWith('{')) return [];
        try {
          return [JSON.parse(line) as LogRecord];
        } catch {
          return [];
        }
      });
    },
    leakedSecrets: () => leakedSecrets(output, secrets),
    async close() {
      if (running()) await stop('SIGTERM');
      await Promise.all([slack.close(), line.close(), telegram.close()]);
      await database.drop();
    },
  };
}
