import { hostname, userInfo } from 'node:os';
import { createConsoleAdapter } from './adapters/console/index.ts';
import type { LineAdapter } from './adapters/line/index.ts';
import type { SlackAdapter } from './adapters/slack/index.ts';
import type { TelegramAdapter } from './adapters/telegram/index.ts';
import { queueLineQuotaWarning } from './app/line-quota-warnings.ts';
import { deadLetterNotices } from './app/outbox-admin.ts';
import { type Bot, type BotDeps, createBot } from './chat/bot.ts';
import type { ChartRenderer } from './chat/chart-drawing.ts';
import { openDatabase } from './db/connection.ts';
import { createJobRunStore } from './db/job-run-repository.ts';
import { migrateToLatest } from './db/migrator.ts';
import { createOutboxQueue } from './db/outbox-repository.ts';
import { createStore } from './db/store.ts';
import { dateInTimeZone } from './domain/dates.ts';
import { createHttpApp, type HttpServer, type NodeRoute, startHttpServer } from './http/server.ts';
import { findCjkFont } from './io/chart-font.ts';
import { alertJobs } from './jobs/alerts-job.ts';
import { approvalsJob } from './jobs/approvals-job.ts';
import { promisesJob, pruneRunsJob, snapshotJob } from './jobs/daily-jobs.ts';
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

// Telegram needs its token, and with a public URL (webhook) the secret Telegram sends back.
if (config.adapters.includes('telegram')) {
  const missing = !config.telegram.botToken
    ? 'startup.telegram_token_missing'
    : config.publicBaseUrl && !config.telegram.webhookSecret
      ? 'startup.telegram_secret_missing'
      : undefined;
  if (missing) {
    process.stderr.write(`${t(missing)}\n`);
    process.exit(1);
  }
}

/** Charts need a CJK font; without one the digest still goes out, its aging as text. */
function chartRenderer(): ChartRenderer | undefined {
  try {
    const fontFile = findCjkFont();
    // vega and resvg load with the first chart drawn rather than with the bot.
    let drawing: Promise<typeof import('./io/aging-chart.ts')> | undefined;
    return async (chart) => {
      drawing ??= import('./io/aging-chart.ts');
      return (await drawing).renderAgingChart(chart, { fontFile });
    };
  } catch (error) {
    logger.warn('digest charts are off', { error: (error as Error).message });
    return undefined;
  }
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
  let line: LineAdapter | undefined;
  let telegram: TelegramAdapter | undefined;
  let worker: OutboxWorker | undefined;
  let scheduler: Scheduler | undefined;
  let answers: Pick<Bot, 'settled'> | undefined;
  // Stop taking requests and let those in flight finish before the database goes away.
  const shutdown = async (code: number) => {
    if (closing) return;
    closing = true;
    try {
      await slack?.stop();
      await http?.close();
      // LINE was answered at once; let the events in hand get their answers.
      await line?.stop();
      await telegram?.stop();
      // Commands acknowledged before the stop are answered before the database goes.
      if (answers && !(await answers.settled())) {
        logger.warn('stopped while commands were still being answered');
      }
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
    // Loaded only for the first start: the demo names (pinyin-pro) weigh on every restart.
    const { seedDemo } = await import('./db/demo-seed.ts');
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
  answers = bot;
  const routes: NodeRoute[] = [];
  // A platform's SDK loads only when that platform runs: together they would be most of the
  // start-up of a bot that runs none of them.
  const slackSdk =
    config.adapters.includes('slack') && config.slack.botToken
      ? await import('./adapters/slack/index.ts')
      : undefined;
  const lineSdk =
    config.adapters.includes('line') && config.line.channelSecret && config.line.channelAccessToken
      ? await import('./adapters/line/index.ts')
      : undefined;
  const telegramSdk =
    config.adapters.includes('telegram') && config.telegram.botToken
      ? await import('./adapters/telegram/index.ts')
      : undefined;
  if (slackSdk && config.slack.botToken) {
    const { createSlackAdapter, SLACK_EVENTS_PATH } = slackSdk;
    const renderChart = chartRenderer();
    slack = createSlackAdapter({
      bot,
      i18n,
      logger,
      botToken: config.slack.botToken,
      ...(config.slack.appToken ? { appToken: config.slack.appToken } : {}),
      ...(config.slack.appToken ? {} : { signingSecret: config.slack.signingSecret }),
      ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
      ...(renderChart ? { renderChart } : {}),
    });
    if (slack.listener) routes.push({ path: SLACK_EVENTS_PATH, listener: slack.listener });
  }
  if (lineSdk && config.line.channelSecret && config.line.channelAccessToken) {
    const { createLineAdapter, LINE_WEBHOOK_PATH } = lineSdk;
    line = createLineAdapter({
      bot,
      i18n,
      logger,
      channelSecret: config.line.channelSecret,
      channelAccessToken: config.line.channelAccessToken,
      ...(config.line.apiBaseUrl ? { apiBaseUrl: config.line.apiBaseUrl } : {}),
      ...(config.line.monthlyPushCap ? { monthlyPushCap: config.line.monthlyPushCap } : {}),
      // The admins hear of it by DM, on another running platform where they have one.
      onQuotaThreshold: (usage) => {
        const running = Object.entries({ slack, line, telegram }).filter(([, a]) => a);
        return queueLineQuotaWarning(store, { ...usage, reachable: running.map(([p]) => p) });
      },
    });
    routes.push({ path: LINE_WEBHOOK_PATH, listener: line.listener });
  }
  if (telegramSdk && config.telegram.botToken) {
    const { createTelegramAdapter, TELEGRAM_WEBHOOK_PATH } = telegramSdk;
    const renderChart = chartRenderer();
    // A public URL means a webhook; without one the bot long-polls Telegram.
    const webhookUrl = config.publicBaseUrl
      ? `${config.publicBaseUrl.replace(/\/+$/, '')}${TELEGRAM_WEBHOOK_PATH}`
      : undefined;
    telegram = createTelegramAdapter({
      bot,
      i18n,
      logger,
      botToken: config.telegram.botToken,
      defaultLocale: config.defaultLocale,
      ...(webhookUrl ? { webhookUrl, webhookSecret: config.telegram.webhookSecret } : {}),
      ...(config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {}),
      ...(renderChart ? { renderChart } : {}),
    });
    if (telegram.listener)
      routes.push({ path: TELEGRAM_WEBHOOK_PATH, listener: telegram.listener });
  }
  // One HTTP server for everything: Slack's events, the REST API, health and metrics.
  if (config.apiTokens.size > 0 || platforms.length > 0) {
    const app = createHttpApp({ ...core, apiTokens: config.apiTokens });
    http = await startHttpServer(app, config.port, routes);
    logger.info('http server listening', { port: http.port });
  }
  if (slack && slackSdk) {
    const { SLACK_EVENTS_PATH } = slackSdk;
    await slack.start();
    const base = config.publicBaseUrl ?? `http://localhost:${http?.port ?? config.port}`;
    process.stderr.write(
      `${config.slack.appToken ? t('startup.slack_ready_socket') : t('startup.slack_ready_http', { url: `${base}${SLACK_EVENTS_PATH}` })}\n`,
    );
  }
  if (line && lineSdk) {
    const { LINE_WEBHOOK_PATH } = lineSdk;
    const base = config.publicBaseUrl ?? `http://localhost:${http?.port ?? config.port}`;
    process.stderr.write(`${t('startup.line_ready', { url: `${base}${LINE_WEBHOOK_PATH}` })}\n`);
  }
  if (telegram && telegramSdk) {
    const { TELEGRAM_WEBHOOK_PATH } = telegramSdk;
    await telegram.start();
    const url = `${config.publicBaseUrl?.replace(/\/+$/, '')}${TELEGRAM_WEBHOOK_PATH}`;
    process.stderr.write(
      `${telegram.listener ? t('startup.telegram_ready_webhook', { url }) : t('startup.telegram_ready_polling')}\n`,
    );
  }
  // Messages wait in the outbox until a platform that can send them is running.
  if (slack || line || telegram) {
    const deliverers = {
      ...(slack ? { slack: slack.deliverer } : {}),
      ...(line ? { line: line.deliverer } : {}),
      ...(telegram ? { telegram: telegram.deliverer } : {}),
    };
    worker = createOutboxWorker({
      db: createOutboxQueue(database.db),
      deliverers,
      render: (delivery) => bot.outbox(delivery),
      clock: core.clock,
      logger,
      workerId: `${hostname()}:${process.pid}`,
      // The admins hear of a message given up, by DM on a platform this bot sends to.
      deadLetters: (dead) => deadLetterNotices(store, dead, Object.keys(deliverers)),
    });
    worker.start(1_000);
  }
  // Scheduled work, once across replicas, whenever the bot serves (snapshots, promises and
  // approval expiry matter without any chat platform) or someone works at the console; a
  // one-shot console run (piped input) starts none of it.
  if (http || (config.adapters.includes('console') && process.stdin.isTTY === true)) {
    const runs = createJobRunStore(database.db);
    scheduler = createScheduler({
      jobs: [
        // Digests at each subscribed channel's local time, only where a platform posts them.
        ...(worker ? [digestJob(core)] : []),
        // Alerts after imports (within a minute), daily for everyone, hourly batches.
        ...alertJobs(core),
        approvalsJob(core),
        promisesJob(core),
        snapshotJob(core),
        pruneRunsJob({ runs, clock: core.clock, timeZone: core.timeZone }),
      ],
      store: runs,
      clock: core.clock,
      logger,
      instanceId: `${hostname()}:${process.pid}`,
    });
    await scheduler.start();
  }
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
