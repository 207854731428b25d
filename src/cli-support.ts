import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/connection.ts';

// Shared by the `npx creditops` commands: exit codes, usage errors, a database opened for
// the length of one command (holding the data-directory lock while it runs).

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export class UsageError extends Error {}

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
    return await work(database);
  } finally {
    await database.close();
  }
}
