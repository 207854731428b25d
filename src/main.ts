import { userInfo } from 'node:os';
import { createConsoleAdapter } from './adapters/console/index.ts';
import { type BotDeps, createBot } from './chat/bot.ts';
import { openDatabase } from './db/connection.ts';
import { seedDemo } from './db/demo-seed.ts';
import { migrateToLatest } from './db/migrator.ts';
import { createStore } from './db/store.ts';
import { dateInTimeZone } from './domain/dates.ts';
import { createHttpApp, type HttpServer, startHttpServer } from './http/server.ts';
import { createLogger } from './logger.ts';
import { loadPolicy } from './policy-files.ts';
import { configOrExit, describeStartupError, i18n } from './startup.ts';

// Composition root: configuration → database → migrations → (demo data) → HTTP → adapters.

const config = configOrExit();
const t = i18n.t(config.defaultLocale);
const logger = createLogger();

const unavailable = config.adapters.filter((a) => a !== 'console');
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
  // Stop taking requests and let those in flight finish before the database goes away.
  const shutdown = async (code: number) => {
    if (closing) return;
    closing = true;
    try {
      await http?.close();
    } finally {
      await database.close();
      process.exit(code);
    }
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  await migrateToLatest(database.db);
  const store = createStore(database.db);
  if (database.engine === 'embedded' && (await store.customers.count()) === 0) {
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
  // Only the REST API needs the server today; the platform webhooks will too.
  if (config.apiTokens.size > 0) {
    const app = createHttpApp({ ...core, apiTokens: config.apiTokens });
    http = await startHttpServer(app, config.port);
    logger.info('http server listening', { port: http.port });
  }
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
