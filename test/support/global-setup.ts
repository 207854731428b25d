import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import {
  type Database,
  openEmbeddedDatabase,
  openServerDatabase,
} from '../../src/db/connection.ts';
import { seedDemo } from '../../src/db/demo-seed.ts';
import { migrateToLatest } from '../../src/db/migrator.ts';
import { TEST_TODAY } from './constants.ts';
import { adminUrl, createDatabase, dropDatabase, serverUrl, TEMPLATES } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    embeddedBase: { empty: string; demo: string } | undefined;
  }
}

async function prepare(database: Database, kind: keyof typeof TEMPLATES): Promise<void> {
  await migrateToLatest(database.db);
  if (kind === 'demo') await seedDemo(database.db, { today: TEST_TODAY });
}

async function setupServer(url: string): Promise<() => Promise<void>> {
  const admin = openServerDatabase({ url: adminUrl(url), poolSize: 1 });
  try {
    for (const [kind, name] of Object.entries(TEMPLATES) as [keyof typeof TEMPLATES, string][]) {
      await dropDatabase(admin.db, name);
      await createDatabase(admin.db, name);
      const template = openServerDatabase({ url: serverUrl(url, name), poolSize: 1 });
      await prepare(template, kind).finally(() => template.close());
    }
  } finally {
    await admin.close();
  }
  return async () => {
    const cleanup = openServerDatabase({ url: adminUrl(url), poolSize: 1 });
    for (const name of Object.values(TEMPLATES)) await dropDatabase(cleanup.db, name);
    await cleanup.close();
  };
}

// Builds the two bases every database test starts from (migrated; migrated + demo data)
// once per run: template databases on the server, data-directory dumps for the embedded
// engine. Each test file then clones one in well under a second.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    project.provide('embeddedBase', undefined);
    return setupServer(url);
  }
  const dir = mkdtempSync(join(tmpdir(), 'creditops-test-'));
  const paths = { empty: join(dir, 'empty.tar'), demo: join(dir, 'demo.tar') };
  const base = await openEmbeddedDatabase();
  try {
    for (const kind of ['empty', 'demo'] as const) {
      await prepare(base, kind === 'demo' ? 'demo' : 'empty');
      const dump = await base.dump?.();
      if (!dump) throw new Error('the embedded engine could not dump its data directory');
      writeFileSync(paths[kind], Buffer.from(await dump.arrayBuffer()));
    }
  } finally {
    await base.close();
  }
  project.provide('embeddedBase', paths);
  return async () => rmSync(dir, { recursive: true, force: true });
}
