import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { COPY_TAG } from './copy.ts';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';
import type { DB } from './schema.ts';

export type Engine = 'embedded' | 'server';

export interface Database {
  readonly db: Kysely<DB>;
  readonly engine: Engine;
  close(): Promise<void>;
  /** The embedded engine's whole data directory as a tarball (tests clone from it). */
  dump?(): Promise<Blob>;
  /**
   * Runs `COPY … FROM STDIN` with a file's bytes: the floor bulk loads are measured against,
   * and the fastest way into either engine.
   */
  copyFrom(statement: string, file: string): Promise<void>;
}

type TypeId = Parameters<typeof pg.types.getTypeParser>[0];

const OID = { int8: 20, int8Array: 1016, date: 1082 } as const;

function toSafeInteger(text: string): number {
  const value = Number(text);
  // Money is bigint minor units in the database; refuse to round rather than lose a yen.
  if (!Number.isSafeInteger(value)) throw new RangeError(`integer ${text} exceeds 2^53 - 1`);
  return value;
}

/**
 * One set of parsers for both engines, so every query returns the same JavaScript types
 * on PGlite and on the server: int8 as number, date as 'YYYY-MM-DD'.
 */
export const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === OID.int8) return toSafeInteger;
    if (oid === OID.date) return (text: string) => text;
    if (oid === OID.int8Array) {
      const parseArray = pg.types.getTypeParser(OID.int8Array as TypeId, 'text') as (
        t: string,
      ) => string[];
      return (text: string) => parseArray(text).map(toSafeInteger);
    }
    return pg.types.getTypeParser(oid as TypeId, format ?? 'text');
  },
};

type QueryResultLike = { rows: unknown[]; rowCount: number; command: string };
type RunCopy = (client: pg.PoolClient, statement: string, data: string) => Promise<void>;
const patched = new WeakSet<pg.PoolClient>();

/**
 * Kysely's Postgres dialect over `pool`, with every connection able to run a tagged
 * `COPY … FROM STDIN` (see copy.ts) on itself — the same connection, so the same transaction.
 */
function dialectWithCopy(
  pool: pg.Pool,
  runCopy: RunCopy,
  options: { readonly takeTurns?: boolean } = {},
): PostgresDialect {
  const connect = async () => {
    const client = await pool.connect();
    if (!patched.has(client)) {
      patched.add(client);
      // A connection that dies while checked out (a server restart between a transaction's
      // statements) emits 'error' outside any query; with no listener that ends the process.
      // The statement under way fails on its own, and the pool drops the dead client when it
      // comes back (pg-pool checks `_queryable`); an idle one the pool reports itself.
      client.on('error', () => {});
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      const intercept = (...args: unknown[]) => {
        const [text, values] = args;
        if (typeof text === 'string' && text.startsWith(COPY_TAG) && Array.isArray(values)) {
          const data = String(values[0] ?? '');
          return runCopy(client, text.slice(COPY_TAG.length), data).then(
            (): QueryResultLike => ({ rows: [], rowCount: 0, command: 'COPY' }),
          );
        }
        return query(...args);
      };
      Object.assign(client, { query: intercept });
    }
    // An engine in this thread answers through promises alone: a queue of queries would keep
    // timers and sockets (Slack's acknowledgement, health checks) waiting until it is empty.
    // One turn of the event loop before each query lets them in between.
    if (options.takeTurns) await new Promise((resolve) => setImmediate(resolve));
    return client;
  };
  return new PostgresDialect({
    pool: { connect, end: () => pool.end() } as unknown as pg.Pool,
  });
}

export interface ServerOptions {
  readonly url: string;
  readonly poolSize?: number;
  /**
   * An idle pooled connection that fails (a server restart, a failover) is reported here; the
   * pool replaces it on the next query. Without a listener Node would end the process.
   */
  readonly onIdleError?: (error: Error) => void;
}

export function openServerDatabase(options: ServerOptions): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    types: typeParsers,
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  const runCopy: RunCopy = async (client, statement, data) => {
    await pipeline(Readable.from([data]), client.query(copyFrom(statement)));
  };
  const db = new Kysely<DB>({ dialect: dialectWithCopy(pool, runCopy) });
  return {
    db,
    engine: 'server',
    close: () => db.destroy(),
    async copyFrom(statement, file) {
      const client = await pool.connect();
      try {
        await pipeline(createReadStream(file), client.query(copyFrom(statement)));
      } finally {
        client.release();
      }
    },
  };
}

export interface EmbeddedOptions {
  /** A directory for a file-backed database; omitted for an in-memory one. */
  readonly dataDir?: string;
  /** Start from a dump made by `PGlite.dumpDataDir()` (tests clone one migrated base). */
  readonly loadDataDir?: Blob;
  /** Who holds the lock, shown to a second process that tries to open the same directory. */
  readonly lockHolder?: string;
}

export async function openEmbeddedDatabase(options: EmbeddedOptions = {}): Promise<Database> {
  let lock: DataDirLock | undefined;
  if (options.dataDir)
    lock = acquireDataDirLock(options.dataDir, options.lockHolder ?? 'creditops');
  try {
    const lite = await PGlite.create({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      extensions: { pg_trgm },
    });
    // PGlite is a single connection: a pool of one queues every query behind an open
    // transaction instead of running it inside that transaction.
    const pool = new pg.Pool({ ...createPgConfig(lite), max: 1, types: typeParsers });
    // PGlite has one backend: a COPY issued while the pool's connection holds a transaction
    // runs inside that transaction. It reads its input from the virtual /dev/blob device.
    const runCopy: RunCopy = async (_client, statement, data) => {
      await lite.query(statement.replace(/\bSTDIN\b/i, "'/dev/blob'"), [], {
        blob: new Blob([data]),
      });
    };
    const db = new Kysely<DB>({ dialect: dialectWithCopy(pool, runCopy, { takeTurns: true }) });
    return {
      db,
      engine: 'embedded',
      dump: () => lite.dumpDataDir('none'),
      async copyFrom(statement, file) {
        // PGlite reads COPY input from its virtual /dev/blob device.
        const blob = new Blob([await readFile(file)]);
        await lite.query(statement.replace(/\bSTDIN\b/i, "'/dev/blob'"), [], { blob });
      },
      async close() {
        await db.destroy();
        await lite.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

export async function openDatabase(options: {
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly lockHolder?: string;
  readonly onIdleError?: (error: Error) => void;
}): Promise<Database> {
  if (options.databaseUrl) {
    return openServerDatabase({
      url: options.databaseUrl,
      ...(options.onIdleError ? { onIdleError: options.onIdleError } : {}),
    });
  }
  return openEmbeddedDatabase({
    dataDir: options.dataDir,
    ...(options.lockHolder ? { lockHolder: options.lockHolder } : {}),
  });
}
