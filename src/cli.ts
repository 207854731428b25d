import { parseArgs } from 'node:util';
import type { Translate } from './chat/i18n.ts';
import { runApprovals } from './cli-approvals.ts';
import { runAssess } from './cli-assess.ts';
import { runChannels } from './cli-channels.ts';
import { runDigest } from './cli-digest.ts';
import { runImport } from './cli-import.ts';
import { runLine } from './cli-line.ts';
import { runOutbox } from './cli-outbox.ts';
import { runReport } from './cli-report.ts';
import { EXIT, UsageError, withDatabase } from './cli-support.ts';
import { runUsers } from './cli-users.ts';
import type { Config } from './config.ts';
import { openDatabase } from './db/connection.ts';
import { seedDemo } from './db/demo-seed.ts';
import { migrateToLatest } from './db/migrator.ts';
import { dateInTimeZone } from './domain/dates.ts';
import { isDomainError } from './domain/errors.ts';
import { configOrExit, describeStartupError, i18n } from './startup.ts';

// `npx creditops <command>`: exit 0 on success, 1 on bad input or a failure the operator
// can fix, 2 on usage errors.

/** Commands of the contract whose capabilities are not in this version yet. */
const PLANNED: readonly string[] = [];

/** The one command that must see which migrations it applied, so it opens the database itself. */
async function openForMigration(config: Config) {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    lockHolder: 'creditops migrate',
  });
  try {
    return await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
}

async function migrate(config: Config, t: Translate): Promise<number> {
  const report = await openForMigration(config);
  console.log(
    report.applied.length === 0
      ? t('cli.migrate.up_to_date')
      : t('cli.migrate.applied', {
          count: report.applied.length,
          names: report.applied.join(', '),
        }),
  );
  return EXIT.ok;
}

async function seed(config: Config, t: Translate, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { demo: { type: 'boolean' } }, strict: true });
  if (!values.demo) throw new UsageError(t('cli.seed.usage'));
  return withDatabase(config, 'creditops seed', async ({ db }) => {
    await migrateToLatest(db);
    const seeded = await db
      .selectFrom('settings')
      .select('key')
      .where('key', '=', 'demo_seeded')
      .executeTakeFirst();
    const customers = await db
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    if (seeded || Number(customers.n) > 0) {
      console.error(t('cli.seed.not_empty'));
      return EXIT.failed;
    }
    const today = dateInTimeZone(new Date(), config.defaultTimeZone);
    const report = await seedDemo(db, { today });
    console.log(t('cli.seed.done', { ...report }));
    return EXIT.ok;
  });
}

function usage(t: Translate): string {
  return t('cli.usage');
}

export async function runCli(argv: string[]): Promise<number> {
  const config = configOrExit();
  const t = i18n.t(config.defaultLocale);
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'migrate':
        return await migrate(config, t);
      case 'seed':
        return await seed(config, t, args);
      case 'import':
        return await runImport(config, t, args);
      case 'report':
        return await runReport(config, t, args);
      case 'assess':
        return await runAssess(config, t, args);
      case 'users':
        return await runUsers(config, t, args);
      case 'approvals':
        return await runApprovals(config, t, args);
      case 'channels':
        return await runChannels(config, t, args);
      case 'digest':
        return await runDigest(config, t, args);
      case 'outbox':
        return await runOutbox(config, t, args);
      case 'line':
        return await runLine(config, t, args);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(usage(t));
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        if (PLANNED.includes(command)) {
          console.error(t('cli.not_available', { command }));
          return EXIT.usage;
        }
        throw new UsageError(t('cli.unknown_command', { command }));
    }
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      console.error(
        error instanceof UsageError
          ? error.message
          : t('cli.bad_arguments', { reason: (error as Error).message }),
      );
      console.error(usage(t));
      return EXIT.usage;
    }
    if (isDomainError(error)) {
      console.error(t(error.code, error.params));
      return EXIT.failed;
    }
    const line = describeStartupError(error, t);
    if (!line) throw error;
    console.error(line);
    return EXIT.failed;
  }
}

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
