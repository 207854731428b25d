import { userInfo } from 'node:os';
import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/connection.ts';
import { migrateToLatest } from './db/migrator.ts';

// Shared by the `npx creditops` commands: exit codes, usage errors, a migrated database
// opened for the length of one command (holding the data-directory lock while it runs).

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export class UsageError extends Error {}

/** Who runs a command, as the audit log names them: the operating-system user. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    // Containers may run as a uid with no passwd entry.
    return 'cli:operator';
  }
}

export async function withDatabase<T>(
  config: Config,
  holder: string,
  work: (database: Database) => Promise<T>,
): Promise<T> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    lockHolder: holder,
  });
  try {
    // Like `npm start`, every command brings the schema up to date first, so a new data
    // directory works for an import or a report without a separate migrate.
    await migrateToLatest(database.db);
    return await work(database);
  } finally {
    await database.close();
  }
}
