import { hostname, userInfo } from 'node:os';
import { createConsoleAdapter } from './adapters/console/index.ts';
import {
  createSlackAdapter,
  SLACK_EVENTS_PATH,
  type SlackAdapter,
} from './adapters/slack/index.ts';
import { expireAndRemind } from './app/approvals.ts';
import { type BotDeps, createBot } from './chat/bot.ts';
import { openDatabase } from './db/connection.ts';
import { seedDemo } from './db/demo-seed.ts';
import { createJobRunStore } from './db/job-run-repository.ts';
import { migrateToLatest } from './db/migrator.ts';
import { createOutboxQueue } from './db/outbox-repository.ts';
import { createStore } from './db/store.ts';
import { dateInTimeZone } from './domain/dates.ts';
import { createHttpApp, type HttpServer, type NodeRoute, startHttpServer } from './http/server.ts';
import { digestJob } from './jobs/digest-job.ts';
import { createOutboxWorker, type OutboxWorker } from './jobs/outbox-worker.ts';
import { createScheduler, type Scheduler } from './jobs/scheduler.ts';
import { createLogger } from './logger.ts';
import { loadPolicy } from './policy-files.ts';
import { configOrExit, describeStartupError, i18n } from './startup.ts';

// Composition root: configuration → database → migrations → (demo data) → HTTP → adapters.

const config = configOrExit();
const t = i18n.t(config.defaultLocale);
const logger = createLogger();

// LINE and Telegram arrive in a later version; Slack and the console are here.
const unavailable = config.adapters.filter((a) => a !== 'console' && a !== 'slack');
if (unavailable.length > 0) {
  process.stderr.write(
    `${t('startup.adapter_unavailable', { adapters: unavailable.join(', ') })}\n`,
  );
  process.exit(1);
}

function consoleUserName(): string {
  try {
    return userInfo().username;
  } catch {
    // Containers may run as a uid with no passwd entry.
    return 'operator';
  }
}

async function main(): Promise<void> {
  const policy = loadPolicy(config.policyDir);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    lockHolder: 'creditops start',
    onIdleError: (error) =>
      logger.warn('database connection lost; reconnecting on next use', { error: error.message }),
  });
  let closing = false;
  let http: HttpServer | undefined;
  let slack: SlackAdapter | undefined;
  let worker: OutboxWorker | undefined;
  let scheduler: Scheduler | undefined;
  let sweep: NodeJS.Timeout | undefined;
  // Stop taking requests and let those in flight finish before the database goes away.
  const shutdown = async (code: number) => {
    if (closing) return;
    closing = true;
    try {
      clearInterval(sweep);
      await slack?.stop();
      await http?.close();
      await scheduler?.stop();
      await worker?.stop();
    } finally {
      await database.close();
      process.exit(code);
    }
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  await migrateToLatest(database.db);
  const store = createStore(database.db);
  // Demo data is for trying creditops out locally, never for a workspace that is live.
  const platforms = config.adapters.filter((a) => a !== 'console');
  if (
    platforms.length === 0 &&
    database.engine === 'embedded' &&
    (await store.customers.count()) === 0
  ) {
    const today = dateInTimeZone(new Date(), config.defaultTimeZone);
    const report = await seedDemo(database.db, { today });
    process.stderr.write(
      `${t('startup.demo_seeded', { customers: report.customers, dir: config.dataDir })}\n`,
    );
  }

  // What every surface shares: the console and chat bot, and the HTTP server.
  const core: BotDeps = {
    store,
    policy,
    clock: { now: () => new Date() },
    i18n,
    logger,
    defaultLocale: config.defaultLocale,
    timeZone: config.defaultTimeZone,
  };
  const bot = createBot(core);
  const routes: NodeRoute[] = [];
  if (config.adapters.includes('slack') && config.slack.botToken) {
    slack = createSlackAdapter({
      bot,
      i18n,
      logger,
      botToken: config.slack.botToken,
      ...(config.slack.appToken ? { appToken: config.slack.appToken } : {}),
      ...(config.slack.appToken ? {} : { signingSecret: config.slack.signingSecret }),
      ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
    });
    if (slack.listener) routes.push({ path: SLACK_EVENTS_PATH, listener: slack.listener });
  }
  // One HTTP server for everything: Slack's events, the REST API, health and metrics.
  if (config.apiTokens.size > 0 || platforms.length > 0) {
    const app = createHttpApp({ ...core, apiTokens: config.apiTokens });
    http = await startHttpServer(app, config.port, routes);
    logger.info('http server listening', { port: http.port });
  }
  if (slack) {
    await slack.start();
    const base = config.publicBaseUrl ?? `http://localhost:${http?.port ?? config.port}`;
    process.stderr.write(
      `${config.slack.appToken ? t('startup.slack_ready_socket') : t('startup.slack_ready_http', { url: `${base}${SLACK_EVENTS_PATH}` })}\n`,
    );
  }
  // Messages wait in the outbox until a platform that can send them is running.
  if (slack) {
    worker = createOutboxWorker({
      db: createOutboxQueue(database.db),
      deliverers: { slack: slack.deliverer },
      render: (delivery) => bot.outbox(delivery),
      clock: core.clock,
      logger,
      workerId: `${hostname()}:${process.pid}`,
    });
    worker.start(1_000);
    // Digests at each subscribed channel's local time, once across replicas.
    scheduler = createScheduler({
      jobs: [digestJob(core)],
      store: createJobRunStore(database.db),
      clock: core.clock,
      logger,
      instanceId: `${hostname()}:${process.pid}`,
    });
    await scheduler.start();
  }
  // Approval expiry and reminders; the scheduler will own this timer.
  sweep = setInterval(() => {
    expireAndRemind(core).catch((error: unknown) =>
      logger.warn('approval expiry sweep failed', { error: String(error) }),
    );
  }, 60_000);
  sweep.unref();
  if (!config.adapters.includes('console')) return;
  const interactive = process.stdin.isTTY === true;
  if (interactive) process.stderr.write(`${t('startup.console_ready')}\n`);
  await createConsoleAdapter({
    bot,
    input: process.stdin,
    output: process.stdout,
    userName: consoleUserName(),
    locale: config.defaultLocale,
    ...(interactive ? { prompt: 'creditops> ' } : {}),
  }).run();
  // End of input ends a console-only process; a server keeps serving until SIGTERM/SIGINT.
  if (!http) await shutdown(0);
}

main().catch((error: unknown) => {
  const line = describeStartupError(error, t);
  if (line) process.stderr.write(`${line}\n`);
  else
    logger.error('start-up failed', {
      error: error instanceof Error ? error.stack : String(error),
    });
  process.exit(1);
});
