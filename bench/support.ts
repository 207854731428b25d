import { join } from 'node:path';
import { sql } from 'kysely';
import type { Logger } from '../src/app/ports.ts';
import { type Database, openEmbeddedDatabase, openServerDatabase } from '../src/db/connection.ts';

// What every benchmark shares: where it runs (embedded PGlite in a scratch directory, or a
// database of its own on the server named by BENCH_DATABASE_URL, dropped afterwards), a
// silent logger, progress lines on stderr and percentiles.

/** The book's date: every ledger is generated as of this day, and measured on it. */
export const AS_OF = '2026-11-23';

export const benchServerUrl = process.env.BENCH_DATABASE_URL;

export const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {} };
export const log = (line: string) => process.stderr.write(`${line}\n`);

export interface BenchDatabase {
  readonly database: Database;
  readonly engine: string;
  cleanup(): Promise<void>;
}

/** `poolSize`: the server pool's connections (main.ts opens 10 by default). */
export async function openBenchDatabase(dir: string, poolSize: number): Promise<BenchDatabase> {
  const url = benchServerUrl;
  if (!url) {
    const database = await openEmbeddedDatabase({
      dataDir: join(dir, 'data'),
      lockHolder: 'bench',
    });
    return { database, engine: 'embedded PGlite', cleanup: () => database.close() };
  }
  const name = `creditops_bench_${Date.now()}`;
  const admin = openServerDatabase({ url, poolSize: 1 });
  await sql`create database ${sql.id(name)}`.execute(admin.db);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = openServerDatabase({ url: target.toString(), poolSize });
  return {
    database,
    engine: 'PostgreSQL server',
    async cleanup() {
      await database.close();
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin.db);
      await admin.close();
    },
  };
}

/** The value below which a share `p` (0.5, 0.95, 0.99) of the samples lie. */
export function percentile(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}
