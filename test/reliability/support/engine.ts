import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { inject } from 'vitest';
import {
  type Database,
  type Engine,
  openEmbeddedDatabase,
  openServerDatabase,
} from '../../../src/db/connection.ts';
import { migrateToLatest } from '../../../src/db/migrator.ts';
import type { DB } from '../../../src/db/schema.ts';
import { adminUrl, createDatabase, dropDatabase, serverUrl } from '../../support/server.ts';

// The database one reliability file's bot runs on: a PostgreSQL server database of its own
// when RELIABILITY_DATABASE_URL is set, else an embedded data directory of its own.
//
// Reading it from the test: the server takes any number of connections, so the test keeps
// one open beside the bot's. An embedded data directory belongs to one process at a time
// (PGlite has no locking; the bot holds a lock file), so the test opens it only while the
// bot is stopped — the harness stops the bot for the read and starts it again after.

/** The server to run on (a maintenance URL, e.g. postgres://postgres@127.0.0.1:5432/postgres). */
export const RELIABILITY_DATABASE_URL = 'RELIABILITY_DATABASE_URL';

export interface BotDatabase {
  readonly engine: Engine;
  /** What the bot's environment needs to open it: DATABASE_URL, or DATA_DIR. */
  readonly env: Readonly<Record<string, string>>;
  /** Whether the test may read while the bot runs (server), or only while it is stopped. */
  readonly liveReads: boolean;
  /** Runs `fn` on a connection of the test's own; embedded, only while the bot is stopped. */
  use<T>(fn: (db: Kysely<DB>) => Promise<T>): Promise<T>;
  /** As `use`, with the whole connection: COPY, for loading a generated ledger. */
  useDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T>;
  /** Drops the database, or removes the data directory. */
  drop(): Promise<void>;
}

async function serverDatabase(url: string): Promise<BotDatabase> {
  const name = `creditops_reliability_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = openServerDatabase({ url: adminUrl(url), poolSize: 1 });
  await createDatabase(admin.db, name).finally(() => admin.close());
  const own: Database = openServerDatabase({
    url: serverUrl(url, name),
    poolSize: 2,
    // A bot killed mid-query, or the drop at the end, may end a pooled connection.
    onIdleError: () => undefined,
  });
  await migrateToLatest(own.db);
  return {
    engine: 'server',
    env: { DATABASE_URL: serverUrl(url, name) },
    liveReads: true,
    use: (fn) => fn(own.db),
    useDatabase: (fn) => fn(own),
    async drop() {
      await own.close();
      const cleanup = openServerDatabase({ url: adminUrl(url), poolSize: 1 });
      await dropDatabase(cleanup.db, name).finally(() => cleanup.close());
    },
  };
}

async function embeddedDatabase(): Promise<BotDatabase> {
  const base = inject('reliabilityBase');
  if (!base) throw new Error('the reliability global setup prepared no embedded base');
  const dir = mkdtempSync(join(tmpdir(), 'creditops-reliability-data-'));
  const dataDir = join(dir, 'data');
  const first = await openEmbeddedDatabase({
    dataDir,
    loadDataDir: new Blob([readFileSync(base)]),
    lockHolder: 'reliability test',
  });
  await first.close();
  return {
    engine: 'embedded',
    env: { DATA_DIR: dataDir },
    liveReads: false,
    async use(fn) {
      const opened = await openEmbeddedDatabase({ dataDir, lockHolder: 'reliability test' });
      try {
        return await fn(opened.db);
      } finally {
        await opened.close();
      }
    },
    async useDatabase(fn) {
      const opened = await openEmbeddedDatabase({ dataDir, lockHolder: 'reliability test' });
      try {
        return await fn(opened);
      } finally {
        await opened.close();
      }
    },
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh, migrated database for one test file, on the engine this run uses. */
export function createBotDatabase(): Promise<BotDatabase> {
  const url = process.env[RELIABILITY_DATABASE_URL];
  return url ? serverDatabase(url) : embeddedDatabase();
}

/**
 * Tables only the bot's own scheduled jobs write (runs, snapshots, alerts found by the daily
 * evaluation): they change on the clock, whatever a request did.
 */
export const SCHEDULER_TABLES = ['job_runs', 'portfolio_snapshots', 'alerts', 'alert_holds'];

/** Every table of ours, as the database lists them, so a new one is watched without asking. */
async function tables(db: Kysely<DB>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'
      and table_name not like 'kysely_migration%'
    order by table_name`.execute(db);
  return rows.map((r) => r.name);
}

/**
 * Columns the scheduled jobs keep in rows a request may also write: the alert evaluation
 * clears `alerts_due` on customers an import marked, a minute or so after start-up.
 */
export const SCHEDULER_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  customers: ['alerts_due'],
};

/**
 * Per table, its row count and a hash of every row's text: two fingerprints are equal only if
 * nothing was inserted, updated or deleted in between. `except` names tables left out; the
 * columns only the scheduler keeps are left out of the rows.
 */
export async function fingerprint(
  db: Kysely<DB>,
  except: readonly string[] = SCHEDULER_TABLES,
): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of await tables(db)) {
    if (except.includes(table)) continue;
    const kept = sql`(to_jsonb(t) - ${sql.val([...(SCHEDULER_COLUMNS[table] ?? [])])}::text[])::text`;
    const { rows } = await sql<{ n: number; hash: string }>`
      select count(*)::int as n,
        md5(coalesce(string_agg(${kept}, E'\n' order by ${kept}), '')) as hash
      from ${sql.table(table)} t`.execute(db);
    result[table] = `${rows[0]?.n ?? 0} rows, ${rows[0]?.hash ?? ''}`;
  }
  return result;
}
