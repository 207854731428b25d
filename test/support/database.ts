import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import type { Store } from '../../src/app/ports.ts';
import {
  type Database,
  openEmbeddedDatabase,
  openServerDatabase,
} from '../../src/db/connection.ts';
import { createStore } from '../../src/db/store.ts';
import { adminUrl, createDatabase, dropDatabase, serverUrl, TEMPLATES } from './server.ts';

export interface TestDatabase extends Database {
  readonly store: Store;
}

/**
 * A database of its own for one test file, on the engine of this run: the embedded one by
 * default, the server when TEST_DATABASE_URL is set. `demo` starts from the seeded ledger.
 */
export async function createTestDatabase(
  options: { readonly base?: 'empty' | 'demo' } = {},
): Promise<TestDatabase> {
  const base = options.base ?? 'empty';
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const paths = inject('embeddedBase');
    if (!paths) throw new Error('global setup prepared no embedded base');
    const dump = new Blob([readFileSync(paths[base])]);
    const database = await openEmbeddedDatabase({ loadDataDir: dump });
    return { ...database, store: createStore(database.db) };
  }
  const name = `creditops_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = openServerDatabase({ url: adminUrl(url), poolSize: 1 });
  try {
    await createDatabase(admin.db, name, TEMPLATES[base]);
  } finally {
    await admin.close();
  }
  // Dropping the database with (force) can end a pooled connection that is still closing.
  const database = openServerDatabase({
    url: serverUrl(url, name),
    poolSize: 5,
    onIdleError: () => undefined,
  });
  return {
    ...database,
    store: createStore(database.db),
    async close() {
      await database.close();
      const cleanup = openServerDatabase({ url: adminUrl(url), poolSize: 1 });
      await dropDatabase(cleanup.db, name).finally(() => cleanup.close());
    },
  };
}
