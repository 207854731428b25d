import { userInfo } from 'node:os';
import { createConsoleAdapter } from './adapters/console/index.ts';
import { createBot } from './chat/bot.ts';
import { openDatabase } from './db/connection.ts';
import { seedDemo } from './db/demo-seed.ts';
import { migrateToLatest } from './db/migrator.ts';
import { createStore } from './db/store.ts';
import { dateInTimeZone } from './domain/dates.ts';
import { createLogger } from './logger.ts';
import { configOrExit, describeStartupError, i18n } from './startup.ts';

// Composition root: configuration → database → migrations → (demo data) → adapters.

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
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    lockHolder: 'creditops start',
  });
  let closing = false;
  const shutdown = async (code: number) => {
    if (closing) return;
    closing = true;
    await database.close();
    process.exit(code);
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

  const bot = createBot({
    store,
    clock: { now: () => new Date() },
    i18n,
    logger,
    defaultLocale: config.defaultLocale,
    timeZone: config.defaultTimeZone,
  });
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
  await shutdown(0);
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
