import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openEmbeddedDatabase } from '../../../src/db/connection.ts';
import { migrateToLatest } from '../../../src/db/migrator.ts';
import { RELIABILITY_DATABASE_URL } from './engine.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated, empty embedded data directory as a tarball; undefined on the server. */
    reliabilityBase: string | undefined;
  }
}

// A new embedded database costs an initdb (seconds); each file loads this migrated one into
// its own data directory instead. On the server each file creates and migrates its own.
export default async function setup(project: TestProject): Promise<() => void> {
  if (process.env[RELIABILITY_DATABASE_URL]) {
    project.provide('reliabilityBase', undefined);
    return () => undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'creditops-reliability-'));
  const path = join(dir, 'base.tar');
  const base = await openEmbeddedDatabase();
  try {
    await migrateToLatest(base.db);
    const dump = await base.dump?.();
    if (!dump) throw new Error('the embedded engine could not dump its data directory');
    writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await base.close();
  }
  project.provide('reliabilityBase', path);
  return () => rmSync(dir, { recursive: true, force: true });
}
